import { App, Chart } from 'cdk8s';
import { FeatureGate, KubeVirt } from '../../src';
import { missingKubeVirtGate, PlatformKind, platformObjectOf } from '../../src/private/platform-config';

describe('platform configuration seen by workload rules', () => {
  test('is absent when the app installs no KubeVirt, so rules stay silent', () => {
    const app = new App();
    const chart = new Chart(app, 'workloads');
    expect(platformObjectOf(chart, PlatformKind.KUBEVIRT)).toBeUndefined();
    expect(missingKubeVirtGate(chart, 'HostDisk', 'HOST_DISK', "hostDisk volume 'logs'")).toBeUndefined();
  });

  test('reads the rendered KubeVirt CR of the same app, including gates added later', () => {
    const app = new App();
    const platform = new Chart(app, 'platform');
    const kv = new KubeVirt(platform, 'kubevirt');
    const workloads = new Chart(app, 'workloads');
    expect(missingKubeVirtGate(workloads, 'HostDisk', 'HOST_DISK', "hostDisk volume 'logs'"))
      .toBe("hostDisk volume 'logs' needs the KubeVirt feature gate 'HostDisk', which the KubeVirt at 'platform/kubevirt' does not switch on; "
        + "add FeatureGate.HOST_DISK to its 'featureGates' (or call addFeatureGate)");
    kv.addFeatureGate(FeatureGate.HOST_DISK);
    expect(missingKubeVirtGate(workloads, 'HostDisk', 'HOST_DISK', "hostDisk volume 'logs'")).toBeUndefined();
    expect(platformObjectOf(workloads, PlatformKind.KUBEVIRT)?.spec.configuration.developerConfiguration.featureGates).toEqual(['HostDisk']);
  });

  test('does not see the platform of another app', () => {
    const a = new App();
    new KubeVirt(new Chart(a, 'platform'), 'kubevirt');
    const b = new App();
    expect(platformObjectOf(new Chart(b, 'workloads'), PlatformKind.KUBEVIRT)).toBeUndefined();
  });
});
