/**
 * Runs NetworkAttachmentDefinition configs through the real CNI reference
 * plugins (Debian containernetworking-plugins) in throwaway network
 * namespaces, with the chain semantics of libcni: ADD runs the plugins in
 * order feeding each the previous result, CHECK (CNI >= 0.4.0) and DEL give
 * every plugin the final ADD result, DEL runs in reverse order.
 *
 * Nothing touches the host network: each run creates an outer namespace,
 * where the plugins themselves run (bridges, macvlan masters, masquerade
 * rules live there), and a container namespace for the interface; both are
 * deleted afterwards together with the private IPAM data directory.
 *
 * Only what cannot run here is rewritten, and every rewrite is recorded:
 * - whereabouts IPAM (no binary here) becomes host-local on the same range:
 *   range_start/range_end become the range bounds, exclude blocks split the
 *   pool into several ranges of one range set, gateway and routes are kept;
 * - a macvlan `master` (or the missing one) becomes a veth end created in the
 *   outer namespace (the kernel has no dummy driver), with an MTU large
 *   enough for the config;
 * - host-local gets a private `dataDir`.
 * Plugins without a binary here (ovs, whereabouts as a main plugin, SR-IOV...)
 * and dhcp IPAM (needs the dhcp daemon and a DHCP server) are skipped with a
 * reason.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatIp, parseCidr, parseIp } from '../../../src/validation';

export const CNI_PATH = process.env.CNI_PATH_OVERRIDE ?? '/usr/lib/cni';

/** ipam fields whereabouts v0.9 reads (json tags of its IPAMConfig and the README's documented parameters). */
export const WHEREABOUTS_FIELDS = new Set([
  'type', 'range', 'range_start', 'range_end', 'exclude', 'ipRanges', 'gateway', 'routes', 'dns', 'addresses',
  'network_name', 'enable_overlapping_ranges', 'node_slice_size', 'configuration_path', 'log_file', 'log_level',
  'kubernetes', 'datastore', 'leader_lease_duration', 'leader_renew_deadline', 'leader_retry_period',
  'reconciler_cron_expression', 'sleep_for_race',
]);

/** Fails with a clear message when the host cannot run the conformance test. */
export function requireHostTools(): void {
  const problems: string[] = [];
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf-8' });
  if (ip.error || ip.status !== 0) {
    problems.push(`'ip netns' does not work (${ip.error?.message ?? ip.stderr.trim()}); install iproute2 and run as root`);
  }
  for (const plugin of ['bridge', 'macvlan', 'host-local', 'static', 'tuning']) {
    if (!fs.existsSync(path.join(CNI_PATH, plugin))) {
      problems.push(`${path.join(CNI_PATH, plugin)} is missing; install the Debian package containernetworking-plugins`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`the CNI conformance test cannot run on this host:\n  ${problems.join('\n  ')}`);
  }
}

export interface Prepared {
  /** The conflist to run, or undefined when skipped. */
  readonly conflist?: any;
  readonly rewrites: string[];
  readonly skipReason?: string;
}

export function hostLocalFromWhereabouts(ipam: any, rewrites: string[]): any {
  const range = parseCidr(ipam.range);
  if (!range) throw new Error(`whereabouts range ${JSON.stringify(ipam.range)} does not parse`);
  const subnet = `${formatIp(range.version, range.first)}/${range.prefix}`;
  const width = range.version === 4 ? 32n : 128n;
  const hostBits = width - BigInt(range.prefix);
  // whereabouts never hands out the network and (IPv4) broadcast addresses
  let first = ipam.range_start ? parseIp(ipam.range_start)!.value : range.first;
  let last = ipam.range_end ? parseIp(ipam.range_end)!.value : range.last;
  if (hostBits >= 2n) {
    if (first === range.first) first += 1n;
    if (last === range.last) last -= 1n;
  }
  const excluded = ((ipam.exclude ?? []) as string[]).map(e => parseCidr(e)!).sort((a, b) => (a.first < b.first ? -1 : 1));
  const segments: Array<[bigint, bigint]> = [];
  let cursor = first;
  for (const ex of excluded) {
    if (ex.last < cursor || ex.first > last) continue;
    if (ex.first > cursor) segments.push([cursor, ex.first - 1n]);
    cursor = ex.last + 1n;
  }
  if (cursor <= last) segments.push([cursor, last]);
  if (segments.length === 0) throw new Error('the whereabouts pool is empty after its exclusions');
  const gateway = ipam.gateway;
  const set = segments.map(([s, e]) => ({
    subnet,
    rangeStart: formatIp(range.version, s),
    rangeEnd: formatIp(range.version, e),
    ...(gateway ? { gateway } : {}),
  }));
  rewrites.push(`whereabouts ${ipam.range}${ipam.exclude ? ` minus ${ipam.exclude.join(', ')}` : ''} -> host-local ranges ${set.map(r => `${r.rangeStart}-${r.rangeEnd}`).join(', ')}`);
  return { type: 'host-local', ranges: [set], ...(ipam.routes ? { routes: ipam.routes } : {}) };
}

/** Checks a whereabouts ipam object against whereabouts' documented fields; returns problems. */
export function checkWhereaboutsFields(ipam: any): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(ipam)) {
    if (!WHEREABOUTS_FIELDS.has(key)) problems.push(`unknown whereabouts field '${key}'`);
  }
  const range = typeof ipam.range === 'string' ? parseCidr(ipam.range) : undefined;
  if (!range) problems.push(`range ${JSON.stringify(ipam.range)} is not a CIDR block`);
  for (const key of ['range_start', 'range_end', 'gateway']) {
    if (ipam[key] === undefined) continue;
    const ip = parseIp(ipam[key]);
    if (!ip) problems.push(`${key} ${JSON.stringify(ipam[key])} is not an address`);
    else if (range && (ip.version !== range.version || ip.value < range.first || ip.value > range.last)) problems.push(`${key} ${ipam[key]} is outside ${ipam.range}`);
  }
  if (ipam.exclude !== undefined) {
    if (!Array.isArray(ipam.exclude)) {problems.push('exclude is not a list');} else {
      for (const e of ipam.exclude) {
        if (!parseCidr(e)) problems.push(`exclude entry ${JSON.stringify(e)} is not a CIDR block`);
      }
    }
  }
  if (ipam.network_name !== undefined && typeof ipam.network_name !== 'string') problems.push('network_name is not a string');
  return problems;
}

/** Name of the stand-in macvlan master each sandbox creates. */
export const STAND_IN_MASTER = 'cnimaster0';

/**
 * Rewrites what cannot run here (see the file comment); the private
 * host-local `dataDir` is added per run by `runChain`.
 */
export function prepare(config: string): Prepared {
  const conflist = JSON.parse(config);
  const rewrites: string[] = [];
  for (const plugin of conflist.plugins as any[]) {
    if (!fs.existsSync(path.join(CNI_PATH, plugin.type))) {
      return { rewrites, skipReason: `no '${plugin.type}' plugin binary on this host` };
    }
    const ipam = plugin.ipam;
    if (ipam?.type === 'dhcp') {
      return { rewrites, skipReason: 'dhcp IPAM needs the CNI dhcp daemon and a DHCP server on the network' };
    }
    if (ipam?.type === 'whereabouts') {
      plugin.ipam = hostLocalFromWhereabouts(ipam, rewrites);
    } else if (ipam?.type !== undefined && ipam.type !== 'host-local' && !fs.existsSync(path.join(CNI_PATH, ipam.type))) {
      return { rewrites, skipReason: `no '${ipam.type}' IPAM binary on this host` };
    }
    if (plugin.type === 'macvlan') {
      rewrites.push(`macvlan master ${plugin.master ?? '(default route interface)'} -> ${STAND_IN_MASTER}`);
      plugin.master = STAND_IN_MASTER;
    }
  }
  return { conflist, rewrites };
}

/** The environment a runtime gives a CNI plugin (CNI spec, "Parameters"); `extra` adds CNI_ARGS or sets CNI_PATH. */
export function pluginEnv(
  command: string, containerId: string, netns: string, ifName: string, extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    CNI_COMMAND: command,
    CNI_CONTAINERID: containerId,
    CNI_NETNS: `/var/run/netns/${netns}`,
    CNI_IFNAME: ifName,
    CNI_PATH,
    ...extra,
  };
}

export interface PluginRun {
  readonly ok: boolean;
  readonly stdout: string;
  readonly error?: string;
}

let counter = 0;

/** One throwaway pair of namespaces plus IPAM state; `dispose()` removes everything. */
export class Sandbox {
  public readonly id: string;
  public readonly outer: string;
  public readonly container: string;
  public readonly dataDir: string;
  public readonly master = STAND_IN_MASTER;

  public constructor(masterMtu: number) {
    this.id = `cnic${process.pid}x${counter++}`;
    this.outer = `${this.id}o`;
    this.container = `${this.id}c`;
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cni-ipam-'));
    try {
      run('ip', ['netns', 'add', this.outer]);
      run('ip', ['netns', 'add', this.container]);
      run('ip', ['-n', this.outer, 'link', 'set', 'lo', 'up']);
      run('ip', ['-n', this.container, 'link', 'set', 'lo', 'up']);
      // stand-in macvlan master: the kernel here has no dummy driver, a veth end works the same
      run('ip', ['-n', this.outer, 'link', 'add', this.master, 'mtu', String(masterMtu), 'type', 'veth', 'peer', 'name', `${this.master}p`, 'mtu', String(masterMtu)]);
      run('ip', ['-n', this.outer, 'link', 'set', this.master, 'up']);
      run('ip', ['-n', this.outer, 'link', 'set', `${this.master}p`, 'up']);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Runs one plugin binary inside the outer namespace. */
  public plugin(command: string, type: string, conf: any): PluginRun {
    const res = spawnSync('ip', ['netns', 'exec', this.outer, path.join(CNI_PATH, type)], {
      input: JSON.stringify(conf),
      encoding: 'utf-8',
      timeout: 60_000,
      env: pluginEnv(command, this.id, this.container, 'net1'),
    });
    if (res.error) return { ok: false, stdout: '', error: res.error.message };
    if (res.status === 0) return { ok: true, stdout: res.stdout };
    let error = res.stdout || res.stderr;
    try {
      const parsed = JSON.parse(res.stdout);
      error = [parsed.msg, parsed.details].filter(Boolean).join(': ');
    } catch {
      // not JSON: keep the raw output
    }
    return { ok: false, stdout: res.stdout, error: `${type} ${command} failed: ${error}`.trim() };
  }

  public dispose(): void {
    spawnSync('ip', ['netns', 'del', this.container]);
    spawnSync('ip', ['netns', 'del', this.outer]);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): void {
  const res = spawnSync(cmd, args, { encoding: 'utf-8' });
  if (res.error || res.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${res.error?.message ?? res.stderr.trim()}`);
  }
}

function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

export interface ChainResult {
  readonly ok: boolean;
  /** The step that failed and its message. */
  readonly error?: string;
  readonly checked: boolean;
  /** CHECK failures accepted as known limitations of the reference plugins (see knownCheckLimitation). */
  readonly checkLimitations: string[];
}

/**
 * CHECK failures that come from the reference plugins themselves, not from
 * the config, accepted only in exactly these forms (ADD and DEL must pass):
 *
 * - the bridge plugin's CHECK always runs an IPAM CHECK, even for a layer-2
 *   only network without `ipam`, and then fails with "no plugin name
 *   provided" (plugins/main/bridge cmdCheck calls ipam.ExecCheck
 *   unconditionally, up to the current upstream code);
 * - a route written without `gw` is installed through the IPAM gateway
 *   (ipam.ConfigureIface), but CHECK looks for it without a gateway and fails
 *   with "Expected Route {Dst:... GW:<nil>} not found in routing table";
 * - the tuning plugin's CHECK reads sysctl names without replacing IFNAME
 *   by the interface name (its ADD does replace it): such CHECKs are run
 *   again with the name replaced, and must then pass.
 *
 * @returns a label for the summary, or undefined when the failure is real
 */
export function knownCheckLimitation(plugin: any, error: string): string | undefined {
  if (plugin.type === 'bridge' && plugin.ipam === undefined && error === 'bridge CHECK failed: no plugin name provided') {
    return 'bridge CHECK needs IPAM (layer-2 only network)';
  }
  const m = /Expected Route \{Dst:\{IP:(\S+) Mask:([0-9a-f]+)\} GW:<nil>\} not found in routing table$/.exec(error);
  if (m) {
    const prefix = [...m[2]].reduce((n, hex) => n + parseInt(hex, 16).toString(2).replace(/0/g, '').length, 0);
    const dst = parseCidr(`${m[1]}/${prefix}`);
    const written = ((plugin.ipam?.routes ?? []) as any[]).some(r => {
      const c = r.gw === undefined ? parseCidr(r.dst) : undefined;
      return c !== undefined && dst !== undefined && c.version === dst.version && c.first === dst.first && c.prefix === dst.prefix;
    });
    if (written) return 'CHECK of a route without gw (installed through the IPAM gateway)';
  }
  return undefined;
}

/**
 * ADD, CHECK (CNI >= 0.4.0), DEL of a whole conflist in a fresh sandbox; always cleans up.
 * `prepareOuter` runs in the fresh outer namespace before ADD (e.g. to build the host bridges there).
 */
export function runChain(conflist: any, prepareOuter?: (outerNamespace: string) => void): ChainResult {
  const mtus = (conflist.plugins as any[]).map(p => (typeof p.mtu === 'number' ? p.mtu : 0));
  const sandbox = new Sandbox(Math.max(1500, ...mtus));
  if (prepareOuter) {
    try {
      prepareOuter(sandbox.outer);
    } catch (e) {
      sandbox.dispose();
      throw e;
    }
  }
  const plugins: any[] = conflist.plugins;
  const confFor = (p: any, prevResult: any) => ({
    ...p,
    cniVersion: conflist.cniVersion,
    name: conflist.name,
    ...(p.ipam?.type === 'host-local' ? { ipam: { ...p.ipam, dataDir: sandbox.dataDir } } : {}),
    ...(prevResult !== undefined ? { prevResult } : {}),
  });
  let result: any;
  let added = 0;
  try {
    for (const p of plugins) {
      const r = sandbox.plugin('ADD', p.type, confFor(p, result));
      added++;
      if (!r.ok) return { ok: false, error: r.error, checked: false, checkLimitations: [] };
      result = r.stdout.trim() ? JSON.parse(r.stdout) : result;
    }
    const checked = versionAtLeast(conflist.cniVersion, '0.4.0');
    const checkLimitations: string[] = [];
    if (checked) {
      for (const p of plugins) {
        const r = sandbox.plugin('CHECK', p.type, confFor(p, result));
        if (r.ok) continue;
        if (p.type === 'tuning' && /IFNAME.*no such file or directory$/.test(r.error ?? '')
          && Object.keys(p.sysctl ?? {}).some(k => k.includes('IFNAME'))) {
          // tuning's CHECK does not replace IFNAME in sysctl names the way its ADD does
          // (plugins/meta/tuning cmdCheck): check again with the interface name filled in
          const sysctl = Object.fromEntries(Object.entries(p.sysctl).map(([k, v]) => [k.replace(/IFNAME/g, 'net1'), v]));
          const again = sandbox.plugin('CHECK', p.type, confFor({ ...p, sysctl }, result));
          if (!again.ok) return { ok: false, error: again.error, checked, checkLimitations };
          checkLimitations.push('tuning CHECK does not replace IFNAME in sysctl names (checked with it replaced)');
          continue;
        }
        const known = knownCheckLimitation(p, r.error ?? '');
        if (!known) return { ok: false, error: r.error, checked, checkLimitations };
        checkLimitations.push(known);
      }
    }
    for (const p of [...plugins].reverse()) {
      const r = sandbox.plugin('DEL', p.type, confFor(p, result));
      if (!r.ok) return { ok: false, error: r.error, checked, checkLimitations };
    }
    added = 0;
    const leftovers = fs.readdirSync(sandbox.dataDir, { recursive: true }).map(String)
      .filter(f => !/(^|\/)(lock|last_reserved_ip\.\d+)$/.test(f) && fs.statSync(path.join(sandbox.dataDir, f)).isFile());
    if (leftovers.length > 0) return { ok: false, error: `DEL left IPAM reservations behind: ${leftovers.join(', ')}`, checked, checkLimitations };
    return { ok: true, checked, checkLimitations };
  } finally {
    if (added > 0) {
      // the runtime calls DEL after a failed ADD; do the same so nothing leaks
      for (const p of plugins.slice(0, added).reverse()) sandbox.plugin('DEL', p.type, confFor(p, result));
    }
    sandbox.dispose();
  }
}

/** The same conflist without `vlan`/`vlanTrunk`, for the no-802.1Q fallback. */
export function withoutVlan(conflist: any): any {
  const copy = JSON.parse(JSON.stringify(conflist));
  for (const p of copy.plugins) {
    delete p.vlan;
    delete p.vlanTrunk;
  }
  return copy;
}

export function usesVlan(conflist: any): boolean {
  return (conflist.plugins as any[]).some(p => p.vlan !== undefined || p.vlanTrunk !== undefined);
}

/** Short stable id for a config, for sandbox names in messages. */
export function configHash(config: string): string {
  return crypto.createHash('sha256').update(config).digest('hex').slice(0, 12);
}
