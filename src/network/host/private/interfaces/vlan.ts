import { BaseFacts, L2_OFF, TypedInterface } from './interface-variant';
import { requireNumber, requireString } from '../../../../validation/types';
import { PropContext } from '../../../private/context';
import { HostInterfaceVlanOptions } from '../../host-interface-options';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts } from '../interface-summary';

/** `HostInterface.vlan()`. */
export class VlanInterface extends TypedInterface<HostInterfaceVlanOptions> {
  public readonly type = HostInterfaceType.VLAN;

  protected validateKind(ctx: PropContext, facts: BaseFacts): HostInterfaceFacts {
    const o = this.options;
    requireString(ctx.scope, ctx.prop('base'), o.base);
    ctx.interfaceName('base', o.base);
    requireNumber(ctx.scope, ctx.prop('id'), o.id);
    ctx.vlan('id', o.id);
    if (o.base === o.name) ctx.fail('base', o.base, 'is the VLAN interface itself', 'name the NIC or bond the VLAN is tagged on');
    return { ...facts, lowers: [o.base] };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return { ...this.baseJson(), ...L2_OFF, vlan: { 'base-iface': o.base, 'id': o.id } };
  }
}
