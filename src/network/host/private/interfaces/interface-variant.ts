import { propPath } from '../../../../validation/prop-path';
import { optionalNumber, requireString } from '../../../../validation/types';
import { PropContext } from '../../../private/context';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts } from '../interface-summary';

/** One kind of nmstate interface: what `HostInterface` validates and renders. */
export abstract class InterfaceVariant {
  public abstract readonly type: HostInterfaceType;

  /** Name of the interface on the node, as given. */
  public abstract readonly name: string;

  /** Checks the options; returns what the host-network rules need. */
  public abstract validate(ctx: PropContext): HostInterfaceFacts;

  /** The nmstate interface object, keys in a fixed order. */
  public abstract toJson(): Record<string, unknown>;

  /** Checks the interface name every kind has. */
  protected requireName(ctx: PropContext): void {
    requireString(ctx.scope, ctx.prop('name'), this.name, 'name the interface as `ip link` shows it on the nodes');
    ctx.interfaceName('name', this.name);
  }
}

/** The options every typed interface has. */
export interface TypedInterfaceOptions {
  readonly name: string;
  readonly mtu?: number;
}

/** The facts every typed interface starts from; each kind adds its lower interfaces. */
export type BaseFacts = Omit<HostInterfaceFacts, 'lowers'>;

/** IPv4 and IPv6 off: a layer-2 interface carries VM traffic, the node has no address on it. */
export const L2_OFF = { ipv4: { enabled: false }, ipv6: { enabled: false } };

/** An interface built by one of the typed factories. */
export abstract class TypedInterface<O extends TypedInterfaceOptions> extends InterfaceVariant {
  protected readonly options: O;

  public constructor(options: O) {
    super();
    this.options = { ...options };
  }

  public get name(): string {
    return this.options.name;
  }

  public validate(ctx: PropContext): HostInterfaceFacts {
    const o = this.options;
    this.requireName(ctx);
    optionalNumber(ctx.scope, ctx.prop('mtu'), o.mtu);
    if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
    return this.validateKind(ctx, { name: o.name, type: this.type, mtu: o.mtu, vlanFiltering: false, trunk: [] });
  }

  /** The checks of this kind of interface, after the name and MTU. */
  protected abstract validateKind(ctx: PropContext, facts: BaseFacts): HostInterfaceFacts;

  /** The keys every typed interface object starts with. */
  protected baseJson(): Record<string, unknown> {
    const o = this.options;
    return { name: o.name, type: this.type as string, state: 'up', ...(o.mtu !== undefined ? { mtu: o.mtu } : {}) };
  }
}

/** Checks a list of port names: valid interface names, none twice. */
export function requirePorts(ctx: PropContext, prop: string, ports: string[]): void {
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    requireString(ctx.scope, ctx.prop(propPath(prop, i)), p);
    ctx.interfaceName(propPath(prop, i), p);
    if (seen.has(p)) ctx.fail(propPath(prop, i), p, 'is listed twice', 'list every port once');
    seen.add(p);
  });
}
