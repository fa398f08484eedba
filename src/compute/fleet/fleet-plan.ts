/**
 * What a fleet costs in storage operations and which addresses its VMs get,
 * as SmartCloneFleet.plan reports it.
 */


/**
 * What a fleet costs in storage operations, counted from the manifests (the
 * golden image's import and snapshot included). Byte figures are estimates
 * from the volume sizes, which bound the image's real size from above.
 */
export interface FleetPlan {
  /** Number of VMs. */
  readonly vms: number;
  /**
   * Times the image data comes into the cluster (downloads and uploads);
   * an image with an import cron counts the cron's first import too.
   */
  readonly imports: number;
  /**
   * Full copies of the image: PVC clones, which CDI may carry out as a
   * host-assisted copy (counted as full copies whatever CDI picks).
   */
  readonly fullCopies: number;
  /** VolumeSnapshots involved (the image's and the fleet's own). */
  readonly snapshots: number;
  /** Copy-on-write restores of a snapshot. */
  readonly copyOnWriteClones: number;
  /** Bytes that come into the cluster (downloaded or uploaded). */
  readonly bytesDownloaded: number;
  /** Bytes copied inside the cluster by full copies. */
  readonly bytesCopied: number;
  /**
   * What the storage must do, beyond what the library can check from the
   * manifests and the images' `storageFacts`, for the copy-on-write clones
   * to stay copy-on-write (else CDI copies them host-assisted). The summary
   * ends with them ("copy-on-write if ...").
   *
   * @default - none: the figures hold as they are
   */
  readonly conditions?: string[];
  /** The plan in one line. */
  readonly summary: string;
  /**
   * What each data disk costs, in the order of `disks`; the figures above
   * include them.
   *
   * @default - the fleet has no data disks
   */
  readonly dataDisks?: FleetDataDiskPlan[];
  /**
   * The VMs' planned addresses, in VM order.
   * @default - none: no AddressPlan assigned the fleet
   */
  readonly addresses?: PlannedVmAddress[];
}

/** A VM interface's address and MAC, handed out by an `AddressPlan`. */
export interface PlannedVmAddress {
  /** Name of the VM. */
  readonly vmName: string;
  /** Name of the interface in the VM spec. */
  readonly interfaceName: string;
  /** `namespace/name` of the network. */
  readonly network: string;
  /** The address with its prefix length, as the guest configures it (`10.100.0.20/24`). */
  readonly address: string;
  /**
   * The IPv6 address of a dual-stack plan, with its prefix length.
   * @default - none: the plan is single-stack
   */
  readonly ipv6Address?: string;
  /** The interface's MAC address. */
  readonly macAddress: string;
}


/** What one data disk of a fleet costs in storage operations. */
export interface FleetDataDiskPlan {
  /** Name of the disk. */
  readonly name: string;
  /** Where the disk's data comes from, e.g. `clone of golden image 'ns/dataset'`. */
  readonly source: string;
  /** Copy-on-write restores of a snapshot (one per VM, or none). */
  readonly copyOnWriteClones: number;
  /** Full copies (PVC clones), one per VM or none. */
  readonly fullCopies: number;
  /** Imports from outside the cluster, one per VM or none. */
  readonly imports: number;
  /**
   * Bytes of storage the disk's DataVolumes ask for across the fleet (0 for
   * a disk that every VM references, or that lives with the VM's pod).
   */
  readonly bytesProvisioned: number;
  /**
   * What the storage must do, beyond what the library can check, for the
   * disk's copy-on-write clones to stay copy-on-write.
   * @default - none: the figures hold as they are
   */
  readonly conditions?: string[];
}
