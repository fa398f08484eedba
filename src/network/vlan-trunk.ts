import { Shape } from '../validation';
import { PropContext } from './private/context';

/**
 * A VLAN id or an inclusive range of ids carried by a trunk port
 * (`{ "id": 10 }` or `{ "minID": 20, "maxID": 29 }`).
 */
export class VlanTrunk {
  /** A single VLAN id. */
  public static id(id: number): VlanTrunk {
    Shape.number('VlanTrunk.id', 'id', id);
    return new VlanTrunk(id, undefined, undefined);
  }

  /** Every VLAN id from `minId` to `maxId`, both included. */
  public static range(minId: number, maxId: number): VlanTrunk {
    Shape.number('VlanTrunk.range', 'minId', minId);
    Shape.number('VlanTrunk.range', 'maxId', maxId);
    return new VlanTrunk(undefined, minId, maxId);
  }

  private constructor(
    private readonly single: number | undefined,
    private readonly min: number | undefined,
    private readonly max: number | undefined) {}

  /** @internal */
  public _validate(ctx: PropContext): void {
    if (this.single !== undefined) {
      ctx.vlan('id', this.single);
      return;
    }
    ctx.vlan('minId', this.min as number);
    ctx.vlan('maxId', this.max as number);
    if ((this.min as number) > (this.max as number)) {
      ctx.fail('minId', this.min, `must not be above maxId ${this.max}`, 'swap minId and maxId');
    }
  }

  /** @internal */
  public _toJson(): Record<string, unknown> {
    return this.single !== undefined ? { id: this.single } : { minID: this.min, maxID: this.max };
  }

  /** The first and last VLAN id. @internal */
  public _range(): [number, number] {
    return this.single !== undefined ? [this.single, this.single] : [this.min as number, this.max as number];
  }
}
