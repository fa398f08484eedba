/**
 * Reads the parts of a NetworkAttachmentDefinition's CNI config that the
 * topology picture shows: the main plugin, its bridge or parent device, the
 * VLAN and the IPAM ranges. Internal; never throws on odd input.
 */

/** What the picture shows of one CNI config. */
export interface CniSummary {
  /** Main plugin type (`bridge`, `macvlan`...). */
  readonly type?: string;
  /** `bridge br1`, `master eth1`, `device ens5`. */
  readonly device?: string;
  readonly vlan?: number;
  /** IPAM ranges, or a word for IPAM without ranges (`dhcp`). */
  readonly ranges: string[];
  /** Short label line, e.g. `bridge br1 · VLAN 100 · 10.0.100.0/24`. */
  readonly line: string;
}

/** Plugins that only adjust an interface another plugin created. */
export const META_PLUGINS = new Set(['tuning', 'portmap', 'bandwidth', 'firewall', 'sbr', 'vrf']);

const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x : undefined);
const arr = (x: unknown): any[] => (Array.isArray(x) ? x : []);

/** Summarizes `spec.config` of a NetworkAttachmentDefinition. */
export function summarizeCniConfig(config: unknown): CniSummary {
  if (config === undefined || config === null || config === '') {
    return { ranges: [], line: 'config kept on the nodes' };
  }
  let parsed: unknown;
  try {
    parsed = typeof config === 'string' ? JSON.parse(config) : config;
  } catch {
    return { ranges: [], line: 'config is not JSON' };
  }
  if (!isObject(parsed)) {
    return { ranges: [], line: 'config is not a JSON object' };
  }

  const plugins = Array.isArray(parsed.plugins) ? parsed.plugins.filter(isObject) : [parsed];
  const main = plugins.find(p => !META_PLUGINS.has(p.type)) ?? plugins[0] ?? {};
  const type = str(main.type);
  let device: string | undefined;
  if (str(main.bridge)) device = `bridge ${main.bridge}`;
  else if (str(main.master)) device = `master ${main.master}`;
  else if (str(main.device)) device = `device ${main.device}`;
  const vlan = Number.isInteger(main.vlan) && main.vlan > 0 ? main.vlan as number : undefined;

  const ipam = isObject(main.ipam) ? main.ipam : plugins.map(p => p.ipam).find(isObject);
  const ranges = ipam ? ipamRanges(ipam) : [];

  const head = type === undefined ? 'unknown plugin'
    : device === undefined ? type
      : device.startsWith('bridge ') && type === 'bridge' ? device
        : `${type} ${device}`;
  const parts = [head];
  if (vlan !== undefined) parts.push(`VLAN ${vlan}`);
  parts.push(...(ranges.length > 0 ? ranges : [ipam ? `${str(ipam.type) ?? 'unknown'} IPAM` : 'no IPAM']));
  return { type, device, vlan, ranges, line: parts.join(' · ') };
}

function withBounds(range: string, start: unknown, end: unknown): string {
  const s = str(start);
  const e = str(end);
  if (s === undefined && e === undefined) return range;
  return `${range} [${s ?? 'first'}-${e ?? 'last'}]`;
}

/** Ranges of the IPAM plugins the library emits (whereabouts, host-local, static, dhcp). */
function ipamRanges(ipam: Record<string, any>): string[] {
  const out: string[] = [];
  switch (ipam.type) {
    case 'whereabouts':
      if (str(ipam.range)) out.push(withBounds(ipam.range, ipam.range_start, ipam.range_end));
      for (const r of arr(ipam.ipRanges).filter(isObject)) {
        if (str(r.range)) out.push(withBounds(r.range, r.range_start, r.range_end));
      }
      break;
    case 'host-local':
      if (str(ipam.subnet)) out.push(withBounds(ipam.subnet, ipam.rangeStart, ipam.rangeEnd));
      for (const set of arr(ipam.ranges)) {
        for (const r of arr(set).filter(isObject)) {
          if (str(r.subnet)) out.push(withBounds(r.subnet, r.rangeStart, r.rangeEnd));
        }
      }
      break;
    case 'static':
      for (const a of arr(ipam.addresses).filter(isObject)) {
        if (str(a.address)) out.push(a.address);
      }
      break;
    case 'dhcp':
      out.push('dhcp');
      break;
    default:
      break;
  }
  return out;
}
