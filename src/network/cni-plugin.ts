import type { CniPluginBridgeOptions, CniPluginMacvlanOptions, CniPluginOvsOptions, CniPluginTuningOptions } from './cni-plugin-options';
import type { HostRef, HostRefKind } from './host/private/host-registry';
import { Ipam } from './ipam';
import { MacvlanMode } from './macvlan-mode';
import { VlanTrunk } from './vlan-trunk';
import { checkMacAddress, checkShape, Shape } from '../validation';
import { PropContext } from './private/context';
import { compact, sortKeysDeep } from './private/json';
import { AddressPool } from './private/pools';
import { requireHostBridge } from './private/reference-shapes';

export * from './cni-plugin-options';
export { MacvlanMode } from './macvlan-mode';
export { VlanTrunk } from './vlan-trunk';

/** The bridge the bridge plugin uses when its config names none (bridge.go defaultBrName). */
export const DEFAULT_BRIDGE_NAME = 'cni0';

type PluginKind = 'bridge' | 'macvlan' | 'ovs' | 'tuning' | 'custom';

/**
 * A bridge or VLAN trunk the plugin attaches interfaces to, used by the
 * isolation and overlap rules.
 */
interface L2Attachment {
  readonly bridge: string;
  readonly vlan?: number;
  /** The prop that names the VLAN (or the bridge when untagged), for messages. */
  readonly prop: string;
}

interface ValidatedPlugin {
  readonly pools: AddressPool[];
  readonly attachment?: L2Attachment;
  /** The host interface the plugin names, for the host-network rules. */
  readonly host?: HostRef;
}

/**
 * One plugin of a CNI configuration list. The first plugin creates the
 * interface; later ones (such as `tuning()`) adjust it.
 */
export class CniPlugin {
  /**
   * The Linux bridge plugin: each interface is a veth port of a bridge on
   * the node, optionally tagged with a VLAN.
   * @see https://www.cni.dev/plugins/current/main/bridge/
   */
  public static bridge(options: CniPluginBridgeOptions = {}): CniPlugin {
    checkShape('CniPlugin.bridge', 'options', options, {
      bridge: Shape.optString,
      vlan: Shape.optNumber,
      preserveDefaultVlan: Shape.optBoolean,
      mtu: Shape.optNumber,
      isGateway: Shape.optBoolean,
      isDefaultGateway: Shape.optBoolean,
      ipMasq: Shape.optBoolean,
      promiscMode: Shape.optBoolean,
      hairpinMode: Shape.optBoolean,
      macspoofchk: Shape.optBoolean,
    });
    return new CniPlugin('bridge', 'bridge', options);
  }

  /**
   * The macvlan plugin: each interface gets its own MAC address on a node interface.
   * @see https://www.cni.dev/plugins/current/main/macvlan/
   */
  public static macvlan(options: CniPluginMacvlanOptions = {}): CniPlugin {
    checkShape('CniPlugin.macvlan', 'options', options, {
      master: Shape.optString, mtu: Shape.optNumber,
    });
    return new CniPlugin('macvlan', 'macvlan', options);
  }

  /**
   * The Open vSwitch plugin (ovs-cni): each interface is a port of an OVS bridge on the node.
   * @see https://github.com/k8snetworkplumbingwg/ovs-cni/blob/main/docs/cni-plugin.md
   */
  public static ovs(options: CniPluginOvsOptions = {}): CniPlugin {
    checkShape('CniPlugin.ovs', 'options', options, { bridge: Shape.optString, vlan: Shape.optNumber, mtu: Shape.optNumber });
    return new CniPlugin('ovs', 'ovs', options);
  }

  /**
   * The tuning meta plugin: sysctls and link settings for the interface the
   * previous plugin created. It cannot be the first plugin.
   * @see https://www.cni.dev/plugins/current/meta/tuning/
   */
  public static tuning(options: CniPluginTuningOptions = {}): CniPlugin {
    checkShape('CniPlugin.tuning', 'options', options, {
      sysctl: Shape.optObject, mac: Shape.optString, mtu: Shape.optNumber, promisc: Shape.optBoolean, allmulti: Shape.optBoolean,
    });
    return new CniPlugin('tuning', 'tuning', options);
  }

  /**
   * Any other plugin, written as its JSON config object (it must have a
   * `type`). It is rendered with `type` first and every other key, at every
   * depth, sorted alphabetically, so the output is the same whatever order
   * the object was written in; array order is kept. The library does not
   * look inside it, so the bridge, VLAN and address rules do not apply to it.
   */
  public static custom(config: { [key: string]: any }): CniPlugin {
    checkShape('CniPlugin.custom', 'config', config, {});
    const type = config !== null && typeof config === 'object' ? config.type : undefined;
    return new CniPlugin('custom', typeof type === 'string' ? type : '', config);
  }

  /** The plugin type, as written in the config (`bridge`, `macvlan`...). */
  public readonly type: string;
  private readonly kind: PluginKind;
  private readonly options: any;

  private constructor(kind: PluginKind, type: string, options: any) {
    this.kind = kind;
    this.type = type;
    this.options = kind === 'custom' ? sortKeysDeep(options) : { ...options };
  }

  /** Whether the plugin only adjusts an interface an earlier plugin created. @internal */
  public get _isMeta(): boolean {
    return this.kind === 'tuning';
  }

  /**
   * The macvlan mode of a macvlan plugin (typed or custom), the plugin's
   * default 'bridge' when unset; undefined for every other plugin. @internal
   */
  public get _macvlanMode(): string | undefined {
    if (this.type !== 'macvlan') return undefined;
    return typeof this.options.mode === 'string' ? this.options.mode : MacvlanMode.BRIDGE;
  }

  /** The IPAM type of a typed plugin (`whereabouts`...), undefined without IPAM or for custom plugins. @internal */
  public get _ipamType(): string | undefined {
    return this.kind !== 'custom' && this.options.ipam instanceof Ipam ? this.options.ipam.type : undefined;
  }

  /** @internal */
  public _validate(ctx: PropContext): ValidatedPlugin {
    const o = this.options;
    const pools = (): AddressPool[] => {
      if (o.ipam === undefined) return [];
      if (!(o.ipam instanceof Ipam)) ctx.fail('ipam', o.ipam, 'must be an Ipam', 'build it with Ipam.whereabouts(), Ipam.hostLocal(), Ipam.staticAddresses(), Ipam.dhcp() or Ipam.none()');
      return o.ipam._validate(ctx.child('ipam')).pools;
    };
    switch (this.kind) {
      case 'bridge': {
        // without a name the plugin attaches to (and creates) cni0:
        // containernetworking/plugins v1.9.1 plugins/main/bridge/bridge.go defaultBrName
        const host = this.hostRef(ctx, 'bridge', 'bridge', 'hostBridge', false) ?? this.pluginDefaultBridge(ctx);
        if (o.bridge !== undefined) ctx.interfaceName('bridge', o.bridge);
        if (o.vlan !== undefined) ctx.vlan('vlan', o.vlan);
        if (o.vlan !== undefined && o.vlanTrunk !== undefined) {
          ctx.fail('vlanTrunk', o.vlanTrunk.map((t: VlanTrunk) => t._toJson()), 'cannot be combined with vlan', 'use vlan for an access port or vlanTrunk for a trunk port, not both');
        }
        this.validateTrunk(ctx, 'vlanTrunk', o.vlanTrunk);
        if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
        if (o.hairpinMode === true && o.promiscMode === true) {
          ctx.fail('promiscMode', true, 'cannot be combined with hairpinMode: the bridge plugin refuses to set both', 'keep only one of promiscMode and hairpinMode');
        }
        return {
          pools: pools(),
          attachment: o.vlanTrunk === undefined ? { bridge: host.name, vlan: o.vlan, prop: o.vlan !== undefined ? ctx.prop('vlan') : host.prop } : undefined,
          host,
        };
      }
      case 'macvlan': {
        const host = this.hostRef(ctx, 'macvlan', 'master', 'hostMaster', false);
        if (o.master !== undefined) ctx.interfaceName('master', o.master);
        if (o.mode !== undefined && !Object.values(MacvlanMode).includes(o.mode)) {
          ctx.fail('mode', o.mode, `must be one of ${Object.values(MacvlanMode).join(', ')}`, 'use a MacvlanMode member');
        }
        if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
        return { pools: pools(), host };
      }
      case 'ovs': {
        const host = this.hostRef(ctx, 'ovs', 'bridge', 'hostBridge', true) as HostRef;
        if (o.bridge !== undefined) ctx.interfaceName('bridge', o.bridge);
        if (o.vlan !== undefined) ctx.vlan('vlan', o.vlan);
        this.validateTrunk(ctx, 'trunk', o.trunk);
        if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
        return {
          pools: pools(),
          attachment: o.vlan !== undefined || o.trunk === undefined ? { bridge: host.name, vlan: o.vlan, prop: o.vlan !== undefined ? ctx.prop('vlan') : host.prop } : undefined,
          host,
        };
      }
      case 'tuning':
        for (const key of Object.keys(o.sysctl ?? {})) {
          if (!key.startsWith('net.')) {
            ctx.fail(`sysctl['${key}']`, key, 'must be a network sysctl (starting with \'net.\'), the only ones a network namespace has', 'set other sysctls on the node or the VM guest');
          }
          if (typeof o.sysctl[key] !== 'string') {
            ctx.fail(`sysctl['${key}']`, o.sysctl[key], 'must be a string', `write the value in quotes, e.g. '${String(o.sysctl[key])}'`);
          }
        }
        if (o.mac !== undefined) {
          const problem = checkMacAddress(o.mac);
          if (problem) ctx.fail('mac', o.mac, problem, 'use a locally administered unicast address such as 02:00:00:00:00:01');
        }
        if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
        return { pools: [] };
      case 'custom':
        if (o === null || typeof o !== 'object' || Array.isArray(o)) {
          ctx.fail('config', o, 'must be a JSON object', 'pass the plugin config as an object with a type');
        }
        if (typeof o.type !== 'string' || o.type.length === 0) {
          ctx.fail('type', o.type, 'must be the plugin binary name', 'add a type to the custom plugin config, e.g. { type: \'sbr\' }');
        }
        return { pools: [] };
    }
  }

  /** The plugin's config object, keys in a fixed order. @internal */
  public _toJson(): Record<string, unknown> {
    const o = this.options;
    const trunk = (list?: VlanTrunk[]) => list?.map(t => t._toJson());
    const ipam = () => (o.ipam as Ipam | undefined)?._toJson();
    switch (this.kind) {
      case 'bridge': return compact({
        type: 'bridge',
        bridge: o.hostBridge?.bridgeName ?? o.bridge,
        vlan: o.vlan,
        vlanTrunk: trunk(o.vlanTrunk),
        preserveDefaultVlan: o.preserveDefaultVlan,
        mtu: o.mtu,
        isGateway: o.isGateway,
        isDefaultGateway: o.isDefaultGateway,
        ipMasq: o.ipMasq,
        promiscMode: o.promiscMode,
        hairpinMode: o.hairpinMode,
        macspoofchk: o.macspoofchk,
        ipam: ipam(),
      });
      case 'macvlan': return compact({
        type: 'macvlan',
        master: o.hostMaster?.bridgeName ?? o.master,
        mode: o.mode,
        mtu: o.mtu,
        ipam: ipam(),
      });
      case 'ovs': return compact({
        type: 'ovs',
        bridge: o.hostBridge?.bridgeName ?? o.bridge,
        vlan: o.vlan,
        trunk: trunk(o.trunk),
        mtu: o.mtu,
        ipam: ipam(),
      });
      case 'tuning': return compact({
        type: 'tuning',
        mac: o.mac,
        mtu: o.mtu,
        promisc: o.promisc,
        allmulti: o.allmulti,
        sysctl: o.sysctl === undefined ? undefined : sortKeysDeep(o.sysctl),
      });
      case 'custom': {
        // type first like every other plugin, then the sorted keys
        const { type, ...rest } = o as Record<string, unknown>;
        return { type, ...(rest as object) };
      }
    }
  }

  /**
   * The host interface named by a plain prop or its typed twin (never both;
   * `required` refuses neither), or undefined when neither is set.
   */
  private hostRef(ctx: PropContext, kind: HostRefKind, plain: string, typed: string, required: boolean): HostRef | undefined {
    const o = this.options;
    const fix = `pass exactly one: ${typed}: policy.bridge('name') or HostBridge.existing('name'), or ${plain}: 'name'`;
    if (o[plain] !== undefined && o[typed] !== undefined) {
      ctx.fail(typed, o[typed]?.bridgeName ?? o[typed], `cannot be combined with ${plain} '${o[plain]}'`, fix);
    }
    if (o[plain] === undefined && o[typed] === undefined) {
      if (required) ctx.fail(plain, undefined, `or ${typed} must name the host interface`, fix);
      return undefined;
    }
    const base = { kind, vlan: o.vlan, mtu: o.mtu, vlanProp: ctx.prop('vlan'), mtuProp: ctx.prop('mtu') };
    if (o[typed] !== undefined) {
      const ref: unknown = o[typed];
      requireHostBridge(ctx.scope, ctx.prop(typed), ref);
      ctx.interfaceName(`${typed}.bridgeName`, ref.bridgeName);
      return { ...base, name: ref.bridgeName, preExisting: ref.preExisting === true, prop: ctx.prop(typed) };
    }
    return { ...base, name: o[plain], preExisting: false, prop: ctx.prop(plain) };
  }

  /** The bridge plugin's own `cni0`, for a config that names no bridge. */
  private pluginDefaultBridge(ctx: PropContext): HostRef {
    const o = this.options;
    const props = { prop: ctx.prop('bridge'), vlanProp: ctx.prop('vlan'), mtuProp: ctx.prop('mtu') };
    return { kind: 'bridge', name: DEFAULT_BRIDGE_NAME, preExisting: false, pluginDefault: true, vlan: o.vlan, mtu: o.mtu, ...props };
  }

  private validateTrunk(ctx: PropContext, prop: string, trunk: VlanTrunk[] | undefined): void {
    if (trunk === undefined) return;
    if (!Array.isArray(trunk) || trunk.length === 0) {
      ctx.fail(prop, trunk, 'must list at least one VLAN', `add VlanTrunk.id() or VlanTrunk.range() entries, or leave ${prop} out`);
    }
    trunk.forEach((t, i) => {
      if (!(t instanceof VlanTrunk)) ctx.fail(`${prop}[${i}]`, t, 'must be a VlanTrunk', 'build entries with VlanTrunk.id() or VlanTrunk.range()');
      t._validate(ctx.child(`${prop}[${i}]`));
    });
  }
}
