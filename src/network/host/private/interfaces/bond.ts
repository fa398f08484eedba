import { BaseFacts, requirePorts, L2_OFF, TypedInterface } from './interface-variant';
import { propPath } from '../../../../validation/prop-path';
import { optionalArray, optionalEnum, requireStruct } from '../../../../validation/types';
import { PropContext } from '../../../private/context';
import { sortKeysDeep } from '../../../private/json';
import { BondMode } from '../../bond-mode';
import { HostInterfaceBondOptions } from '../../host-interface-options';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts } from '../interface-summary';

/** `HostInterface.bond()`. */
export class BondInterface extends TypedInterface<HostInterfaceBondOptions> {
  public readonly type = HostInterfaceType.BOND;

  protected validateKind(ctx: PropContext, facts: BaseFacts): HostInterfaceFacts {
    const o = this.options;
    const scope = ctx.scope;
    optionalEnum(scope, ctx.prop('mode'), o.mode, BondMode, 'BondMode');
    if (o.mode === undefined) ctx.fail('mode', undefined, 'must be set', 'pick a BondMode, e.g. BondMode.ACTIVE_BACKUP');
    const ports = optionalArray<string>(scope, ctx.prop('ports'), o.ports);
    if (ports.length === 0) ctx.fail('ports', o.ports, 'must list at least one interface', 'list the NICs to bond, e.g. [\'eth1\', \'eth2\']');
    requirePorts(ctx, 'ports', ports);
    if (o.options !== undefined) {
      for (const [k, v] of Object.entries(requireStruct(scope, ctx.prop('options'), o.options))) {
        if (typeof v !== 'string') ctx.fail(propPath('options', k), v, 'must be a string', `write the value in quotes, e.g. '${String(v)}'`);
      }
    }
    return { ...facts, lowers: ports };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return {
      ...this.baseJson(),
      ...L2_OFF,
      'link-aggregation': {
        mode: o.mode,
        port: [...o.ports],
        ...(o.options !== undefined ? { options: sortKeysDeep(o.options) } : {}),
      },
    };
  }
}
