import { HostInterfaceType } from '../host-interface-type';

/** The facts the host-network rules read from one interface of a policy. */
export interface HostInterfaceFacts {
  readonly name: string;
  readonly type: HostInterfaceType;
  readonly mtu?: number;
  /** Ports (bridges, bonds) or the base interface (VLAN, VXLAN). */
  readonly lowers: string[];
  readonly vlanFiltering: boolean;
  readonly trunk: Array<[number, number]>;
  /** A VXLAN's VNI, UDP port and header overhead (50 bytes over IPv4, 70 over IPv6). */
  readonly vxlan?: { readonly vni: number; readonly port: number; readonly ipVersion: number; readonly overhead: number };
}

/** Bytes a VXLAN packet adds over IPv4: outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8. */
export const VXLAN_OVERHEAD = 50;

/** Bytes a VXLAN packet adds over IPv6 (the outer IPv6 header is 40 bytes); the kernel caps the MTU by it. */
export const VXLAN6_OVERHEAD = 70;

/** The overhead of a VXLAN whose peer, group or local address has this IP version. */
export function vxlanOverhead(version: 4 | 6): number {
  return version === 6 ? VXLAN6_OVERHEAD : VXLAN_OVERHEAD;
}

/**
 * What the kernel keeps one VXLAN of per network namespace: its VNI, UDP
 * port and IP version (an IPv4 and an IPv6 VXLAN may share a VNI and port).
 */
export function vxlanSlot(vxlan: NonNullable<HostInterfaceFacts['vxlan']>): string {
  return `${vxlan.vni}/${vxlan.port}/${vxlan.ipVersion}`;
}
