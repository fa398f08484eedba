/** Options of the emulated TPM (`domain.devices.tpm`). */
export interface TpmOptions {
  /**
   * Keep the TPM state across reboots and migrations (BitLocker and
   * measured boot need it). KubeVirt keeps it on a volume of the KubeVirt
   * CR's `vmStateStorageClass`, else of the default storage class; on a
   * cluster with neither, the VM never starts.
   *
   * @default false
   */
  readonly persistent?: boolean;
}

/** What the emulated watchdog does when the guest stops feeding it. */
export enum WatchdogAction {
  /** Power the VM off. */
  POWEROFF = 'poweroff',
  /** Reset the VM. */
  RESET = 'reset',
  /** Ask the guest to shut down. */
  SHUTDOWN = 'shutdown',
}

/** Bus of the tablet input device. */
export enum InputBus {
  /** USB: every guest has a driver. */
  USB = 'usb',
  /** virtio: needs the virtio input driver in the guest. */
  VIRTIO = 'virtio',
}

/** Model of an emulated network card (`interfaces[].model`). */
export enum InterfaceModel {
  /** Paravirtual virtio-net: fastest, needs the virtio driver (built into Linux). */
  VIRTIO = 'virtio',
  /** Intel 82574 (e1000e): works in guests without virtio drivers. */
  E1000E = 'e1000e',
  /** Intel 82540EM (e1000): for old guests. */
  E1000 = 'e1000',
  /** Intel 82576 (igb): emulated with SR-IOV-style multiqueue. */
  IGB = 'igb',
  /** Realtek RTL8139: for very old guests. */
  RTL8139 = 'rtl8139',
  /** NE2000 PCI: for very old guests. */
  NE2K_PCI = 'ne2k_pci',
  /** AMD PCnet: for very old guests. */
  PCNET = 'pcnet',
}
