import type { HostLocalRange, IpamHostLocalOptions, IpamStaticOptions, IpamWhereaboutsOptions, StaticAddress } from './ipam-options';
import { Route } from './route';
import { checkDns1123Label, checkShape, formatIp, ParsedCidr, parseCidr, parseIp, Shape } from '../validation';
import { PropContext } from './private/context';
import { compact } from './private/json';
import { AddressPool } from './private/pools';
import { allocatableSegments, routerExcludes, WhereaboutsAddresses, whereaboutsSpan } from './private/whereabouts-pool';

export * from './ipam-options';
export { Route } from './route';

type IpamKind = 'whereabouts' | 'host-local' | 'static' | 'dhcp' | 'none';

interface ValidatedIpam {
  readonly pools: AddressPool[];
}

/**
 * How a network's interfaces get their IP addresses: the `ipam` section of
 * a CNI plugin config.
 */
export class Ipam {
  /**
   * Cluster-wide allocation with whereabouts, the usual choice for VM
   * networks that span nodes.
   * @see https://github.com/k8snetworkplumbingwg/whereabouts
   */
  public static whereabouts(options: IpamWhereaboutsOptions): Ipam {
    checkShape('Ipam.whereabouts', 'options', options, {
      range: Shape.string,
      rangeStart: Shape.optString,
      rangeEnd: Shape.optString,
      exclude: Shape.optArray(Shape.string),
      gateway: Shape.optString,

      networkName: Shape.optString,
    });
    return new Ipam('whereabouts', options);
  }

  /**
   * Per-node allocation with host-local: addresses are unique on one node
   * only, so use it for node-local networks.
   */
  public static hostLocal(options: IpamHostLocalOptions): Ipam {
    const range = Shape.struct({ subnet: Shape.string, rangeStart: Shape.optString, rangeEnd: Shape.optString, gateway: Shape.optString });
    checkShape('Ipam.hostLocal', 'options', options, {
      subnet: Shape.optString,
      rangeStart: Shape.optString,
      rangeEnd: Shape.optString,
      gateway: Shape.optString,
      ranges: Shape.optArray(Shape.array(range)),

    });
    return new Ipam('host-local', options);
  }

  /**
   * Fixed addresses with the static IPAM plugin. (Named `staticAddresses`
   * because `static` is a keyword in Java and C#.)
   */
  public static staticAddresses(options: IpamStaticOptions): Ipam {
    checkShape('Ipam.staticAddresses', 'options', options, {
      addresses: Shape.array(Shape.struct({ address: Shape.string, gateway: Shape.optString })),
    });
    return new Ipam('static', options);
  }

  /** Addresses leased from a DHCP server on the attached network (the CNI dhcp daemon must run on every node). */
  public static dhcp(): Ipam {
    return new Ipam('dhcp', {});
  }

  /**
   * No IP management: a layer-2 only network (the config has no `ipam`
   * key). The VM's guest configures its own addresses.
   */
  public static none(): Ipam {
    return new Ipam('none', {});
  }

  /** The IPAM plugin type (`whereabouts`, `host-local`, `static`, `dhcp`), or undefined for `none()`. */
  public readonly type?: string;
  private readonly options: any;
  private readonly kind: IpamKind;

  private constructor(kind: IpamKind, options: any) {
    this.kind = kind;
    this.type = kind === 'none' ? undefined : kind;
    this.options = { ...options };
  }

  /**
   * Validates the options and returns the address pools they define.
   * @internal
   */
  public _validate(ctx: PropContext): ValidatedIpam {
    switch (this.kind) {
      case 'whereabouts': return this.validateWhereabouts(ctx);
      case 'host-local': return this.validateHostLocal(ctx);
      case 'static': return this.validateStatic(ctx);
      default: return { pools: [] };
    }
  }

  /**
   * The `ipam` object, keys in a fixed order; undefined for `none()`.
   * @internal
   */
  public _toJson(): Record<string, unknown> | undefined {
    const o = this.options;
    const routes = (list?: Route[]) => list && list.length > 0 ? list.map(r => r._toJson()) : undefined;
    switch (this.kind) {
      case 'none': return undefined;
      case 'dhcp': return { type: 'dhcp' };
      case 'whereabouts': return compact({
        type: 'whereabouts',
        range: o.range,
        range_start: o.rangeStart,
        range_end: o.rangeEnd,
        exclude: nonEmpty([...(o.exclude ?? []), ...routerExcludes(this.whereaboutsAddresses())]),
        gateway: o.gateway,
        routes: routes(o.routes),
        network_name: o.networkName,
      });
      case 'host-local': {
        const sets: HostLocalRange[][] = o.ranges ?? [[{ subnet: o.subnet, rangeStart: o.rangeStart, rangeEnd: o.rangeEnd, gateway: o.gateway }]];
        return compact({
          type: 'host-local',
          ranges: sets.map(set => set.map(r => compact({ subnet: r.subnet, rangeStart: r.rangeStart, rangeEnd: r.rangeEnd, gateway: r.gateway }))),
          routes: routes(o.routes),
        });
      }
      case 'static': return compact({
        type: 'static',
        addresses: (o.addresses as StaticAddress[]).map(a => compact({ address: a.address, gateway: a.gateway })),
        routes: routes(o.routes),
      });
    }
  }

  /** The addresses of a whereabouts config that decide its automatic excludes. */
  private whereaboutsAddresses(): WhereaboutsAddresses {
    const o = this.options as IpamWhereaboutsOptions;
    const routes = (o.routes ?? []).filter(r => r instanceof Route);
    return { ...o, nextHops: routes.map(r => r.gateway) };
  }

  private validateWhereabouts(ctx: PropContext): ValidatedIpam {
    const o = this.options as IpamWhereaboutsOptions;
    if (typeof o.range !== 'string' || o.range.includes('-')) {
      ctx.fail('range', o.range, 'must be a CIDR block such as 10.0.0.0/24 or fd00::/64', 'write the block as address/prefix-length and give the last address as rangeEnd');
    }
    const range = ctx.cidr('range', o.range);
    const start = o.rangeStart !== undefined ? ctx.ipInside('rangeStart', o.rangeStart, range, o.range, 'the range') : undefined;
    const end = o.rangeEnd !== undefined ? ctx.ipInside('rangeEnd', o.rangeEnd, range, o.range, 'the range') : undefined;
    if (start && end && start.value > end.value) {
      ctx.fail('rangeStart', o.rangeStart, `must not come after rangeEnd ${o.rangeEnd}`, 'swap rangeStart and rangeEnd');
    }
    const excluded = (o.exclude ?? []).map((text, i) => {
      const ex = ctx.cidr(`exclude[${i}]`, text);
      if (ex.version !== range.version || ex.first < range.first || ex.last > range.last) {
        ctx.fail(`exclude[${i}]`, text, `must lie inside the range ${o.range}`, 'exclude only blocks of the range, or remove the entry');
      }
      return ex;
    });
    if (o.gateway !== undefined) ctx.ipInside('gateway', o.gateway, range, o.range, 'the range');
    if (o.networkName !== undefined) {
      const problem = checkDns1123Label(o.networkName);
      if (problem) ctx.fail('networkName', o.networkName, problem, 'use a short lowercase name, it becomes part of the IPPool name');
    }
    validateRoutes(ctx, o.routes, [{ cidr: range, text: o.range }]);
    // the pool as whereabouts allocates it: the usable span (never the network
    // or broadcast address) without the excluded blocks and the router addresses
    const span = whereaboutsSpan(range, start?.value, end?.value);
    if (!span) {
      ctx.fail('range', o.range, `has no address whereabouts can hand out: a /${range.prefix} block has no host addresses besides its network and broadcast address`,
        `use a block of at least /${range.version === 4 ? 30 : 126}`);
    }
    const routers = routerExcludes(this.whereaboutsAddresses()).map(text => parseCidr(text)!);
    const segments = allocatableSegments(span, [...excluded, ...routers]);
    if (segments.length === 0) {
      ctx.fail('exclude', o.exclude,
        `leaves no address to allocate in ${formatIp(range.version, span[0])}-${formatIp(range.version, span[1])} (whereabouts never hands out the network and broadcast addresses${routers.length > 0 ? ' or the gateway' : ''})`,
        'exclude fewer addresses or widen the range');
    }
    const whole = segments.length === 1 && segments[0][0] === span[0] && segments[0][1] === span[1] && start === undefined && end === undefined;
    return {
      pools: segments.map(([a, b]) => ({
        version: range.version,
        first: a,
        last: b,
        prop: ctx.prop('range'),
        text: whole ? o.range : `${formatIp(range.version, a)}-${formatIp(range.version, b)}`,
        allocator: `whereabouts/${o.networkName ?? ''}`,
      })),
    };
  }

  private validateHostLocal(ctx: PropContext): ValidatedIpam {
    const o = this.options as IpamHostLocalOptions;
    const single = o.subnet !== undefined || o.rangeStart !== undefined || o.rangeEnd !== undefined || o.gateway !== undefined;
    if (o.ranges !== undefined && single) {
      ctx.fail('ranges', o.ranges, 'cannot be combined with subnet, rangeStart, rangeEnd or gateway', 'either give one range with subnet, or put every range into ranges');
    }
    if (o.ranges === undefined && o.subnet === undefined) {
      ctx.fail('subnet', undefined, 'is required when ranges is not given', 'set subnet (e.g. 10.10.0.0/24) or ranges');
    }
    const pools: AddressPool[] = [];
    const subnets: Array<{ cidr: ParsedCidr; text: string }> = [];
    const spans: HostLocalSpan[] = [];
    const checkRange = (rctx: PropContext, r: HostLocalRange) => {
      const subnet = rctx.cidr('subnet', r.subnet);
      const start = r.rangeStart !== undefined ? rctx.ipInside('rangeStart', r.rangeStart, subnet, r.subnet, 'the subnet') : undefined;
      const end = r.rangeEnd !== undefined ? rctx.ipInside('rangeEnd', r.rangeEnd, subnet, r.subnet, 'the subnet') : undefined;
      if (start && end && start.value > end.value) {
        rctx.fail('rangeStart', r.rangeStart, `must not come after rangeEnd ${r.rangeEnd}`, 'swap rangeStart and rangeEnd');
      }
      if (r.gateway !== undefined) rctx.ipInside('gateway', r.gateway, subnet, r.subnet, 'the subnet');
      subnets.push({ cidr: subnet, text: r.subnet });
      spans.push(hostLocalSpan(subnet, start?.value, end?.value, r.gateway, rctx.prop('subnet')));
      const first = start?.value ?? subnet.first;
      const last = end?.value ?? subnet.last;
      pools.push({
        version: subnet.version,
        first,
        last,
        prop: rctx.prop('subnet'),
        text: start || end ? `${formatIp(subnet.version, first)}-${formatIp(subnet.version, last)}` : r.subnet,
      });
    };
    if (o.ranges !== undefined) {
      if (o.ranges.length === 0) ctx.fail('ranges', o.ranges, 'must hold at least one range set', 'add a list with at least one range');
      o.ranges.forEach((set, i) => {
        if (!Array.isArray(set) || set.length === 0) ctx.fail(`ranges[${i}]`, set, 'must hold at least one range', 'add a range with a subnet or remove the empty set');
        set.forEach((r, j) => checkRange(ctx.child(`ranges[${i}][${j}]`), r));
      });
    } else {
      checkRange(ctx, { subnet: o.subnet as string, rangeStart: o.rangeStart, rangeEnd: o.rangeEnd, gateway: o.gateway });
    }
    validateRoutes(ctx, o.routes, subnets);
    checkHostLocalNextHops(ctx, o.routes ?? [], spans);
    return { pools };
  }

  private validateStatic(ctx: PropContext): ValidatedIpam {
    const o = this.options as IpamStaticOptions;
    if (!Array.isArray(o.addresses) || o.addresses.length === 0) {
      ctx.fail('addresses', o.addresses, 'must hold at least one address', 'add an address with its prefix length, e.g. { address: \'10.10.0.5/24\' }');
    }
    const pools: AddressPool[] = [];
    const subnets: Array<{ cidr: ParsedCidr; text: string }> = [];
    o.addresses.forEach((a, i) => {
      const actx = ctx.child(`addresses[${i}]`);
      const cidr = actx.cidr('address', a.address);
      const width = cidr.version === 4 ? 32 : 128;
      const subnetText = `${formatIp(cidr.version, cidr.first)}/${cidr.prefix}`;
      // an address equal to the network address (or the IPv4 broadcast address) is not a host of its subnet
      const hostBits = width - cidr.prefix;
      if (hostBits >= 2 && (cidr.address === cidr.first || (cidr.version === 4 && cidr.address === cidr.last))) {
        actx.fail('address', a.address, `must be a host address of its subnet ${subnetText}, not its ${cidr.address === cidr.first ? 'network' : 'broadcast'} address`,
          `pick an address between ${formatIp(cidr.version, cidr.first + 1n)} and ${formatIp(cidr.version, cidr.version === 4 ? cidr.last - 1n : cidr.last)}`);
      }
      if (a.gateway !== undefined) {
        actx.ipInside('gateway', a.gateway, cidr, subnetText, 'the subnet of the address');
      }
      subnets.push({ cidr, text: subnetText });
      pools.push({ version: cidr.version, first: cidr.address, last: cidr.address, prop: actx.prop('address'), text: a.address });
    });
    validateRoutes(ctx, o.routes, subnets);
    return { pools };
  }
}

/** The addresses host-local hands out from one range, and the gateway it skips. */
interface HostLocalSpan {
  readonly version: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly gateway: bigint;
  readonly prop: string;
}

/**
 * host-local allocates from rangeStart (default: network + 1) to rangeEnd
 * (default: the last address, minus the broadcast address for IPv4) and
 * skips the range's gateway (default: network + 1).
 */
function hostLocalSpan(
  subnet: ParsedCidr, start: bigint | undefined, end: bigint | undefined, gateway: string | undefined, prop: string,
): HostLocalSpan {
  return {
    version: subnet.version,
    first: start ?? subnet.first + 1n,
    last: end ?? (subnet.version === 4 ? subnet.last - 1n : subnet.last),
    gateway: parseIp(gateway ?? '')?.value ?? subnet.first + 1n,
    prop,
  };
}

/** Refuses route next hops that host-local could hand to a VM (it has no exclude list). */
function checkHostLocalNextHops(ctx: PropContext, routes: Route[], spans: HostLocalSpan[]): void {
  routes.forEach((r, i) => {
    const hop = parseIp(r.gateway ?? '');
    if (!hop) return;
    const span = spans.find(s => s.version === hop.version && hop.value >= s.first && hop.value <= s.last && hop.value !== s.gateway);
    if (span) {
      ctx.fail(`routes[${i}].gateway`, r.gateway, `lies in the addresses host-local hands out (${span.prop}), so a VM could get the router's address`,
        'set rangeStart or rangeEnd so the next hop lies outside the range, or make it the range\'s gateway');
    }
  });
}

function nonEmpty(list: string[]): string[] | undefined {
  return list.length > 0 ? list : undefined;
}

function validateRoutes(ctx: PropContext, routes: Route[] | undefined, subnets: Array<{ cidr: ParsedCidr; text: string }>): void {
  (routes ?? []).forEach((r, i) => {
    if (!(r instanceof Route)) {
      ctx.fail(`routes[${i}]`, r, 'must be a Route', 'build routes with Route.defaultVia() or Route.to()');
    }
    r._validate(ctx.child(`routes[${i}]`), subnets);
  });
}
