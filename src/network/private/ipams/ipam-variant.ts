import { ParsedCidr, propPath } from '../../../validation';
import { Route } from '../../route';
import { PropContext } from '../context';
import { AddressPool } from '../pools';

/** What the network rules read from one validated IPAM. */
export interface ValidatedIpam {
  readonly pools: AddressPool[];
}

/** A subnet the interface gets an address from, as written and parsed. */
export interface Subnet {
  readonly cidr: ParsedCidr;
  readonly text: string;
}

/** One kind of IPAM plugin: what `Ipam` validates and renders. */
export abstract class IpamVariant {
  /** The IPAM plugin type, undefined for no IPAM. */
  public abstract readonly type: string | undefined;

  /** Validates the options and returns the address pools they define. */
  public abstract validate(ctx: PropContext): ValidatedIpam;

  /** The `ipam` object, keys in a fixed order; undefined for no IPAM. */
  public abstract toJson(): Record<string, unknown> | undefined;
}

/** An IPAM built from its options (kept as a shallow copy). */
export abstract class OptionsIpam<O extends object> extends IpamVariant {
  protected readonly options: O;

  public constructor(options: O) {
    super();
    this.options = { ...options };
  }
}

/** The `routes` list of an IPAM config, left out when empty. */
export function routesJson(list: Route[] | undefined): Array<Record<string, unknown>> | undefined {
  return list && list.length > 0 ? list.map(r => r._toJson()) : undefined;
}

/** Checks every route against the subnets the interface gets addresses from. */
export function validateRoutes(ctx: PropContext, routes: Route[] | undefined, subnets: ReadonlyArray<Subnet>): void {
  (routes ?? []).forEach((r, i) => {
    if (!(r instanceof Route)) {
      ctx.fail(propPath('routes', i), r, 'must be a Route', 'build routes with Route.defaultVia() or Route.to()');
    }
    r._validate(ctx.child(propPath('routes', i)), subnets);
  });
}
