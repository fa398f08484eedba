import { requireShape, Shape } from '../validation';
import { IpamHostLocalOptions, IpamStaticOptions, IpamWhereaboutsOptions } from './ipam-options';
import { PropContext } from './private/context';
import { DhcpIpam } from './private/ipams/dhcp';
import { HostLocalIpam } from './private/ipams/host-local';
import { IpamVariant, ValidatedIpam } from './private/ipams/ipam-variant';
import { NoIpam } from './private/ipams/none';
import { StaticIpam } from './private/ipams/static';
import { WhereaboutsIpam } from './private/ipams/whereabouts';

export * from './ipam-options';
export { Route } from './route';

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
    requireShape('Ipam.whereabouts', 'options', options, {
      range: Shape.string,
      rangeStart: Shape.optString,
      rangeEnd: Shape.optString,
      exclude: Shape.optArray(Shape.string),
      gateway: Shape.optString,

      networkName: Shape.optString,
    });
    return new Ipam(new WhereaboutsIpam(options));
  }

  /**
   * Per-node allocation with host-local: addresses are unique on one node
   * only, so use it for node-local networks.
   */
  public static hostLocal(options: IpamHostLocalOptions): Ipam {
    const range = Shape.struct({ subnet: Shape.string, rangeStart: Shape.optString, rangeEnd: Shape.optString, gateway: Shape.optString });
    requireShape('Ipam.hostLocal', 'options', options, {
      subnet: Shape.optString,
      rangeStart: Shape.optString,
      rangeEnd: Shape.optString,
      gateway: Shape.optString,
      ranges: Shape.optArray(Shape.array(range)),

    });
    return new Ipam(new HostLocalIpam(options));
  }

  /**
   * Fixed addresses with the static IPAM plugin. (Named `staticAddresses`
   * because `static` is a keyword in Java and C#.)
   */
  public static staticAddresses(options: IpamStaticOptions): Ipam {
    requireShape('Ipam.staticAddresses', 'options', options, {
      addresses: Shape.array(Shape.struct({ address: Shape.string, gateway: Shape.optString })),
    });
    return new Ipam(new StaticIpam(options));
  }

  /** Addresses leased from a DHCP server on the attached network (the CNI dhcp daemon must run on every node). */
  public static dhcp(): Ipam {
    return new Ipam(new DhcpIpam());
  }

  /**
   * No IP management: a layer-2 only network (the config has no `ipam`
   * key). The VM's guest configures its own addresses.
   */
  public static none(): Ipam {
    return new Ipam(new NoIpam());
  }

  /** The IPAM plugin type (`whereabouts`, `host-local`, `static`, `dhcp`), or undefined for `none()`. */
  public readonly type?: string;
  private readonly variant: IpamVariant;

  private constructor(variant: IpamVariant) {
    this.variant = variant;
    this.type = variant.type;
  }

  /**
   * Validates the options and returns the address pools they define.
   * @internal
   */
  public _validate(ctx: PropContext): ValidatedIpam {
    return this.variant.validate(ctx);
  }

  /**
   * The `ipam` object, keys in a fixed order; undefined for `none()`.
   * @internal
   */
  public _toJson(): Record<string, unknown> | undefined {
    return this.variant.toJson();
  }
}
