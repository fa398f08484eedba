/**
 * The addresses whereabouts v0.9 hands out from one IPAM config, as its
 * allocator computes them: from the first usable address (network + 1, or
 * `range_start` when it lies in the usable span) to the last usable address
 * (broadcast - 1, or `range_end`), lowest first, skipping every `exclude`
 * block whole. A block with fewer than two host bits (IPv4 /31 and /32, IPv6
 * /127 and /128) has no usable address at all.
 */
import { formatIp, ParsedCidr, parseCidr, parseIp } from '../../validation';

/** The span whereabouts allocates from before excludes, or undefined when the block has none. */
export function whereaboutsSpan(range: ParsedCidr, start?: bigint, end?: bigint): [bigint, bigint] | undefined {
  const width = range.version === 4 ? 32 : 128;
  if (width - range.prefix < 2) return undefined;
  let first = range.first + 1n;
  let last = range.last - 1n;
  // whereabouts ignores a range_start or range_end outside the usable span
  if (start !== undefined && start >= first && start <= last) first = start;
  if (end !== undefined && end >= first && end <= last) last = end;
  return [first, last];
}

/** The allocatable segments of a span once the excluded blocks are skipped. */
export function allocatableSegments(span: [bigint, bigint], excluded: ReadonlyArray<{ first: bigint; last: bigint }>): Array<[bigint, bigint]> {
  const [first, last] = span;
  const segments: Array<[bigint, bigint]> = [];
  let cursor = first;
  for (const ex of [...excluded].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
    if (ex.last < cursor || ex.first > last) continue;
    if (ex.first > cursor) segments.push([cursor, ex.first - 1n]);
    if (ex.last + 1n > cursor) cursor = ex.last + 1n;
  }
  if (cursor <= last) segments.push([cursor, last]);
  return segments;
}

/** What the automatic excludes need to know of a whereabouts config. */
export interface WhereaboutsAddresses {
  readonly range: string;
  readonly rangeStart?: string;
  readonly rangeEnd?: string;
  readonly exclude?: string[];
  readonly gateway?: string;
  /** Next hops of the config's routes. */
  readonly nextHops: ReadonlyArray<string | undefined>;
}

/**
 * The router addresses (the gateway and the routes' next hops) that lie in
 * the allocatable span and no exclude covers yet, as single-address blocks
 * (`10.0.0.1/32`), deduplicated, in the order they appear. whereabouts never
 * holds a gateway back on its own, so without these the lowest one would be
 * handed to the first VM. Unparsable input gives nothing (it is refused
 * elsewhere).
 */
export function routerExcludes(o: WhereaboutsAddresses): string[] {
  const range = parseCidr(o.range);
  if (!range) return [];
  const span = whereaboutsSpan(range, parseIp(o.rangeStart ?? '')?.value, parseIp(o.rangeEnd ?? '')?.value);
  if (!span) return [];
  const excluded = (o.exclude ?? []).map(text => parseCidr(text)).filter((c): c is ParsedCidr => c !== undefined);
  const out: string[] = [];
  for (const text of [o.gateway, ...o.nextHops]) {
    const ip = text === undefined ? undefined : parseIp(text);
    if (!ip || ip.version !== range.version || ip.value < span[0] || ip.value > span[1]) continue;
    if (excluded.some(ex => ex.version === ip.version && ip.value >= ex.first && ip.value <= ex.last)) continue;
    const block = `${formatIp(ip.version, ip.value)}/${ip.version === 4 ? 32 : 128}`;
    if (!out.includes(block)) out.push(block);
  }
  return out;
}
