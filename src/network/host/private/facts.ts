import type { HostInterfaceType } from '../host-interface';

/** The facts the host-network rules read from one interface of a policy. */
export interface HostInterfaceFacts {
  readonly name: string;
  readonly type: HostInterfaceType;
  readonly mtu?: number;
  /** Ports (bridges, bonds) or the base interface (VLAN, VXLAN). */
  readonly lowers: string[];
  readonly vlanFiltering: boolean;
  readonly trunk: Array<[number, number]>;
}
