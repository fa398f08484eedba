import { BondMode } from './bond-mode';
import type {
  HostInterfaceBondOptions, HostInterfaceEthernetOptions, HostInterfaceLinuxBridgeOptions, HostInterfaceOvsBridgeOptions, HostInterfaceVlanOptions,
  HostInterfaceVxlanOptions,
} from './host-interface-options';
import { HostInterfaceType } from './host-interface-type';
import { parseCidr } from '../../validation';
import { HostInterfaceFacts, vxlanOverhead } from './private/facts';
import {
  optionalArray, optionalBoolean, optionalEnum, optionalNumber, optionalString, requireNumber, requireString, requireStruct,
} from '../../validation/types';
import { PropContext } from '../private/context';
import { sortKeysDeep } from '../private/json';
import { VlanTrunk } from '../vlan-trunk';

export * from './host-interface-options';
export { BondMode } from './bond-mode';
export { HostInterfaceType } from './host-interface-type';

const VNI_MAX = 16777215;
const DEFAULT_TRUNK: Array<[number, number]> = [[2, 4094]];

function checkPorts(ctx: PropContext, prop: string, ports: string[]): void {
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    requireString(ctx.scope, ctx.prop(`${prop}[${i}]`), p);
    ctx.interfaceName(`${prop}[${i}]`, p);
    if (seen.has(p)) ctx.fail(`${prop}[${i}]`, p, 'is listed twice', 'list every port once');
    seen.add(p);
  });
}

/**
 * One interface of a node's desired network state, in nmstate's terms. Build
 * it with the static factories; `custom()` takes any nmstate interface object
 * for what the typed ones do not cover. Typed layer-2 interfaces (bridges,
 * VLANs, VXLANs, bonds) are written with IPv4 and IPv6 off: they carry VM
 * traffic, the node itself has no address on them.
 * @see https://nmstate.io/
 */
export class HostInterface {
  /** A Linux bridge, the host side of `CniPlugin.bridge()` networks. */
  public static linuxBridge(options: HostInterfaceLinuxBridgeOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(HostInterfaceType.LINUX_BRIDGE, o.name, o);
  }

  /** An 802.1Q VLAN interface on a base interface. */
  public static vlan(options: HostInterfaceVlanOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(HostInterfaceType.VLAN, o.name, o);
  }

  /** A VXLAN tunnel endpoint over an underlay interface, to one peer (`remote`) or a multicast `group`. */
  public static vxlan(options: HostInterfaceVxlanOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(HostInterfaceType.VXLAN, o.name, o);
  }

  /** A bond of several ports. */
  public static bond(options: HostInterfaceBondOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(HostInterfaceType.BOND, o.name, o);
  }

  /** An Open vSwitch bridge, the host side of `CniPlugin.ovs()` networks (needs Open vSwitch on the nodes). */
  public static ovsBridge(options: HostInterfaceOvsBridgeOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(HostInterfaceType.OVS_BRIDGE, o.name, o);
  }

  /** Settings of a physical NIC: its MTU, or IPv4/IPv6 switched off on it. */
  public static ethernet(options: HostInterfaceEthernetOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(HostInterfaceType.ETHERNET, o.name, o);
  }

  /**
   * Any nmstate interface object, written as it is (keys sorted at every
   * depth, array order kept). It needs a `name`; the library reads only its
   * `name`, `type` and `mtu`.
   */
  public static custom(json: { [key: string]: any }): HostInterface {
    const o = requireStruct(undefined, 'json', json);
    return new HostInterface(HostInterfaceType.CUSTOM, o.name, sortKeysDeep(o));
  }

  /** Name of the interface on the node. */
  public readonly name: string;
  /** What kind of interface this is. */
  public readonly type: HostInterfaceType;
  private readonly options: any;

  private constructor(type: HostInterfaceType, name: string, options: any) {
    this.type = type;
    this.name = name;
    this.options = type === HostInterfaceType.CUSTOM ? options : { ...options };
  }

  /** Checks the options; returns what the rules need. @internal */
  public _validate(ctx: PropContext): HostInterfaceFacts {
    const o = this.options;
    const scope = ctx.scope;
    requireString(scope, ctx.prop('name'), o.name, 'name the interface as `ip link` shows it on the nodes');
    ctx.interfaceName('name', o.name);
    if (this.type === HostInterfaceType.CUSTOM) {
      if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
      return { name: o.name, type: this.type, mtu: o.mtu, lowers: [], vlanFiltering: false, trunk: [] };
    }
    optionalNumber(scope, ctx.prop('mtu'), o.mtu);
    if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
    const facts = {
      name: o.name as string, type: this.type, mtu: o.mtu as number | undefined, vlanFiltering: false, trunk: [] as Array<[number, number]>,
    };
    switch (this.type) {
      case HostInterfaceType.LINUX_BRIDGE: {
        const ports = optionalArray<string>(scope, ctx.prop('ports'), o.ports);
        checkPorts(ctx, 'ports', ports);
        optionalBoolean(scope, ctx.prop('stp'), o.stp);
        optionalBoolean(scope, ctx.prop('vlanFiltering'), o.vlanFiltering);
        const trunk = optionalArray<VlanTrunk>(scope, ctx.prop('trunkVlans'), o.trunkVlans, (t, p) => {
          if (!(t instanceof VlanTrunk)) ctx.fail(p.slice(ctx.prefix ? ctx.prefix.length + 1 : 0), t, 'must be a VlanTrunk', 'build entries with VlanTrunk.id() or VlanTrunk.range()');
        });
        trunk.forEach((t, i) => t._validate(ctx.child(`trunkVlans[${i}]`)));
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
      case HostInterfaceType.VLAN:
        requireString(scope, ctx.prop('base'), o.base);
        ctx.interfaceName('base', o.base);
        requireNumber(scope, ctx.prop('id'), o.id);
        ctx.vlan('id', o.id);
        if (o.base === o.name) ctx.fail('base', o.base, 'is the VLAN interface itself', 'name the NIC or bond the VLAN is tagged on');
        return { ...facts, lowers: [o.base] };
      case HostInterfaceType.VXLAN: {
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
        const peer = o.remote !== undefined ? ctx.ip('remote', o.remote) : ctx.ip('group', o.group);
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
      case HostInterfaceType.BOND: {
        optionalEnum(scope, ctx.prop('mode'), o.mode, BondMode, 'BondMode');
        if (o.mode === undefined) ctx.fail('mode', undefined, 'must be set', 'pick a BondMode, e.g. BondMode.ACTIVE_BACKUP');
        const ports = optionalArray<string>(scope, ctx.prop('ports'), o.ports);
        if (ports.length === 0) ctx.fail('ports', o.ports, 'must list at least one interface', 'list the NICs to bond, e.g. [\'eth1\', \'eth2\']');
        checkPorts(ctx, 'ports', ports);
        if (o.options !== undefined) {
          for (const [k, v] of Object.entries(requireStruct(scope, ctx.prop('options'), o.options))) {
            if (typeof v !== 'string') ctx.fail(`options.${k}`, v, 'must be a string', `write the value in quotes, e.g. '${String(v)}'`);
          }
        }
        return { ...facts, lowers: ports };
      }
      case HostInterfaceType.OVS_BRIDGE: {
        const ports = optionalArray<string>(scope, ctx.prop('ports'), o.ports);
        checkPorts(ctx, 'ports', ports);
        optionalBoolean(scope, ctx.prop('stp'), o.stp);
        return { ...facts, mtu: undefined, lowers: ports };
      }
      case HostInterfaceType.ETHERNET:
        optionalBoolean(scope, ctx.prop('disableIpv4'), o.disableIpv4);
        optionalBoolean(scope, ctx.prop('disableIpv6'), o.disableIpv6);
        return { ...facts, lowers: [] };
    }
    return { ...facts, lowers: [] };
  }

  /** The nmstate interface object, keys in a fixed order. @internal */
  public _toJson(): Record<string, unknown> {
    const o = this.options;
    const l2Off = { ipv4: { enabled: false }, ipv6: { enabled: false } };
    const base = { name: o.name, type: this.type as string, state: 'up', ...(o.mtu !== undefined ? { mtu: o.mtu } : {}) };
    switch (this.type) {
      case HostInterfaceType.LINUX_BRIDGE: {
        const trunkTags = o.vlanFiltering === true
          ? ((o.trunkVlans as VlanTrunk[] | undefined)?.map(t => t._range()) ?? DEFAULT_TRUNK)
            .map(([min, max]) => (min === max ? { id: min } : { 'id-range': { min, max } }))
          : undefined;
        return {
          ...base,
          ...l2Off,
          bridge: {
            options: { stp: { enabled: o.stp === true } },
            port: ((o.ports ?? []) as string[]).map(name => (trunkTags ? { name, vlan: { 'mode': 'trunk', 'trunk-tags': trunkTags } } : { name })),
          },
        };
      }
      case HostInterfaceType.VLAN:
        return { ...base, ...l2Off, vlan: { 'base-iface': o.base, 'id': o.id } };
      case HostInterfaceType.VXLAN:
        return {
          ...base,
          ...l2Off,
          vxlan: {
            'base-iface': o.base,
            'id': o.id,
            'remote': o.remote ?? o.group,
            ...(o.local !== undefined ? { local: o.local } : {}),
            'destination-port': o.destinationPort ?? 4789,
          },
        };
      case HostInterfaceType.BOND:
        return {
          ...base,
          ...l2Off,
          'link-aggregation': {
            mode: o.mode,
            port: [...o.ports],
            ...(o.options !== undefined ? { options: sortKeysDeep(o.options) } : {}),
          },
        };
      case HostInterfaceType.OVS_BRIDGE:
        return {
          name: o.name,
          type: 'ovs-bridge',
          state: 'up',
          bridge: {
            options: { stp: o.stp === true },
            port: ((o.ports ?? []) as string[]).map(name => ({ name })),
          },
        };
      case HostInterfaceType.ETHERNET:
        return {
          ...base,
          ...(o.disableIpv4 === true ? { ipv4: { enabled: false } } : {}),
          ...(o.disableIpv6 === true ? { ipv6: { enabled: false } } : {}),
        };
      case HostInterfaceType.CUSTOM:
        return { ...o };
    }
  }
}

const IPV4_MULTICAST = parseCidr('224.0.0.0/4')!;
const IPV6_MULTICAST = parseCidr('ff00::/8')!;

function isMulticast(ip: { version: 4 | 6; value: bigint }): boolean {
  const block = ip.version === 4 ? IPV4_MULTICAST : IPV6_MULTICAST;
  return ip.value >= block.first && ip.value <= block.last;
}

