import { InterfaceVariant } from './interface-variant';
import { PropContext } from '../../../private/context';
import { sortKeysDeep } from '../../../private/json';
import { HostInterfaceType } from '../../host-interface-type';
import { HostInterfaceFacts } from '../interface-summary';

/** `HostInterface.custom()`: any nmstate interface object, keys sorted; only its `name`, `type` and `mtu` are read. */
export class CustomInterface extends InterfaceVariant {
  public readonly type = HostInterfaceType.CUSTOM;
  private readonly json: Record<string, unknown>;

  public constructor(json: { [key: string]: any }) {
    super();
    this.json = sortKeysDeep(json) as Record<string, unknown>;
  }

  public get name(): string {
    return this.json.name as string;
  }

  public validate(ctx: PropContext): HostInterfaceFacts {
    const mtu = this.json.mtu as number | undefined;
    this.requireName(ctx);
    if (mtu !== undefined) ctx.mtu('mtu', mtu);
    return { name: this.name, type: this.type, mtu, lowers: [], vlanFiltering: false, trunk: [] };
  }

  public toJson(): Record<string, unknown> {
    return { ...this.json };
  }
}
