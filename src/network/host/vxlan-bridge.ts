import { Construct } from 'constructs';
import { IHostBridge } from './host-bridge';
import { HostInterface } from './host-interface';
import { MaxUnavailable, NodeNetworkConfigurationPolicy } from './node-network-configuration-policy';
import { vxlanOverhead } from './private/interface-summary';
import { parseIp, propError, propPath } from '../../validation';
import { optionalArray, optionalNumber, optionalString, requireNumber, requireString, requireStruct } from '../../validation/types';
import { VlanTrunk } from '../cni-plugin';

/** One end of a point-to-point VXLAN: a node and its underlay address. */
export interface VxlanPeer {
  /** Name of the node (its `kubernetes.io/hostname` label). */
  readonly node: string;
  /** The node's address on the underlay interface. */
  readonly address: string;
}

/** Props of `VxlanBridge`. */
export interface VxlanBridgeProps {
  /**
   * Name of the policy; with `peers`, each policy gets it followed by the node's name.
   * @default - names derived from the construct path
   */
  readonly name?: string;
  /** VXLAN network identifier (VNI) of the tunnel, 0 to 16777215. */
  readonly vni: number;
  /** The underlay interface the tunnel runs over on every node, e.g. `eth0`. */
  readonly underlay: string;
  /**
   * Multicast group every node joins; exclusive with `peers`.
   * @default - none: `peers` must be set
   */
  readonly group?: string;
  /**
   * The two nodes of a point-to-point tunnel (for underlays without
   * multicast, such as most public clouds); each gets a policy whose
   * `remote` is the other. Exclusive with `group`.
   * @default - none: `group` must be set
   */
  readonly peers?: VxlanPeer[];
  /**
   * Name of the bridge on the nodes, the one networks attach to.
   * @default 'br-vx'
   */
  readonly bridgeName?: string;
  /**
   * Name of the VXLAN interface.
   * @default - `vxlan` followed by the VNI
   */
  readonly vxlanName?: string;
  /**
   * MTU of the underlay; the tunnel and the bridge get 50 bytes less (70
   * when the group or peers are IPv6). When set, the policy also sets it on
   * the underlay interface.
   * @default 1500 (the underlay is left as it is)
   */
  readonly underlayMtu?: number;
  /**
   * VLANs the bridge trunks through the tunnel.
   * @default - every VLAN from 2 to 4094
   */
  readonly trunkVlans?: VlanTrunk[];
  /**
   * Nodes that get the tunnel when `group` is used (with `peers`, each
   * policy selects its own node).
   * @default - every node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * UDP destination port of the tunnel.
   * @default 4789
   */
  readonly destinationPort?: number;
  /**
   * How many nodes apply the policy at the same time.
   * @default - the handler's default
   */
  readonly maxUnavailable?: MaxUnavailable;
}

const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * A VLAN-capable Linux bridge on a VXLAN tunnel between the nodes: the
 * layer-2 segment for VM networks where the underlay has no VLANs of its
 * own. It writes one NodeNetworkConfigurationPolicy (multicast `group`) or
 * one per peer (point-to-point `peers`), each with the VXLAN interface on
 * the underlay and the bridge with the VXLAN as its trunk port, MTUs sized
 * for the VXLAN overhead (50 bytes, 70 over an IPv6 underlay). `bridge` is what networks attach to:
 * `CniPlugin.bridge({ hostBridge: vx.bridge, vlan: 100 })`.
 */
export class VxlanBridge extends Construct {
  /** The bridge networks attach to. */
  public readonly bridge: IHostBridge;
  /** Name of the bridge on the nodes. */
  public readonly bridgeName: string;
  /** MTU of the bridge and the tunnel (the underlay's less 50 bytes, 70 over IPv6). */
  public readonly mtu: number;
  /** The policies written (one, or one per peer). */
  public readonly policies: NodeNetworkConfigurationPolicy[];

  public constructor(scope: Construct, id: string, props: VxlanBridgeProps) {
    super(scope, id);
    requireStruct(this, 'props', props);
    requireNumber(this, 'vni', props.vni);
    requireString(this, 'underlay', props.underlay, 'name the underlay interface, e.g. \'eth0\'');
    optionalString(this, 'name', props.name);
    optionalString(this, 'group', props.group);
    optionalString(this, 'bridgeName', props.bridgeName);
    optionalString(this, 'vxlanName', props.vxlanName);
    optionalNumber(this, 'underlayMtu', props.underlayMtu);
    const peers = optionalArray<VxlanPeer>(this, 'peers', props.peers, (p, prop) => {
      const peer = requireStruct<VxlanPeer>(this, prop, p as VxlanPeer);
      requireString(this, propPath(prop, 'node'), peer.node);
      requireString(this, propPath(prop, 'address'), peer.address);
    });
    if ((props.group === undefined) === (props.peers === undefined)) {
      throw propError(this, 'group', props.group, props.group === undefined ? 'or peers must be set' : 'cannot be combined with peers',
        'use group (a multicast group such as 239.1.1.1) where the underlay carries multicast, or peers (two nodes) where it does not');
    }
    if (props.peers !== undefined && peers.length !== 2) {
      throw propError(this, 'peers', peers, 'must list exactly two nodes: one VXLAN interface reaches one unicast peer',
        'list the two nodes of the tunnel, or use a multicast group for more nodes');
    }
    this.bridgeName = props.bridgeName ?? 'br-vx';
    const vxlanName = props.vxlanName ?? `vxlan${props.vni}`;
    const underlayMtu = props.underlayMtu ?? 1500;
    // an unparsable address is refused by the VXLAN interface below
    const version = parseIp(props.group ?? peers[0]?.address ?? '')?.version ?? 4;
    this.mtu = underlayMtu - vxlanOverhead(version);
    // the underlay is written only when its MTU is given: it is often the node's main NIC
    const interfaces = (remote: string | undefined) => [
      ...(props.underlayMtu !== undefined ? [HostInterface.ethernet({ name: props.underlay, mtu: underlayMtu })] : []),
      HostInterface.vxlan({
        name: vxlanName, id: props.vni, base: props.underlay, remote, group: props.group, destinationPort: props.destinationPort, mtu: this.mtu,
      }),
      HostInterface.linuxBridge({ name: this.bridgeName, ports: [vxlanName], vlanFiltering: true, trunkVlans: props.trunkVlans, mtu: this.mtu }),
    ];
    if (props.group !== undefined) {
      this.policies = [new NodeNetworkConfigurationPolicy(this, 'Policy', {
        name: props.name,
        interfaces: interfaces(undefined),
        nodeSelector: props.nodeSelector,
        maxUnavailable: props.maxUnavailable,
      })];
    } else {
      if (props.nodeSelector !== undefined) {
        throw propError(this, 'nodeSelector', props.nodeSelector, 'cannot be combined with peers: each peer\'s policy selects its own node', 'leave nodeSelector out');
      }
      this.policies = peers.map((peer, i) => new NodeNetworkConfigurationPolicy(this, `Peer${i}`, {
        name: props.name !== undefined ? `${props.name}-${peer.node}` : undefined,
        interfaces: interfaces(peers[1 - i].address),
        nodeSelector: { [HOSTNAME_LABEL]: peer.node },
        maxUnavailable: props.maxUnavailable,
      }));
    }
    this.bridge = this.policies[0].bridge(this.bridgeName);
  }
}
