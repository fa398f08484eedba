/** Bonding modes, as nmstate and the kernel name them. */
export enum BondMode {
  /** Round robin over the ports. */
  BALANCE_RR = 'balance-rr',
  /** One port carries the traffic, the others stand by. */
  ACTIVE_BACKUP = 'active-backup',
  /** Port chosen by a hash of the addresses. */
  BALANCE_XOR = 'balance-xor',
  /** Every frame goes out of every port. */
  BROADCAST = 'broadcast',
  /** IEEE 802.3ad dynamic link aggregation (LACP); the switch must take part. */
  LACP = '802.3ad',
  /** Adaptive transmit load balancing. */
  BALANCE_TLB = 'balance-tlb',
  /** Adaptive load balancing of both directions. */
  BALANCE_ALB = 'balance-alb',
}
