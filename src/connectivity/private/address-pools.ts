/**
 * The ranges an address plan takes fixed addresses from: each network's
 * IPAM read as pools (whereabouts, host-local, dual-stack), checked against
 * the plan's blocks so that no planned address sits in a dynamic pool.
 */
import { IConstruct } from 'constructs';
import { NetworkAttachmentDefinition } from '../../network/network-attachment-definition';
import { allocatableSegments } from '../../network/private/whereabouts-pool';
import { formatIp, parseCidr, parseIp, ParsedCidr, propError } from '../../validation';

/** A block of a plan, as given. */
export interface PlanBlock {
  readonly prop: 'block' | 'ipv6Block';
  readonly text: string;
  readonly cidr: ParsedCidr;
}

/** What a plan needs of its network's IPAM for one of its blocks. */
export interface PlanPool {
  readonly block: PlanBlock;
  /** The subnet planned addresses take their prefix length from (whereabouts' range, or the host-local range's subnet). */
  readonly subnet: ParsedCidr;
  /** Router addresses no VM may get: the gateway and the routes' next hops. */
  readonly routers: bigint[];
  /** Routes of the block's IP version, each with its next hop. */
  readonly routes: Array<{ to: string; via: string }>;
}

/** A route of the IPAM config, the default next hop filled in. */
export function planRoutes(
  routes: Array<{ dst: string; gw?: string }> | undefined, gateway: string | undefined, version: 4 | 6,
): Array<{ to: string; via: string }> {
  // a route without its own gateway goes through the network's gateway; without either it is left out
  return (routes ?? [])
    .filter(r => parseCidr(r.dst)?.version === version)
    .filter(r => r.gw !== undefined || gateway !== undefined)
    .map(r => ({ to: r.dst, via: (r.gw ?? gateway) as string }));
}

export function overlaps(a: { first: bigint; last: bigint }, b: { first: bigint; last: bigint }): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * Checks that each block is kept out of the network's dynamic addresses and
 * returns what the plan needs of each, or throws naming the fix.
 */
export function planPools(plan: IConstruct, network: NetworkAttachmentDefinition, blocks: PlanBlock[]): PlanPool[] {
  const conf = JSON.parse(network.config);
  const ipam = (conf.plugins as any[]).map(p => p.ipam).find(i => i !== undefined);
  const name = network.networkName;
  const [block, ipv6Block] = blocks;
  switch (ipam?.type) {
    case 'whereabouts':
      if (ipv6Block) {
        throw propError(plan, 'ipv6Block', ipv6Block.text, `is for dual-stack host-local networks; network '${name}' allocates with whereabouts from the one range ${ipam.range}`,
          'leave ipv6Block out');
      }
      return [whereaboutsPool(plan, name, ipam, block)];
    case 'host-local': return hostLocalPools(plan, name, ipam, block, ipv6Block);
    case 'static':
      throw propError(plan, 'network', name,
        'uses static IPAM, whose addresses are written into the network itself, so every VM on it gets the same ones; a per-VM address would need Multus\' `ips` '
        + 'in the network selection, which KubeVirt v1.9 does not write for a VM (it passes only the interface name and MAC)',
        'give the network Ipam.whereabouts({ range, exclude: [block] }), or Ipam.hostLocal() with rangeStart/rangeEnd that leave the block out');
    default:
      throw propError(plan, 'network', name, `has ${ipam?.type ? `${ipam.type} IPAM` : 'no IPAM'}, so the plan has no range to take addresses from and keep out of a dynamic pool`,
        'give the network Ipam.whereabouts({ range, exclude: [block] }), or Ipam.hostLocal() with rangeStart/rangeEnd that leave the block out');
  }
}

function whereaboutsPool(plan: IConstruct, name: string, ipam: any, block: PlanBlock): PlanPool {
  const range = parseCidr(ipam.range)!;
  const b = block.cidr;
  if (b.version !== range.version || b.first < range.first || b.last > range.last) {
    throw propError(plan, 'block', block.text, `must lie inside the network's range ${formatIp(range.version, range.first)}/${range.prefix}`, 'pick a block inside the range');
  }
  const first = ipam.range_start ? parseIp(ipam.range_start)!.value : range.first;
  const last = ipam.range_end ? parseIp(ipam.range_end)!.value : range.last;
  const exclude = ((ipam.exclude ?? []) as string[]).map(e => parseCidr(e)!);
  // the exclude entries may cover the block together, e.g. one /128 per address
  const excluded = allocatableSegments([b.first, b.last], exclude).length === 0;
  if (!excluded && overlaps(b, { first, last })) {
    throw propError(plan, 'block', block.text, `is part of the dynamic pool of network '${name}', so whereabouts could hand its addresses to other pods`,
      `add '${block.text}' to the network's whereabouts exclude list`);
  }
  const routes = planRoutes(ipam.routes, ipam.gateway, range.version);
  const gateway = ipam.gateway ? [parseIp(ipam.gateway)!.value] : [];
  return { block, subnet: range, routers: [...gateway, ...routes.map(r => parseIp(r.via)!.value)], routes };
}

type HostLocalRangeConf = { subnet: string; rangeStart?: string; rangeEnd?: string; gateway?: string };

/**
 * host-local gives an interface one address from each range set. One set:
 * a single-stack plan; an IPv4 and an IPv6 set: a dual-stack plan, which
 * needs `ipv6Block`. Anything else would leave the guest without an
 * address the network gives it.
 */
function hostLocalPools(plan: IConstruct, name: string, ipam: any, block: PlanBlock, ipv6Block: PlanBlock | undefined): PlanPool[] {
  const sets = ipam.ranges as HostLocalRangeConf[][];
  const versions = sets.map(set => new Set(set.map(r => parseCidr(r.subnet)!.version)));
  const single = (set: Set<4 | 6>) => (set.size === 1 ? [...set][0] : undefined);
  const [first, second] = versions.map(single);
  const dual = sets.length === 2 && first !== undefined && second !== undefined && first !== second;
  if (sets.length === 1) {
    if (ipv6Block) {
      throw propError(plan, 'ipv6Block', ipv6Block.text, `is for dual-stack networks; network '${name}' has one host-local range set, so each interface gets one address`,
        'leave ipv6Block out');
    }
    return [hostLocalPool(plan, name, ipam, sets[0], 0, block)];
  }
  if (!dual) {
    throw propError(plan, 'network', name, `gives each interface one address from each of its ${sets.length} host-local range sets, but a plan sets one address in the guest (or one of each IP version), which would drop the others`,
      'plan on a network with one host-local range set, or one IPv4 and one IPv6 set');
  }
  if (!ipv6Block) {
    throw propError(plan, 'ipv6Block', undefined, `must be set: network '${name}' is dual-stack (an IPv4 and an IPv6 host-local range set), and a plan with one block would leave the guest without its other address`,
      'add ipv6Block, a block of the IPv6 subnet outside its rangeStart..rangeEnd');
  }
  if (block.cidr.version !== 4) {
    throw propError(plan, 'block', block.text, 'must be the IPv4 block of the dual-stack network', 'put the IPv4 block in block and the IPv6 one in ipv6Block');
  }
  if (ipv6Block.cidr.version !== 6) {
    throw propError(plan, 'ipv6Block', ipv6Block.text, 'must be an IPv6 block', 'put the IPv4 block in block and the IPv6 one in ipv6Block');
  }
  const v4 = first === 4 ? 0 : 1;
  return [hostLocalPool(plan, name, ipam, sets[v4], v4, block), hostLocalPool(plan, name, ipam, sets[1 - v4], 1 - v4, ipv6Block)];
}

/**
 * host-local hands out rangeStart..rangeEnd of each range (by default the
 * whole subnet but its network, gateway and IPv4 broadcast address) and has
 * no exclude list: the block must lie inside a range's subnet and outside
 * every range's span.
 */
function hostLocalPool(plan: IConstruct, name: string, ipam: any, set: HostLocalRangeConf[], setIndex: number, block: PlanBlock): PlanPool {
  const b = block.cidr;
  const ranges = set.map((r, j) => {
    const subnet = parseCidr(r.subnet)!;
    const first = r.rangeStart ? parseIp(r.rangeStart)!.value : subnet.first + 1n;
    const last = r.rangeEnd ? parseIp(r.rangeEnd)!.value : (subnet.version === 4 ? subnet.last - 1n : subnet.last);
    const gateway = r.gateway ? parseIp(r.gateway)!.value : subnet.first + 1n;
    return { subnet, first, last, gateway, gatewayText: formatIp(subnet.version, gateway), prop: `ranges[${setIndex}][${j}]` };
  });
  const home = ranges.find(r => r.subnet.version === b.version && b.first >= r.subnet.first && b.last <= r.subnet.last);
  if (!home) {
    const subnets = ranges.map(r => `${formatIp(r.subnet.version, r.subnet.first)}/${r.subnet.prefix}`).join(', ');
    throw propError(plan, block.prop, block.text, `must lie inside the subnet of one of the network's host-local ranges (${subnets})`, 'pick a block inside a subnet');
  }
  for (const r of ranges) {
    if (r.subnet.version !== b.version || !overlaps(b, r)) continue;
    const v = r.subnet.version;
    const fixes = [
      ...(b.first > r.first ? [`rangeEnd: '${formatIp(v, b.first - 1n)}'`] : []),
      ...(b.last < r.last ? [`rangeStart: '${formatIp(v, b.last + 1n)}'`] : []),
    ];
    throw propError(plan, block.prop, block.text,
      `overlaps the addresses ${formatIp(v, r.first)}-${formatIp(v, r.last)} that host-local hands out from ${r.prop} of network '${name}' (host-local has no exclude list), so it could give them to other pods`,
      fixes.length > 0
        ? `shrink that range so the block lies outside it, e.g. with ${fixes.join(' or ')}, or pick a block outside it`
        : 'pick a block that leaves part of the subnet to host-local, and set rangeStart/rangeEnd to that part');
  }
  const routes = planRoutes(ipam.routes, home.gatewayText, home.subnet.version);
  return { block, subnet: home.subnet, routers: [...ranges.map(r => r.gateway), ...routes.map(r => parseIp(r.via)!.value)], routes };
}

/** Whether an address of a block may be handed out: not a router (gateway, next hop), the network or the IPv4 broadcast address. */
export function usable(pool: PlanPool, value: bigint): boolean {
  const r = pool.subnet;
  if (pool.routers.includes(value)) return false;
  const hostBits = (r.version === 4 ? 32 : 128) - r.prefix;
  if (hostBits >= 2 && (value === r.first || (r.version === 4 && value === r.last))) return false;
  return true;
}

export function formatMac(octets: number[]): string {
  return octets.map(o => o.toString(16).padStart(2, '0')).join(':');
}
