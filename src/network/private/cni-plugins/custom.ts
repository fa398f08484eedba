import { macvlanModeOf } from './macvlan';
import { PluginVariant, ValidatedPlugin } from './plugin';
import { PropContext } from '../context';
import { sortKeysDeep } from '../json';

/**
 * `CniPlugin.custom()`: any other plugin as its JSON config, kept with its
 * keys sorted at every depth. The library does not look inside it.
 */
export class CustomPlugin extends PluginVariant {
  public readonly type: string;
  /** The config with its keys sorted; a JSON object unless validation refuses it. */
  private readonly config: unknown;

  public constructor(config: { [key: string]: any }) {
    super();
    const type: unknown = config !== null && typeof config === 'object' ? config.type : undefined;
    this.type = typeof type === 'string' ? type : '';
    this.config = sortKeysDeep(config);
  }

  /** A custom macvlan config's mode (the plugin's default when unset). */
  public get macvlanMode(): string | undefined {
    return this.type === 'macvlan' ? macvlanModeOf((this.config as Record<string, unknown>).mode) : undefined;
  }

  public validate(ctx: PropContext): ValidatedPlugin {
    const config = this.config;
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      ctx.fail('config', config, 'must be a JSON object', 'pass the plugin config as an object with a type');
    }
    const o = config as Record<string, unknown>;
    if (typeof o.type !== 'string' || o.type.length === 0) {
      ctx.fail('type', o.type, 'must be the plugin binary name', 'add a type to the custom plugin config, e.g. { type: \'sbr\' }');
    }
    return { pools: [] };
  }

  public toJson(): Record<string, unknown> {
    // type first like every other plugin, then the sorted keys
    const { type, ...rest } = this.config as Record<string, unknown>;
    return { type, ...rest };
  }
}
