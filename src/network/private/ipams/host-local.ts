import { OptionsIpam, routesJson, Subnet, ValidatedIpam, validateRoutes } from './ipam-variant';
import { formatIp, ParsedCidr, parseIp, propPath } from '../../../validation';
import { HostLocalRange, IpamHostLocalOptions } from '../../ipam-options';
import { Route } from '../../route';
import { PropContext } from '../context';
import { compact } from '../json';
import { AddressPool } from '../pools';

/** `Ipam.hostLocal()`: per-node allocation with host-local. */
export class HostLocalIpam extends OptionsIpam<IpamHostLocalOptions> {
  public readonly type = 'host-local';

  public validate(ctx: PropContext): ValidatedIpam {
    const o = this.options;
    const single = o.subnet !== undefined || o.rangeStart !== undefined || o.rangeEnd !== undefined || o.gateway !== undefined;
    if (o.ranges !== undefined && single) {
      ctx.fail('ranges', o.ranges, 'cannot be combined with subnet, rangeStart, rangeEnd or gateway', 'either give one range with subnet, or put every range into ranges');
    }
    if (o.ranges === undefined && o.subnet === undefined) {
      ctx.fail('subnet', undefined, 'is required when ranges is not given', 'set subnet (e.g. 10.10.0.0/24) or ranges');
    }
    const pools: AddressPool[] = [];
    const subnets: Subnet[] = [];
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
        if (!Array.isArray(set) || set.length === 0) ctx.fail(propPath('ranges', i), set, 'must hold at least one range', 'add a range with a subnet or remove the empty set');
        set.forEach((r, j) => checkRange(ctx.child(propPath(propPath('ranges', i), j)), r));
      });
    } else {
      checkRange(ctx, { subnet: o.subnet as string, rangeStart: o.rangeStart, rangeEnd: o.rangeEnd, gateway: o.gateway });
    }
    validateRoutes(ctx, o.routes, subnets);
    requireNextHops(ctx, o.routes ?? [], spans);
    return { pools };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    const single: HostLocalRange = { subnet: o.subnet as string, rangeStart: o.rangeStart, rangeEnd: o.rangeEnd, gateway: o.gateway };
    const sets: HostLocalRange[][] = o.ranges ?? [[single]];
    return compact({
      type: 'host-local',
      ranges: sets.map(set => set.map(r => compact({ subnet: r.subnet, rangeStart: r.rangeStart, rangeEnd: r.rangeEnd, gateway: r.gateway }))),
      routes: routesJson(o.routes),
    });
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
function requireNextHops(ctx: PropContext, routes: Route[], spans: HostLocalSpan[]): void {
  routes.forEach((r, i) => {
    const hop = parseIp(r.gateway ?? '');
    if (!hop) return;
    const span = spans.find(s => s.version === hop.version && hop.value >= s.first && hop.value <= s.last && hop.value !== s.gateway);
    if (span) {
      ctx.fail(propPath(propPath('routes', i), 'gateway'), r.gateway, `lies in the addresses host-local hands out (${span.prop}), so a VM could get the router's address`,
        'set rangeStart or rangeEnd so the next hop lies outside the range, or make it the range\'s gateway');
    }
  });
}
