import { CniPluginBridgeOptions, CniPluginMacvlanOptions, CniPluginOvsOptions, CniPluginTuningOptions } from './cni-plugin-options';
import { requireShape, Shape } from '../validation';
import { BridgePlugin } from './private/cni-plugins/bridge';
import { CustomPlugin } from './private/cni-plugins/custom';
import { MacvlanPlugin } from './private/cni-plugins/macvlan';
import { OvsPlugin } from './private/cni-plugins/ovs';
import { PluginVariant, ValidatedPlugin } from './private/cni-plugins/plugin';
import { TuningPlugin } from './private/cni-plugins/tuning';
import { PropContext } from './private/context';

export * from './cni-plugin-options';
export { DEFAULT_BRIDGE_NAME } from './private/cni-plugins/bridge';
export { MacvlanMode } from './macvlan-mode';
export { VlanTrunk } from './vlan-trunk';

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
    requireShape('CniPlugin.bridge', 'options', options, {
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
    return new CniPlugin(new BridgePlugin(options));
  }

  /**
   * The macvlan plugin: each interface gets its own MAC address on a node interface.
   * @see https://www.cni.dev/plugins/current/main/macvlan/
   */
  public static macvlan(options: CniPluginMacvlanOptions = {}): CniPlugin {
    requireShape('CniPlugin.macvlan', 'options', options, {
      master: Shape.optString, mtu: Shape.optNumber,
    });
    return new CniPlugin(new MacvlanPlugin(options));
  }

  /**
   * The Open vSwitch plugin (ovs-cni): each interface is a port of an OVS bridge on the node.
   * @see https://github.com/k8snetworkplumbingwg/ovs-cni/blob/main/docs/cni-plugin.md
   */
  public static ovs(options: CniPluginOvsOptions = {}): CniPlugin {
    requireShape('CniPlugin.ovs', 'options', options, { bridge: Shape.optString, vlan: Shape.optNumber, mtu: Shape.optNumber });
    return new CniPlugin(new OvsPlugin(options));
  }

  /**
   * The tuning meta plugin: sysctls and link settings for the interface the
   * previous plugin created. It cannot be the first plugin.
   * @see https://www.cni.dev/plugins/current/meta/tuning/
   */
  public static tuning(options: CniPluginTuningOptions = {}): CniPlugin {
    requireShape('CniPlugin.tuning', 'options', options, {
      sysctl: Shape.optObject, mac: Shape.optString, mtu: Shape.optNumber, promisc: Shape.optBoolean, allmulti: Shape.optBoolean,
    });
    return new CniPlugin(new TuningPlugin(options));
  }

  /**
   * Any other plugin, written as its JSON config object (it must have a
   * `type`). It is rendered with `type` first and every other key, at every
   * depth, sorted alphabetically, so the output is the same whatever order
   * the object was written in; array order is kept. The library does not
   * look inside it, so the bridge, VLAN and address rules do not apply to it.
   */
  public static custom(config: { [key: string]: any }): CniPlugin {
    requireShape('CniPlugin.custom', 'config', config, {});
    return new CniPlugin(new CustomPlugin(config));
  }

  /** The plugin type, as written in the config (`bridge`, `macvlan`...). */
  public readonly type: string;
  private readonly variant: PluginVariant;

  private constructor(variant: PluginVariant) {
    this.variant = variant;
    this.type = variant.type;
  }

  /** Whether the plugin only adjusts an interface an earlier plugin created. @internal */
  public get _isMeta(): boolean {
    return this.variant.isMeta;
  }

  /**
   * The macvlan mode of a macvlan plugin (typed or custom), the plugin's
   * default 'bridge' when unset; undefined for every other plugin. @internal
   */
  public get _macvlanMode(): string | undefined {
    return this.variant.macvlanMode;
  }

  /** The IPAM type of a typed plugin (`whereabouts`...), undefined without IPAM or for custom plugins. @internal */
  public get _ipamType(): string | undefined {
    return this.variant.ipamType;
  }

  /** @internal */
  public _validate(ctx: PropContext): ValidatedPlugin {
    return this.variant.validate(ctx);
  }

  /** The plugin's config object, keys in a fixed order. @internal */
  public _toJson(): Record<string, unknown> {
    return this.variant.toJson();
  }
}
