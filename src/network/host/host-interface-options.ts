import { BondMode } from './bond-mode';
import { VlanTrunk } from '../vlan-trunk';

/** Settings every typed host interface shares. */
export interface HostInterfaceCommonOptions {
  /** Interface name on the node (at most 15 characters, as `ip link` shows it). */
  readonly name: string;
  /**
   * MTU of the interface.
   * @default - left to the kernel (a bridge follows its ports, a VLAN its base, a VXLAN its base less 50 bytes, 70 over IPv6)
   */
  readonly mtu?: number;
}

/** Options of `HostInterface.linuxBridge()`. */
export interface HostInterfaceLinuxBridgeOptions extends HostInterfaceCommonOptions {
  /**
   * Interfaces enslaved to the bridge (NICs, bonds, VLAN or VXLAN interfaces).
   * @default - no ports: a bridge local to each node
   */
  readonly ports?: string[];
  /**
   * Run the spanning tree protocol on the bridge.
   * @default false
   */
  readonly stp?: boolean;
  /**
   * Make every port a VLAN trunk (the kernel's VLAN filtering), so VLAN-tagged
   * networks on the bridge reach the other nodes through its ports. Needs at
   * least one port.
   * @default false
   */
  readonly vlanFiltering?: boolean;
  /**
   * VLANs the ports carry when `vlanFiltering` is on.
   * @default - every VLAN from 2 to 4094 (VLAN 1 stays the untagged default)
   */
  readonly trunkVlans?: VlanTrunk[];
}

/** Options of `HostInterface.vlan()`. */
export interface HostInterfaceVlanOptions extends HostInterfaceCommonOptions {
  /** The interface the VLAN is tagged on (`base-iface`). */
  readonly base: string;
  /** VLAN id, 1 to 4094. */
  readonly id: number;
}

/** Options of `HostInterface.vxlan()`. */
export interface HostInterfaceVxlanOptions extends HostInterfaceCommonOptions {
  /** VXLAN network identifier (VNI), 0 to 16777215. */
  readonly id: number;
  /** The underlay interface the tunnel's packets leave through (`base-iface`). */
  readonly base: string;
  /**
   * Unicast address of the one peer (point-to-point tunnel); exclusive with `group`.
   * @default - none: `group` must be set
   */
  readonly remote?: string;
  /**
   * Multicast group that every endpoint of the VNI joins; exclusive with `remote`.
   * @default - none: `remote` must be set
   */
  readonly group?: string;
  /**
   * Local source address of the tunnel.
   * @default - chosen by the kernel from the base interface
   */
  readonly local?: string;
  /**
   * UDP destination port.
   * @default 4789 (the IANA VXLAN port)
   */
  readonly destinationPort?: number;
}

/** Options of `HostInterface.bond()`. */
export interface HostInterfaceBondOptions extends HostInterfaceCommonOptions {
  /** Bonding mode. */
  readonly mode: BondMode;
  /** Interfaces bonded together (at least one). */
  readonly ports: string[];
  /**
   * Bonding options by their kernel names, e.g. `{ miimon: '100' }`.
   * @default - the kernel's defaults
   */
  readonly options?: { [name: string]: string };
}

/** Options of `HostInterface.ovsBridge()`. */
export interface HostInterfaceOvsBridgeOptions {
  /** Name of the Open vSwitch bridge. */
  readonly name: string;
  /**
   * Interfaces added as ports of the bridge.
   * @default - no ports
   */
  readonly ports?: string[];
  /**
   * Run the spanning tree protocol on the bridge.
   * @default false
   */
  readonly stp?: boolean;
}

/** Options of `HostInterface.ethernet()`. */
export interface HostInterfaceEthernetOptions extends HostInterfaceCommonOptions {
  /**
   * Switch IPv4 off on the NIC (typical for a port that only carries a bridge's traffic).
   * @default - IPv4 left as it is
   */
  readonly disableIpv4?: boolean;
  /**
   * Switch IPv6 off on the NIC.
   * @default - IPv6 left as it is
   */
  readonly disableIpv6?: boolean;
}
