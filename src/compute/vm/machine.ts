import { optionalBoolean, requireString, requireStruct } from '../../validation';

/** Options of {@link Firmware.efi}. */
export interface FirmwareEfiOptions {
  /**
   * Boot with UEFI Secure Boot. KubeVirt needs the SMM feature for it, which
   * the VM then turns on (`features.smm.enabled: true`).
   *
   * @default true (KubeVirt's own default for EFI)
   */
  readonly secureBoot?: boolean;

  /**
   * Keep the EFI variable store (NVRAM) across reboots, on a volume of the
   * KubeVirt CR's `vmStateStorageClass`, else of the default storage class;
   * on a cluster with neither, the VM never starts.
   *
   * @default false
   */
  readonly persistent?: boolean;
}

/** The firmware a VM boots with. */
export class Firmware {
  /** Legacy BIOS (SeaBIOS), KubeVirt's default. */
  public static bios(): Firmware {
    return new Firmware(false, false, false);
  }

  /** UEFI (OVMF), with Secure Boot unless turned off. */
  public static efi(options: FirmwareEfiOptions = {}): Firmware {
    requireStruct('Firmware.efi', 'options', options);
    optionalBoolean('Firmware.efi', 'options.secureBoot', options.secureBoot);
    optionalBoolean('Firmware.efi', 'options.persistent', options.persistent);
    return new Firmware(true, options.secureBoot ?? true, options.persistent ?? false);
  }

  /** Whether the VM boots with UEFI. */
  public readonly isEfi: boolean;
  /** Whether UEFI Secure Boot is on. */
  public readonly secureBoot: boolean;
  /** Whether the EFI NVRAM persists across reboots. */
  public readonly persistent: boolean;

  private constructor(isEfi: boolean, secureBoot: boolean, persistent: boolean) {
    this.isEfi = isEfi;
    this.secureBoot = secureBoot;
    this.persistent = persistent;
  }

  /** The `domain.firmware.bootloader` value. @internal */
  public _bootloader(): any {
    if (!this.isEfi) return { bios: {} };
    const efi: any = { secureBoot: this.secureBoot };
    if (this.persistent) efi.persistent = true;
    return { efi };
  }
}

/** The emulated machine type (`domain.machine.type`). */
export class MachineType {
  /** The Q35 chipset, KubeVirt's default on x86_64 (alias of the newest q35 version). */
  public static readonly Q35 = new MachineType('q35');

  /** Any machine type the hypervisor supports, e.g. `pc-q35-rhel9.6.0`. */
  public static custom(machineType: string): MachineType {
    requireString('MachineType.custom', 'machineType', machineType, 'give the machine type name, e.g. \'pc-q35-rhel9.6.0\'');
    return new MachineType(machineType);
  }

  /** The machine type as KubeVirt writes it. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}
