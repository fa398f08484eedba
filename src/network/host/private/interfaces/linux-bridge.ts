import { BaseFacts, requirePorts, L2_OFF, TypedInterface } from './interface-variant';
import { propPath } from '../../../../validation/prop-path';
import { optionalArray, optionalBoolean } from '../../../../validation/types';
import { PropContext } from '../../../private/context';
import { VlanTrunk } from '../../../vlan-trunk';
import { HostInterfaceLinuxBridgeOptions } from '../../host-interface-options';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts } from '../interface-summary';

/** The VLANs a filtering bridge's ports carry by default: all but the untagged VLAN 1. */
const DEFAULT_TRUNK: Array<[number, number]> = [[2, 4094]];

/** `HostInterface.linuxBridge()`. */
export class LinuxBridgeInterface extends TypedInterface<HostInterfaceLinuxBridgeOptions> {
  public readonly type = HostInterfaceType.LINUX_BRIDGE;

  protected validateKind(ctx: PropContext, facts: BaseFacts): HostInterfaceFacts {
    const o = this.options;
    const scope = ctx.scope;
    const ports = optionalArray<string>(scope, ctx.prop('ports'), o.ports);
    requirePorts(ctx, 'ports', ports);
    optionalBoolean(scope, ctx.prop('stp'), o.stp);
    optionalBoolean(scope, ctx.prop('vlanFiltering'), o.vlanFiltering);
    const trunk = optionalArray<VlanTrunk>(scope, ctx.prop('trunkVlans'), o.trunkVlans, (t, p) => {
      if (!(t instanceof VlanTrunk)) ctx.fail(p.slice(ctx.prefix ? ctx.prefix.length + 1 : 0), t, 'must be a VlanTrunk', 'build entries with VlanTrunk.id() or VlanTrunk.range()');
    });
    trunk.forEach((t, i) => t._validate(ctx.child(propPath('trunkVlans', i))));
    if (o.trunkVlans !== undefined && o.vlanFiltering !== true) {
      ctx.fail('trunkVlans', trunk.map(t => t._toJson()), 'needs vlanFiltering', 'set vlanFiltering: true, or leave trunkVlans out');
    }
    if (o.trunkVlans !== undefined && trunk.length === 0) {
      ctx.fail('trunkVlans', [], 'must list at least one VLAN', 'add VlanTrunk.id() or VlanTrunk.range() entries, or leave trunkVlans out for every VLAN');
    }
    if (o.vlanFiltering === true && ports.length === 0) {
      ctx.fail('vlanFiltering', true, 'needs at least one port: nmstate turns VLAN filtering on through the ports\' trunk settings', 'add the uplink to ports, or leave vlanFiltering out');
    }
    const ranges = o.vlanFiltering === true ? (trunk.length > 0 ? trunk.map(t => t._range()) : DEFAULT_TRUNK) : [];
    return { ...facts, lowers: ports, vlanFiltering: o.vlanFiltering === true, trunk: ranges };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    const trunkTags = o.vlanFiltering === true
      ? (o.trunkVlans?.map(t => t._range()) ?? DEFAULT_TRUNK)
        .map(([min, max]) => (min === max ? { id: min } : { 'id-range': { min, max } }))
      : undefined;
    return {
      ...this.baseJson(),
      ...L2_OFF,
      bridge: {
        options: { stp: { enabled: o.stp === true } },
        port: (o.ports ?? []).map(name => (trunkTags ? { name, vlan: { 'mode': 'trunk', 'trunk-tags': trunkTags } } : { name })),
      },
    };
  }
}
