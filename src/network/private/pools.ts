/**
 * An address pool that an IPAM configuration hands addresses out of, used by
 * the graph rule that finds overlapping pools on one bridge and VLAN.
 */
export interface AddressPool {
  readonly version: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  /** The prop that defines the pool, for messages (`plugins[0].ipam.range`). */
  readonly prop: string;
  /** The pool as the user wrote it, for messages. */
  readonly text: string;
  /**
   * Pools with the same key share whereabouts' cluster-wide reservation of
   * each address (keyed by `network_name` and address, the unnamed pool
   * included), so overlapping them never gives one address out twice.
   * Undefined: the pool belongs to its network alone.
   */
  readonly allocator?: string;
}
