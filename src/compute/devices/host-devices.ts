/** Display settings of a mediated (virtual) GPU. */
export interface VirtualGpuOptions {
  /**
   * Give the vGPU a display the VNC console can show.
   *
   * @default false
   */
  readonly display?: boolean;

  /**
   * Also give the display a RAM framebuffer, so the console shows the boot
   * before the guest driver loads. Only with `display`.
   *
   * @default - on when `display` is on (KubeVirt's default)
   */
  readonly ramFb?: boolean;
}

/** A GPU passed through to the VM (`domain.devices.gpus[]`). */
export interface GpuDevice {
  /** Name of the device in the VM (a DNS-1123 label). */
  readonly name: string;

  /**
   * Resource name of the GPU, as the KubeVirt CR permits it in
   * `permittedHostDevices` (e.g. `nvidia.com/TU104GL_Tesla_T4`).
   */
  readonly deviceName: string;

  /**
   * Display options of a mediated (vGPU) device.
   *
   * @default - no display
   */
  readonly virtualGpuOptions?: VirtualGpuOptions;
}

/** A PCI or mediated host device passed through to the VM (`domain.devices.hostDevices[]`). */
export interface HostDevice {
  /** Name of the device in the VM (a DNS-1123 label). */
  readonly name: string;

  /**
   * Resource name of the device, as the KubeVirt CR permits it in
   * `permittedHostDevices` (e.g. `intel.com/qat`).
   */
  readonly deviceName: string;
}
