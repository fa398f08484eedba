import { BaseFacts, requirePorts, TypedInterface } from './interface-variant';
import { optionalArray, optionalBoolean } from '../../../../validation/types';
import { PropContext } from '../../../private/context';
import { HostInterfaceOvsBridgeOptions } from '../../host-interface-options';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts } from '../interface-summary';

/** `HostInterface.ovsBridge()`: its object and facts carry no MTU. */
export class OvsBridgeInterface extends TypedInterface<HostInterfaceOvsBridgeOptions & { readonly mtu?: number }> {
  public readonly type = HostInterfaceType.OVS_BRIDGE;

  protected validateKind(ctx: PropContext, facts: BaseFacts): HostInterfaceFacts {
    const o = this.options;
    const ports = optionalArray<string>(ctx.scope, ctx.prop('ports'), o.ports);
    requirePorts(ctx, 'ports', ports);
    optionalBoolean(ctx.scope, ctx.prop('stp'), o.stp);
    return { ...facts, mtu: undefined, lowers: ports };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return {
      name: o.name,
      type: 'ovs-bridge',
      state: 'up',
      bridge: {
        options: { stp: o.stp === true },
        port: (o.ports ?? []).map(name => ({ name })),
      },
    };
  }
}
