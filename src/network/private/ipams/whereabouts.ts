import { OptionsIpam, routesJson, ValidatedIpam, validateRoutes } from './ipam-variant';
import { checkDns1123Label, formatIp, parseCidr, propPath } from '../../../validation';
import { IpamWhereaboutsOptions } from '../../ipam-options';
import { Route } from '../../route';
import { PropContext } from '../context';
import { compact } from '../json';
import { allocatableSegments, routerExcludes, WhereaboutsAddresses, whereaboutsSpan } from '../whereabouts-pool';

/** `Ipam.whereabouts()`: cluster-wide allocation with whereabouts. */
export class WhereaboutsIpam extends OptionsIpam<IpamWhereaboutsOptions> {
  public readonly type = 'whereabouts';

  public validate(ctx: PropContext): ValidatedIpam {
    const o = this.options;
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
      const ex = ctx.cidr(propPath('exclude', i), text);
      if (ex.version !== range.version || ex.first < range.first || ex.last > range.last) {
        ctx.fail(propPath('exclude', i), text, `must lie inside the range ${o.range}`, 'exclude only blocks of the range, or remove the entry');
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
    const routers = routerExcludes(this.addresses()).map(text => parseCidr(text)!);
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

  public toJson(): Record<string, unknown> {
    const o = this.options;
    const exclude = [...(o.exclude ?? []), ...routerExcludes(this.addresses())];
    return compact({
      type: 'whereabouts',
      range: o.range,
      range_start: o.rangeStart,
      range_end: o.rangeEnd,
      exclude: exclude.length > 0 ? exclude : undefined,
      gateway: o.gateway,
      routes: routesJson(o.routes),
      network_name: o.networkName,
    });
  }

  /** The addresses of the config that decide its automatic excludes. */
  private addresses(): WhereaboutsAddresses {
    const o = this.options;
    const routes = (o.routes ?? []).filter(r => r instanceof Route);
    return { ...o, nextHops: routes.map(r => r.gateway) };
  }
}
