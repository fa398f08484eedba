import { BaseFacts, TypedInterface } from './interface-variant';
import { optionalBoolean } from '../../../../validation/types';
import { PropContext } from '../../../private/context';
import { HostInterfaceEthernetOptions } from '../../host-interface-options';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts } from '../interface-summary';

/** `HostInterface.ethernet()`: settings of a physical NIC. */
export class EthernetInterface extends TypedInterface<HostInterfaceEthernetOptions> {
  public readonly type = HostInterfaceType.ETHERNET;

  protected validateKind(ctx: PropContext, facts: BaseFacts): HostInterfaceFacts {
    const o = this.options;
    optionalBoolean(ctx.scope, ctx.prop('disableIpv4'), o.disableIpv4);
    optionalBoolean(ctx.scope, ctx.prop('disableIpv6'), o.disableIpv6);
    return { ...facts, lowers: [] };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return {
      ...this.baseJson(),
      ...(o.disableIpv4 === true ? { ipv4: { enabled: false } } : {}),
      ...(o.disableIpv6 === true ? { ipv6: { enabled: false } } : {}),
    };
  }
}
