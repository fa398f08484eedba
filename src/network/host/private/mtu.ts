import { HostInterfaceFacts, VXLAN_OVERHEAD } from './interface-summary';
import { HostInterfaceType } from '../host-interface';

/** MTU the kernel gives an Ethernet-like interface nobody set one on. */
export const DEFAULT_MTU = 1500;

/**
 * The MTU each interface of one policy ends up with, as the kernel derives
 * it: the explicit `mtu`, else a bridge's smallest port, a VLAN's base, a
 * VXLAN's base less its overhead (50 bytes, 70 over IPv6), and 1500 for an interface the
 * policy does not describe (a NIC it only names).
 */
export class PolicyMtus {
  private readonly byName = new Map<string, HostInterfaceFacts>();
  private readonly memo = new Map<string, number>();

  public constructor(interfaces: HostInterfaceFacts[]) {
    for (const f of interfaces) this.byName.set(f.name, f);
  }

  public interface(name: string): HostInterfaceFacts | undefined {
    return this.byName.get(name);
  }

  /** Effective MTU of an interface by name. */
  public of(name: string, visiting: Set<string> = new Set()): number {
    const known = this.memo.get(name);
    if (known !== undefined) return known;
    const f = this.byName.get(name);
    if (!f || visiting.has(name)) return DEFAULT_MTU;
    visiting.add(name);
    let mtu: number;
    if (f.mtu !== undefined) {
      mtu = f.mtu;
    } else if (f.type === HostInterfaceType.VXLAN) {
      mtu = this.of(f.lowers[0], visiting) - (f.vxlan?.overhead ?? VXLAN_OVERHEAD);
    } else if (f.type === HostInterfaceType.VLAN) {
      mtu = this.of(f.lowers[0], visiting);
    } else if (f.type === HostInterfaceType.LINUX_BRIDGE && f.lowers.length > 0) {
      mtu = Math.min(...f.lowers.map(p => this.of(p, visiting)));
    } else {
      mtu = DEFAULT_MTU;
    }
    visiting.delete(name);
    this.memo.set(name, mtu);
    return mtu;
  }
}
