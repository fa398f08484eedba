import { Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import {
  BootDisk, BootDiskContainerDiskOptions, CloudInit, ContainerDiskOptions, Disk, DiskBus, DiskCache, DiskDevice, DiskErrorPolicy, DiskIo,
  EvictionStrategy, HostDiskType, Sysprep, VirtualMachine,
} from '../../../src/compute';
import { FeatureGate, KubeVirt } from '../../../src/platform';
import { DataVolume, DataVolumeSource, GoldenImage } from '../../../src/storage';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'apps' });
}

function vm(c: Chart, extra: Partial<ConstructorParameters<typeof VirtualMachine>[2]> = {}): VirtualMachine {
  return new VirtualMachine(c, 'db', { name: 'db', bootDisk: BootDisk.containerDisk(IMAGE), ...extra });
}

function spec(c: Chart, name = 'db'): any {
  return findOne(synthValid(c), 'VirtualMachine', name).spec;
}

function image(c: Chart, name = 'fedora', extra: Partial<ConstructorParameters<typeof GoldenImage>[2]> = {}): GoldenImage {
  return new GoldenImage(c, name, {
    namespace: 'apps',
    source: DataVolumeSource.http(`https://example.org/${name}.qcow2`),
    size: Size.gibibytes(10),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
    ...extra,
  });
}

describe('container disk options', () => {
  test('one options type serves the boot disk and a disk; the old name still works', () => {
    const options: ContainerDiskOptions = { path: '/disk/fedora.qcow2' };
    const old: BootDiskContainerDiskOptions = { path: '/disk/data.img' }; // deprecated, still accepted
    const c = chart();
    const v = vm(c, { bootDisk: BootDisk.containerDisk(IMAGE, options) });
    v.addDisk('data', Disk.containerDisk(IMAGE, old));
    const volumes = Object.fromEntries(spec(c).template.spec.volumes.map((vol: any) => [vol.name, vol]));
    expect(volumes.rootdisk.containerDisk).toEqual({ image: IMAGE, path: '/disk/fedora.qcow2' });
    expect(volumes.data.containerDisk).toEqual({ image: IMAGE, path: '/disk/data.img' });
  });
});

describe('every disk kind', () => {
  test('renders each kind beside the boot disk and keeps the boot disk first', () => {
    const c = chart();
    const existing = DataVolume.fromDataVolumeName(c, 'existing', 'hot-data', { namespace: 'apps' });
    const v = vm(c, { bootDisk: BootDisk.cloneOf(image(c)) });
    v.addDisk('data', Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(100), storageClass: 'rook-ceph-block' }));
    v.addDisk('scratch', Disk.emptyDisk(Size.gibibytes(20)));
    v.addDisk('install', Disk.containerDisk('quay.io/containerdisks/fedora:41'), { device: DiskDevice.CDROM, bootOrder: 2 });
    v.addDisk('app-config', Disk.configMap('app-config'), { serial: 'APPCFG' });
    v.addDisk('tls', Disk.secret('db-tls'));
    v.addDisk('identity', Disk.serviceAccount('db'));
    v.addDisk('logs', Disk.hostDisk('/var/lib/vm-logs/db.img', { type: HostDiskType.DISK_OR_CREATE, capacity: Size.gibibytes(5) }));
    v.addDisk('shared', Disk.persistentVolumeClaim('shared-data', { readOnly: true }), { bus: DiskBus.SCSI, device: DiskDevice.LUN });
    v.addDisk('hot', Disk.dataVolume(existing), { hotpluggable: true });
    v.addDisk('overlay', Disk.ephemeral('base-image'));
    v.addDisk('meta', Disk.downwardApi({ fields: { labels: 'metadata.labels', name: 'metadata.name' } }));
    v.addDisk('unattend', Disk.sysprep(Sysprep.fromSecret('win-answers')));
    v.addFilesystem('share', Disk.persistentVolumeClaim('team-share'));
    const s = spec(c);
    const devices = s.template.spec.domain.devices;
    expect(devices.disks.map((d: any) => d.name)).toEqual([
      'rootdisk', 'data', 'scratch', 'install', 'app-config', 'tls', 'identity', 'logs', 'shared', 'hot', 'overlay', 'meta', 'unattend',
    ]);
    expect(devices.disks.find((d: any) => d.name === 'install')).toEqual({ name: 'install', cdrom: { bus: 'sata' }, bootOrder: 2 });
    expect(devices.disks.find((d: any) => d.name === 'shared')).toEqual({ name: 'shared', lun: { bus: 'scsi' } });
    expect(devices.disks.find((d: any) => d.name === 'app-config')).toEqual({ name: 'app-config', disk: {}, serial: 'APPCFG' });
    expect(devices.disks.find((d: any) => d.name === 'unattend')).toEqual({ name: 'unattend', cdrom: { bus: 'sata' } });
    expect(devices.filesystems).toEqual([{ name: 'share', virtiofs: {} }]);
    const volumes = Object.fromEntries(s.template.spec.volumes.map((v2: any) => [v2.name, v2]));
    expect(volumes.data).toEqual({ name: 'data', dataVolume: { name: 'db-data' } });
    expect(volumes.scratch).toEqual({ name: 'scratch', emptyDisk: { capacity: '20Gi' } });
    expect(volumes.install).toEqual({ name: 'install', containerDisk: { image: IMAGE } });
    expect(volumes['app-config']).toEqual({ name: 'app-config', configMap: { name: 'app-config' } });
    expect(volumes.tls).toEqual({ name: 'tls', secret: { secretName: 'db-tls' } });
    expect(volumes.identity).toEqual({ name: 'identity', serviceAccount: { serviceAccountName: 'db' } });
    expect(volumes.logs).toEqual({ name: 'logs', hostDisk: { path: '/var/lib/vm-logs/db.img', type: 'DiskOrCreate', capacity: '5Gi' } });
    expect(volumes.shared).toEqual({ name: 'shared', persistentVolumeClaim: { claimName: 'shared-data', readOnly: true } });
    expect(volumes.hot).toEqual({ name: 'hot', dataVolume: { name: 'hot-data', hotpluggable: true } });
    expect(volumes.overlay).toEqual({ name: 'overlay', ephemeral: { persistentVolumeClaim: { claimName: 'base-image', readOnly: true } } });
    expect(volumes.meta.downwardAPI.fields).toEqual([
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
    ]);
    expect(volumes.unattend).toEqual({ name: 'unattend', sysprep: { secret: { name: 'win-answers' } } });
    expect(volumes.share).toEqual({ name: 'share', persistentVolumeClaim: { claimName: 'team-share' } });
    expect(s.dataVolumeTemplates.map((t: any) => t.metadata.name)).toEqual(['db-rootdisk', 'db-data']);
    expect(s.dataVolumeTemplates[1].spec).toEqual({
      source: { blank: {} }, storage: { resources: { requests: { storage: '100Gi' } }, storageClassName: 'rook-ceph-block' },
    });
  });

  test('an existing hostDisk file is written with capacity 0, as KubeVirt\'s VM mutator stores it', () => {
    const c = chart();
    vm(c).addDisk('image', Disk.hostDisk('/var/lib/vm-disks/db.img'));
    const volume = spec(c).template.spec.volumes.find((v: any) => v.name === 'image');
    expect(volume).toEqual({ name: 'image', hostDisk: { path: '/var/lib/vm-disks/db.img', type: 'Disk', capacity: '0' } });
  });

  test('a golden image clone as a data disk restores its snapshot, like the boot disk', () => {
    const c = chart();
    const data = image(c, 'dataset', { size: Size.gibibytes(50) });
    vm(c).addDisk('dataset', Disk.cloneOf(data));
    const t = spec(c).dataVolumeTemplates[0];
    expect(t.metadata.name).toBe('db-dataset');
    expect(t.spec.source).toEqual({ snapshot: { namespace: 'apps', name: 'dataset' } });
    expect(t.spec.storage.storageClassName).toBe('rook-ceph-block');
  });

  test('every disk option reaches the disk entry', () => {
    const c = chart();
    vm(c).addDisk('db', Disk.emptyDisk(Size.gibibytes(1)), {
      bus: DiskBus.VIRTIO,
      bootOrder: 3,
      cache: DiskCache.NONE,
      io: DiskIo.NATIVE,
      readOnly: true,
      serial: 'S1',
      shareable: true,
      dedicatedIoThread: true,
      errorPolicy: DiskErrorPolicy.REPORT,
    });
    expect(spec(c).template.spec.domain.devices.disks[1]).toEqual({
      name: 'db',
      disk: { bus: 'virtio', readonly: true },
      bootOrder: 3,
      serial: 'S1',
      cache: 'none',
      io: 'native',
      shareable: true,
      dedicatedIOThread: true,
      errorPolicy: 'report',
    });
  });

  test('a VM without data disks renders as before', () => {
    const c = chart();
    vm(c);
    const s = spec(c);
    expect(s.template.spec.domain.devices.disks).toEqual([{ name: 'rootdisk', disk: {}, bootOrder: 1 }]);
    expect(s.template.spec.domain.devices.filesystems).toBeUndefined();
  });
});

describe('rules', () => {
  let images = 0;
  const cases: Array<[string, (v: VirtualMachine) => void, RegExp]> = [
    ['a name that is not a DNS-1123 label', v => v.addDisk('Data', Disk.emptyDisk(Size.gibibytes(1))), /'disks.name'.*'Data'/],
    ['the boot disk name', v => v.addDisk('rootdisk', Disk.emptyDisk(Size.gibibytes(1))), /'disks.name' is the name of the boot disk/],
    ['the cloud-init disk name', v => v.addDisk('cloudinitdisk', Disk.emptyDisk(Size.gibibytes(1))), /is the name of the cloud-init disk/],
    ['a repeated name', v => { v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1))); v.addFilesystem('a', Disk.configMap('x')); },
      /'filesystems.name' is already used by disks.a/],
    ['boot order 0', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: 0 }), /'disks.a.bootOrder' must be a whole number of at least 1, got 0/],
    ['boot order 1.5', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: 1.5 }), /'disks.a.bootOrder' must be a whole number/],
    ['the boot disk\'s boot order', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: 1 }), /is the boot order of the boot disk/],
    ['a repeated boot order', v => {
      v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: 2 });
      v.addDisk('b', Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: 2 });
    }, /'disks.b.bootOrder' is already the boot order of disks.a/],
    ['a virtio CD-ROM', v => v.addDisk('a', Disk.containerDisk(IMAGE), { device: DiskDevice.CDROM, bus: DiskBus.VIRTIO }),
      /'disks.a.bus' cannot carry a CD-ROM.*DiskBus.SATA/],
    ['a writable CD-ROM', v => v.addDisk('a', Disk.containerDisk(IMAGE), { device: DiskDevice.CDROM, readOnly: false }),
      /'disks.a.readOnly' cannot be false for a CD-ROM/],
    ['a LUN on SATA', v => v.addDisk('a', Disk.persistentVolumeClaim('x'), { device: DiskDevice.LUN, bus: DiskBus.SATA }),
      /'disks.a.bus' cannot carry a LUN, which needs a SCSI bus, got 'sata'/],
    ['a LUN on a ConfigMap', v => v.addDisk('a', Disk.configMap('x'), { device: DiskDevice.LUN }), /'disks.a.device' needs a PVC or DataVolume disk, not configMap 'x'/],
    // libvirt: "disk device='lun' is only valid for block type disk source"
    ['a LUN on a DataVolume template without volumeMode', v => v.addDisk('a', Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) }), { device: DiskDevice.LUN }),
      /'disks.a.device' needs a Block volume, but the dataVolumeTemplate \(blank source\) asks for no volumeMode .*libvirt refuses a LUN whose source is not a block device, got 'lun'; set volumeMode: PersistentVolumeMode.BLOCK on the DataVolume template/],
    ['a LUN on a Filesystem DataVolume template', v => v.addDisk('a', Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1), volumeMode: PersistentVolumeMode.FILE_SYSTEM }), { device: DiskDevice.LUN }),
      /'disks.a.device' needs a Block volume, but the dataVolumeTemplate \(blank source\) asks for volumeMode Filesystem/],
    ['a read-only SATA disk', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bus: DiskBus.SATA, readOnly: true }),
      /'disks.a.readOnly' is not supported on SATA hard disks/],
    ['an IO thread off virtio', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bus: DiskBus.SCSI, dedicatedIoThread: true }),
      /'disks.a.dedicatedIoThread' needs the virtio bus, not scsi/],
    ['a serial with a space', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { serial: 'A B' }), /'disks.a.serial'.*'A B'/],
    ['a serial kubectl would read as a number', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { serial: '-_2' }),
      /'disks.a.serial' is written unquoted by cdk8s synth but read as a number by the Go YAML reader of kubectl and Argo CD .*, got '-_2'; start the serial with a letter/],
    ['a serial over 256 characters', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { serial: 'x'.repeat(257) }), /'disks.a.serial' must be 1 to 256/],
    ['a shareable disk with writeback', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { shareable: true, cache: DiskCache.WRITE_BACK }),
      /'disks.a.cache' must be none on a shareable disk/],
    ['a hotplugged emptyDisk', v => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { hotpluggable: true }),
      /'disks.a.hotpluggable' needs a PVC or DataVolume disk, not emptyDisk of 1Gi/],
    ['a hotplugged CD-ROM', v => v.addDisk('a', Disk.persistentVolumeClaim('x'), { hotpluggable: true, device: DiskDevice.CDROM }),
      /'disks.a.device' cannot be hotplugged/],
    ['a hotplugged USB disk', v => v.addDisk('a', Disk.persistentVolumeClaim('x'), { hotpluggable: true, bus: DiskBus.USB }),
      /'disks.a.bus' cannot carry a hotplugged disk/],
    ['two serviceAccount disks', v => { v.addDisk('a', Disk.serviceAccount('x')); v.addDisk('b', Disk.serviceAccount('y')); },
      /'disks.b.disk' .*is a second serviceAccount volume/],
    ['an empty disk of 0 bytes', v => v.addDisk('a', Disk.emptyDisk(Size.kibibytes(0))), /'disks.a.capacity' must be a whole number of bytes greater than zero/],
    ['an empty disk of a fraction of a byte', v => v.addDisk('a', Disk.emptyDisk(Size.kibibytes(0.1))), /'disks.a.capacity' must be a whole number of bytes/],
    ['a hostDisk capacity with type Disk', v => v.addDisk('a', Disk.hostDisk('/d.img', { capacity: Size.gibibytes(1) })),
      /'disks.a.capacity' only applies to HostDiskType.DISK_OR_CREATE/],
    ['a DiskOrCreate hostDisk without capacity', v => v.addDisk('a', Disk.hostDisk('/d.img', { type: HostDiskType.DISK_OR_CREATE })),
      /'disks.a.capacity' is required with HostDiskType.DISK_OR_CREATE/],
    ['a relative hostDisk path', v => v.addDisk('a', Disk.hostDisk('d.img')), /'disks.a.path' must be an absolute path on the node, got 'd.img'/],
    ['a hostDisk path with ..', v => v.addDisk('a', Disk.hostDisk('/var/../d.img')),
      /'disks.a.path' must be a clean path without '.', '..' or doubled slashes \(it means \/d.img\)/],
    ['a hostDisk path with a doubled slash', v => v.addDisk('a', Disk.hostDisk('/var//d.img')), /'disks.a.path' must be a clean path/],
    ['a hostDisk path of the root', v => v.addDisk('a', Disk.hostDisk('/')), /'disks.a.path' must point to a file, not to the root of the node's filesystem/],
    ['a hostDisk path of a directory', v => v.addDisk('a', Disk.hostDisk('/var/lib/')), /'disks.a.path' must point to a file on the node, not to a directory/],
    ['an unpinned container disk', v => v.addDisk('a', Disk.containerDisk('quay.io/x/y')), /'disks.a.image'/],
    ['a containerDisk shared with virtiofs', v => v.addFilesystem('a', Disk.containerDisk(IMAGE)), /'filesystems.a.disk' .*cannot be shared with virtiofs/],
    ['a clone smaller than its image', v => v.addDisk('a', Disk.cloneOf(image(v.node.scope as Chart, `img${images++}`), { size: Size.gibibytes(1) })),
      /'disks.a.size' must be at least the size of its clone source \(10Gi\)/],
    ['a DataVolume name over 63 characters', v => v.addDisk('x'.repeat(61),
      Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) })), /gives DataVolume names of up to 64 characters/],
  ];
  test.each(cases)('refuses %s', (_, act, message) => {
    const c = chart();
    const v = vm(c);
    expect(() => act(v)).toThrow(message);
    expect(() => act(v)).toThrow(/^\[test\/db\] /);
  });

  test('the 63-character DataVolume name limit counts the VM name', () => {
    const c = chart();
    const v = vm(c, { name: 'a'.repeat(50) });
    expect(() => v.addDisk('b'.repeat(13), Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) })))
      .toThrow(/gives DataVolume names of up to 64 characters.*shorten the disk name to at most 12 characters/);
    v.addDisk('b'.repeat(12), Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) }));
    synthValid(c);
  });

  test('wrong shapes from other languages get the library error', () => {
    const c = chart();
    const v = vm(c);
    expect(() => v.addDisk('a', 'disk' as any)).toThrow(/'disks.a.disk' must be a Disk, not a string/);
    expect(() => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bus: 'ide' as any })).toThrow(/'disks.a.bus' must be a member of DiskBus/);
    expect(() => v.addDisk('a', Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: '2' as any })).toThrow(/'disks.a.bootOrder' must be a number/);
    expect(() => v.addDisk(3 as any, Disk.emptyDisk(Size.gibibytes(1)))).toThrow(/'disks.name' must be a string/);
    expect(() => Disk.emptyDisk(20 as any)).toThrow(/'capacity' must be a Size/);
    expect(() => Disk.hostDisk('/x', { type: 'Directory' as any })).toThrow(/'options.type' must be a member of HostDiskType/);
    expect(() => Disk.dataVolume({} as any)).toThrow(/'dataVolume' must be an IDataVolume/);
    expect(() => Disk.sysprep('answers' as any)).toThrow(/'sysprep' must be a Sysprep/);
    expect(() => Disk.downwardApi({ fields: { labels: 'spec.nodeName' } })).toThrow(/is not a field a downward API volume can expose/);
    expect(() => Disk.downwardApi({ fields: {} })).toThrow(/must name at least one file/);
  });
});

describe('live migration counts every disk', () => {
  test('a ReadWriteOnce data disk blocks LiveMigrate and is named', () => {
    const c = chart();
    vm(c, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE })
      .addDisk('data', Disk.persistentVolumeClaim('data', { accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE }));
    expect(() => synthValid(c)).toThrow(/'disks.data' \(persistentVolumeClaim 'data'\) cannot follow a live migration/);
  });

  test('a hostDisk that is not shared blocks LiveMigrate; a shared one does not', () => {
    const c = chart();
    vm(c, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE }).addDisk('logs', Disk.hostDisk('/l.img'));
    expect(() => Testing.synth(c)).toThrow(/'disks.logs' is a hostDisk that is not shared between nodes, so it cannot follow a live migration/);
    const ok = chart();
    vm(ok, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE }).addDisk('logs', Disk.hostDisk('/l.img', { shared: true }));
    synthValid(ok);
  });

  test('ReadWriteMany data disks and config disks migrate', () => {
    const c = chart();
    const v = vm(c, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    v.addDisk('data', Disk.dataVolumeTemplate({
      source: DataVolumeSource.blank(), size: Size.gibibytes(1), accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY],
    }));
    v.addDisk('cfg', Disk.configMap('cfg'));
    synthValid(c);
  });

  test('a ReadWriteOnce DataVolume template data disk blocks LiveMigrate', () => {
    const c = chart();
    vm(c, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE }).addDisk('data', Disk.dataVolumeTemplate({
      source: DataVolumeSource.blank(), size: Size.gibibytes(1), accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE],
    }));
    expect(() => Testing.synth(c)).toThrow(/'disks.data' \(dataVolumeTemplate \(blank source\)\) cannot follow a live migration.*got 'ReadWriteOnce'/);
  });
});

describe('feature gates of the platform in the app', () => {
  function withKubeVirt(gates: FeatureGate[], disabled: FeatureGate[] = []): Chart {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    new KubeVirt(platform, 'kubevirt', { featureGates: gates, disabledFeatureGates: disabled });
    return new Chart(app, 'test', { namespace: 'apps' });
  }

  test('hostDisk needs HostDisk', () => {
    const c = withKubeVirt([]);
    vm(c).addDisk('logs', Disk.hostDisk('/l.img'));
    expect(() => Testing.synth(c)).toThrow(/disks.logs \(hostDisk '\/l.img'\) needs the KubeVirt feature gate 'HostDisk'.*FeatureGate.HOST_DISK/);
    const ok = withKubeVirt([FeatureGate.HOST_DISK]);
    vm(ok).addDisk('logs', Disk.hostDisk('/l.img'));
    expect(() => Testing.synth(ok)).not.toThrow();
  });

  test('hotplug needs DeclarativeHotplugVolumes (Beta: on unless disabled) or HotplugVolumes', () => {
    const c = withKubeVirt([], [FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES]);
    vm(c).addDisk('hot', Disk.persistentVolumeClaim('x'), { hotpluggable: true });
    expect(() => Testing.synth(c)).toThrow(/hotpluggable disks.hot .*'DeclarativeHotplugVolumes', which the KubeVirt at 'platform\/kubevirt' switches off in 'disabledFeatureGates'/);
    const accepted: Array<[FeatureGate[], FeatureGate[]]> = [
      [[], []], [[FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES], []], [[FeatureGate.HOTPLUG_VOLUMES], [FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES]],
    ];
    for (const [gates, disabled] of accepted) {
      const ok = withKubeVirt(gates, disabled);
      vm(ok).addDisk('hot', Disk.persistentVolumeClaim('x'), { hotpluggable: true });
      expect(() => Testing.synth(ok)).not.toThrow();
    }
  });

  test('virtiofs on a PVC needs EnableVirtioFsStorageVolumes; on a ConfigMap it does not', () => {
    const c = withKubeVirt([]);
    vm(c).addFilesystem('share', Disk.persistentVolumeClaim('x'));
    expect(() => Testing.synth(c)).toThrow(/virtiofs filesystems.share .*'EnableVirtioFsStorageVolumes'/);
    const ok = withKubeVirt([]);
    vm(ok).addFilesystem('cfg', Disk.configMap('x'));
    expect(() => Testing.synth(ok)).not.toThrow();
  });

  test('without a platform in the app the gate rules stay silent', () => {
    const c = chart();
    const v = vm(c);
    v.addDisk('logs', Disk.hostDisk('/l.img'));
    v.addDisk('hot', Disk.persistentVolumeClaim('x'), { hotpluggable: true });
    synthValid(c);
  });
});

describe('unique names', () => {
  test('a data disk DataVolume that clashes with a DataVolume of the app is refused', () => {
    const c = chart();
    new DataVolume(c, 'dv', { name: 'db-data', namespace: 'apps', source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    vm(c).addDisk('data', Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(1) }));
    expect(() => Testing.synth(c)).toThrow(/names two DataVolume objects in namespace 'apps', at test\/dv\/Resource and test\/db\/Resource \(its DataVolume 'db-data'\)/);
  });
});

describe('cloud-init on a config drive', () => {
  test('renders cloudInitConfigDrive and the configDrive propagation method', () => {
    const c = chart();
    vm(c, { cloudInit: CloudInit.configDrive({ packages: ['nginx'] }), sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt2cGx1c3Rlc3RrZXlmb3J0ZXN0c29ubHkx u@h'] });
    const s = spec(c).template.spec;
    expect(s.volumes[1]).toEqual({ name: 'cloudinitdisk', cloudInitConfigDrive: { secretRef: { name: 'db-cloud-init' } } });
    expect(s.accessCredentials[0].sshPublicKey.propagationMethod).toEqual({ configDrive: {} });
  });

  test('from an existing Secret', () => {
    const c = chart();
    vm(c, { cloudInit: CloudInit.fromSecret('shared-init', { configDrive: true }) });
    expect(spec(c).template.spec.volumes[1]).toEqual({ name: 'cloudinitdisk', cloudInitConfigDrive: { secretRef: { name: 'shared-init' } } });
  });

  test('refuses netplan network interfaces on a config drive', () => {
    const c = chart();
    expect(() => vm(c, { cloudInit: CloudInit.configDrive({ networkInterfaces: [{ name: 'eth0', dhcp4: true }] as any }) }))
      .toThrow(/'cloudInit.networkInterfaces' render netplan network data/);
  });
});

describe('sysprep', () => {
  test('from a ConfigMap, on a SCSI CD-ROM', () => {
    const c = chart();
    vm(c).addDisk('sysprep', Disk.sysprep(Sysprep.fromConfigMap('answers')), { bus: DiskBus.SCSI });
    const s = spec(c).template.spec;
    expect(s.volumes[1]).toEqual({ name: 'sysprep', sysprep: { configMap: { name: 'answers' } } });
    expect(s.domain.devices.disks[1]).toEqual({ name: 'sysprep', cdrom: { bus: 'scsi' } });
  });
});
