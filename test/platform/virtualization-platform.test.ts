import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { firmwareIdentity, withFirmwareIdentity } from '../../src/compute/vm/firmware-identity';
import { FeatureGate, KubeVirt, SyncWave, VirtualizationPlatform } from '../../src/platform';
import { findOne, synthValid } from '../util';

/** Every image reference in a document, wherever it sits (containers, init containers, env). */
function imagesIn(value: any, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach(v => imagesIn(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'image' && typeof v === 'string') out.push(v);
      else if (k === 'env' && Array.isArray(v)) v.filter((e: any) => /_IMAGE$/.test(e.name) && e.value).forEach((e: any) => out.push(e.value));
      else imagesIn(v, out);
    }
  }
  return out;
}

const PINNED = /^[a-z0-9.:/_-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[a-f0-9]{64})$/;

describe('VirtualizationPlatform', () => {
  test('installs all five components by default', () => {
    const platform = new VirtualizationPlatform(Testing.app(), 'platform');
    const docs = synthValid(platform);
    expect(platform.kubevirt).toBeInstanceOf(KubeVirt);
    for (const [kind, name] of [
      ['Deployment', 'virt-operator'], ['Deployment', 'cdi-operator'], ['DaemonSet', 'kube-multus-ds'],
      ['DaemonSet', 'whereabouts'], ['Deployment', 'snapshot-controller'], ['KubeVirt', 'kubevirt'], ['CDI', 'cdi'],
    ]) {
      findOne(docs, kind, name);
    }
    expect(docs.filter(d => d.kind === 'CustomResourceDefinition').map(d => d.metadata.name).sort()).toEqual([
      'cdis.cdi.kubevirt.io', 'ippools.whereabouts.cni.cncf.io', 'kubevirts.kubevirt.io',
      'network-attachment-definitions.k8s.cni.cncf.io', 'nodeslicepools.whereabouts.cni.cncf.io',
      'overlappingrangeipreservations.whereabouts.cni.cncf.io', 'volumesnapshotclasses.snapshot.storage.k8s.io',
      'volumesnapshotcontents.snapshot.storage.k8s.io', 'volumesnapshots.snapshot.storage.k8s.io',
    ]);
  });

  test('each component can be switched off', () => {
    const platform = new VirtualizationPlatform(Testing.app(), 'platform', {
      multus: { enabled: false }, snapshotController: { enabled: false }, whereabouts: { enabled: false },
    });
    const docs = synthValid(platform);
    expect(platform.multus).toBeUndefined();
    expect(docs.some(d => d.kind === 'DaemonSet')).toBe(false);
    expect(docs.some(d => d.metadata.name === 'snapshot-controller')).toBe(false);
    findOne(docs, 'KubeVirt');
    const none = new VirtualizationPlatform(Testing.app(), 'none', {
      kubevirt: { enabled: false },
      cdi: { enabled: false },
      multus: { enabled: false },
      whereabouts: { enabled: false },
      snapshotController: { enabled: false },
    });
    expect(synthValid(none)).toEqual([]);
  });

  test('component settings are passed through', () => {
    const platform = new VirtualizationPlatform(Testing.app(), 'platform', {
      kubevirt: { featureGates: [FeatureGate.SNAPSHOT], replicas: 3 },
      cdi: { replicas: 2 },
    });
    const docs = synthValid(platform);
    expect(findOne(docs, 'Deployment', 'virt-operator').spec.replicas).toBe(3);
    expect(findOne(docs, 'Deployment', 'cdi-operator').spec.replicas).toBe(2);
    expect(findOne(docs, 'KubeVirt').spec.configuration.developerConfiguration.featureGates).toEqual(['Snapshot']);
  });

  test('labels reach every object', () => {
    const docs = synthValid(new VirtualizationPlatform(Testing.app(), 'platform', { labels: { 'app.kubernetes.io/part-of': 'virt' } }));
    for (const d of docs) expect(d.metadata.labels['app.kubernetes.io/part-of']).toBe('virt');
  });

  test('output is deterministic', () => {
    const once = () => JSON.stringify(synthValid(new VirtualizationPlatform(Testing.app(), 'platform', {
      argoCdSyncWaves: true, kubevirt: { featureGates: [FeatureGate.SNAPSHOT] },
    })));
    expect(once()).toBe(once());
  });

  test('does not relabel kube-system', () => {
    const docs = synthValid(new VirtualizationPlatform(Testing.app(), 'platform'));
    expect(docs.filter(d => d.kind === 'Namespace').map(d => d.metadata.name).sort()).toEqual(['cdi', 'kubevirt']);
  });
});

describe('images', () => {
  test('every image in a fully enabled platform is pinned by tag or digest, never latest', () => {
    const docs = synthValid(new VirtualizationPlatform(Testing.app(), 'platform'));
    const images = imagesIn(docs);
    expect(images.length).toBeGreaterThanOrEqual(12);
    for (const image of images) {
      expect(image).toMatch(PINNED);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  test('overriding any component with latest throws', () => {
    const app = Testing.app();
    expect(() => new VirtualizationPlatform(app, 'a', { multus: { image: { tag: 'latest' } } })).toThrow(
      /\[a\/Multus\] 'image.tag' must pin a release, not a moving tag, got 'latest'; use a release tag such as 'v4.3.0-thick' or a digest/);
    expect(() => new VirtualizationPlatform(app, 'b', { whereabouts: { image: { tag: 'LATEST' } } })).toThrow(/'image.tag' must pin a release/);
  });

  test('digest pins render repo@sha256 everywhere they are given', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const docs = synthValid(new VirtualizationPlatform(Testing.app(), 'platform', {
      snapshotController: { image: { repository: 'mirror.local/sig-storage/snapshot-controller', digest } },
    }));
    const c = findOne(docs, 'Deployment', 'snapshot-controller').spec.template.spec.containers[0];
    expect(c.image).toBe(`mirror.local/sig-storage/snapshot-controller@${digest}`);
  });
});

describe('ordering', () => {
  test('addDependant makes cdk8s write the platform chart first', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const workloads = new Chart(app, 'workloads');
    new ApiObject(workloads, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    const platform = new VirtualizationPlatform(app, 'platform');
    platform.addDependant(workloads);
    expect(app.charts.map(c => c.node.id)).toEqual(['platform', 'workloads']);
  });

  test('sync waves: CRDs, then controllers, then the operators\' objects, then workloads', () => {
    const app = Testing.app();
    const platform = new VirtualizationPlatform(app, 'platform', { argoCdSyncWaves: true });
    const workloads = new Chart(app, 'workloads');
    new ApiObject(workloads, 'early', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'early' } });
    platform.addDependant(workloads);
    new ApiObject(workloads, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    const pinned = new ApiObject(workloads, 'pinned', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pinned' } });
    SyncWave.annotate(pinned, SyncWave.of(7));

    const wave = (d: any) => d.metadata.annotations?.[SyncWave.ANNOTATION];
    const docs = synthValid(platform);
    for (const d of docs) {
      const expected = d.kind === 'CustomResourceDefinition' ? '-3' : ['KubeVirt', 'CDI'].includes(d.kind) ? '-1' : '-2';
      expect(`${d.kind}/${d.metadata.name}=${wave(d)}`).toBe(`${d.kind}/${d.metadata.name}=${expected}`);
    }
    const w = synthValid(workloads);
    expect(w.map(d => `${d.metadata.name}=${wave(d)}`)).toEqual(['early=0', 'late=0', 'pinned=7']);
  });

  test('workloads of operator-created kinds tell Argo CD to skip the dry run; others do not', () => {
    const app = Testing.app();
    const platform = new VirtualizationPlatform(app, 'platform', { argoCdSyncWaves: true });
    const workloads = new Chart(app, 'workloads');
    platform.addDependant(workloads);
    new ApiObject(workloads, 'vm', { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm' }, spec: withFirmwareIdentity({ runStrategy: 'Always', template: { spec: { domain: { devices: {} } } } }, firmwareIdentity('default', 'vm')) });
    new ApiObject(workloads, 'dv', { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: { name: 'dv' }, spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '1Gi' } } } } });
    new ApiObject(workloads, 'nad', { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'nad' }, spec: {} });
    const opts = Object.fromEntries(synthValid(workloads).map(d => [d.kind, d.metadata.annotations['argocd.argoproj.io/sync-options']]));
    expect(opts).toEqual({ VirtualMachine: 'SkipDryRunOnMissingResource=true', DataVolume: 'SkipDryRunOnMissingResource=true', NetworkAttachmentDefinition: undefined });
  });

  test('without the option no sync-wave annotation is written', () => {
    const docs = synthValid(new VirtualizationPlatform(Testing.app(), 'platform'));
    expect(docs.some(d => d.metadata.annotations?.[SyncWave.ANNOTATION] !== undefined)).toBe(false);
  });

  test('SyncWave.of rejects fractions', () => {
    expect(() => SyncWave.of(1.5)).toThrow(/'wave' must be a whole number, got 1.5/);
  });

  test('SyncWave.apply works on any construct', () => {
    const chart = Testing.chart();
    const group = new Construct(chart, 'group');
    new ApiObject(group, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    SyncWave.apply(group, SyncWave.CUSTOM_RESOURCES);
    expect(synthValid(chart)[0].metadata.annotations[SyncWave.ANNOTATION]).toBe('-1');
  });
});
