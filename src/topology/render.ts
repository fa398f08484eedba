/**
 * Renders a topology model as Mermaid (`flowchart LR`) and Graphviz DOT.
 * Node ids are already safe (letters, digits, `_`); every text is escaped
 * for the syntax it lands in. Output order follows the sorted model, so the
 * same manifests always give the same text.
 */
import { TopologyModel } from './build-model';
import { TopologyEdgeKind, TopologyNode, TopologyNodeKind } from './topology-types';

interface Look {
  /** Mermaid shape brackets around the quoted label. */
  readonly open: string;
  readonly close: string;
  readonly dotShape: string;
  /**
   * DOT margin around the label, where the shape needs less than the default.
   * @default - the graph's node margin
   */
  readonly dotMargin?: string;
  readonly fill: string;
  readonly stroke: string;
}

const LOOKS: Record<TopologyNodeKind, Look> = {
  [TopologyNodeKind.POD_NETWORK]: { open: '{{', close: '}}', dotShape: 'hexagon', fill: '#eeeeee', stroke: '#777777' },
  [TopologyNodeKind.NETWORK]: { open: '{{', close: '}}', dotShape: 'hexagon', fill: '#dbeafe', stroke: '#1d4ed8' },
  [TopologyNodeKind.STORAGE_NETWORK]: { open: '{{', close: '}}', dotShape: 'hexagon', fill: '#fde68a', stroke: '#b45309' },
  [TopologyNodeKind.CEPH]: { open: '[(', close: ')]', dotShape: 'cylinder', fill: '#fed7aa', stroke: '#c2410c' },
  [TopologyNodeKind.VIRTUAL_MACHINE]: { open: '[', close: ']', dotShape: 'box', fill: '#dcfce7', stroke: '#15803d' },
  [TopologyNodeKind.FLEET]: { open: '[[', close: ']]', dotShape: 'box3d', fill: '#bbf7d0', stroke: '#15803d' },
  [TopologyNodeKind.POOL]: { open: '[[', close: ']]', dotShape: 'box3d', fill: '#a7f3d0', stroke: '#047857' },
  [TopologyNodeKind.IMAGE]: { open: '[(', close: ')]', dotShape: 'cylinder', fill: '#e9d5ff', stroke: '#7e22ce' },
  [TopologyNodeKind.VOLUME]: { open: '[(', close: ')]', dotShape: 'cylinder', fill: '#f5f5f4', stroke: '#57534e' },
  [TopologyNodeKind.SNAPSHOT]: { open: '([', close: '])', dotShape: 'note', fill: '#fce7f3', stroke: '#be185d' },
  [TopologyNodeKind.DATA_SOURCE]: { open: '[/', close: '/]', dotShape: 'parallelogram', fill: '#e0f2fe', stroke: '#0369a1' },
  [TopologyNodeKind.PLATFORM]: { open: '(', close: ')', dotShape: 'box', fill: '#f1f5f9', stroke: '#334155' },
  [TopologyNodeKind.HOST_BRIDGE]: { open: '[/', close: '\\]', dotShape: 'trapezium', fill: '#e2e8f0', stroke: '#334155' },
  [TopologyNodeKind.TUNNEL]: { open: '>', close: ']', dotShape: 'cds', fill: '#ccfbf1', stroke: '#0f766e' },
  // a stop sign in DOT, with a small margin: the octagon's corners already
  // leave room, and a wider node would widen its whole rank; Mermaid has no
  // octagon, so there it is an inverted trapezoid
  [TopologyNodeKind.POLICY]: { open: '[\\', close: '/]', dotShape: 'octagon', dotMargin: '0.04,0.02', fill: '#fee2e2', stroke: '#b91c1c' },
  [TopologyNodeKind.VM_SNAPSHOT]: { open: '([', close: '])', dotShape: 'note', fill: '#fef9c3', stroke: '#a16207' },
  [TopologyNodeKind.VM_RESTORE]: { open: '[\\', close: '\\]', dotShape: 'rarrow', fill: '#fef3c7', stroke: '#a16207' },
  [TopologyNodeKind.VM_CLONE]: { open: '[', close: ']', dotShape: 'component', fill: '#ecfccb', stroke: '#4d7c0f' },
  [TopologyNodeKind.VM_EXPORT]: { open: '>', close: ']', dotShape: 'house', fill: '#cffafe', stroke: '#0e7490' },
  [TopologyNodeKind.BACKUP_SCHEDULE]: { open: '(', close: ')', dotShape: 'folder', fill: '#ede9fe', stroke: '#5b21b6' },
  [TopologyNodeKind.VM_TEMPLATE]: { open: '[', close: ']', dotShape: 'tab', fill: '#f0fdf4', stroke: '#166534' },
};

/** What each kind is called in the picture's legend. */
const KIND_NAMES: Record<TopologyNodeKind, string> = {
  [TopologyNodeKind.PLATFORM]: 'platform: controllers and versions',
  [TopologyNodeKind.POD_NETWORK]: 'pod network',
  [TopologyNodeKind.NETWORK]: 'Multus network',
  [TopologyNodeKind.STORAGE_NETWORK]: 'storage network',
  [TopologyNodeKind.CEPH]: 'Ceph cluster',
  [TopologyNodeKind.VIRTUAL_MACHINE]: 'VM',
  [TopologyNodeKind.FLEET]: 'fleet of VMs (name ×count)',
  [TopologyNodeKind.POOL]: 'VirtualMachinePool',
  [TopologyNodeKind.IMAGE]: 'golden image',
  [TopologyNodeKind.VOLUME]: 'volume',
  [TopologyNodeKind.SNAPSHOT]: 'VolumeSnapshot',
  [TopologyNodeKind.DATA_SOURCE]: 'DataSource',
  [TopologyNodeKind.HOST_BRIDGE]: 'host bridge or NIC (nmstate)',
  [TopologyNodeKind.TUNNEL]: 'VXLAN tunnel (nmstate)',
  [TopologyNodeKind.POLICY]: 'MultiNetworkPolicy, dashed to its networks',
  [TopologyNodeKind.VM_SNAPSHOT]: 'VirtualMachineSnapshot',
  [TopologyNodeKind.VM_RESTORE]: 'VirtualMachineRestore',
  [TopologyNodeKind.VM_CLONE]: 'VirtualMachineClone',
  [TopologyNodeKind.VM_EXPORT]: 'VirtualMachineExport',
  [TopologyNodeKind.BACKUP_SCHEDULE]: 'Velero backup Schedule',
  [TopologyNodeKind.VM_TEMPLATE]: 'VirtualMachineTemplate',
};

/** Drawing order of the legend rows. */
const LEGEND_ORDER = Object.keys(KIND_NAMES) as TopologyNodeKind[];

/** Kinds in the order their style classes are written. */
const KINDS = Object.keys(LOOKS).sort() as TopologyNodeKind[];

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The legend shown in `topology.md`, one Markdown bullet per line. */
export const LEGEND = [
  'hexagons are networks: the pod network, Multus networks (bridge/device, VLAN, IPAM ranges) and the storage network',
  'the rounded box outside the namespaces is the platform: the controllers the manifests run, with their versions',
  'cylinders are golden images, other volumes and Ceph (drawn only for a CephCluster in the manifests); rounded boxes are VolumeSnapshots; slanted boxes are DataSources',
  'boxes are single VMs; stacked boxes are fleets (`name ×count`, VMs sharing the `kubevirt.cdk8s.io/fleet` label) and VirtualMachinePools',
  'a dashed thick border marks isolated VMs (no pod network, a Multus network as default)',
  'trapezoids are host bridges (and NICs) that NodeNetworkConfigurationPolicies build on the nodes, with arrows to the networks they carry; flags are VXLAN tunnels, with arrows to the bridge they are a port of',
  'red stop signs (octagons; inverted trapezoids in Mermaid) are MultiNetworkPolicies, with dashed lines to the networks they are for (`policy-for`): whom they apply to (`policy for`), what may come in (`in:`) and go out (`out:`), by peer (VMs, fleets, pods by label, namespaces, address blocks) and port; `in: nothing` drops all of it, and a direction not listed is not restricted',
  'plain lines attach VMs and Ceph to networks; arrows show where data comes from: snapshot, CoW clone (restore from a snapshot), PVC clone (CDI picks CSI clone, smart clone or host-assisted copy; named after the CDI `cloneStrategyOverride` when the manifests set one), clone through a DataSource, disk (an existing volume)',
];

/** The legend line for day-2 objects, listed only when the picture has one. */
export const DAY_TWO_LEGEND = 'day-2 objects sit beside their VMs, with arrows labelled by what they do: `snapshot` (a VirtualMachineSnapshot of a VM), '
  + '`restore` and `into` (a VirtualMachineRestore of a snapshot into a VM), `clone` (a VirtualMachineClone of a VM or snapshot), '
  + '`export` (a VirtualMachineExport), `backup` (a Velero Schedule to the VMs its namespaces and label selectors pick) and `template` (a VirtualMachineTemplate made from a VM)';

/** The day-2 node kinds. */
export const DAY_TWO_KINDS = new Set<TopologyNodeKind>([
  TopologyNodeKind.VM_SNAPSHOT, TopologyNodeKind.VM_RESTORE, TopologyNodeKind.VM_CLONE,
  TopologyNodeKind.VM_EXPORT, TopologyNodeKind.BACKUP_SCHEDULE, TopologyNodeKind.VM_TEMPLATE,
]);

/** Text of the node box, one entry per line. */
function labelLines(n: TopologyNode): string[] {
  return [n.title, ...n.details];
}

/** Escapes text for a quoted Mermaid label with numeric entity codes. */
export function escapeMermaid(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[#"<>&`|\\]/g, c => `#${c.charCodeAt(0)};`);
}

/** Escapes text for a double-quoted DOT string. */
export function escapeDot(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\"]/g, c => `\\${c}`);
}

/** Groups nodes by namespace; nodes without one come first under ''. */
function byNamespace(model: TopologyModel): Array<[string, TopologyNode[]]> {
  const groups = new Map<string, TopologyNode[]>();
  for (const n of model.nodes) {
    const ns = n.namespace ?? '';
    let list = groups.get(ns);
    if (!list) groups.set(ns, list = []);
    list.push(n);
  }
  return [...groups.entries()].sort(([a], [b]) => byCodePoint(a, b));
}

/** A cluster/subgraph id for a namespace, unique against node ids. */
function namespaceIds(model: TopologyModel): Map<string, string> {
  const used = new Set(model.nodes.map(n => n.id));
  const out = new Map<string, string>();
  for (const [ns] of byNamespace(model)) {
    if (ns === '') continue;
    const base = `ns_${ns.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    out.set(ns, id);
  }
  return out;
}

/** Renders the model as a Mermaid flowchart. */
export function renderMermaid(model: TopologyModel): string {
  const lines = ['flowchart LR'];
  const nsIds = namespaceIds(model);
  for (const [ns, nodes] of byNamespace(model)) {
    const indent = ns === '' ? '  ' : '    ';
    if (ns !== '') lines.push(`  subgraph ${nsIds.get(ns)}["${escapeMermaid(`namespace ${ns}`)}"]`);
    for (const n of nodes) {
      const look = LOOKS[n.kind];
      lines.push(`${indent}${n.id}${look.open}"${labelLines(n).map(escapeMermaid).join('<br/>')}"${look.close}`);
    }
    if (ns !== '') lines.push('  end');
  }
  for (const e of model.edges) {
    const arrow = e.kind === TopologyEdgeKind.ATTACHMENT ? '---' : e.kind === TopologyEdgeKind.GUARD ? '-.-' : '-->';
    const text = e.label ? `|"${escapeMermaid(e.label)}"|` : '';
    lines.push(`  ${e.source} ${arrow}${text} ${e.target}`);
  }
  // Style classes, only for what the picture contains.
  for (const kind of KINDS) {
    const ids = model.nodes.filter(n => n.kind === kind).map(n => n.id);
    if (ids.length === 0) continue;
    const look = LOOKS[kind];
    lines.push(`  classDef ${classOf(kind)} fill:${look.fill},stroke:${look.stroke},color:#111111`);
    lines.push(`  class ${ids.join(',')} ${classOf(kind)}`);
  }
  const marks = [
    ['isolated', 'stroke-width:3px,stroke-dasharray:6 3', (n: TopologyNode) => n.isolated],
    ['external', 'stroke-dasharray:2 2,color:#555555', (n: TopologyNode) => n.external],
  ] as const;
  for (const [cls, style, pick] of marks) {
    const ids = model.nodes.filter(pick).map(n => n.id);
    if (ids.length === 0) continue;
    lines.push(`  classDef ${cls} ${style}`);
    lines.push(`  class ${ids.join(',')} ${cls}`);
  }
  return lines.join('\n') + '\n';
}

function classOf(kind: TopologyNodeKind): string {
  return `k_${kind.replace(/-/g, '_')}`;
}

/**
 * Renders the model as a Graphviz digraph with one cluster per namespace.
 * Layout: edges that leave a namespace (or touch the pod network or the
 * platform) do not push ranks, so each namespace's chain starts at the left
 * and the namespaces stack top to bottom; the picture stays about as wide as
 * the longest chain inside one namespace. A legend lists the kinds drawn.
 */
export function renderDot(model: TopologyModel): string {
  const lines = [
    'digraph topology {',
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=16, nodesep=0.15, ranksep=0.3, newrank=true];',
    '  node [fontname="Helvetica", fontsize=14, style=filled, margin="0.12,0.05"];',
    '  edge [fontname="Helvetica", fontsize=12];',
  ];
  const nsIds = namespaceIds(model);
  for (const [ns, nodes] of byNamespace(model)) {
    const indent = ns === '' ? '  ' : '    ';
    if (ns !== '') {
      lines.push(`  subgraph cluster_${nsIds.get(ns)} {`);
      lines.push(`    label="${escapeDot(`namespace ${ns}`)}"; labeljust=l;`);
      lines.push('    style=rounded; color="#999999";');
    }
    for (const n of nodes) lines.push(`${indent}${dotNode(n)}`);
    if (ns !== '') lines.push('  }');
  }
  const namespaceOf = new Map(model.nodes.map(n => [n.id, n.namespace]));
  for (const e of model.edges) {
    const attrs: string[] = [];
    if (e.kind === TopologyEdgeKind.ATTACHMENT) attrs.push('dir=none');
    if (e.kind === TopologyEdgeKind.GUARD) attrs.push('dir=none', 'style=dashed', `color="${LOOKS[TopologyNodeKind.POLICY].stroke}"`);
    if (e.label) attrs.push(`label="${escapeDot(e.label)}"`);
    const from = namespaceOf.get(e.source);
    if (from === undefined || from !== namespaceOf.get(e.target)) attrs.push('constraint=false');
    lines.push(`  ${e.source} -> ${e.target}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push(...dotLegend(model));
  lines.push('}');
  return lines.join('\n') + '\n';
}

function dotNode(n: TopologyNode): string {
  const look = LOOKS[n.kind];
  const rounded = n.kind === TopologyNodeKind.PLATFORM ? ['rounded'] : [];
  const style = ['filled', ...rounded, ...(n.isolated ? ['dashed', 'bold'] : []), ...(n.external ? ['dotted'] : [])].join(',');
  // one fact per line, and long lists wrapped at their commas, keep the boxes narrow
  const text = labelLines(n).flatMap(l => l.split(' · ')).flatMap(wrapList);
  const margin = look.dotMargin !== undefined ? `, margin="${look.dotMargin}"` : '';
  return `${n.id} [label="${text.map(escapeDot).join('\\n')}", shape=${look.dotShape}${margin}, style="${style}", fillcolor="${look.fill}", color="${look.stroke}"${n.isolated ? ', penwidth=2' : ''}];`;
}

/** Lines of a picture's label wrap after this many characters, at a list's commas. */
const LABEL_WIDTH = 40;

/** Splits a long comma-separated line into lines of at most LABEL_WIDTH characters (longer items stay whole). */
function wrapList(line: string): string[] {
  if (line.length <= LABEL_WIDTH) return [line];
  const out: string[] = [];
  let current = '';
  for (const item of line.split(', ')) {
    const next = current === '' ? item : `${current}, ${item}`;
    if (current !== '' && next.length > LABEL_WIDTH) {
      out.push(`${current},`);
      current = item;
    } else {
      current = next;
    }
  }
  out.push(current);
  return out;
}

/** Escapes text for a Graphviz HTML-like label. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A legend node listing the kinds (and marks) the picture contains. */
function dotLegend(model: TopologyModel): string[] {
  const present = new Set(model.nodes.map(n => n.kind));
  const rows = LEGEND_ORDER.filter(k => present.has(k)).map(k =>
    `<TR><TD BORDER="1" BGCOLOR="${LOOKS[k].fill}" COLOR="${LOOKS[k].stroke}" WIDTH="24"> </TD><TD ALIGN="LEFT">${escapeHtml(KIND_NAMES[k])}</TD></TR>`);
  if (model.nodes.some(n => n.isolated)) rows.push('<TR><TD BORDER="1" STYLE="dashed" WIDTH="24"> </TD><TD ALIGN="LEFT">dashed border: isolated (no pod network)</TD></TR>');
  if (model.nodes.some(n => n.external)) rows.push('<TR><TD BORDER="1" STYLE="dotted" WIDTH="24"> </TD><TD ALIGN="LEFT">dotted border: referenced, not in these manifests</TD></TR>');
  if (rows.length === 0) return [];
  return [
    `  legend [shape=plaintext, style="", fontsize=12, label=<<TABLE BORDER="1" COLOR="#999999" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3"><TR><TD COLSPAN="2" ALIGN="LEFT"><B>legend</B></TD></TR>${rows.join('')}</TABLE>>];`,
  ];
}
