import { optionalBoolean, requireInterface, requireString, requireStruct } from '../validation';
import type { IInstancetypeDefinition, IPreferenceDefinition } from './instancetypes/settings';

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

/** Kinds of instancetype objects a VM can point at. */
export enum InstancetypeKind {
  /** A namespaced `VirtualMachineInstancetype` in the VM's namespace. */
  NAMESPACED = 'VirtualMachineInstancetype',
  /** A cluster-wide `VirtualMachineClusterInstancetype`. */
  CLUSTER = 'VirtualMachineClusterInstancetype',
}

/**
 * A reference to an instancetype, which supplies the VM's CPU and memory.
 * A VM with an instancetype must not set CPU or memory itself.
 */
export class Instancetype {
  /** A cluster-wide instancetype, e.g. `u1.medium`. */
  public static cluster(name: string): Instancetype {
    requireString('Instancetype.cluster', 'name', name, 'give the name of the instancetype object, e.g. \'u1.medium\'');
    return new Instancetype(name, InstancetypeKind.CLUSTER);
  }

  /** An instancetype in the VM's namespace. */
  public static namespaced(name: string): Instancetype {
    requireString('Instancetype.namespaced', 'name', name, 'give the name of the instancetype object, e.g. \'u1.medium\'');
    return new Instancetype(name, InstancetypeKind.NAMESPACED);
  }

  /**
   * An instancetype defined in this app (`VirtualMachineInstancetype` or
   * `VirtualMachineClusterInstancetype`): the VM is checked against what it
   * supplies.
   */
  public static of(instancetype: IInstancetypeDefinition): Instancetype {
    requireInterface(undefined, 'instancetype', instancetype, 'IInstancetypeDefinition',
      ['instancetypeName', 'instancetypeKind', 'settings'], 'pass a VirtualMachineInstancetype or VirtualMachineClusterInstancetype');
    return new Instancetype(instancetype.instancetypeName, instancetype.instancetypeKind, instancetype);
  }

  /** Name of the instancetype object. */
  public readonly name: string;
  /** Kind of the instancetype object. */
  public readonly kind: InstancetypeKind;
  /** The instancetype construct, when it is defined in this app. */
  public readonly definition?: IInstancetypeDefinition;

  private constructor(name: string, kind: InstancetypeKind, definition?: IInstancetypeDefinition) {
    this.name = name;
    this.kind = kind;
    this.definition = definition;
  }
}

/** Kinds of preference objects a VM can point at. */
export enum PreferenceKind {
  /** A namespaced `VirtualMachinePreference` in the VM's namespace. */
  NAMESPACED = 'VirtualMachinePreference',
  /** A cluster-wide `VirtualMachineClusterPreference`. */
  CLUSTER = 'VirtualMachineClusterPreference',
}

/**
 * A reference to a preference: preferred defaults (firmware, buses, machine
 * type...) that apply where the VM sets nothing itself.
 */
export class Preference {
  /** A cluster-wide preference, e.g. `fedora`. */
  public static cluster(name: string): Preference {
    requireString('Preference.cluster', 'name', name, 'give the name of the preference object, e.g. \'fedora\'');
    return new Preference(name, PreferenceKind.CLUSTER);
  }

  /** A preference in the VM's namespace. */
  public static namespaced(name: string): Preference {
    requireString('Preference.namespaced', 'name', name, 'give the name of the preference object, e.g. \'fedora\'');
    return new Preference(name, PreferenceKind.NAMESPACED);
  }

  /**
   * A preference defined in this app (`VirtualMachinePreference` or
   * `VirtualMachineClusterPreference`): its requirements are checked against
   * the VM and its instancetype.
   */
  public static of(preference: IPreferenceDefinition): Preference {
    requireInterface(undefined, 'preference', preference, 'IPreferenceDefinition',
      ['preferenceName', 'preferenceKind', 'requirements'], 'pass a VirtualMachinePreference or VirtualMachineClusterPreference');
    return new Preference(preference.preferenceName, preference.preferenceKind, preference);
  }

  /** Name of the preference object. */
  public readonly name: string;
  /** Kind of the preference object. */
  public readonly kind: PreferenceKind;
  /** The preference construct, when it is defined in this app. */
  public readonly definition?: IPreferenceDefinition;

  private constructor(name: string, kind: PreferenceKind, definition?: IPreferenceDefinition) {
    this.name = name;
    this.kind = kind;
    this.definition = definition;
  }
}
