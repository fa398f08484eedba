import { ParsedCidr, parseIp, Shape } from '../validation';
import { PropContext } from './private/context';

/**
 * A route that an IPAM plugin installs in the pod (or VM launcher) network
 * namespace: `{ "dst": ..., "gw": ... }` in the CNI config.
 */
export class Route {
  /**
   * The default route through a gateway. The destination is `0.0.0.0/0` for
   * an IPv4 gateway and `::/0` for an IPv6 one.
   * @param gateway the next hop, an address inside the network's subnet
   */
  public static defaultVia(gateway: string): Route {
    Shape.string('Route.defaultVia', 'gateway', gateway);
    return new Route(undefined, gateway);
  }

  /**
   * A route to a destination block, optionally through a gateway.
   * @param destination a CIDR block such as `192.168.0.0/16`
   * @param gateway the next hop; without one the IPAM plugin's gateway is used
   */
  public static to(destination: string, gateway?: string): Route {
    Shape.string('Route.to', 'destination', destination);
    Shape.optString('Route.to', 'gateway', gateway);
    return new Route(destination, gateway);
  }

  /** The next hop, if one was given. */
  public readonly gateway?: string;
  private readonly explicitDestination?: string;

  private constructor(destination: string | undefined, gateway: string | undefined) {
    this.explicitDestination = destination;
    this.gateway = gateway;
  }

  /** The destination block (`0.0.0.0/0` or `::/0` for a default route). */
  public get destination(): string {
    if (this.explicitDestination !== undefined) return this.explicitDestination;
    return parseIp(this.gateway ?? '')?.version === 6 ? '::/0' : '0.0.0.0/0';
  }

  /**
   * Checks the route; a gateway must lie inside one of the subnets the
   * interface gets an address from (when those are known).
   * @internal
   */
  public _validate(ctx: PropContext, subnets: ReadonlyArray<{ cidr: ParsedCidr; text: string }>): void {
    if (this.explicitDestination === undefined) {
      ctx.ip('gateway', this.gateway as string);
    }
    const dst = ctx.cidr('destination', this.destination);
    if (this.gateway === undefined) return;
    const gw = ctx.ip('gateway', this.gateway);
    if (gw.version !== dst.version) {
      ctx.fail('gateway', this.gateway, `must be an IPv${dst.version} address like its destination ${this.destination}`, 'use a gateway of the same IP version as the destination');
    }
    const sameVersion = subnets.filter(s => s.cidr.version === gw.version);
    if (subnets.length > 0 && sameVersion.length === 0) {
      // the interface gets no address of this version, so the next hop is
      // unreachable: the bridge plugin fails the attachment with "no route to host"
      ctx.fail('gateway', this.gateway, `is unreachable: the network gives no IPv${gw.version} address (its subnets are ${subnets.map(s => s.text).join(', ')})`,
        `add an IPv${gw.version} range to the network, or drop the route`);
    }
    if (sameVersion.length > 0 && !sameVersion.some(s => gw.value >= s.cidr.first && gw.value <= s.cidr.last)) {
      ctx.fail('gateway', this.gateway, `must lie inside the network's subnet (${sameVersion.map(s => s.text).join(', ')}) to be reachable`, 'use a next hop on the attached network');
    }
  }

  /** @internal */
  public _toJson(): Record<string, unknown> {
    const out: Record<string, unknown> = { dst: this.destination };
    if (this.gateway !== undefined) out.gw = this.gateway;
    return out;
  }
}
