import { Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import {
  AddDiskOptions, BootDisk, Disk, DiskBus, DiskCache, DiskDevice, DiskErrorPolicy, DiskIo, HostDiskType, SmartCloneFleet, Sysprep,
  VirtualMachine,
} from '../../../src/compute';
import { DataVolumeSource, GoldenImage } from '../../../src/storage';
import { goYamlMisreadsAsNumber } from '../../../src/validation';
import { assertProperty } from '../../property';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';
const diskName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/).filter(n => n !== 'rootdisk' && n !== 'cloudinitdisk');

type Kind = 'template' | 'clone' | 'empty' | 'container' | 'pvc' | 'configMap' | 'secret' | 'downward' | 'host' | 'ephemeral' | 'sysprep';
const KINDS: Kind[] = ['template', 'clone', 'empty', 'container', 'pvc', 'configMap', 'secret', 'downward', 'host', 'ephemeral', 'sysprep'];

function makeDisk(kind: Kind, img: GoldenImage, gi: number): Disk {
  switch (kind) {
    // Block, so that it may also be a LUN
    case 'template': return Disk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.gibibytes(gi), volumeMode: PersistentVolumeMode.BLOCK });
    case 'clone': return Disk.cloneOf(img, { size: Size.gibibytes(10 + gi) });
    case 'empty': return Disk.emptyDisk(Size.gibibytes(gi));
    case 'container': return Disk.containerDisk(IMAGE);
    case 'pvc': return Disk.persistentVolumeClaim('claim', { accessMode: PersistentVolumeAccessMode.READ_ONLY_MANY });
    case 'configMap': return Disk.configMap('cfg');
    case 'secret': return Disk.secret('sec');
    case 'downward': return Disk.downwardApi({ fields: { labels: 'metadata.labels' } });
    case 'host': return Disk.hostDisk('/var/disks/d.img', { type: HostDiskType.DISK_OR_CREATE, capacity: Size.gibibytes(gi) });
    case 'ephemeral': return Disk.ephemeral('base');
    case 'sysprep': return Disk.sysprep(Sysprep.fromConfigMap('answers'));
  }
}

/** Options that KubeVirt accepts for a disk of this kind (derived from the raw random choices). */
function validOptions(kind: Kind, raw: {
  device: DiskDevice;
  bus?: DiskBus;
  cache?: DiskCache;
  io?: DiskIo;
  errorPolicy?: DiskErrorPolicy;
  readOnly?: boolean;
  serial?: string;
  shareable: boolean;
  ioThread: boolean;
  hot: boolean;
}): AddDiskOptions {
  // a clone of this golden image has no Block volumeMode, so it cannot be a LUN
  const claim = kind === 'pvc' || kind === 'template';
  let device = raw.device === DiskDevice.LUN && !claim ? DiskDevice.DISK : raw.device;
  if (kind === 'sysprep') device = DiskDevice.CDROM;
  let bus = raw.bus;
  if (device === DiskDevice.CDROM && bus === DiskBus.VIRTIO) bus = DiskBus.SATA;
  if (device === DiskDevice.LUN) bus = DiskBus.SCSI;
  const effective = bus ?? (device === DiskDevice.CDROM ? DiskBus.SATA : DiskBus.VIRTIO);
  const hot = raw.hot && kind === 'pvc' && device !== DiskDevice.CDROM && (effective === DiskBus.VIRTIO || effective === DiskBus.SCSI);
  let readOnly = device === DiskDevice.CDROM ? undefined : raw.readOnly;
  if (device === DiskDevice.DISK && bus === DiskBus.SATA && readOnly) readOnly = false;
  // a host file every VM of a fleet shares must be shared knowingly
  const shareable = raw.shareable || kind === 'host';
  return {
    device,
    bus,
    readOnly,
    serial: raw.serial,
    errorPolicy: raw.errorPolicy,
    io: raw.io,
    cache: shareable ? DiskCache.NONE : raw.cache,
    shareable: shareable || undefined,
    dedicatedIoThread: raw.ioThread && effective === DiskBus.VIRTIO ? true : undefined,
    hotpluggable: hot || undefined,
  };
}

const rawOptions = fc.record({
  device: fc.constantFrom(...Object.values(DiskDevice)),
  bus: fc.option(fc.constantFrom(...Object.values(DiskBus)), { nil: undefined }),
  cache: fc.option(fc.constantFrom(...Object.values(DiskCache)), { nil: undefined }),
  io: fc.option(fc.constantFrom(...Object.values(DiskIo)), { nil: undefined }),
  errorPolicy: fc.option(fc.constantFrom(...Object.values(DiskErrorPolicy)), { nil: undefined }),
  readOnly: fc.option(fc.boolean(), { nil: undefined }),
  // serials kubectl's YAML reader would take for numbers are refused (their own test)
  serial: fc.option(fc.stringMatching(/^[A-Za-z0-9_.+-]{1,20}$/).filter(s => !goYamlMisreadsAsNumber(s)), { nil: undefined }),
  shareable: fc.boolean(),
  ioThread: fc.boolean(),
  hot: fc.boolean(),
});

const diskSet = fc.uniqueArray(fc.record({
  name: diskName, kind: fc.constantFrom(...KINDS), gi: fc.integer({ min: 1, max: 64 }), raw: rawOptions, bootOrder: fc.boolean(),
}), { selector: d => d.name, maxLength: 6 });

function setup(): { chart: Chart; img: GoldenImage } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'apps' });
  const img = new GoldenImage(chart, 'img', {
    namespace: 'apps', source: DataVolumeSource.http('https://example.org/i.qcow2'), size: Size.gibibytes(10), snapshotClass: 'snap',
  });
  return { chart, img };
}

describe('disks (property)', () => {
  test('random valid disk sets always synthesize schema-valid VMs and fleets', () => {
    assertProperty(fc.property(diskSet, fc.boolean(), fc.boolean(), (disks, asFleet, pool) => {
      const { chart, img } = setup();
      const entries = disks.map((d, i) => ({
        name: d.name, disk: makeDisk(d.kind, img, d.gi), ...validOptions(d.kind, d.raw), bootOrder: d.bootOrder ? i + 2 : undefined,
      }));
      if (asFleet) {
        new SmartCloneFleet(chart, 'fleet', { image: img, replicas: 2, pool, allowPerVmImport: true, disks: entries });
      } else {
        const vm = new VirtualMachine(chart, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE) });
        for (const e of entries) vm.addDisk(e.name, e.disk, e);
      }
      const docs = synthValid(chart);
      const vm = asFleet ? (pool ? findOne(docs, 'VirtualMachinePool').spec.virtualMachineTemplate : findOne(docs, 'VirtualMachine', 'fleet-0'))
        : findOne(docs, 'VirtualMachine', 'vm');
      const t = vm.spec.template.spec;
      // every disk has exactly one volume of the same name, and boot orders are unique
      expect(t.domain.devices.disks.map((d: any) => d.name).sort()).toEqual(t.volumes.map((v: any) => v.name).sort());
      const orders = t.domain.devices.disks.map((d: any) => d.bootOrder).filter((o: any) => o !== undefined);
      expect(new Set(orders).size).toBe(orders.length);
    }), { numRuns: 60 });
  });

  const invalid: Array<[string, (v: VirtualMachine, name: string) => void]> = [
    ['virtio CD-ROM', (v, n) => v.addDisk(n, Disk.containerDisk(IMAGE), { device: DiskDevice.CDROM, bus: DiskBus.VIRTIO })],
    ['LUN off SCSI', (v, n) => v.addDisk(n, Disk.persistentVolumeClaim('c'), { device: DiskDevice.LUN, bus: DiskBus.VIRTIO })],
    ['LUN on an emptyDisk', (v, n) => v.addDisk(n, Disk.emptyDisk(Size.gibibytes(1)), { device: DiskDevice.LUN })],
    ['hotplugged configMap', (v, n) => v.addDisk(n, Disk.configMap('c'), { hotpluggable: true })],
    ['non-positive boot order', (v, n) => v.addDisk(n, Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: -3 })],
    ['boot order 1', (v, n) => v.addDisk(n, Disk.emptyDisk(Size.gibibytes(1)), { bootOrder: 1 })],
    ['bad serial', (v, n) => v.addDisk(n, Disk.emptyDisk(Size.gibibytes(1)), { serial: 'a/b' })],
    ['IO thread on SATA', (v, n) => v.addDisk(n, Disk.emptyDisk(Size.gibibytes(1)), { bus: DiskBus.SATA, dedicatedIoThread: true })],
    ['read-only SATA disk', (v, n) => v.addDisk(n, Disk.emptyDisk(Size.gibibytes(1)), { bus: DiskBus.SATA, readOnly: true })],
    ['shareable writethrough', (v, n) => v.addDisk(n, Disk.emptyDisk(Size.gibibytes(1)), { shareable: true, cache: DiskCache.WRITE_THROUGH })],
    ['duplicate name', (v, n) => { v.addDisk(n, Disk.configMap('a')); v.addDisk(n, Disk.secret('b')); }],
    ['reserved name', v => v.addDisk('rootdisk', Disk.configMap('a'))],
    ['upper-case name', (v, n) => v.addDisk(n.toUpperCase() + 'X', Disk.configMap('a'))],
    ['virtiofs emptyDisk', (v, n) => v.addFilesystem(n, Disk.emptyDisk(Size.gibibytes(1)))],
  ];

  test('random invalid disks always give the library error naming the VM', () => {
    assertProperty(fc.property(diskName, fc.constantFrom(...invalid), (name, [, act]) => {
      const { chart } = setup();
      const vm = new VirtualMachine(chart, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE) });
      let error: unknown;
      try {
        act(vm, name);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^\[test\/vm\] '(disks|filesystems)\.[^']+' .+, got .+; .+/);
    }), { numRuns: 100 });
  });
});
