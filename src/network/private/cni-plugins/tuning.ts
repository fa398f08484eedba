import { OptionsPlugin, ValidatedPlugin } from './plugin';
import { checkMacAddress } from '../../../validation';
import { CniPluginTuningOptions } from '../../cni-plugin-options';
import { PropContext } from '../context';
import { compact, sortKeysDeep } from '../json';

/** `CniPlugin.tuning()`: sysctls and link settings for the interface an earlier plugin created. */
export class TuningPlugin extends OptionsPlugin<CniPluginTuningOptions> {
  public readonly type = 'tuning';

  public get isMeta(): boolean {
    return true;
  }

  public validate(ctx: PropContext): ValidatedPlugin {
    const o = this.options;
    const sysctl: { [name: string]: unknown } = o.sysctl ?? {};
    for (const key of Object.keys(sysctl)) {
      if (!key.startsWith('net.')) {
        ctx.fail(`sysctl['${key}']`, key, 'must be a network sysctl (starting with \'net.\'), the only ones a network namespace has', 'set other sysctls on the node or the VM guest');
      }
      if (typeof sysctl[key] !== 'string') {
        ctx.fail(`sysctl['${key}']`, sysctl[key], 'must be a string', `write the value in quotes, e.g. '${String(sysctl[key])}'`);
      }
    }
    if (o.mac !== undefined) {
      const problem = checkMacAddress(o.mac);
      if (problem) ctx.fail('mac', o.mac, problem, 'use a locally administered unicast address such as 02:00:00:00:00:01');
    }
    if (o.mtu !== undefined) ctx.mtu('mtu', o.mtu);
    return { pools: [] };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return compact({
      type: 'tuning',
      mac: o.mac,
      mtu: o.mtu,
      promisc: o.promisc,
      allmulti: o.allmulti,
      sysctl: o.sysctl === undefined ? undefined : sortKeysDeep(o.sysctl),
    });
  }
}
