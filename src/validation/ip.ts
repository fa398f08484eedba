/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
/** An IPv4 or IPv6 address as a number, for comparisons and containment. */
export interface ParsedIp {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A CIDR block as written, with its network and last address computed. */
export interface ParsedCidr {
  readonly version: 4 | 6;
  /** The address as written before the slash. */
  readonly address: bigint;
  readonly prefix: number;
  /** First address of the block (host bits cleared). */
  readonly first: bigint;
  /** Last address of the block (host bits set). */
  readonly last: bigint;
  /** Whether the written address has host bits set (`10.0.0.5/24`). */
  readonly hostBitsSet: boolean;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function bits(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (text.length === 0 || text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;

  const groupsOf = (part: string): string[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: string[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      // an embedded IPv4 address may end the address (::ffff:10.0.0.1)
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        out.push(((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
        continue;
      }
      if (!IPV6_GROUP.test(g)) return undefined;
      out.push(g);
    }
    return out;
  };

  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 2 && halves[0].includes('.')) return undefined;

  let groups: string[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<string>(missing).fill('0'), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const g of groups) {
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: string): ParsedIp | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

/** Parses `address/prefix` for IPv4 or IPv6; undefined when malformed. */
export function parseCidr(text: string): ParsedCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const width = bits(ip.version);
  if (prefix > width) return undefined;
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const first = ip.value & ~hostMask;
  const last = first | hostMask;
  return { version: ip.version, address: ip.value, prefix, first, last, hostBitsSet: ip.value !== first };
}

/** Whether the address lies inside the block (same IP version required). */
export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  return cidr.version === ip.version && ip.value >= cidr.first && ip.value <= cidr.last;
}

/** Whether two inclusive address ranges of the same version share an address. */
export function rangesOverlap(aFirst: bigint, aLast: bigint, bFirst: bigint, bLast: bigint): boolean {
  return aFirst <= bLast && bFirst <= aLast;
}

/** Writes an address back as text (IPv6 in its shortest form). */
export function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map(s => ((value >> s) & 0xffn).toString()).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) {
    groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  }
  // longest run of two or more zero groups becomes '::'
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map(g => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/** The network address of a block, as `first/prefix` text. */
export function formatCidrNetwork(cidr: ParsedCidr): string {
  return `${formatIp(cidr.version, cidr.first)}/${cidr.prefix}`;
}
