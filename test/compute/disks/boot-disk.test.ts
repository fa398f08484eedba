import { Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import { BootDisk, EvictionStrategy, CloneStrategy, VirtualMachine } from '../../../src/compute';
import { DataSource, DataVolume, DataVolumeSource, GoldenImage, GoldenImageProps } from '../../../src/storage';
import { findOne, synthValid } from '../../util';

function chart(namespace = 'golden'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

function image(c: Chart, extra: Partial<GoldenImageProps> = {}): GoldenImage {
  return new GoldenImage(c, 'fedora', {
    source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
    size: Size.gibibytes(10),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
    ...extra,
  });
}

describe('BootDisk.dataVolume', () => {
  test('refers to an existing DataVolume by name, without owning it', () => {
    const c = chart();
    const dv = DataVolume.fromDataVolumeName(c, 'root', 'my-root');
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.dataVolume(dv) });
    const vm = findOne(synthValid(c), 'VirtualMachine', 'vm');
    expect(vm.spec.dataVolumeTemplates).toBeUndefined();
    expect(vm.spec.template.spec.volumes[0]).toEqual({ name: 'rootdisk', dataVolume: { name: 'my-root' } });
  });

  test('refers to a DataVolume defined in the same app', () => {
    const c = chart();
    const dv = new DataVolume(c, 'root', { name: 'root', source: DataVolumeSource.blank(), size: Size.gibibytes(5) });
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.dataVolume(dv) });
    const docs = synthValid(c);
    expect(findOne(docs, 'VirtualMachine', 'vm').spec.template.spec.volumes[0].dataVolume.name).toBe('root');
    findOne(docs, 'DataVolume', 'root');
  });

  test('a known ReadWriteOnce access mode feeds the live-migration check', () => {
    const c = chart();
    const dv = DataVolume.fromDataVolumeName(c, 'root', 'my-root');
    new VirtualMachine(c, 'vm', {
      name: 'vm',
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
      bootDisk: BootDisk.dataVolume(dv, { accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE }),
    });
    expect(() => Testing.synth(c)).toThrow(/'bootDisk' \(dataVolume 'my-root'\) cannot follow a live migration/);
  });
});

describe('BootDisk.dataVolumeTemplate', () => {
  test('renders a dataVolumeTemplates entry named <vm>-rootdisk and a dataVolume volume', () => {
    const c = chart();
    new VirtualMachine(c, 'vm', {
      name: 'db',
      bootDisk: BootDisk.dataVolumeTemplate({
        source: DataVolumeSource.pvc('my-ns', 'my-source-dv'),
        size: Size.gibibytes(10),
        storageClass: 'fast',
        accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE],
        volumeMode: PersistentVolumeMode.BLOCK,
        preallocation: true,
      }),
    });
    const vm = findOne(synthValid(c), 'VirtualMachine', 'db');
    expect(vm.spec.dataVolumeTemplates).toEqual([{
      metadata: { name: 'db-rootdisk' },
      spec: {
        preallocation: true,
        source: { pvc: { name: 'my-source-dv', namespace: 'my-ns' } },
        storage: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '10Gi' } },
          storageClassName: 'fast',
          volumeMode: 'Block',
        },
      },
    }]);
    expect(vm.spec.template.spec.volumes[0]).toEqual({ name: 'rootdisk', dataVolume: { name: 'db-rootdisk' } });
  });

  test('clones through a DataSource', () => {
    const c = chart();
    const ds = DataSource.fromDataSourceName(c, 'ds', 'fedora', { namespace: 'golden' });
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.dataVolumeTemplate({ sourceRef: ds }) });
    const vm = findOne(synthValid(c), 'VirtualMachine', 'vm');
    expect(vm.spec.dataVolumeTemplates[0].spec.sourceRef).toEqual({ kind: 'DataSource', name: 'fedora', namespace: 'golden' });
  });

  test('throws with the VM path when an import has no size', () => {
    const c = chart();
    expect(() => new VirtualMachine(c, 'vm', {
      name: 'vm',
      bootDisk: BootDisk.dataVolumeTemplate({ source: DataVolumeSource.http('https://example.org/disk.qcow2') }),
    })).toThrow(/\[test\/vm\] 'size' is required for http sources, got undefined; set 'size'/);
  });

  test('a ReadWriteOnce template feeds the live-migration check', () => {
    const c = chart();
    new VirtualMachine(c, 'vm', {
      name: 'vm',
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
      bootDisk: BootDisk.dataVolumeTemplate({
        source: DataVolumeSource.blank(), size: Size.gibibytes(1), accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE],
      }),
    });
    expect(() => Testing.synth(c)).toThrow(/'bootDisk' \(dataVolumeTemplate \(blank source\)\) cannot follow a live migration/);
  });
});

describe('BootDisk.cloneOf', () => {
  test('restores the image snapshot on the image storage class by default', () => {
    const c = chart();
    const img = image(c, { volumeMode: PersistentVolumeMode.BLOCK });
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(img) });
    const t = findOne(synthValid(c), 'VirtualMachine', 'vm').spec.dataVolumeTemplates[0];
    expect(t.metadata.name).toBe('vm-rootdisk');
    // no size: CDI takes the snapshot's restore size
    expect(t.spec).toEqual({
      source: { snapshot: { name: 'fedora', namespace: 'golden' } },
      storage: { storageClassName: 'rook-ceph-block', volumeMode: 'Block' },
    });
  });

  test('a clone of the image\'s size asks for no size, so a padded Filesystem snapshot still fits', () => {
    // CDI pads a 10Gi Filesystem import to 11381663335 bytes; a 10Gi snapshot clone would fail CloneValidationFailed
    const c = chart();
    const img = image(c, { volumeMode: PersistentVolumeMode.FILE_SYSTEM });
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(img, { size: Size.gibibytes(10) }) });
    const t = findOne(synthValid(c), 'VirtualMachine', 'vm').spec.dataVolumeTemplates[0];
    expect(t.spec.storage).toEqual({ storageClassName: 'rook-ceph-block', volumeMode: 'Filesystem' });
  });

  test('a larger snapshot clone of a Filesystem image must hold the padding, and the hint works', () => {
    const c = chart();
    const img = image(c, { volumeMode: PersistentVolumeMode.FILE_SYSTEM });
    expect(() => new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(img, { size: Size.mebibytes(10500) }) }))
      .toThrow(/\[test\/vm\] 'bootDisk.size' is smaller than the 11381663335 bytes a snapshot of the image restores: CDI pads the 10Gi import by its 6 % file system overhead.*CloneValidationFailed.*got '10500Mi'; leave 'size' unset to get the image's size, or give at least Size.mebibytes\(10855\)$/);
    new VirtualMachine(c, 'ok', { name: 'ok', bootDisk: BootDisk.cloneOf(img, { size: Size.mebibytes(10855) }) });
    expect(findOne(synthValid(c), 'VirtualMachine', 'ok').spec.dataVolumeTemplates[0].spec.storage.resources.requests.storage).toBe('10855Mi');
  });

  test('a block image needs no padding; an unknown volume mode is treated as Filesystem and says how to state Block', () => {
    const c = chart();
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(image(c, { volumeMode: PersistentVolumeMode.BLOCK }), { size: Size.mebibytes(10500) }) });
    synthValid(c);
    const c2 = chart();
    expect(() => new VirtualMachine(c2, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(image(c2), { size: Size.mebibytes(10500) }) }))
      .toThrow(/if the StorageProfile gives the image a Filesystem volume, .* on block storage set the image's volumeMode \(or storageFacts.volumeMode\) to BLOCK/);
  });

  test('the storage class\'s file system overhead from storageFacts sets the padding', () => {
    const c = chart();
    const img = image(c, { volumeMode: PersistentVolumeMode.FILE_SYSTEM, storageFacts: { filesystemOverhead: 0.1 } });
    expect(() => new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(img, { size: Size.mebibytes(11200) }) }))
      .toThrow(/is smaller than the 11811160064 bytes .* 10 % file system overhead/);
  });

  test('clones the PVC with the host-assisted strategy, into a larger disk', () => {
    const c = chart();
    const img = image(c, { snapshotClass: undefined });
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(img, { strategy: CloneStrategy.HOST_ASSISTED, size: Size.gibibytes(20) }) });
    const t = findOne(synthValid(c), 'VirtualMachine', 'vm').spec.dataVolumeTemplates[0];
    expect(t.spec.source).toEqual({ pvc: { name: 'fedora', namespace: 'golden' } });
    expect(t.spec.storage.resources.requests.storage).toBe('20Gi');
  });

  test('grants the VM\'s namespace the clone of an image in another namespace, as fleets do', () => {
    // without the grant CDI never creates the disk: the VM waits forever
    const c = chart();
    const img = image(c);
    new VirtualMachine(c, 'vm', { name: 'vm', namespace: 'tenant-a', bootDisk: BootDisk.cloneOf(img) });
    new VirtualMachine(c, 'vm2', { name: 'vm2', namespace: 'tenant-a', bootDisk: BootDisk.cloneOf(img, { strategy: CloneStrategy.HOST_ASSISTED }) });
    const docs = synthValid(c);
    const bindings = docs.filter(d => d.kind === 'RoleBinding');
    expect(bindings).toHaveLength(1);
    expect(bindings[0].metadata).toMatchObject({ name: 'fedora-clone-tenant-a', namespace: 'golden' });
    expect(bindings[0].subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:tenant-a' }]);
    expect(findOne(docs, 'Role').rules[0]).toMatchObject({ apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes/source'], verbs: ['create'] });
  });

  test('adds no grant for a VM in the image\'s own namespace', () => {
    const c = chart();
    const img = image(c);
    new VirtualMachine(c, 'vm', { name: 'vm', namespace: 'golden', bootDisk: BootDisk.cloneOf(img) });
    expect(synthValid(c).filter(d => d.kind === 'RoleBinding' || d.kind === 'Role')).toEqual([]);
  });

  test('throws when the clone is smaller than the image', () => {
    const c = chart();
    const img = image(c);
    expect(() => new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(img, { size: Size.gibibytes(5) }) }))
      .toThrow(/\[test\/vm\] 'bootDisk.size' must be at least the size of its clone source \(10Gi\), got '5Gi'; leave 'size' unset/);
  });

  test('throws for the snapshot strategy on an image without a snapshot class', () => {
    const c = chart();
    const img = image(c, { snapshotClass: undefined });
    expect(() => new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.cloneOf(img) }))
      .toThrow(/\[test\/vm\] 'bootDisk.strategy' needs a golden image with a snapshot class, and 'fedora' has none, got 'snapshot'; give the image a snapshotClass/);
  });
});
