/**
 * The pieces the topology model is assembled from before it is final: draft
 * nodes and edges, their ids, and the words on clone edges.
 */
import { TopologyEdgeKind, TopologyNodeKind } from './topology-types';

export const ID_PREFIX: Record<TopologyNodeKind, string> = {
  [TopologyNodeKind.POD_NETWORK]: 'pod',
  [TopologyNodeKind.NETWORK]: 'net',
  [TopologyNodeKind.STORAGE_NETWORK]: 'snet',
  [TopologyNodeKind.CEPH]: 'ceph',
  [TopologyNodeKind.VIRTUAL_MACHINE]: 'vm',
  [TopologyNodeKind.FLEET]: 'fleet',
  [TopologyNodeKind.POOL]: 'pool',
  [TopologyNodeKind.IMAGE]: 'img',
  [TopologyNodeKind.VOLUME]: 'vol',
  [TopologyNodeKind.SNAPSHOT]: 'snap',
  [TopologyNodeKind.DATA_SOURCE]: 'ds',
  [TopologyNodeKind.PLATFORM]: 'platform',
  [TopologyNodeKind.HOST_BRIDGE]: 'host',
  [TopologyNodeKind.TUNNEL]: 'tun',
  [TopologyNodeKind.POLICY]: 'mnp',
  [TopologyNodeKind.VM_SNAPSHOT]: 'vmsnap',
  [TopologyNodeKind.VM_RESTORE]: 'vmrestore',
  [TopologyNodeKind.VM_CLONE]: 'vmclone',
  [TopologyNodeKind.VM_EXPORT]: 'vmexport',
  [TopologyNodeKind.BACKUP_SCHEDULE]: 'backup',
  [TopologyNodeKind.VM_TEMPLATE]: 'vmt',
};

export interface Draft {
  kind: TopologyNodeKind;
  namespace?: string;
  name: string;
  title?: string;
  details: string[];
  vmCount: number;
  isolatedCount: number;
  external: boolean;
  vlan?: number;
  ranges: string[];
  cniType?: string;
  /** Disk imports seen on a VM group (deduplicated). */
  imports?: Set<string>;
  /** Data disks of a VM group and their sources (deduplicated). */
  dataDisks?: Set<string>;
}

export interface DraftEdge {
  from: string;
  to: string;
  kind: TopologyEdgeKind;
  text?: string;
}

/** How PVC clones are drawn for each CDI `cloneStrategyOverride`. */
export const PVC_CLONE_WORDS: Record<string, [string, string]> = {
  'copy': ['host-assisted copy', 'host-assisted copies'],
  'snapshot': ['smart clone', 'smart clones'],
  'csi-clone': ['CSI clone', 'CSI clones'],
};

export function edgeLabel(e: DraftEdge, from: Draft, to: Draft, cloneStrategy: string | undefined): string | undefined {
  const many = to.vmCount > 1;
  let text: string | undefined;
  switch (e.kind) {
    case TopologyEdgeKind.ATTACHMENT: return e.text;
    case TopologyEdgeKind.SNAPSHOT: return 'snapshot';
    case TopologyEdgeKind.PUBLISH: return 'published as';
    case TopologyEdgeKind.DISK: return 'disk';
    case TopologyEdgeKind.HOST_LINK: return e.text;
    case TopologyEdgeKind.GUARD: return undefined;
    case TopologyEdgeKind.DAY_TWO: return e.text;
    case TopologyEdgeKind.COW_CLONE: text = many ? 'CoW clones' : 'CoW clone'; break;
    case TopologyEdgeKind.PVC_CLONE: {
      const [one, more] = PVC_CLONE_WORDS[cloneStrategy ?? ''] ?? ['PVC clone', 'PVC clones'];
      text = many ? more : one;
      break;
    }
    case TopologyEdgeKind.SOURCE_CLONE: text = many ? 'clones' : 'clone'; break;
  }
  if (from.namespace !== undefined && to.namespace !== undefined && from.namespace !== to.namespace) {
    text = `${text} (cross-namespace)`;
  }
  return text;
}

/** Letters, digits and `_` only, so the id is valid in Mermaid and DOT without quoting. */
export function sanitizeId(raw: string): string {
  const id = raw.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(id) ? id : `n_${id}`;
}
