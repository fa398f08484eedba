/**
 * Internal: the data disks and virtiofs filesystems of a VM template,
 * checked when they are added (KubeVirt's own disk admission rules) and
 * rendered into `domain.devices.disks` / `filesystems` and `volumes`. Not
 * exported from the package.
 */
import { IConstruct } from 'constructs';
import { Disk } from './disk';
import { AddDiskOptions, DiskBus, DiskCache, DiskDevice, DiskErrorPolicy, DiskIo } from './disk-options';
import { BootDiskBinding, BootDiskSource, VolumeKind } from './volume-plan';
import { kubeVirtGateEnabled, missingKubeVirtGate, platformObjectOf, PlatformKind } from '../../private/platform-config';
import { DNS1123_LABEL_MAX, goYamlMisreadsAsNumber, propError, requireDns1123Label } from '../../validation';
import {
  optionalBoolean, optionalEnum, optionalNumber, optionalString, requireInstance, requireString, requireStruct,
} from '../../validation/types';

/** Names the VM spec uses for its own volumes. */
const RESERVED_NAMES: { [name: string]: string } = { rootdisk: 'the boot disk', cloudinitdisk: 'the cloud-init disk' };
/** Boot order of the boot disk. */
const BOOT_DISK_ORDER = 1;
const SERIAL = /^[A-Za-z0-9_.+-]+$/;
const SERIAL_MAX = 256;
/** Volume kinds that hotplug accepts; storage kinds (LUNs, virtiofs on storage) add the VM's own DataVolumes. */
const CLAIMS = new Set<VolumeKind | undefined>([VolumeKind.PERSISTENT_VOLUME_CLAIM, VolumeKind.DATA_VOLUME]);
const STORAGE_KINDS = new Set<VolumeKind | undefined>([...CLAIMS, VolumeKind.DATA_VOLUME_TEMPLATE]);
const FILESYSTEM_KINDS = new Set<VolumeKind | undefined>([
  ...STORAGE_KINDS, VolumeKind.CONFIG_MAP, VolumeKind.SECRET, VolumeKind.SERVICE_ACCOUNT, VolumeKind.DOWNWARD_API,
]);

/** A checked data disk or filesystem of a VM template. */
export interface VmDisk {
  readonly name: string;
  readonly disk: Disk;
  /** The volume to render (the disk's own, or its hotpluggable variant). */
  readonly source: BootDiskSource;
  readonly options: AddDiskOptions;
  /** Resolved device; undefined for a virtiofs filesystem. */
  readonly device?: DiskDevice;
  /** Resolved bus (written for CD-ROMs, LUNs and given buses). */
  readonly bus?: DiskBus;
}

/** The prop path of a disk in messages. */
export function diskProp(d: Pick<VmDisk, 'name' | 'device'>): string {
  return d.device === undefined ? `filesystems.${d.name}` : `disks.${d.name}`;
}

/** Checks the name of a disk or filesystem against the VM's others. */
function requireDiskName(scope: IConstruct, prop: string, name: unknown, existing: VmDisk[]): asserts name is string {
  requireString(scope, prop, name);
  requireDns1123Label(scope, prop, name, DNS1123_LABEL_MAX);
  const reserved = RESERVED_NAMES[name];
  if (reserved) {
    throw propError(scope, prop, name, `is the name of ${reserved} of every VM`, 'give the disk another name');
  }
  const clash = existing.find(d => d.name === name);
  if (clash) {
    throw propError(scope, prop, name, `is already used by ${diskProp(clash)}`, 'give every disk and filesystem its own name');
  }
}

/**
 * Checks one data disk and resolves its device and bus; throws the library
 * error for anything KubeVirt's admission (or virt-launcher) would refuse.
 */
export function requireDisk(scope: IConstruct, existing: VmDisk[], name: string, disk: Disk, options: AddDiskOptions | undefined): VmDisk {
  requireDiskName(scope, 'disks.name', name, existing);
  const prop = `disks.${name}`;
  requireInstance(scope, `${prop}.disk`, disk, Disk, 'Disk.dataVolumeTemplate(), Disk.emptyDisk(), Disk.configMap() or another Disk factory');
  const o = requireStruct<AddDiskOptions>(scope, `${prop}.options`, options, true);
  optionalEnum(scope, `${prop}.device`, o.device, DiskDevice, 'DiskDevice');
  optionalEnum(scope, `${prop}.bus`, o.bus, DiskBus, 'DiskBus');
  optionalEnum(scope, `${prop}.cache`, o.cache, DiskCache, 'DiskCache');
  optionalEnum(scope, `${prop}.io`, o.io, DiskIo, 'DiskIo');
  optionalEnum(scope, `${prop}.errorPolicy`, o.errorPolicy, DiskErrorPolicy, 'DiskErrorPolicy');
  optionalNumber(scope, `${prop}.bootOrder`, o.bootOrder);
  optionalString(scope, `${prop}.serial`, o.serial);
  for (const flag of ['readOnly', 'shareable', 'dedicatedIoThread', 'hotpluggable'] as const) optionalBoolean(scope, `${prop}.${flag}`, o[flag]);
  const source = disk._source;
  source.validate(scope, prop);
  const kind = source.kind;

  const device = o.device ?? (kind === VolumeKind.SYSPREP ? DiskDevice.CDROM : DiskDevice.DISK);
  const bus = o.bus ?? (device === DiskDevice.CDROM ? DiskBus.SATA : device === DiskDevice.LUN ? DiskBus.SCSI : undefined);
  const effectiveBus = bus ?? DiskBus.VIRTIO;

  if (device === DiskDevice.CDROM) {
    if (effectiveBus === DiskBus.VIRTIO) {
      throw propError(scope, `${prop}.bus`, bus, 'cannot carry a CD-ROM (KubeVirt refuses virtio CD-ROMs)', 'use DiskBus.SATA (the default for CD-ROMs) or DiskBus.SCSI');
    }
    if (o.readOnly === false) {
      throw propError(scope, `${prop}.readOnly`, false, 'cannot be false for a CD-ROM, which is always read-only', 'remove \'readOnly\', or use DiskDevice.DISK');
    }
  }
  if (device === DiskDevice.LUN) {
    if (effectiveBus !== DiskBus.SCSI) {
      throw propError(scope, `${prop}.bus`, bus, 'cannot carry a LUN, which needs a SCSI bus', 'use DiskBus.SCSI (the default for LUNs)');
    }
    if (!STORAGE_KINDS.has(kind)) {
      throw propError(scope, `${prop}.device`, 'lun', `needs a PVC or DataVolume disk, not ${source.description}`,
        'use Disk.persistentVolumeClaim() or Disk.dataVolume(), or DiskDevice.DISK');
    }
    // on a Filesystem volume KubeVirt hands libvirt a disk image file, and libvirt takes a LUN only from a block device
    if (kind === VolumeKind.DATA_VOLUME_TEMPLATE && source.volumeMode !== 'Block') {
      throw propError(scope, `${prop}.device`, 'lun',
        `needs a Block volume, but the ${source.description} asks for ${source.volumeMode === undefined ? 'no volumeMode (the storage profile usually picks Filesystem)' : `volumeMode ${source.volumeMode}`}: on a Filesystem volume the disk is an image file, and libvirt refuses a LUN whose source is not a block device`,
        'set volumeMode: PersistentVolumeMode.BLOCK on the DataVolume template (on a storage class that offers Block), or use DiskDevice.DISK');
    }
  }
  if (device === DiskDevice.DISK && effectiveBus === DiskBus.SATA && o.readOnly === true) {
    throw propError(scope, `${prop}.readOnly`, true, 'is not supported on SATA hard disks', 'use DiskBus.VIRTIO or DiskBus.SCSI, or DiskDevice.CDROM');
  }
  if (o.dedicatedIoThread === true && effectiveBus !== DiskBus.VIRTIO) {
    throw propError(scope, `${prop}.dedicatedIoThread`, true, `needs the virtio bus, not ${effectiveBus}`, 'remove \'bus\' (virtio is the default) or drop dedicatedIoThread');
  }
  if (o.serial !== undefined && (!SERIAL.test(o.serial) || o.serial.length > SERIAL_MAX)) {
    throw propError(scope, `${prop}.serial`, o.serial, `must be 1 to ${SERIAL_MAX} letters, digits, '_', '.', '+' or '-'`, 'use a serial such as \'DATA01\'');
  }
  if (o.serial !== undefined && goYamlMisreadsAsNumber(o.serial)) {
    throw propError(scope, `${prop}.serial`, o.serial,
      'is written unquoted by cdk8s synth but read as a number by the Go YAML reader of kubectl and Argo CD (it drops \'_\' and reads Go number syntax), so the API server would refuse the VM',
      'start the serial with a letter, e.g. \'S\' before it');
  }
  if (o.bootOrder !== undefined) {
    if (!Number.isInteger(o.bootOrder) || o.bootOrder < 1) {
      throw propError(scope, `${prop}.bootOrder`, o.bootOrder, 'must be a whole number of at least 1', 'give a positive boot order such as 2');
    }
    if (o.bootOrder === BOOT_DISK_ORDER) {
      throw propError(scope, `${prop}.bootOrder`, o.bootOrder, 'is the boot order of the boot disk', 'give 2 or more');
    }
    const clash = existing.find(d => d.options.bootOrder === o.bootOrder);
    if (clash) {
      throw propError(scope, `${prop}.bootOrder`, o.bootOrder, `is already the boot order of ${diskProp(clash)}`, 'give every bootable disk its own boot order');
    }
  }
  if (o.shareable === true && o.cache !== undefined && o.cache !== DiskCache.NONE) {
    throw propError(scope, `${prop}.cache`, o.cache, 'must be none on a shareable disk (virt-launcher refuses to start the VM otherwise)',
      'remove \'cache\' or set DiskCache.NONE');
  }
  let rendered = source;
  if (o.hotpluggable === true) {
    const hot = CLAIMS.has(kind) ? disk._hotpluggable() : undefined;
    if (hot === undefined) {
      throw propError(scope, `${prop}.hotpluggable`, true, `needs a PVC or DataVolume disk, not ${source.description}`,
        'use Disk.persistentVolumeClaim() or Disk.dataVolume(), or drop hotpluggable');
    }
    if (device === DiskDevice.CDROM) {
      throw propError(scope, `${prop}.device`, 'cdrom', 'cannot be hotplugged (KubeVirt hotplugs disks and LUNs only)', 'use DiskDevice.DISK on virtio or SCSI');
    }
    if (device === DiskDevice.DISK && effectiveBus !== DiskBus.VIRTIO && effectiveBus !== DiskBus.SCSI) {
      throw propError(scope, `${prop}.bus`, bus, 'cannot carry a hotplugged disk, which needs virtio or SCSI', 'use DiskBus.VIRTIO or DiskBus.SCSI');
    }
    rendered = hot;
  }
  if (kind === VolumeKind.SERVICE_ACCOUNT) {
    const other = existing.find(d => d.source.kind === VolumeKind.SERVICE_ACCOUNT);
    if (other) {
      throw propError(scope, `${prop}.disk`, source.description, `is a second serviceAccount volume (${diskProp(other)} is one); KubeVirt allows one per VM`,
        'keep one serviceAccount disk');
    }
  }
  return { name, disk, source: rendered, options: o, device, bus };
}

/** Checks one virtiofs filesystem. */
export function requireFilesystem(scope: IConstruct, existing: VmDisk[], name: string, disk: Disk): VmDisk {
  requireDiskName(scope, 'filesystems.name', name, existing);
  const prop = `filesystems.${name}`;
  requireInstance(scope, `${prop}.disk`, disk, Disk, 'Disk.persistentVolumeClaim(), Disk.configMap() or another Disk factory');
  const source = disk._source;
  source.validate(scope, prop);
  if (!FILESYSTEM_KINDS.has(source.kind)) {
    throw propError(scope, `${prop}.disk`, source.description, 'cannot be shared with virtiofs (only PVCs, DataVolumes, ConfigMaps, Secrets, ServiceAccounts and the downward API can)',
      'attach it with addDisk() instead');
  }
  if (source.kind === VolumeKind.SERVICE_ACCOUNT && existing.some(d => d.source.kind === VolumeKind.SERVICE_ACCOUNT)) {
    throw propError(scope, `${prop}.disk`, source.description, 'is a second serviceAccount volume; KubeVirt allows one per VM', 'keep one serviceAccount volume');
  }
  return { name, disk, source, options: {} };
}

/** DataVolumes a VM makes from its templates (boot disk and data disks), named `<vm>-<disk>`. */
export function ownedDataVolumeNames(vmName: string, bootDisk: BootDiskSource, disks: VmDisk[]): string[] {
  const names = bootDisk.kind === VolumeKind.DATA_VOLUME_TEMPLATE ? [`${vmName}-rootdisk`] : [];
  for (const d of disks) if (isPerVmDataVolume(d)) names.push(`${vmName}-${d.name}`);
  return names;
}

/** Whether each VM gets its own DataVolume (`<vm>-<disk>`) for the disk. */
export function isPerVmDataVolume(d: VmDisk): boolean {
  return d.source.kind === VolumeKind.DATA_VOLUME_TEMPLATE;
}

/**
 * Checks that the DataVolume a disk gives its VM, `<vmName>-<disk>`, fits in
 * the 63 characters CDI allows. `vmName` is the longest VM name (the last
 * one of a fleet).
 */
export function requireTemplateDiskName(scope: IConstruct, d: VmDisk, vmName: string): void {
  if (!isPerVmDataVolume(d)) return;
  const name = `${vmName}-${d.name}`;
  if (name.length > DNS1123_LABEL_MAX) {
    throw propError(scope, `${diskProp(d)}.name`, d.name, `gives DataVolume names of up to ${name.length} characters ('${name}'), over the ${DNS1123_LABEL_MAX} CDI allows`,
      `shorten the disk name to at most ${Math.max(1, DNS1123_LABEL_MAX - vmName.length - 1)} characters, or the VM name`);
  }
}

/** The `domain.devices.disks[]` entry of a data disk. */
export function renderDiskDevice(d: VmDisk): any {
  const o = d.options;
  const target: any = {};
  if (d.bus !== undefined) target.bus = d.bus;
  if (o.readOnly === true && d.device !== DiskDevice.CDROM) target.readonly = true;
  const entry: any = { name: d.name, [d.device ?? DiskDevice.DISK]: target };
  if (o.bootOrder !== undefined) entry.bootOrder = o.bootOrder;
  if (o.serial !== undefined) entry.serial = o.serial;
  if (o.cache !== undefined) entry.cache = o.cache;
  if (o.io !== undefined) entry.io = o.io;
  if (o.shareable === true) entry.shareable = true;
  if (o.dedicatedIoThread === true) entry.dedicatedIOThread = true;
  if (o.errorPolicy !== undefined) entry.errorPolicy = o.errorPolicy;
  return entry;
}

/** The `domain.devices.filesystems[]` entry of a virtiofs share. */
export function renderFilesystem(d: VmDisk): any {
  return { name: d.name, virtiofs: {} };
}

/** Binds the volume of a data disk for one VM. */
export function bindDisk(d: VmDisk, vm: { name: string; namespace: string }): BootDiskBinding {
  return d.source.bind({ name: vm.name, namespace: vm.namespace, volumeName: d.name });
}

/**
 * Feature-gate problems of a VM's disks, when the app has a KubeVirt CR
 * (for node.addValidation): hostDisk, hotplug and virtiofs on storage.
 */
export function diskGateProblems(scope: IConstruct, disks: VmDisk[]): string[] {
  if (disks.length === 0 || !platformObjectOf(scope, PlatformKind.KUBEVIRT)) return [];
  const problems: string[] = [];
  const add = (p: string | undefined) => { if (p) problems.push(p); };
  for (const d of disks) {
    const what = `${diskProp(d)} (${d.source.description})`;
    if (d.source.kind === VolumeKind.HOST_DISK) add(missingKubeVirtGate(scope, 'HostDisk', 'HOST_DISK', what));
    if (d.options.hotpluggable === true) {
      const kubevirt = platformObjectOf(scope, PlatformKind.KUBEVIRT)!;
      if (!kubeVirtGateEnabled(kubevirt, 'HotplugVolumes')) {
        add(missingKubeVirtGate(scope, 'DeclarativeHotplugVolumes', 'DECLARATIVE_HOTPLUG_VOLUMES', `hotpluggable ${what}`));
      }
    }
    if (d.device === undefined && STORAGE_KINDS.has(d.source.kind)) {
      add(missingKubeVirtGate(scope, 'EnableVirtioFsStorageVolumes', 'ENABLE_VIRTIO_FS_STORAGE_VOLUMES', `virtiofs ${what}`));
    }
  }
  return problems;
}
