import { InterfacePlugin, ValidatedPlugin } from './plugin';
import { CniPluginMacvlanOptions } from '../../cni-plugin-options';
import { MacvlanMode } from '../../macvlan-mode';
import { PropContext } from '../context';
import { compact } from '../json';

/**
 * The mode a macvlan config sets, the plugin's default 'bridge' when it
 * sets none (containernetworking/plugins v1.9.1
 * plugins/main/macvlan/macvlan.go:174, modeFromString("")).
 */
export function macvlanModeOf(mode: unknown): string {
  return typeof mode === 'string' ? mode : MacvlanMode.BRIDGE;
}

/** `CniPlugin.macvlan()`: each interface gets its own MAC address on a node interface. */
export class MacvlanPlugin extends InterfacePlugin<CniPluginMacvlanOptions> {
  public readonly type = 'macvlan';

  public get macvlanMode(): string {
    return macvlanModeOf(this.options.mode);
  }

  public validate(ctx: PropContext): ValidatedPlugin {
    const o = this.options;
    const host = this.hostRef(ctx, 'macvlan', { plain: 'master', plainValue: o.master, typed: 'hostMaster', typedValue: o.hostMaster }, false);
    if (o.master !== undefined) ctx.interfaceName('master', o.master);
    if (o.mode !== undefined && !Object.values(MacvlanMode).includes(o.mode)) {
      ctx.fail('mode', o.mode, `must be one of ${Object.values(MacvlanMode).join(', ')}`, 'use a MacvlanMode member');
    }
    if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
    return { pools: this.pools(ctx), host };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return compact({
      type: 'macvlan',
      master: o.hostMaster?.bridgeName ?? o.master,
      mode: o.mode,
      mtu: o.mtu,
      ipam: this.ipamJson(),
    });
  }
}
