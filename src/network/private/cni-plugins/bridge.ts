import { InterfacePlugin, trunkJson, ValidatedPlugin, validateTrunk } from './plugin';
import { CniPluginBridgeOptions } from '../../cni-plugin-options';
import { HostRef } from '../../host/private/host-registry';
import { PropContext } from '../context';
import { compact } from '../json';

/** The bridge the bridge plugin uses when its config names none (bridge.go defaultBrName). */
export const DEFAULT_BRIDGE_NAME = 'cni0';

/** `CniPlugin.bridge()`: each interface is a veth port of a Linux bridge on the node. */
export class BridgePlugin extends InterfacePlugin<CniPluginBridgeOptions> {
  public readonly type = 'bridge';

  public validate(ctx: PropContext): ValidatedPlugin {
    const o = this.options;
    // without a name the plugin attaches to (and creates) cni0:
    // containernetworking/plugins v1.9.1 plugins/main/bridge/bridge.go defaultBrName
    const host = this.hostRef(ctx, 'bridge', { plain: 'bridge', plainValue: o.bridge, typed: 'hostBridge', typedValue: o.hostBridge }, false)
      ?? this.pluginDefaultBridge(ctx);
    if (o.bridge !== undefined) ctx.interfaceName('bridge', o.bridge);
    if (o.vlan !== undefined) ctx.vlan('vlan', o.vlan);
    if (o.vlan !== undefined && o.vlanTrunk !== undefined) {
      ctx.fail('vlanTrunk', trunkJson(o.vlanTrunk), 'cannot be combined with vlan', 'use vlan for an access port or vlanTrunk for a trunk port, not both');
    }
    validateTrunk(ctx, 'vlanTrunk', o.vlanTrunk);
    if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
    if (o.hairpinMode === true && o.promiscMode === true) {
      ctx.fail('promiscMode', true, 'cannot be combined with hairpinMode: the bridge plugin refuses to set both', 'keep only one of promiscMode and hairpinMode');
    }
    return {
      pools: this.pools(ctx),
      attachment: o.vlanTrunk === undefined ? this.attachment(ctx, host) : undefined,
      host,
    };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return compact({
      type: 'bridge',
      bridge: o.hostBridge?.bridgeName ?? o.bridge,
      vlan: o.vlan,
      vlanTrunk: trunkJson(o.vlanTrunk),
      preserveDefaultVlan: o.preserveDefaultVlan,
      mtu: o.mtu,
      isGateway: o.isGateway,
      isDefaultGateway: o.isDefaultGateway,
      ipMasq: o.ipMasq,
      promiscMode: o.promiscMode,
      hairpinMode: o.hairpinMode,
      macspoofchk: o.macspoofchk,
      ipam: this.ipamJson(),
    });
  }

  /** The bridge plugin's own `cni0`, for a config that names no bridge. */
  private pluginDefaultBridge(ctx: PropContext): HostRef {
    const o = this.options;
    const props = { prop: ctx.prop('bridge'), vlanProp: ctx.prop('vlan'), mtuProp: ctx.prop('mtu') };
    return { kind: 'bridge', name: DEFAULT_BRIDGE_NAME, preExisting: false, pluginDefault: true, vlan: o.vlan, mtu: o.mtu, ...props };
  }
}
