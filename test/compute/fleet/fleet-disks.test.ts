import { Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import {
  CloneStrategy, Disk, DiskBus, DiskDevice, EvictionStrategy, HostDiskType, SmartCloneFleet, SmartCloneFleetProps, Sysprep,
} from '../../../src/compute';
import { DataSource, DataVolume, DataVolumeSource, GoldenImage } from '../../../src/storage';
import { synthValid } from '../../util';

const GIB = 1024 ** 3;

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'golden' });
}

function image(c: Chart, name: string, size = 10, extra: Partial<ConstructorParameters<typeof GoldenImage>[2]> = {}): GoldenImage {
  return new GoldenImage(c, name, {
    namespace: 'golden',
    source: DataVolumeSource.http(`https://example.org/${name}.qcow2`),
    size: Size.gibibytes(size),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
    ...extra,
  });
}

function fleet(c: Chart, extra: Partial<SmartCloneFleetProps> = {}): SmartCloneFleet {
  return new SmartCloneFleet(c, 'workers', { image: image(c, 'fedora'), replicas: 3, ...extra });
}

describe('data disks of every VM', () => {
  test('a second golden image is cloned per VM, copy-on-write like the root disk', () => {
    const c = chart();
    const dataset = image(c, 'dataset', 50);
    const f = fleet(c, {
      disks: [
        { name: 'dataset', disk: Disk.cloneOf(dataset) },
        { name: 'scratch', disk: Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(5) }) },
        { name: 'config', disk: Disk.configMap('app-config'), serial: 'CFG' },
      ],
    });
    const docs = synthValid(c);
    const vms = docs.filter(d => d.kind === 'VirtualMachine');
    vms.forEach((vm, i) => {
      const names = vm.spec.dataVolumeTemplates.map((t: any) => t.metadata.name);
      expect(names).toEqual([`workers-${i}-rootdisk`, `workers-${i}-dataset`, `workers-${i}-scratch`]);
      expect(vm.spec.dataVolumeTemplates[1].spec.source).toEqual({ snapshot: { namespace: 'golden', name: 'dataset' } });
      expect(vm.spec.template.spec.volumes.find((v: any) => v.name === 'config')).toEqual({ name: 'config', configMap: { name: 'app-config' } });
    });
    // the boot image: 1 import, 1 snapshot; the data set: 1 import, 1 snapshot; 3 + 3 restores; blank disks cost nothing
    expect(f.plan).toMatchObject({
      vms: 3, imports: 2, snapshots: 2, copyOnWriteClones: 6, fullCopies: 0, bytesDownloaded: 60 * GIB, bytesCopied: 0,
    });
    expect(f.plan.summary).toBe('workers: 3 VMs from golden image golden/fedora: 2 imports, 0 full copies, 2 snapshots, '
      + '6 copy-on-write clones; 60Gi imported, 0 copied');
  });

  test('the plan lists each data disk: clones, copies, imports and the storage it provisions', () => {
    const c = chart();
    const f = fleet(c, {
      allowPerVmImport: true,
      disks: [
        { name: 'dataset', disk: Disk.cloneOf(image(c, 'dataset', 50), { size: Size.gibibytes(60) }) },
        { name: 'copy', disk: Disk.cloneOf(image(c, 'other', 5), { strategy: CloneStrategy.HOST_ASSISTED }) },
        { name: 'fetched', disk: Disk.dataVolumeTemplate({ source: DataVolumeSource.http('https://example.org/x.img'), size: Size.gibibytes(2) }) },
        { name: 'cfg', disk: Disk.configMap('cfg') },
      ],
    });
    expect(f.plan.dataDisks).toEqual([
      {
        name: 'dataset',
        source: 'clone of golden image \'golden/dataset\'',
        copyOnWriteClones: 3,
        fullCopies: 0,
        imports: 0,
        bytesProvisioned: 180 * GIB,
        conditions: ['storage class \'rook-ceph-block\' allows volume expansion (a 60Gi clone is restored from the image\'s snapshot, then expanded; '
          + 'else CDI copies each clone host-assisted; state storageFacts.allowVolumeExpansion to settle it)'],
      },
      { name: 'copy', source: 'clone of golden image \'golden/other\'', copyOnWriteClones: 0, fullCopies: 3, imports: 0, bytesProvisioned: 15 * GIB },
      { name: 'fetched', source: 'dataVolumeTemplate (http source)', copyOnWriteClones: 0, fullCopies: 0, imports: 3, bytesProvisioned: 6 * GIB },
      { name: 'cfg', source: 'configMap \'cfg\'', copyOnWriteClones: 0, fullCopies: 0, imports: 0, bytesProvisioned: 0 },
    ]);
    expect(fleet(chart()).plan.dataDisks).toBeUndefined();
  });

  test('a data disk cloned through a DataSource counts one clone per VM: copy-on-write from a snapshot, a full copy from a PVC', () => {
    const c = chart();
    const snapImage = image(c, 'dataset', 50, { dataSource: true });
    const pvcImage = image(c, 'plain', 20, { dataSource: true, snapshotClass: undefined });
    const f = fleet(c, {
      disks: [
        { name: 'snap', disk: Disk.dataVolumeTemplate({ sourceRef: snapImage.dataSource }) },
        { name: 'pvc', disk: Disk.dataVolumeTemplate({ sourceRef: pvcImage.dataSource, size: Size.gibibytes(20) }) },
      ],
    });
    synthValid(c);
    expect(f.plan.dataDisks).toEqual([
      { name: 'snap', source: 'dataVolumeTemplate (DataSource \'dataset\')', copyOnWriteClones: 3, fullCopies: 0, imports: 0, bytesProvisioned: 0 },
      { name: 'pvc', source: 'dataVolumeTemplate (DataSource \'plain\')', copyOnWriteClones: 0, fullCopies: 3, imports: 0, bytesProvisioned: 60 * GIB },
    ]);
    // the images behind the DataSources count their import (and snapshot) once
    expect(f.plan).toMatchObject({ imports: 3, snapshots: 2, copyOnWriteClones: 6, fullCopies: 3, bytesCopied: 60 * GIB, bytesDownloaded: 80 * GIB });
  });

  test('a DataSource the app does not define is planned copy-on-write on a stated condition', () => {
    const c = chart();
    const ds = DataSource.fromDataSourceName(c, 'Ext', 'centos', { namespace: 'os-images' });
    const f = fleet(c, { disks: [{ name: 'os', disk: Disk.dataVolumeTemplate({ sourceRef: ds }) }] });
    const condition = 'DataSource \'os-images/centos\' points at a VolumeSnapshot (a PVC behind it means a full copy per VM)';
    expect(f.plan.dataDisks?.[0]).toMatchObject({ copyOnWriteClones: 3, conditions: [condition] });
    expect(f.plan.conditions).toEqual([condition]);
    expect(f.plan.summary).toContain(`; copy-on-write if ${condition}`);
  });

  test('a host-assisted data clone counts full copies', () => {
    const c = chart();
    const dataset = image(c, 'dataset', 50);
    const f = fleet(c, { disks: [{ name: 'dataset', disk: Disk.cloneOf(dataset, { strategy: CloneStrategy.HOST_ASSISTED }) }] });
    synthValid(c);
    expect(f.plan).toMatchObject({ fullCopies: 3, bytesCopied: 150 * GIB, copyOnWriteClones: 3 });
  });

  test('a pool gives each replica its DataVolumes, and the name limit counts the index', () => {
    const c = chart();
    const f = fleet(c, { pool: true, replicas: 2, disks: [{ name: 'data', disk: Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) }) }] });
    const pool = synthValid(c).find(d => d.kind === 'VirtualMachinePool');
    expect(pool.spec.virtualMachineTemplate.spec.dataVolumeTemplates.map((t: any) => t.metadata.name)).toEqual(['workers-rootdisk', 'workers-data']);
    expect(f.plan.vms).toBe(2);
  });

  test('DataVolume names stay within 63 characters for any replica count', () => {
    const c = chart();
    const blank = Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    // 'workers-999-' is 12 characters: a 52-character disk name gives 64
    expect(() => fleet(c, { replicas: 1000, disks: [{ name: 'd'.repeat(52), disk: blank }] }))
      .toThrow(/'disks.d{52}.name' .*gives DataVolume names of up to 64 characters \('workers-999-d+'\).*at most 51/);
    const ok = chart();
    fleet(ok, { replicas: 1000, disks: [{ name: 'd'.repeat(51), disk: blank }] });
  });

  test('every kind at once in a fleet and in a pool', () => {
    for (const pool of [false, true]) {
      const c = chart();
      const existing = new DataVolume(c, 'shared', {
        name: 'shared',
        namespace: 'golden',
        source: DataVolumeSource.blank(),
        size: Size.gibibytes(1),
        accessModes: [PersistentVolumeAccessMode.READ_ONLY_MANY],
      });
      fleet(c, {
        pool,
        disks: [
          { name: 'data', disk: Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) }) },
          { name: 'dataset', disk: Disk.cloneOf(image(c, 'dataset')) },
          { name: 'scratch', disk: Disk.emptyDisk(Size.gibibytes(2)) },
          { name: 'iso', disk: Disk.containerDisk('quay.io/containerdisks/fedora:41'), device: DiskDevice.CDROM, bootOrder: 2 },
          { name: 'cfg', disk: Disk.configMap('cfg') },
          { name: 'tls', disk: Disk.secret('tls') },
          { name: 'sa', disk: Disk.serviceAccount('default') },
          { name: 'meta', disk: Disk.downwardApi({ fields: { labels: 'metadata.labels' } }) },
          { name: 'logs', disk: Disk.hostDisk('/var/vm.img', { type: HostDiskType.DISK_OR_CREATE, capacity: Size.gibibytes(1) }), shareable: true },
          { name: 'ro', disk: Disk.dataVolume(existing, { accessMode: PersistentVolumeAccessMode.READ_ONLY_MANY }), readOnly: true },
          { name: 'lun', disk: Disk.persistentVolumeClaim('lun-claim'), device: DiskDevice.LUN, bus: DiskBus.SCSI },
          { name: 'hot', disk: Disk.persistentVolumeClaim('hot-claim'), hotpluggable: true },
          { name: 'eph', disk: Disk.ephemeral('base') },
          { name: 'sysprep', disk: Disk.sysprep(Sysprep.fromSecret('answers')) },
        ],
      });
      const docs = synthValid(c);
      expect(docs.filter(d => d.kind === (pool ? 'VirtualMachinePool' : 'VirtualMachine'))).toHaveLength(pool ? 1 : 3);
    }
  });
});

describe('order', () => {
  test('a data image in another chart is written before the fleet', () => {
    const app = Testing.app();
    const images = new Chart(app, 'images', { namespace: 'golden' });
    const dataset = image(images, 'dataset');
    const workloads = new Chart(app, 'workloads', { namespace: 'golden' });
    const boot = image(workloads, 'fedora');
    new SmartCloneFleet(workloads, 'workers', { image: boot, replicas: 1, disks: [{ name: 'dataset', disk: Disk.cloneOf(dataset) }] });
    app.synth();
    expect(workloads.node.dependencies).toContain(images);
  });
});

describe('fleet rules', () => {
  test('refuses a ReadWriteOnce claim shared by every VM', () => {
    const c = chart();
    expect(() => fleet(c, { disks: [{ name: 'db', disk: Disk.persistentVolumeClaim('db', { accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE }) }] }))
      .toThrow(/\[test\/workers\] 'disks.db.disk' \(persistentVolumeClaim 'db'\) is one claim shared by all 3 VMs.*got 'ReadWriteOnce'; share a ReadOnlyMany/);
  });

  test('a single-VM fleet may use a ReadWriteOnce claim', () => {
    const c = chart();
    fleet(c, { replicas: 1, disks: [{ name: 'db', disk: Disk.persistentVolumeClaim('db', { accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE }) }] });
    synthValid(c);
  });

  test('refuses a writable hostDisk that every VM would share', () => {
    const disk = Disk.hostDisk('/var/vm.img', { type: HostDiskType.DISK_OR_CREATE, capacity: Size.gibibytes(1) });
    expect(() => fleet(chart(), { disks: [{ name: 'logs', disk }] }))
      .toThrow(/'disks.logs.disk' is the same file for all 3 VMs, so two VMs on one node would write the same image, got 'hostDisk '\/var\/vm.img''/);
    fleet(chart(), { disks: [{ name: 'logs', disk, readOnly: true }] });
    fleet(chart(), { disks: [{ name: 'logs', disk, shareable: true }] });
    fleet(chart(), { replicas: 1, disks: [{ name: 'logs', disk }] });
  });

  test('refuses a per-VM URL import unless asked for, then counts N imports', () => {
    const c = chart();
    const disk = Disk.dataVolumeTemplate({ source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(2) });
    expect(() => fleet(c, { disks: [{ name: 'd', disk }] })).toThrow(/'disks.d.disk' .*would make each of the 3 VMs download its data.*allowPerVmImport/);
    const ok = chart();
    const f = fleet(ok, { allowPerVmImport: true, disks: [{ name: 'd', disk }] });
    expect(f.plan).toMatchObject({ imports: 4, bytesDownloaded: 16 * GIB });
  });

  test('refuses a data clone smaller than its image', () => {
    const c = chart();
    expect(() => fleet(c, { disks: [{ name: 'd', disk: Disk.cloneOf(image(c, 'big', 20), { size: Size.gibibytes(5) }) }] }))
      .toThrow(/'disks.d.size' must be at least the size of its clone source \(20Gi\)/);
  });

  test('applies the VM disk rules', () => {
    const c = chart();
    expect(() => fleet(c, { disks: [{ name: 'rootdisk', disk: Disk.emptyDisk(Size.gibibytes(1)) }] })).toThrow(/'disks.name' is the name of the boot disk/);
  });

  test('wrong shapes get the library error', () => {
    const c = chart();
    expect(() => fleet(c, { disks: 'data' as any })).toThrow(/'disks' must be a list/);
    expect(() => fleet(chart(), { disks: [{ name: 'd' } as any] })).toThrow(/'disks\[0\].disk' must be a Disk/);
    expect(() => fleet(chart(), { disks: [{ disk: Disk.emptyDisk(Size.gibibytes(1)) } as any] })).toThrow(/'disks\[0\].name' must be a string/);
  });

  test('a ReadWriteOnce data disk blocks LiveMigrate for the fleet', () => {
    const c = chart();
    fleet(c, {
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY],
      disks: [{ name: 'data', disk: Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1), accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE] }) }],
    });
    expect(() => Testing.synth(c)).toThrow(/'disks.data' \(dataVolumeTemplate \(blank source\)\) cannot follow a live migration/);
  });

  test('the unique-name rule covers the per-VM DataVolumes', () => {
    const c = chart();
    new DataVolume(c, 'clash', { name: 'workers-1-data', namespace: 'golden', source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    fleet(c, { disks: [{ name: 'data', disk: Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) }) }] });
    expect(() => Testing.synth(c)).toThrow(/names two DataVolume objects in namespace 'golden'.*its DataVolume 'workers-1-data'/);
  });
});
