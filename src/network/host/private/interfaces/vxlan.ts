import { BaseFacts, L2_OFF, TypedInterface } from './interface-variant';
import { parseCidr } from '../../../../validation';
import { optionalNumber, optionalString, requireNumber, requireString } from '../../../../validation/types';
import { PropContext } from '../../../private/context';
import { HostInterfaceVxlanOptions } from '../../host-interface-options';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts, vxlanOverhead } from '../interface-summary';

const VNI_MAX = 16777215;

/** `HostInterface.vxlan()`. */
export class VxlanInterface extends TypedInterface<HostInterfaceVxlanOptions> {
  public readonly type = HostInterfaceType.VXLAN;

  protected validateKind(ctx: PropContext, facts: BaseFacts): HostInterfaceFacts {
    const o = this.options;
    const scope = ctx.scope;
    requireNumber(scope, ctx.prop('id'), o.id);
    if (!Number.isInteger(o.id) || o.id < 0 || o.id > VNI_MAX) {
      ctx.fail('id', o.id, `must be a whole number between 0 and ${VNI_MAX}`, 'pick a VNI that fits in 24 bits');
    }
    requireString(scope, ctx.prop('base'), o.base, 'name the underlay interface, e.g. \'eth0\'');
    ctx.interfaceName('base', o.base);
    optionalString(scope, ctx.prop('remote'), o.remote);
    optionalString(scope, ctx.prop('group'), o.group);
    optionalString(scope, ctx.prop('local'), o.local);
    optionalNumber(scope, ctx.prop('destinationPort'), o.destinationPort);
    if (o.remote === undefined && o.group === undefined) {
      ctx.fail('remote', undefined, 'or group must be set: without them the tunnel sends its traffic nowhere', 'set remote to the peer\'s underlay address, or group to a multicast group such as 239.1.1.1');
    }
    if (o.remote !== undefined && o.group !== undefined) {
      ctx.fail('group', o.group, 'cannot be combined with remote', 'use remote for one peer or group for many, not both');
    }
    const peer = o.remote !== undefined ? ctx.ip('remote', o.remote) : ctx.ip('group', o.group as string);
    if (o.remote !== undefined && isMulticast(peer)) {
      ctx.fail('remote', o.remote, 'is a multicast address', 'put a multicast address in group, or the peer\'s unicast address in remote');
    }
    if (o.group !== undefined && !isMulticast(peer)) {
      ctx.fail('group', o.group, 'must be a multicast address (224.0.0.0/4 or ff00::/8)', 'use an administratively scoped group such as 239.1.1.1, or set remote for one unicast peer');
    }
    if (o.local !== undefined && ctx.ip('local', o.local).version !== peer.version) {
      ctx.fail('local', o.local, `must be an IPv${peer.version} address like ${o.remote !== undefined ? 'remote' : 'group'} ${o.remote ?? o.group}: the tunnel runs over one IP version`,
        `use the node's IPv${peer.version} address on the underlay, or leave local out`);
    }
    if (o.destinationPort !== undefined && (!Number.isInteger(o.destinationPort) || o.destinationPort < 1 || o.destinationPort > 65535)) {
      ctx.fail('destinationPort', o.destinationPort, 'must be a UDP port between 1 and 65535', 'leave it out for the standard port 4789');
    }
    const vxlan = { vni: o.id, port: o.destinationPort ?? 4789, ipVersion: peer.version, overhead: vxlanOverhead(peer.version) };
    return { ...facts, lowers: [o.base], vxlan };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return {
      ...this.baseJson(),
      ...L2_OFF,
      vxlan: {
        'base-iface': o.base,
        'id': o.id,
        'remote': o.remote ?? o.group,
        ...(o.local !== undefined ? { local: o.local } : {}),
        'destination-port': o.destinationPort ?? 4789,
      },
    };
  }
}

const IPV4_MULTICAST = parseCidr('224.0.0.0/4')!;
const IPV6_MULTICAST = parseCidr('ff00::/8')!;

function isMulticast(ip: { version: 4 | 6; value: bigint }): boolean {
  const block = ip.version === 4 ? IPV4_MULTICAST : IPV6_MULTICAST;
  return ip.value >= block.first && ip.value <= block.last;
}
