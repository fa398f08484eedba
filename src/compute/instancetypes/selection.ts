/**
 * How a VM names its instancetype and preference: a definition in the app,
 * a common instancetype, or one referenced by name.
 */
import { InstancetypeKind, PreferenceKind } from './kinds';
import { IInstancetypeDefinition, IPreferenceDefinition } from './settings';
import { requireInterface, requireString } from '../../validation';

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
