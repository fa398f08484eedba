import { spawnSync } from 'child_process';
import { App, Chart, Testing } from 'cdk8s';
import { GPU_RESOURCE, HIGH_PERFORMANCE_PLATFORM, HighPerformanceChart, WINDOWS_UNATTEND_SECRET } from '../../examples/high-performance';
import { buildExampleCluster } from '../../examples/main';
import { KubeVirt } from '../../src';
import { PYTHON3, testWith } from '../host-tools';
import { findOne, synthValid } from '../util';

function withPlatform(windowsAdminPassword?: string): { app: App; chart: HighPerformanceChart } {
  const app = Testing.app();
  new KubeVirt(new Chart(app, 'platform'), 'kubevirt', HIGH_PERFORMANCE_PLATFORM);
  return { app, chart: new HighPerformanceChart(app, 'high-performance', { windowsAdminPassword }) };
}

/** The answer file of the Secret, parsed by a real XML parser (the Python standard library's). */
function unattendOf(docs: any[]): { xml: string; parsed: any } {
  const secret = findOne(docs, 'Secret', WINDOWS_UNATTEND_SECRET);
  expect(Object.keys(secret.stringData)).toEqual(['unattend.xml']);
  const xml = secret.stringData['unattend.xml'];
  const script = [
    'import sys, json, xml.etree.ElementTree as ET',
    'ns = {"u": "urn:schemas-microsoft-com:unattend"}',
    'root = ET.fromstring(sys.stdin.read().encode())',
    'out = {}',
    'for s in root.findall("u:settings", ns):',
    '    for c in s.findall("u:component", ns):',
    '        for e in c.iter():',
    '            if len(e) == 0 and e.text: out[s.get("pass") + "/" + e.tag.split("}")[1]] = e.text',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: xml, encoding: 'utf-8', timeout: 60_000 });
  if (r.error || r.status !== 0) throw new Error(`the answer file is not well-formed XML: ${r.error?.message ?? r.stderr}`);
  return { xml, parsed: JSON.parse(r.stdout) };
}

describe('high-performance example', () => {
  const { chart } = withPlatform();
  const docs = synthValid(chart);
  const template = (name: string) => findOne(docs, 'VirtualMachine', name).spec.template.spec;

  test('the database VM is pinned, hugepage-backed, NUMA-aware and on SR-IOV', () => {
    const t = template('database');
    expect(t.domain.cpu).toMatchObject({ cores: 4, dedicatedCpuPlacement: true, isolateEmulatorThread: true, numa: { guestMappingPassthrough: {} } });
    expect(t.domain.memory).toEqual({ guest: '16Gi', hugepages: { pageSize: '1Gi' } });
    expect(t.domain.devices.interfaces[1]).toEqual({ name: 'dataplane', sriov: {} });
    const nad = findOne(docs, 'NetworkAttachmentDefinition', 'dataplane');
    expect(nad.metadata.annotations['k8s.v1.cni.cncf.io/resourceName']).toBe('intel.com/sriov_netdevice');
    expect(JSON.parse(nad.spec.config).plugins[0].type).toBe('sriov');
  });

  test('the GPU VM takes the GPU the platform permits', () => {
    expect(template('inference').domain.devices.gpus).toEqual([{ deviceName: GPU_RESOURCE, name: 'gpu1' }]);
  });

  test('the fleet is sized by its own instancetype and preference', () => {
    for (const name of ['batch-0', 'batch-1', 'batch-2']) {
      const vm = findOne(docs, 'VirtualMachine', name);
      expect(vm.spec.instancetype).toEqual({ kind: 'VirtualMachineInstancetype', name: 'batch.large' });
      expect(vm.spec.preference).toEqual({ kind: 'VirtualMachinePreference', name: 'batch' });
      expect(vm.spec.template.spec.domain.memory).toBeUndefined();
    }
    expect(findOne(docs, 'VirtualMachineInstancetype', 'batch.large').spec).toEqual({ cpu: { guest: 2 }, memory: { guest: '4Gi', overcommitPercent: 10 } });
    expect(findOne(docs, 'MigrationPolicy', 'batch').spec.selectors).toEqual({ virtualMachineInstanceSelector: { workload: 'batch' } });
  });

  test('the Windows VM boots a golden image with EFI, Secure Boot, TPM and Hyper-V enlightenments', () => {
    const t = template('windows');
    expect(t.domain.firmware.bootloader).toEqual({ efi: { secureBoot: true, persistent: true } });
    expect(t.domain.features.smm).toEqual({ enabled: true });
    expect(t.domain.features.hyperv.vpindex).toEqual({ enabled: true });
    expect(t.domain.devices.tpm).toEqual({ persistent: true });
    expect(findOne(docs, 'VirtualMachine', 'windows').spec.dataVolumeTemplates[0].spec.source).toEqual({ snapshot: { name: 'windows-image', namespace: 'high-performance' } });
  });

  testWith(PYTHON3)('the Windows VM gets its answer file from a Secret of its namespace, on a sysprep CD-ROM', () => {
    const vm = findOne(docs, 'VirtualMachine', 'windows');
    const t = vm.spec.template.spec;
    expect(t.volumes).toContainEqual({ name: 'sysprep', sysprep: { secret: { name: WINDOWS_UNATTEND_SECRET } } });
    expect(t.domain.devices.disks).toContainEqual({ name: 'sysprep', cdrom: { bus: 'sata' } });
    const secret = findOne(docs, 'Secret', WINDOWS_UNATTEND_SECRET);
    expect(secret.metadata.namespace).toBe(vm.metadata.namespace);
    const { parsed } = unattendOf(docs);
    expect(parsed).toMatchObject({ 'specialize/ComputerName': 'windows', 'specialize/TimeZone': 'UTC', 'oobeSystem/HideEULAPage': 'true' });
    // no password unless one is given: Windows then asks for it at first sign-in
    expect(Object.keys(parsed).filter(k => k.includes('Password') || k.endsWith('/Value'))).toEqual([]);
  });

  testWith(PYTHON3)('an Administrator password goes into the Secret, escaped, and never into the VM', () => {
    const password = 'S3cret<&>pass';
    const { chart: c } = withPlatform(password);
    const all = synthValid(c);
    const { xml, parsed } = unattendOf(all);
    expect(parsed['oobeSystem/Value']).toBe(password);
    expect(parsed['oobeSystem/PlainText']).toBe('true');
    expect(xml).toContain('S3cret&lt;&amp;&gt;pass');
    for (const d of all.filter(x => x.kind !== 'Secret')) expect(JSON.stringify(d)).not.toContain('S3cret');
  });

  test('without the GPU permit on the platform the example does not synthesize', () => {
    const app = Testing.app();
    new KubeVirt(new Chart(app, 'platform'), 'kubevirt', { featureGates: HIGH_PERFORMANCE_PLATFORM.featureGates });
    const c = new HighPerformanceChart(app, 'high-performance');
    expect(() => Testing.synth(c)).toThrow(/'gpus.gpu1.deviceName' is not permitted by the KubeVirt at 'platform\/kubevirt'/);
  });

  test('the example cluster carries the permit and the CPU manager gate', () => {
    const app = Testing.app();
    const { platform } = buildExampleCluster(app);
    const kv = findOne(platform.toJson(), 'KubeVirt');
    expect(kv.spec.configuration.permittedHostDevices.pciHostDevices).toEqual([{ pciVendorSelector: '10de:1eb8', resourceName: GPU_RESOURCE }]);
    expect(kv.spec.configuration.developerConfiguration.featureGates).toContain('CPUManager');
  });
});
