import { Route } from './route';

/** Options of `Ipam.whereabouts()`. Field names map to whereabouts' own. */
export interface IpamWhereaboutsOptions {
  /**
   * The block addresses are allocated from (`range`), e.g. `10.123.124.0/24`.
   * whereabouts never hands out the network and broadcast addresses, so the
   * block must be at least a /30 (IPv6: /126).
   */
  readonly range: string;
  /**
   * First address to allocate (`range_start`); must lie inside `range`.
   * @default - the start of `range`
   */
  readonly rangeStart?: string;
  /**
   * Last address to allocate (`range_end`); must lie inside `range`.
   * @default - the end of `range`
   */
  readonly rangeEnd?: string;
  /**
   * Blocks inside `range` that are never allocated (`exclude`), e.g. the
   * addresses of routers and hosts on the same segment.
   * @default - nothing excluded
   */
  readonly exclude?: string[];
  /**
   * Gateway reported to the interface (`gateway`); must lie inside `range`.
   * whereabouts does not hold it back, so when it lies in the allocatable
   * range it is added to `exclude` (as a `/32` or `/128`) and never handed
   * to a VM.
   * @default - no gateway
   */
  readonly gateway?: string;
  /**
   * Routes to install (`routes`). Next hops inside the allocatable range are
   * added to `exclude` like the gateway.
   * @default - no routes
   */
  readonly routes?: Route[];
  /**
   * Name of the address pool (`network_name`). whereabouts reserves every
   * address cluster-wide per name: networks with the same name (or all
   * unnamed) never get the same address, even on different VLANs, where
   * they then share one set of addresses; networks with different names may
   * reuse the same range independently, on different VLANs only.
   * @default - the unnamed pool of the range
   */
  readonly networkName?: string;
}

/** One address range of the host-local IPAM plugin. */
export interface HostLocalRange {
  /** The subnet to allocate from, e.g. `10.10.0.0/16`. */
  readonly subnet: string;
  /**
   * First address to allocate; must lie inside `subnet`.
   * @default - the second address of the subnet (host-local's default)
   */
  readonly rangeStart?: string;
  /**
   * Last address to allocate; must lie inside `subnet`.
   * @default - the last host address of the subnet (host-local's default)
   */
  readonly rangeEnd?: string;
  /**
   * Gateway of the subnet; must lie inside `subnet`.
   * @default - the first address of the subnet (host-local's default)
   */
  readonly gateway?: string;
}

/**
 * Options of `Ipam.hostLocal()`: either one range (`subnet` with optional
 * `rangeStart`, `rangeEnd` and `gateway`) or `ranges`, never both.
 */
export interface IpamHostLocalOptions {
  /**
   * The subnet of a single range, rendered as a one-range `ranges` entry.
   * @default - `ranges` must be given
   */
  readonly subnet?: string;
  /**
   * First address of the single range.
   * @default - host-local's default, the second address of `subnet`
   */
  readonly rangeStart?: string;
  /**
   * Last address of the single range.
   * @default - host-local's default, the last host address of `subnet`
   */
  readonly rangeEnd?: string;
  /**
   * Gateway of the single range.
   * @default - host-local's default, the first address of `subnet`
   */
  readonly gateway?: string;
  /**
   * Range sets exactly as host-local takes them: the interface gets one
   * address from each inner list (e.g. one IPv4 and one IPv6 set).
   * @default - the single range given by `subnet`
   */
  readonly ranges?: HostLocalRange[][];
  /**
   * Routes to install.
   * @default - no routes
   */
  readonly routes?: Route[];
}

/** A fixed address of the static IPAM plugin. */
export interface StaticAddress {
  /** The address with its prefix length, e.g. `10.10.0.5/24`. */
  readonly address: string;
  /**
   * Gateway for this address; must lie inside its subnet.
   * @default - no gateway
   */
  readonly gateway?: string;
}

/** Options of `Ipam.staticAddresses()`. */
export interface IpamStaticOptions {
  /** The fixed addresses to configure (at least one). */
  readonly addresses: StaticAddress[];
  /**
   * Routes to install.
   * @default - no routes
   */
  readonly routes?: Route[];
}
