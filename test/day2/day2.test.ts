import { Chart, Duration, Size, Testing } from 'cdk8s';
import {
  BootDisk, DataVolumeSource, Disk, FeatureGate, GoldenImage, KubeVirt, Network, RestoreTargetReadinessPolicy, RunStrategy,
  VirtualMachine, VirtualMachineClone, VirtualMachineExport, VirtualMachineRestore, VirtualMachineSnapshot,
  VirtualMachineSnapshotDeletionPolicy, VolumeRestorePolicy, Topology, NodeRequirements,
} from '../../src';
import { WARNING_METADATA } from '../../src/private/warnings';
import { findOne, synthValid } from '../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'vms' });
}

function warningsOf(c: Chart): string[] {
  Testing.synth(c);
  return c.node.findAll().flatMap(n => n.node.metadata.filter(m => m.type === WARNING_METADATA).map(m => String(m.data)));
}

let warn: jest.SpyInstance;
beforeEach(() => { warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); });
afterEach(() => warn.mockRestore());

describe('VirtualMachineSnapshot', () => {
  test('renders the storage version with the VM as source, after the VM', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    vm.snapshot('nightly', { name: 'web-nightly', deletionPolicy: VirtualMachineSnapshotDeletionPolicy.RETAIN, failureDeadline: Duration.minutes(10) });
    const docs = synthValid(c);
    const snap = findOne(docs, 'VirtualMachineSnapshot');
    expect(snap).toEqual({
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineSnapshot',
      metadata: { name: 'web-nightly', namespace: 'vms' },
      spec: { deletionPolicy: 'Retain', failureDeadline: '10m0s', source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'web' } },
    });
    expect(docs.findIndex(d => d.kind === 'VirtualMachine')).toBeLessThan(docs.indexOf(snap));
  });

  test('warns that a VM of container disks gives a snapshot of its definition alone', () => {
    const c = chart();
    new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) }).snapshot('s');
    expect(warningsOf(c).join('\n')).toMatch(/no volume of the VM 'web' can be snapshotted \('rootdisk' is containerDisk|no volume of the VM 'web' can be snapshotted/);
  });

  test('warns, for PVC and DataVolume volumes, that the VolumeSnapshotClass cannot be known', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'db', bootDisk: BootDisk.persistentVolumeClaim('db-root') });
    vm.addDisk('data', Disk.persistentVolumeClaim('db-data'));
    vm.snapshot('s');
    expect(warningsOf(c).join('\n')).toMatch(/volumes '.*' \(a claim this app does not define\), 'data' \(a claim this app does not define\) are snapshotted only if a VolumeSnapshotClass has the CSI driver/);
  });

  test('knows the storage class of a golden image with a snapshot class can be snapshotted, and warns for another', () => {
    const c = chart();
    const image = new GoldenImage(c, 'img', {
      source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10), storageClass: 'ceph-rbd', snapshotClass: 'rbd-snap',
    });
    const vm = new VirtualMachine(c, 'vm', { name: 'db', bootDisk: BootDisk.cloneOf(image) });
    vm.snapshot('s');
    expect(warningsOf(c).join('\n')).not.toMatch(/can be snapshotted|snapshotted only if/);

    const c2 = chart();
    const image2 = new GoldenImage(c2, 'img', {
      source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10), storageClass: 'ceph-rbd', snapshotClass: 'rbd-snap',
    });
    const vm2 = new VirtualMachine(c2, 'vm', { name: 'db', bootDisk: BootDisk.cloneOf(image2) });
    vm2.addDisk('scratch', Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1), storageClass: 'local-path' }));
    vm2.snapshot('s');
    const warnings = warningsOf(c2).join('\n');
    expect(warnings).toMatch(/volumes 'scratch' \(storage class 'local-path'\) are snapshotted only if/);
    expect(warnings).not.toMatch(/'rootdisk'|ceph-rbd/);
  });

  test('warns that an imported VM cannot be checked', () => {
    const c = chart();
    new VirtualMachineSnapshot(c, 's', { vm: VirtualMachine.fromVirtualMachineName(c, 'ext', 'legacy', { namespace: 'vms' }) });
    expect(warningsOf(c).join('\n')).toMatch(/the VM 'vms\/legacy' is not defined in this app/);
  });

  test('is refused when the app\'s KubeVirt switches the Snapshot gate off', () => {
    const c = chart();
    new KubeVirt(c, 'kubevirt', { disabledFeatureGates: [FeatureGate.SNAPSHOT] });
    new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) }).snapshot('s');
    expect(() => Testing.synth(c)).toThrow(/a VirtualMachineSnapshot needs the KubeVirt feature gate 'Snapshot'.*disabledFeatureGates/);
  });

  test('refuses a bad deletion policy and a bad name', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(() => vm.snapshot('a', { deletionPolicy: 'Keep' as any })).toThrow(/'deletionPolicy'.*VirtualMachineSnapshotDeletionPolicy/);
    expect(() => vm.snapshot('b', { name: 'Bad_Name' })).toThrow(/\[test\/vm\/b\] 'name'/);
    expect(() => vm.snapshot('c', { failureDeadline: Duration.millis(1500) })).toThrow(/'failureDeadline' must be a positive whole number of seconds/);
  });
});

describe('VirtualMachineRestore', () => {
  test('restores in place by default, and into a new VM', () => {
    const c = chart();
    const snap = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.persistentVolumeClaim('web-root') }).snapshot('s', { name: 'web-s' });
    snap.restore('back', { name: 'web-back', targetReadinessPolicy: RestoreTargetReadinessPolicy.STOP_TARGET });
    snap.restore('copy', {
      name: 'web-copy',
      targetName: 'web2',
      volumeRestorePolicy: VolumeRestorePolicy.PREFIX_TARGET_NAME,
      patches: ['{"op": "replace", "path": "/spec/runStrategy", "value": "Halted"}'],
    });
    const docs = synthValid(c);
    expect(findOne(docs, 'VirtualMachineRestore', 'web-back').spec).toEqual({
      target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'web' }, targetReadinessPolicy: 'StopTarget', virtualMachineSnapshotName: 'web-s',
    });
    expect(findOne(docs, 'VirtualMachineRestore', 'web-copy').spec).toEqual({
      patches: ['{"op": "replace", "path": "/spec/runStrategy", "value": "Halted"}'],
      target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'web2' },
      // KubeVirt's default, written so the stored object equals ours
      targetReadinessPolicy: 'WaitGracePeriod',
      virtualMachineSnapshotName: 'web-s',
      volumeRestorePolicy: 'PrefixTargetName',
    });
  });

  test('refuses InPlace into another VM, a patch outside spec, a patch the admitter splits wrongly, and two targets', () => {
    const c = chart();
    const snap = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.persistentVolumeClaim('web-root') }).snapshot('s');
    expect(() => snap.restore('a', { targetName: 'other', volumeRestorePolicy: VolumeRestorePolicy.IN_PLACE }))
      .toThrow(/'volumeRestorePolicy' would delete the volumes of the VM 'web' to restore them for 'other', got 'InPlace'; use VolumeRestorePolicy.PREFIX_TARGET_NAME/);
    expect(() => snap.restore('b', { patches: ['{"op": "replace", "path": "/metadata/name", "value": "x"}'] }))
      .toThrow(/'patches\[0\]' patches a path KubeVirt refuses to restore/);
    expect(() => snap.restore('c', { patches: ['{"op": "add", "path": "/spec/template/metadata/labels", "value": {"a": "b", "c": "d"}}'] }))
      .toThrow(/'patches\[0\]' is read by KubeVirt's restore admitter as 'key: value' pieces/);
    expect(() => snap.restore('d', { patches: ['not json'] })).toThrow(/'patches\[0\]' must be valid JSON/);
    const other = VirtualMachine.fromVirtualMachineName(c, 'o', 'other', { namespace: 'vms' });
    expect(() => snap.restore('e', { target: other, targetName: 'x' })).toThrow(/'targetName' cannot be combined with 'target'/);
    const far = VirtualMachine.fromVirtualMachineName(c, 'f', 'far', { namespace: 'elsewhere' });
    expect(() => snap.restore('f', { target: far })).toThrow(/'target' must be in the snapshot's namespace \('vms'\)/);
  });

  test('refuses a restore into another VM of a VM with a persistent TPM', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'win', bootDisk: BootDisk.persistentVolumeClaim('win-root'), tpm: { persistent: true } } as any);
    const snap = vm.snapshot('s');
    snap.restore('in-place');
    snap.restore('copy', { targetName: 'win2' });
    expect(() => Testing.synth(c)).toThrow(/'target' restores a snapshot of 'win', which keeps a persistent TPM; KubeVirt v1.9.0 restores such a VM only into itself, got 'win2'/);
  });
});

describe('VirtualMachineClone', () => {
  test('renders the clone with its new MACs, filters and patches', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.persistentVolumeClaim('web-root') });
    vm.cloneTo('c', {
      name: 'web-clone',
      targetName: 'web2',
      newMacAddresses: { default: '02:5a:10:00:00:09' },
      newSmbiosSerial: 'serial-2',
      labelFilters: ['*', '!app'],
      patches: ['{"op": "replace", "path": "/spec/runStrategy", "value": "Halted"}'],
    });
    expect(findOne(synthValid(c), 'VirtualMachineClone')).toEqual({
      apiVersion: 'clone.kubevirt.io/v1beta1',
      kind: 'VirtualMachineClone',
      metadata: { name: 'web-clone', namespace: 'vms' },
      spec: {
        labelFilters: ['*', '!app'],
        newMacAddresses: { default: '02:5a:10:00:00:09' },
        newSMBiosSerial: 'serial-2',
        patches: ['{"op": "replace", "path": "/spec/runStrategy", "value": "Halted"}'],
        source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'web' },
        target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'web2' },
      },
    });
  });

  test('refuses its own name, a bad MAC, a MAC twice, bad filters and bad patches', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(() => vm.cloneTo('a', { targetName: 'web' })).toThrow(/'targetName' is the source VM's name, which KubeVirt refuses, got 'web'/);
    expect(() => vm.cloneTo('b', { targetName: 'x', newMacAddresses: { default: 'zz' } })).toThrow(/'newMacAddresses.default' must be a MAC address/);
    expect(() => vm.cloneTo('c', { targetName: 'x', newMacAddresses: { a: '02:00:00:00:00:01', b: '02:00:00:00:00:01' } }))
      .toThrow(/'newMacAddresses.b' is also given to interface 'a'/);
    expect(() => vm.cloneTo('d', { targetName: 'x', labelFilters: ['a*b'] })).toThrow(/'labelFilters\[0\]' has '\*' before its last character/);
    expect(() => vm.cloneTo('e', { targetName: 'x', annotationFilters: ['!'] })).toThrow(/'annotationFilters\[0\]' is a negation alone/);
    expect(() => vm.cloneTo('f', { targetName: 'x', patches: ['[{"op": "add"}]'] })).toThrow(/'patches\[0\]' must be one JSON patch operation/);
  });

  test('refuses a new MAC another VM of the app has, one set by a patch, an unknown interface and an existing target', () => {
    const c = chart();
    const web = new VirtualMachine(c, 'web', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'default', network: Network.pod(), macAddress: '02:5a:10:00:00:01' }] });
    new VirtualMachine(c, 'db', { name: 'db', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'default', network: Network.pod(), macAddress: '02:5a:10:00:00:02' }] });
    web.cloneTo('mac', { targetName: 'web2', newMacAddresses: { default: '02:5a:10:00:00:02' } });
    expect(() => Testing.synth(c)).toThrow(/'newMacAddresses.default' collides with the MAC of interface 'default' of the VM at test\/db/);

    const c2 = chart();
    const web2 = new VirtualMachine(c2, 'web', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'default', network: Network.pod(), macAddress: '02:5a:10:00:00:01' }] });
    web2.cloneTo('p', { targetName: 'web2', patches: ['{"op": "replace", "path": "/spec/template/spec/domain/devices/interfaces/0/macAddress", "value": "02:5a:10:00:00:01"}'] });
    expect(() => Testing.synth(c2)).toThrow(/'patches\[0\]' collides with the MAC of interface 'default' of the VM at test\/web/);

    const c3 = chart();
    const web3 = new VirtualMachine(c3, 'web', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    new VirtualMachine(c3, 'taken', { name: 'taken', bootDisk: BootDisk.containerDisk(IMAGE) });
    web3.cloneTo('x', { targetName: 'taken', newMacAddresses: { lan: '02:5a:10:00:00:05' } });
    expect(() => Testing.synth(c3)).toThrow(/'newMacAddresses.lan' names no interface of the VM 'web'[\s\S]*'targetName' names the VM at test\/taken/);
  });

  test('two clones may not give out one MAC, and a lost fixed MAC is a warning', () => {
    const c = chart();
    const web = new VirtualMachine(c, 'web', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'default', network: Network.pod(), macAddress: '02:5a:10:00:00:01' }] });
    web.cloneTo('a', { targetName: 'a', newMacAddresses: { default: '02:5a:10:00:00:07' } });
    web.cloneTo('b', { targetName: 'b', newMacAddresses: { default: '02:5a:10:00:00:07' } });
    expect(() => Testing.synth(c)).toThrow(/collides with the MAC of newMacAddresses.default of the clone at test\/web\/a/);

    const c2 = chart();
    new VirtualMachine(c2, 'web', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'default', network: Network.pod(), macAddress: '02:5a:10:00:00:01' }] })
      .cloneTo('a', { targetName: 'a' });
    expect(warningsOf(c2).join('\n')).toMatch(/interfaces 'default' of 'web' have fixed MACs, which the clone loses/);
  });
});

describe('VirtualMachineExport', () => {
  test('renders a VM export with KubeVirt\'s generated token by default, and the other sources', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'db', bootDisk: BootDisk.persistentVolumeClaim('db-root') });
    vm.exportDisks('e', { name: 'db-export', ttl: Duration.hours(1) });
    const snap = vm.snapshot('s', { name: 'db-s' });
    new VirtualMachineExport(c, 'se', { name: 'snap-export', snapshot: snap, tokenSecretName: 'export-token' });
    new VirtualMachineExport(c, 'pe', { name: 'pvc-export', persistentVolumeClaimName: 'data' });
    const docs = synthValid(c);
    expect(findOne(docs, 'VirtualMachineExport', 'db-export')).toEqual({
      apiVersion: 'export.kubevirt.io/v1',
      kind: 'VirtualMachineExport',
      metadata: { name: 'db-export', namespace: 'vms' },
      spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' }, ttlDuration: '1h0m0s' },
    });
    expect(findOne(docs, 'VirtualMachineExport', 'snap-export').spec).toEqual({
      source: { apiGroup: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshot', name: 'db-s' }, tokenSecretRef: 'export-token',
    });
    expect(findOne(docs, 'VirtualMachineExport', 'pvc-export').spec).toEqual({ source: { kind: 'PersistentVolumeClaim', name: 'data' } });
    expect(docs.filter(d => d.kind === 'Secret')).toEqual([]);
  });

  test('refuses no source, two sources, another namespace; warns for a running VM without volumes', () => {
    const c = chart();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE), runStrategy: RunStrategy.ALWAYS });
    expect(() => new VirtualMachineExport(c, 'a', {})).toThrow(/'vm' must be exactly one source/);
    expect(() => new VirtualMachineExport(c, 'b', { vm, persistentVolumeClaimName: 'x' })).toThrow(/'persistentVolumeClaimName' must be exactly one source/);
    expect(() => new VirtualMachineExport(c, 'c', { vm, namespace: 'other' })).toThrow(/'namespace' must be the source's namespace \('vms'\)/);
    vm.exportDisks('e');
    const warnings = warningsOf(c).join('\n');
    expect(warnings).toMatch(/the VM 'web' has no PVC or DataVolume volume, so the export has nothing to serve/);
    expect(warnings).toMatch(/the VM 'web' runs \(runStrategy Always\)/);
  });
});

test('constructs are exported', () => {
  expect([VirtualMachineClone, VirtualMachineRestore, VirtualMachineSnapshot].every(k => typeof k === 'function')).toBe(true);
});

test('the topology picture and the node requirements read an app with day-2 objects', () => {
  const c = chart();
  const vm = new VirtualMachine(c, 'vm', { name: 'db', bootDisk: BootDisk.persistentVolumeClaim('db-root') });
  vm.snapshot('s').restore('r');
  vm.cloneTo('c', { targetName: 'db2' });
  vm.exportDisks('e');
  const app = c.node.root as any;
  expect(Topology.fromApp(app).toMermaid()).toContain('db');
  expect(NodeRequirements.of(app).toMarkdown()).toBeTruthy();
});

test('a whole day-2 program synthesizes what the schemas accept (recorded for check:cluster)', () => {
  const c = chart();
  const image = new GoldenImage(c, 'img', {
    name: 'fedora', source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10), storageClass: 'ceph-rbd', snapshotClass: 'rbd-snap',
  });
  const db = new VirtualMachine(c, 'db', {
    name: 'db', bootDisk: BootDisk.cloneOf(image), networks: [{ name: 'default', network: Network.pod(), macAddress: '02:5a:10:00:00:01' }],
  });
  const nightly = db.snapshot('nightly', { name: 'db-nightly', failureDeadline: Duration.minutes(3) });
  nightly.restore('back', { name: 'db-back' });
  nightly.restore('copy', { name: 'db-copy', targetName: 'db-restored', volumeRestorePolicy: VolumeRestorePolicy.PREFIX_TARGET_NAME });
  db.cloneTo('clone', { name: 'db-clone', targetName: 'db2', newMacAddresses: { default: '02:5a:10:00:00:02' }, labelFilters: ['*'] });
  db.exportDisks('vm-export', { name: 'db-export' });
  new VirtualMachineExport(c, 'snap-export', { name: 'db-nightly-export', snapshot: nightly, ttl: Duration.hours(4) });
  new VirtualMachineExport(c, 'dv-export', { name: 'image-export', dataVolume: image.dataVolume });
  const docs = synthValid(c);
  expect(docs.map(d => d.kind).filter(k => /^VirtualMachine(Snapshot|Restore|Clone|Export)$/.test(k)).sort()).toEqual([
    'VirtualMachineClone', 'VirtualMachineExport', 'VirtualMachineExport', 'VirtualMachineExport', 'VirtualMachineRestore', 'VirtualMachineRestore',
    'VirtualMachineSnapshot',
  ]);
  expect(findOne(docs, 'VirtualMachineExport', 'image-export').spec.source).toEqual({ kind: 'PersistentVolumeClaim', name: 'fedora' });
});
