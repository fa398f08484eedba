import { propPath } from '../../../validation/prop-path';
import { IHostBridge } from '../../host/host-bridge';
import { requireHostBridge } from '../../host/private/host-bridge-reference';
import { HostRef, HostRefKind } from '../../host/private/host-registry';
import { Ipam } from '../../ipam';
import { VlanTrunk } from '../../vlan-trunk';
import { PropContext } from '../context';
import { AddressPool } from '../pools';

/**
 * A bridge or VLAN trunk the plugin attaches interfaces to, used by the
 * isolation and overlap rules.
 */
export interface L2Attachment {
  readonly bridge: string;
  readonly vlan?: number;
  /** The prop that names the VLAN (or the bridge when untagged), for messages. */
  readonly prop: string;
}

/** What the network rules read from one validated plugin. */
export interface ValidatedPlugin {
  readonly pools: AddressPool[];
  readonly attachment?: L2Attachment;
  /** The host interface the plugin names, for the host-network rules. */
  readonly host?: HostRef;
}

/** One kind of CNI plugin: what `CniPlugin` validates and renders. */
export abstract class PluginVariant {
  /** The plugin type, as written in the config. */
  public abstract readonly type: string;

  /** Whether the plugin only adjusts an interface an earlier plugin created. */
  public get isMeta(): boolean {
    return false;
  }

  /** The macvlan mode of a macvlan plugin, undefined for every other plugin. */
  public get macvlanMode(): string | undefined {
    return undefined;
  }

  /** The IPAM type of a typed plugin, undefined without IPAM or for custom plugins. */
  public get ipamType(): string | undefined {
    return undefined;
  }

  public abstract validate(ctx: PropContext): ValidatedPlugin;

  /** The plugin's config object, keys in a fixed order. */
  public abstract toJson(): Record<string, unknown>;
}

/** The options every interface-creating plugin with IPAM shares. */
export interface InterfacePluginOptions {
  readonly vlan?: number;
  readonly mtu?: number;
  readonly ipam?: Ipam;
}

/** A host interface prop and its typed twin (`bridge` and `hostBridge`). */
export interface HostProps {
  readonly plain: string;
  readonly plainValue: string | undefined;
  readonly typed: string;
  readonly typedValue: IHostBridge | undefined;
}

/** A typed plugin, built from its options (kept as a shallow copy). */
export abstract class OptionsPlugin<O extends object> extends PluginVariant {
  protected readonly options: O;

  public constructor(options: O) {
    super();
    this.options = { ...options };
  }
}

/** A plugin that creates the interface on a host interface and may give it addresses. */
export abstract class InterfacePlugin<O extends InterfacePluginOptions> extends OptionsPlugin<O> {
  public get ipamType(): string | undefined {
    return this.options.ipam instanceof Ipam ? this.options.ipam.type : undefined;
  }

  /** The address pools of the plugin's IPAM, none without one. */
  protected pools(ctx: PropContext): AddressPool[] {
    const ipam: unknown = this.options.ipam;
    if (ipam === undefined) return [];
    if (!(ipam instanceof Ipam)) ctx.fail('ipam', ipam, 'must be an Ipam', 'build it with Ipam.whereabouts(), Ipam.hostLocal(), Ipam.staticAddresses(), Ipam.dhcp() or Ipam.none()');
    return ipam._validate(ctx.child('ipam')).pools;
  }

  /** The `ipam` object of the config, undefined without one. */
  protected ipamJson(): Record<string, unknown> | undefined {
    return this.options.ipam?._toJson();
  }

  /**
   * The host interface named by a plain prop or its typed twin (never both;
   * `required` refuses neither), or undefined when neither is set.
   */
  protected hostRef(ctx: PropContext, kind: HostRefKind, props: HostProps, required: boolean): HostRef | undefined {
    const { plain, plainValue, typed, typedValue } = props;
    const fix = `pass exactly one: ${typed}: policy.bridge('name') or HostBridge.existing('name'), or ${plain}: 'name'`;
    if (plainValue !== undefined && typedValue !== undefined) {
      ctx.fail(typed, typedValue?.bridgeName ?? typedValue, `cannot be combined with ${plain} '${plainValue}'`, fix);
    }
    if (plainValue === undefined && typedValue === undefined) {
      if (required) ctx.fail(plain, undefined, `or ${typed} must name the host interface`, fix);
      return undefined;
    }
    const o = this.options;
    const base = { kind, vlan: o.vlan, mtu: o.mtu, vlanProp: ctx.prop('vlan'), mtuProp: ctx.prop('mtu') };
    if (typedValue !== undefined) {
      const ref: unknown = typedValue;
      requireHostBridge(ctx.scope, ctx.prop(typed), ref);
      ctx.interfaceName(propPath(typed, 'bridgeName'), ref.bridgeName);
      return { ...base, name: ref.bridgeName, preExisting: ref.preExisting === true, prop: ctx.prop(typed) };
    }
    return { ...base, name: plainValue as string, preExisting: false, prop: ctx.prop(plain) };
  }

  /** The bridge or VLAN trunk the interfaces sit on, keyed by the VLAN prop when tagged. */
  protected attachment(ctx: PropContext, host: HostRef): L2Attachment {
    const vlan = this.options.vlan;
    return { bridge: host.name, vlan, prop: vlan !== undefined ? ctx.prop('vlan') : host.prop };
  }
}

/** Checks a list of trunk VLANs (`vlanTrunk`, `trunk`). */
export function validateTrunk(ctx: PropContext, prop: string, trunk: VlanTrunk[] | undefined): void {
  if (trunk === undefined) return;
  if (!Array.isArray(trunk) || trunk.length === 0) {
    ctx.fail(prop, trunk, 'must list at least one VLAN', `add VlanTrunk.id() or VlanTrunk.range() entries, or leave ${prop} out`);
  }
  trunk.forEach((t, i) => {
    if (!(t instanceof VlanTrunk)) ctx.fail(propPath(prop, i), t, 'must be a VlanTrunk', 'build entries with VlanTrunk.id() or VlanTrunk.range()');
    t._validate(ctx.child(propPath(prop, i)));
  });
}

/** A trunk list as the config writes it. */
export function trunkJson(list: VlanTrunk[] | undefined): Array<Record<string, unknown>> | undefined {
  return list?.map(t => t._toJson());
}
