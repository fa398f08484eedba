/** A PCI device VMs may take, by vendor and device id. */
export interface PermittedPciHostDevice {
  /** Vendor and device id as `vvvv:dddd` in hex, e.g. `10de:1eb8` (an NVIDIA T4). */
  readonly pciVendorSelector: string;

  /** Resource name VMs ask for in `deviceName`, e.g. `nvidia.com/TU104GL_Tesla_T4`. */
  readonly resourceName: string;

  /**
   * An external device plugin (such as NVIDIA's) advertises the device, not
   * KubeVirt's own.
   *
   * @default false
   */
  readonly externalResourceProvider?: boolean;
}

/** A mediated device type (vGPU) VMs may take. */
export interface PermittedMediatedDevice {
  /** Name of the mediated device type as the host lists it, e.g. `GRID T4-1Q`. */
  readonly mdevNameSelector: string;

  /** Resource name VMs ask for in `deviceName`, e.g. `nvidia.com/GRID_T4-1Q`. */
  readonly resourceName: string;

  /**
   * An external device plugin advertises the device, not KubeVirt's own.
   *
   * @default false
   */
  readonly externalResourceProvider?: boolean;
}

/** The host devices VMs may take (`spec.configuration.permittedHostDevices`). */
export interface PermittedHostDevices {
  /**
   * PCI devices.
   *
   * @default - none
   */
  readonly pciHostDevices?: PermittedPciHostDevice[];

  /**
   * Mediated devices.
   *
   * @default - none
   */
  readonly mediatedDevices?: PermittedMediatedDevice[];
}

/** Mediated device types to create on some nodes. */
export interface NodeMediatedDeviceTypes {
  /** Labels of the nodes. */
  readonly nodeSelector: { [key: string]: string };
  /** Mediated device types to create on them, e.g. `nvidia-222`. */
  readonly mediatedDeviceTypes: string[];
}

/** Which mediated devices KubeVirt creates on the nodes (`spec.configuration.mediatedDevicesConfiguration`). */
export interface MediatedDevicesConfiguration {
  /**
   * Mediated device types to create on every node with a matching card.
   *
   * @default - none
   */
  readonly mediatedDeviceTypes?: string[];

  /**
   * Types for particular nodes, instead of the cluster-wide list.
   *
   * @default - none
   */
  readonly nodeMediatedDeviceTypes?: NodeMediatedDeviceTypes[];
}
