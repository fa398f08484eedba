import { InterfacePlugin, trunkJson, ValidatedPlugin, validateTrunk } from './plugin';
import { CniPluginOvsOptions } from '../../cni-plugin-options';
import { HostRef } from '../../host/private/host-registry';
import { PropContext } from '../context';
import { compact } from '../json';

/** `CniPlugin.ovs()`: each interface is a port of an Open vSwitch bridge on the node. */
export class OvsPlugin extends InterfacePlugin<CniPluginOvsOptions> {
  public readonly type = 'ovs';

  public validate(ctx: PropContext): ValidatedPlugin {
    const o = this.options;
    const host = this.hostRef(ctx, 'ovs', { plain: 'bridge', plainValue: o.bridge, typed: 'hostBridge', typedValue: o.hostBridge }, true) as HostRef;
    if (o.bridge !== undefined) ctx.interfaceName('bridge', o.bridge);
    if (o.vlan !== undefined) ctx.vlan('vlan', o.vlan);
    validateTrunk(ctx, 'trunk', o.trunk);
    if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
    return {
      pools: this.pools(ctx),
      attachment: o.vlan !== undefined || o.trunk === undefined ? this.attachment(ctx, host) : undefined,
      host,
    };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return compact({
      type: 'ovs',
      bridge: o.hostBridge?.bridgeName ?? o.bridge,
      vlan: o.vlan,
      trunk: trunkJson(o.trunk),
      mtu: o.mtu,
      ipam: this.ipamJson(),
    });
  }
}
