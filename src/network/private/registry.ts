import { IConstruct } from 'constructs';
import { AddressPool } from './pools';
import { AppSlot, appState, MessagesByConstruct, Report } from '../../private/app-registry';
import { formatIp, formatPropError } from '../../validation';

/** What the graph rules need to know about one NetworkAttachmentDefinition. */
export interface NetworkFacts {
  readonly construct: IConstruct;
  readonly name: string;
  readonly namespace: string;
  readonly shared: boolean;
  readonly attachments: ReadonlyArray<{ readonly bridge: string; readonly vlan?: number; readonly prop: string }>;
  readonly pools: ReadonlyArray<AddressPool>;
}

function describeSegment(bridge: string, vlan: number | undefined): string {
  return vlan === undefined ? `bridge '${bridge}' (untagged)` : `bridge '${bridge}' VLAN ${vlan}`;
}


/**
 * Every NetworkAttachmentDefinition of one construct tree, and the graph
 * rules over them. The rules run once per tree (the first validation after
 * a change computes the errors of every network, the others read them) and
 * stay linear: maps keyed by namespace/name and by bridge+VLAN, and within
 * one bridge+VLAN a single sweep over the pools sorted by first address.
 */
export class NetworkRegistry {
  /** The registry of the tree the construct belongs to. */
  public static of(construct: IConstruct): NetworkRegistry {
    return appState(construct, NetworkRegistry.SLOT);
  }

  private static readonly SLOT = new AppSlot('NetworkAttachmentDefinitions', () => new NetworkRegistry());

  private readonly networks: NetworkFacts[] = [];
  private readonly errors = new MessagesByConstruct(report => this.findProblems(report));
  private readonly warnings = new MessagesByConstruct(report => this.findSharedPoolProblems(report));

  private constructor() {}

  public register(facts: NetworkFacts): void {
    this.networks.push(facts);
    this.errors.invalidate();
    this.warnings.invalidate();
  }

  /** The graph-rule warnings of one network (computed for all on first use). */
  public warningsFor(construct: IConstruct): string[] {
    return this.warnings.for(construct);
  }

  /**
   * whereabouts keeps its reservations per network_name and address, whatever
   * the bridge or VLAN: networks on different segments whose ranges overlap
   * under one network_name draw from one pool of addresses. Legal, but each
   * segment then gets fewer addresses than its range suggests, so it is a
   * warning. Sorted sweep per network_name and IP version.
   */
  private findSharedPoolProblems(report: Report): void {
    interface Entry { readonly pool: AddressPool; readonly network: NetworkFacts; readonly segments: string }
    const byAllocator = new Map<string, Entry[]>();
    for (const n of this.networks) {
      const segments = [...new Set(n.attachments.map(a => describeSegment(a.bridge, a.vlan)))].sort().join(', ');
      for (const pool of n.pools) {
        if (pool.allocator === undefined) continue;
        const key = `${pool.allocator}\u0000${pool.version}`;
        const list = byAllocator.get(key) ?? [];
        list.push({ pool, network: n, segments });
        byAllocator.set(key, list);
      }
    }
    for (const list of byAllocator.values()) {
      list.sort((a, b) => (a.pool.first < b.pool.first ? -1 : a.pool.first > b.pool.first ? 1 : 0));
      let furthest: Entry | undefined;
      const warned = new Set<NetworkFacts>();
      for (const e of list) {
        const f = furthest;
        if (f && f.pool.last >= e.pool.first && f.network !== e.network && f.segments !== e.segments && !warned.has(e.network)) {
          warned.add(e.network);
          const name = e.pool.allocator!.slice('whereabouts/'.length);
          const message = formatPropError(e.pool.prop, e.pool.text,
            `shares whereabouts addresses with network ${f.network.namespace}/${f.network.name} on ${f.segments || 'no bridge'} (same ${name ? `networkName '${name}'` : 'unnamed pool'}), so an address given out on one segment is not available on the other`,
            'give each network its own networkName if every segment should have the whole range');
          report(e.network.construct, message);
        }
        if (!f || e.pool.last > f.pool.last) furthest = e;
      }
    }
  }

  /** The graph-rule errors of one network (computed for all on first use). */
  public errorsFor(construct: IConstruct): string[] {
    return this.errors.for(construct);
  }

  private findProblems(report: Report): void {
    this.findDuplicateNameProblems(report);
    this.findSegmentProblems(report);
  }

  private findDuplicateNameProblems(report: Report): void {
    const first = new Map<string, NetworkFacts>();
    for (const n of this.networks) {
      const key = `${n.namespace}/${n.name}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, n);
        continue;
      }
      report(n.construct, formatPropError('name', n.name,
        `is already used by the NetworkAttachmentDefinition at ${earlier.construct.node.path} in namespace '${n.namespace}'`,
        'give every network of a namespace its own name'));
    }
  }

  private findSegmentProblems(report: Report): void {
    interface Member { readonly network: NetworkFacts; readonly prop: string }
    const segments = new Map<string, { bridge: string; vlan?: number; members: Member[] }>();
    for (const n of this.networks) {
      const seen = new Set<string>();
      for (const a of n.attachments) {
        const key = `${a.bridge}\u0000${a.vlan ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let seg = segments.get(key);
        if (!seg) {
          seg = { bridge: a.bridge, vlan: a.vlan, members: [] };
          segments.set(key, seg);
        }
        seg.members.push({ network: n, prop: a.prop });
      }
    }

    for (const seg of segments.values()) {
      if (seg.members.length < 2) continue;
      const where = describeSegment(seg.bridge, seg.vlan);

      // isolation: one bridge+VLAN in several namespaces needs every network marked shared
      const byNamespace = new Map<string, string[]>();
      for (const m of seg.members) {
        const names = byNamespace.get(m.network.namespace) ?? [];
        names.push(`${m.network.namespace}/${m.network.name}`);
        byNamespace.set(m.network.namespace, names);
      }
      if (byNamespace.size > 1) {
        // sorted once per segment; each message names at most three networks of other namespaces
        const sorted = [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b));
        for (const m of seg.members) {
          if (m.network.shared) continue;
          const own = m.network.namespace;
          const shown: string[] = [];
          for (const [ns, names] of sorted) {
            if (ns === own) continue;
            shown.push(...names.slice(0, 3 - shown.length));
            if (shown.length >= 3) break;
          }
          const others = seg.members.length - (byNamespace.get(own)?.length ?? 0);
          const list = others > shown.length ? `${shown.join(', ')} and ${others - shown.length} more` : shown.join(', ');
          report(m.network.construct, formatPropError(m.prop, seg.vlan ?? seg.bridge,
            `puts this network on ${where}, which networks of other namespaces also use (${list}): traffic of the namespaces would mix`,
            'give each namespace its own VLAN, or set shared: true on every network of this bridge and VLAN if sharing is intended'));
        }
      }

      this.findOverlapProblems(seg.members.map(m => m.network), where, report);
    }
  }

  /**
   * Reports pools of different networks on one segment that share an
   * address, unless whereabouts keeps them apart: it reserves every address
   * cluster-wide per network_name (OverlappingRangeIPReservation, on by
   * default), so whereabouts pools with the same network_name, the unnamed
   * ones included, never hand out one address twice even when their ranges
   * differ. Sorted sweep: for each pool, compare with the pool
   * reaching furthest so far and with the furthest-reaching pool of a
   * different owner, which is enough to find a conflict if there is one.
   */
  private findOverlapProblems(networks: NetworkFacts[], where: string, report: Report): void {
    interface Entry { readonly pool: AddressPool; readonly network: NetworkFacts; readonly owner: string }
    const ids = new Map<NetworkFacts, number>();
    const entries: Entry[] = [];
    for (const n of networks) {
      if (!ids.has(n)) ids.set(n, ids.size);
      for (const pool of n.pools) {
        entries.push({ pool, network: n, owner: pool.allocator ?? `network#${ids.get(n)}` });
      }
    }
    for (const version of [4, 6]) {
      const list = entries.filter(e => e.pool.version === version)
        .sort((a, b) => (a.pool.first < b.pool.first ? -1 : a.pool.first > b.pool.first ? 1 : 0));
      let best: Entry | undefined;
      let other: Entry | undefined; // furthest-reaching entry whose owner differs from best's
      const reported = new Set<NetworkFacts>();
      for (const e of list) {
        const candidate = best && best.owner !== e.owner ? best : other;
        if (candidate && candidate.pool.last >= e.pool.first && candidate.network !== e.network && !reported.has(e.network)) {
          reported.add(e.network);
          const c = candidate.network;
          report(e.network.construct, formatPropError(e.pool.prop, e.pool.text,
            `overlaps the addresses ${formatIp(version as 4 | 6, candidate.pool.first)}-${formatIp(version as 4 | 6, candidate.pool.last)} of network ${c.namespace}/${c.name} (${c.construct.node.path}) on ${where}`,
            'give networks on one bridge and VLAN disjoint ranges (rangeStart/rangeEnd or exclude), or put them on different VLANs'));
        }
        if (!best || e.pool.last > best.pool.last) {
          if (best && best.owner !== e.owner) other = best;
          best = e;
        } else if (e.owner !== best.owner && (!other || e.pool.last > other.pool.last)) {
          other = e;
        }
      }
    }
  }
}
