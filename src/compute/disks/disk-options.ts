
/** How a disk appears to the guest (`disk`, `cdrom` or `lun` in KubeVirt's `Disk`). */
export enum DiskDevice {
  /** A block device (`disk`). */
  DISK = 'disk',
  /** A read-only CD-ROM drive (`cdrom`), on a SATA or SCSI bus. */
  CDROM = 'cdrom',
  /**
   * A SCSI LUN passed through from a PVC or DataVolume (`lun`). The volume
   * must be `volumeMode: Block`: libvirt refuses a LUN on a Filesystem
   * volume's image file. A DataVolume template is checked; for an existing
   * PVC or DataVolume that is up to you.
   */
  LUN = 'lun',
}

/** The bus a disk is attached to. */
export enum DiskBus {
  /** Paravirtualized virtio-blk; fastest, needs virtio drivers in the guest. */
  VIRTIO = 'virtio',
  /** Emulated SATA; works with any guest. */
  SATA = 'sata',
  /** virtio-scsi; needed for LUNs. */
  SCSI = 'scsi',
  /** Emulated USB storage. */
  USB = 'usb',
}

/** Host page cache mode of a disk (KubeVirt's `cache`). */
export enum DiskCache {
  /** No host page cache (`none`). */
  NONE = 'none',
  /** Writes go through the host cache to the storage (`writethrough`). */
  WRITE_THROUGH = 'writethrough',
  /** Writes are acknowledged from the host cache (`writeback`). */
  WRITE_BACK = 'writeback',
}

/** How QEMU performs disk I/O (KubeVirt's `io`). */
export enum DiskIo {
  /** Linux native asynchronous I/O (`native`). */
  NATIVE = 'native',
  /** A pool of user-space threads (`threads`). */
  THREADS = 'threads',
}

/** What the hypervisor does when a disk I/O fails (KubeVirt's `errorPolicy`). */
export enum DiskErrorPolicy {
  /** Pause the VM (`stop`, KubeVirt's default). */
  STOP = 'stop',
  /** Ignore the error (`ignore`). */
  IGNORE = 'ignore',
  /** Report the error to the guest (`report`). */
  REPORT = 'report',
  /** Pause only when the storage runs out of space, report other errors (`enospace`). */
  ENOSPACE = 'enospace',
}

/** Options of {@link VirtualMachine.addDisk}: how the guest sees the disk. */
export interface AddDiskOptions {
  /**
   * Device type.
   *
   * @default DiskDevice.DISK
   */
  readonly device?: DiskDevice;

  /**
   * Bus of the device.
   *
   * @default - DiskBus.VIRTIO for a disk, DiskBus.SATA for a CD-ROM,
   * DiskBus.SCSI for a LUN
   */
  readonly bus?: DiskBus;

  /**
   * Position in the boot order: a positive number, unique in the VM. The
   * boot disk has boot order 1.
   *
   * @default - not bootable
   */
  readonly bootOrder?: number;

  /**
   * Host page cache mode.
   *
   * @default - KubeVirt picks (none when the storage supports direct I/O)
   */
  readonly cache?: DiskCache;

  /**
   * I/O mode.
   *
   * @default - KubeVirt picks (native for preallocated block storage)
   */
  readonly io?: DiskIo;

  /**
   * Attach the disk read-only. A CD-ROM is always read-only; a SATA disk
   * cannot be.
   *
   * @default false (true for a CD-ROM)
   */
  readonly readOnly?: boolean;

  /**
   * Serial number the guest sees (`/dev/disk/by-id/*<serial>`): letters,
   * digits, `_`, `.`, `+` and `-`, at most 256 characters. A serial that
   * kubectl's YAML reader would take for a number although `cdk8s synth`
   * writes it unquoted (such as `-_2` or `0o17`) is refused.
   *
   * @default - none
   */
  readonly serial?: string;

  /**
   * Let several VMs write to the same disk at once (`shareable`); the guest
   * must run a cluster-aware file system. Needs cache mode `none`.
   *
   * @default false
   */
  readonly shareable?: boolean;

  /**
   * Give the disk an I/O thread of its own (virtio bus only).
   *
   * @default false
   */
  readonly dedicatedIoThread?: boolean;

  /**
   * Mark the volume hotpluggable, so it can be detached and attached while
   * the VM runs. Only PVC and DataVolume disks, on a virtio or SCSI disk or
   * a SCSI LUN; needs the DeclarativeHotplugVolumes (or HotplugVolumes)
   * feature gate.
   *
   * @default false
   */
  readonly hotpluggable?: boolean;

  /**
   * What happens when an I/O on the disk fails.
   *
   * @default - DiskErrorPolicy.STOP (KubeVirt's default)
   */
  readonly errorPolicy?: DiskErrorPolicy;
}
