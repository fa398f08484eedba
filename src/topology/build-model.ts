/**
 * Builds the topology model from synthesized manifests (plain JSON
 * documents). It works from the documents, not from construct classes, so it
 * draws exactly what `kubectl apply` would receive, including objects written
 * by hand. Everything is indexed in maps: the cost is linear in the number of
 * documents, and fleets of VMs collapse into one node each.
 *
 * Longer than the usual 400 lines because ModelBuilder is one pass over the
 * documents whose methods share its indexes (nodes, edges, volumes,
 * networks); split into files, each part would take those maps as
 * arguments and the pass would be harder to follow.
 */
import { summarizeCniConfig } from './cni-summary';
import { addDayTwo } from './day-two';
import { isObject, obj, arr, str, byCodePoint, splitRef, describeImport, bootDiskName, describeDataDisk, storageSize } from './manifest-reading';
import { ID_PREFIX, Draft, DraftEdge, edgeLabel, sanitizeId } from './model-parts';
import { summarizePlatform } from './platform-summary';
import { summarizePolicy } from './policy-summary';
import { TopologyEdge, TopologyEdgeKind, TopologyNode, TopologyNodeKind } from './topology-types';
import { BIND_IMMEDIATE_ANNOTATION, FLEET_LABEL, GOLDEN_IMAGE_LABEL, NETWORK_ROLE_LABEL, STORAGE_ROLE } from '../private/labels';

/** Namespace assumed for documents that do not name one. */
const DEFAULT_NAMESPACE = 'default';

/** The finished model: nodes sorted by id, edges by (from, to, kind). */
export interface TopologyModel {
  readonly nodes: TopologyNode[];
  readonly edges: TopologyEdge[];
}

/** Collects nodes and edges; see `buildTopologyModel`. */
class ModelBuilder {
  private readonly nodes = new Map<string, Draft>();
  private readonly edges = new Map<string, DraftEdge>();
  /** `namespace/name` of defined DataVolumes and PVCs → node key. */
  private readonly volumes = new Map<string, string>();
  /** `namespace/name` of defined NADs → node key. */
  private readonly networks = new Map<string, string>();
  /** `namespace/name` of each VM (not a pool's) → its group node key. */
  private readonly vmGroupOf = new Map<string, string>();
  /** Group node key → namespace and the labels its VMs carry (for backup selectors). */
  private readonly groupLabels = new Map<string, { namespace: string; labels: Record<string, string> }>();
  /** `spec.cloneStrategyOverride` of a CDI document, which decides how PVCs are cloned. */
  private cloneStrategy?: string;

  public build(docs: any[]): TopologyModel {
    // Index the documents by API group and kind once.
    const byKind = new Map<string, any[]>();
    for (const d of docs) {
      if (!isObject(d) || !isObject(d.metadata) || str(d.metadata.name) === undefined) continue;
      const group = typeof d.apiVersion === 'string' && d.apiVersion.includes('/') ? d.apiVersion.split('/')[0] : '';
      const k = `${group}/${d.kind}`;
      let list = byKind.get(k);
      if (!list) byKind.set(k, list = []);
      list.push(d);
    }
    const by = (apiGroup: string, kind: string): any[] => byKind.get(`${apiGroup}/${kind}`) ?? [];
    const core = (kind: string) => by('', kind);

    this.cloneStrategy = str(obj(by('cdi.kubevirt.io', 'CDI')[0]?.spec).cloneStrategyOverride);

    // First define every object, so references resolve in any document order.
    for (const d of by('k8s.cni.cncf.io', 'NetworkAttachmentDefinition')) this.defineNetwork(d);
    for (const d of by('cdi.kubevirt.io', 'DataVolume')) this.defineDataVolume(d);
    for (const d of core('PersistentVolumeClaim')) this.definePvc(d);
    for (const d of by('snapshot.storage.k8s.io', 'VolumeSnapshot')) this.define(TopologyNodeKind.SNAPSHOT, d, ['VolumeSnapshot']);
    for (const d of by('cdi.kubevirt.io', 'DataSource')) this.define(TopologyNodeKind.DATA_SOURCE, d, ['DataSource']);

    // Then draw the relations.
    for (const d of by('cdi.kubevirt.io', 'DataVolume')) this.linkDataVolume(d);
    for (const d of by('snapshot.storage.k8s.io', 'VolumeSnapshot')) this.linkSnapshot(d);
    for (const d of by('cdi.kubevirt.io', 'DataSource')) this.linkDataSource(d);
    // Ceph is drawn only where the manifests declare a CephCluster.
    for (const d of by('ceph.rook.io', 'CephCluster')) this.addCephCluster(d);
    this.addPlatform([...by('apps', 'Deployment'), ...by('apps', 'DaemonSet')]);
    for (const d of by('kubevirt.io', 'VirtualMachine')) this.addVm(d, obj(d.spec));
    for (const d of by('kubevirt.io', 'VirtualMachineInstance')) this.addVm(d, { template: { spec: d.spec } });
    for (const d of by('pool.kubevirt.io', 'VirtualMachinePool')) this.addPool(d);
    addDayTwo(by, {
      node: (kind, namespace, name, details, external = false) => this.node(kind, namespace, name, { details, external }),
      edge: (from, to, text) => this.edge(from, to, TopologyEdgeKind.DAY_TWO, text),
      vmGroup: (namespace, name) => this.vmGroupOf.get(`${namespace}/${name}`)
        ?? (this.nodes.has(this.key(TopologyNodeKind.POOL, namespace, name)) ? this.key(TopologyNodeKind.POOL, namespace, name) : undefined),
      vmGroups: () => [...this.groupLabels.entries()].map(([key, g]) => ({ key, ...g })),
      volume: (namespace, name) => this.volume(namespace, name),
      ns: doc => this.ns(doc),
    });
    this.addHostNetwork(by('nmstate.io', 'NodeNetworkConfigurationPolicy'), by('k8s.cni.cncf.io', 'NetworkAttachmentDefinition'));
    for (const d of by('k8s.cni.cncf.io', 'MultiNetworkPolicy')) this.addPolicy(d);

    return this.finish();
  }

  /**
   * Host bridges and tunnels that policies build, under the networks on them:
   * bridges, VXLANs and any interface a network names, one node per
   * interface name (policies for different nodes merge into one).
   */
  private addHostNetwork(policies: any[], nads: any[]): void {
    if (policies.length === 0) return;
    const named = new Map<string, string[]>(); // host interface name → network node keys
    for (const d of nads) {
      const cni = summarizeCniConfig(obj(d.spec).config);
      const host = cni.device?.split(' ')[1];
      if (host === undefined) continue;
      const key = this.networks.get(`${this.ns(d)}/${d.metadata.name}`);
      if (key === undefined) continue;
      named.set(host, [...(named.get(host) ?? []), key]);
    }
    const hostKey = (iface: Record<string, any>, kind: TopologyNodeKind, line: string, policy: string): string => {
      const key = this.node(kind, undefined, iface.name);
      const draft = this.nodes.get(key)!;
      for (const l of [line, `policy ${policy}`]) if (!draft.details.includes(l)) draft.details.push(l);
      return key;
    };
    for (const p of policies) {
      const ifaces = arr(obj(obj(p.spec).desiredState).interfaces).filter(isObject).filter(i => str(i.name) !== undefined);
      const bridges = new Map<string, string>(); // port name → bridge key
      for (const i of ifaces) {
        const isBridge = i.type === 'linux-bridge' || i.type === 'ovs-bridge';
        if (!isBridge && !named.has(i.name)) continue;
        const ports = arr(obj(i.bridge).port);
        const tags = ports.flatMap(port => arr(obj(obj(port).vlan)['trunk-tags']))
          .map(t => (t.id !== undefined ? `${t.id}` : `${obj(t['id-range']).min}-${obj(t['id-range']).max}`));
        const line = [String(i.type), ...(i.mtu !== undefined ? [`MTU ${i.mtu}`] : []), ...(tags.length > 0 ? [`trunk ${[...new Set(tags)].join(', ')}`] : [])]
          .join(' · ');
        const key = hostKey(i, TopologyNodeKind.HOST_BRIDGE, line, p.metadata.name);
        for (const port of ports) if (str(obj(port).name)) bridges.set(obj(port).name, key);
        for (const net of named.get(i.name) ?? []) this.edge(key, net, TopologyEdgeKind.HOST_LINK);
      }
      for (const i of ifaces) {
        if (i.type !== 'vxlan') continue;
        const v = obj(i.vxlan);
        const multicast = /^(22[4-9]|23\d)\./.test(String(v.remote)) || /^ff/i.test(String(v.remote));
        const line = `VXLAN VNI ${v.id} · ${multicast ? 'group' : 'remote'} ${v.remote} · via ${v['base-iface']}`;
        const key = hostKey(i, TopologyNodeKind.TUNNEL, line, p.metadata.name);
        const bridge = bridges.get(i.name);
        if (bridge) this.edge(key, bridge, TopologyEdgeKind.HOST_LINK, 'port');
      }
    }
  }

  // ---- nodes ---------------------------------------------------------------

  private key(kind: TopologyNodeKind, namespace: string | undefined, name: string): string {
    return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
  }

  private node(kind: TopologyNodeKind, namespace: string | undefined, name: string, init: Partial<Draft> = {}): string {
    const key = this.key(kind, namespace, name);
    if (!this.nodes.has(key)) {
      this.nodes.set(key, { kind, namespace, name, details: [], vmCount: 0, isolatedCount: 0, external: false, ranges: [], ...init });
    }
    return key;
  }

  private define(kind: TopologyNodeKind, doc: any, details: string[]): string {
    return this.node(kind, this.ns(doc), doc.metadata.name, { details });
  }

  private ns(doc: any): string {
    return str(doc.metadata.namespace) ?? DEFAULT_NAMESPACE;
  }

  private defineNetwork(doc: any): void {
    const storage = obj(doc.metadata.labels)[NETWORK_ROLE_LABEL] === STORAGE_ROLE;
    const cni = summarizeCniConfig(obj(doc.spec).config);
    const key = this.node(storage ? TopologyNodeKind.STORAGE_NETWORK : TopologyNodeKind.NETWORK, this.ns(doc), doc.metadata.name, {
      details: [storage ? `storage · ${cni.line}` : cni.line],
      vlan: cni.vlan,
      ranges: cni.ranges,
      cniType: cni.type,
    });
    this.networks.set(`${this.ns(doc)}/${doc.metadata.name}`, key);
  }

  private isImage(doc: any): boolean {
    const meta = doc.metadata;
    if (obj(meta.labels)[GOLDEN_IMAGE_LABEL] !== undefined) return true;
    const immediate = obj(meta.annotations)[BIND_IMMEDIATE_ANNOTATION] === 'true';
    return immediate && describeImport(obj(obj(doc.spec).source)) !== undefined;
  }

  private defineDataVolume(doc: any): void {
    const spec = obj(doc.spec);
    const image = this.isImage(doc);
    const details = [image ? 'golden image' : 'DataVolume'];
    const source = describeImport(obj(spec.source));
    if (source) details.push(source);
    const size = storageSize(spec);
    if (size) details.push(size);
    const key = this.node(image ? TopologyNodeKind.IMAGE : TopologyNodeKind.VOLUME, this.ns(doc), doc.metadata.name, {
      details: [details.join(' · ')],
    });
    this.volumes.set(`${this.ns(doc)}/${doc.metadata.name}`, key);
  }

  private definePvc(doc: any): void {
    // A DataVolume owns the PVC of the same name: draw the volume once.
    const ref = `${this.ns(doc)}/${doc.metadata.name}`;
    if (this.volumes.has(ref)) return;
    const size = str(obj(obj(obj(doc.spec).resources).requests).storage);
    this.volumes.set(ref, this.define(TopologyNodeKind.VOLUME, doc, [size ? `PersistentVolumeClaim · ${size}` : 'PersistentVolumeClaim']));
  }

  /** A defined DataVolume/PVC, or an external PVC node. */
  private volume(namespace: string, name: string): string {
    return this.volumes.get(`${namespace}/${name}`)
      ?? this.node(TopologyNodeKind.VOLUME, namespace, name, { details: ['PVC not in these manifests'], external: true });
  }

  private snapshot(namespace: string, name: string): string {
    const key = this.key(TopologyNodeKind.SNAPSHOT, namespace, name);
    return this.nodes.has(key) ? key
      : this.node(TopologyNodeKind.SNAPSHOT, namespace, name, { details: ['VolumeSnapshot not in these manifests'], external: true });
  }

  private dataSource(namespace: string, name: string): string {
    const key = this.key(TopologyNodeKind.DATA_SOURCE, namespace, name);
    return this.nodes.has(key) ? key
      : this.node(TopologyNodeKind.DATA_SOURCE, namespace, name, { details: ['DataSource not in these manifests'], external: true });
  }

  private network(namespace: string, name: string): string {
    return this.networks.get(`${namespace}/${name}`)
      ?? this.node(TopologyNodeKind.NETWORK, namespace, name, { details: ['not in these manifests'], external: true });
  }

  // ---- edges ---------------------------------------------------------------

  private edge(from: string, to: string, kind: TopologyEdgeKind, text?: string): void {
    const key = `${from}\u0001${to}\u0001${kind}\u0001${text ?? ''}`;
    if (!this.edges.has(key)) this.edges.set(key, { from, to, kind, text });
  }

  /**
   * Edges from where a DataVolume (standalone or a VM template) gets its data
   * to `target`. Returns the import description when the data comes from
   * outside the cluster.
   */
  private linkSource(dvSpec: Record<string, any>, namespace: string, target: string): string | undefined {
    const source = obj(dvSpec.source);
    if (isObject(source.snapshot) && str(source.snapshot.name)) {
      const from = this.snapshot(str(source.snapshot.namespace) ?? namespace, source.snapshot.name);
      this.edge(from, target, TopologyEdgeKind.COW_CLONE);
    } else if (isObject(source.pvc) && str(source.pvc.name)) {
      const from = this.volume(str(source.pvc.namespace) ?? namespace, source.pvc.name);
      this.edge(from, target, TopologyEdgeKind.PVC_CLONE);
    } else if (isObject(dvSpec.sourceRef) && str(dvSpec.sourceRef.name)) {
      const from = this.dataSource(str(dvSpec.sourceRef.namespace) ?? namespace, dvSpec.sourceRef.name);
      this.edge(from, target, TopologyEdgeKind.SOURCE_CLONE);
    }
    return describeImport(source);
  }

  private linkDataVolume(doc: any): void {
    this.linkSource(obj(doc.spec), this.ns(doc), this.volumes.get(`${this.ns(doc)}/${doc.metadata.name}`)!);
  }

  private linkSnapshot(doc: any): void {
    const target = this.key(TopologyNodeKind.SNAPSHOT, this.ns(doc), doc.metadata.name);
    const source = obj(obj(doc.spec).source);
    const pvc = str(source.persistentVolumeClaimName);
    if (pvc) {
      this.edge(this.volume(this.ns(doc), pvc), target, TopologyEdgeKind.SNAPSHOT);
    } else if (str(source.volumeSnapshotContentName)) {
      this.nodes.get(target)!.details = [`VolumeSnapshot · content ${source.volumeSnapshotContentName}`];
    }
  }

  private linkDataSource(doc: any): void {
    const target = this.key(TopologyNodeKind.DATA_SOURCE, this.ns(doc), doc.metadata.name);
    const source = obj(obj(doc.spec).source);
    if (isObject(source.pvc) && str(source.pvc.name)) {
      this.edge(this.volume(str(source.pvc.namespace) ?? this.ns(doc), source.pvc.name), target, TopologyEdgeKind.PUBLISH);
    } else if (isObject(source.snapshot) && str(source.snapshot.name)) {
      this.edge(this.snapshot(str(source.snapshot.namespace) ?? this.ns(doc), source.snapshot.name), target, TopologyEdgeKind.PUBLISH);
    }
  }

  /** A Rook CephCluster whose multus selectors point at networks. */
  private addCephCluster(doc: any): void {
    const network = obj(obj(doc.spec).network);
    if (network.provider !== 'multus') return;
    const ceph = this.define(TopologyNodeKind.CEPH, doc, ['Rook CephCluster · multus']);
    const selectors = obj(network.selectors);
    for (const role of Object.keys(selectors).sort(byCodePoint)) {
      const ref = str(selectors[role]);
      if (ref === undefined) continue;
      const net = this.network(...splitRef(ref, this.ns(doc)));
      this.edge(net, ceph, TopologyEdgeKind.ATTACHMENT, role);
    }
  }

  /** A MultiNetworkPolicy in its namespace, linked to each network it is for. */
  private addPolicy(doc: any): void {
    const summary = summarizePolicy(doc);
    const policy = this.define(TopologyNodeKind.POLICY, doc, summary.lines);
    for (const ref of summary.networks) this.edge(policy, this.network(...splitRef(ref, this.ns(doc))), TopologyEdgeKind.GUARD);
  }

  /** The controllers the manifests run, as one box outside every namespace. */
  private addPlatform(workloads: any[]): void {
    const lines = summarizePlatform(workloads);
    if (lines.length === 0) return;
    this.node(TopologyNodeKind.PLATFORM, undefined, 'platform', { title: 'virtualization platform', details: lines });
  }

  // ---- virtual machines ----------------------------------------------------

  /** Adds one VM to its group node (its own node, or its fleet's). */
  private addVm(doc: any, vmSpec: Record<string, any>): void {
    const namespace = this.ns(doc);
    const fleet = str(obj(doc.metadata.labels)[FLEET_LABEL]);
    const group = fleet !== undefined
      ? this.node(TopologyNodeKind.FLEET, namespace, fleet)
      : this.node(TopologyNodeKind.VIRTUAL_MACHINE, namespace, doc.metadata.name);
    this.vmGroupOf.set(`${namespace}/${doc.metadata.name}`, group);
    if (!this.groupLabels.has(group)) this.groupLabels.set(group, { namespace, labels: stringMap(doc.metadata.labels) });
    this.addMembers(group, namespace, vmSpec, 1);
  }

  private addPool(doc: any): void {
    const spec = obj(doc.spec);
    const replicas = Number.isInteger(spec.replicas) && spec.replicas >= 0 ? spec.replicas as number : 1;
    const pool = this.node(TopologyNodeKind.POOL, this.ns(doc), doc.metadata.name);
    this.groupLabels.set(pool, { namespace: this.ns(doc), labels: stringMap(doc.metadata.labels) });
    this.addMembers(pool, this.ns(doc), obj(obj(spec.virtualMachineTemplate).spec), replicas);
  }

  /** Records `count` VMs built from one VirtualMachine spec on a group node. */
  private addMembers(group: string, namespace: string, vmSpec: Record<string, any>, count: number): void {
    const draft = this.nodes.get(group)!;
    const podSpec = obj(obj(vmSpec.template).spec);
    const networks = arr(podSpec.networks).filter(isObject);
    const autoattach = obj(obj(podSpec.domain).devices).autoattachPodInterface !== false;

    // KubeVirt attaches the pod network itself when a VM lists no networks.
    let onPod = networks.length === 0 && autoattach;
    let multusDefault = false;
    for (const n of networks) {
      if (n.pod !== undefined) {
        onPod = true;
      } else if (isObject(n.multus) && str(n.multus.networkName)) {
        multusDefault = multusDefault || n.multus.default === true;
        this.edge(group, this.network(...splitRef(n.multus.networkName, namespace)), TopologyEdgeKind.ATTACHMENT);
      }
    }
    if (onPod) {
      const pod = this.node(TopologyNodeKind.POD_NETWORK, undefined, 'pod', { title: 'pod network', details: ['cluster default network'] });
      this.edge(group, pod, TopologyEdgeKind.ATTACHMENT);
    }

    const templates = new Set<string>();
    const templateSpecs = new Map<string, Record<string, any>>();
    for (const t of arr(vmSpec.dataVolumeTemplates).filter(isObject)) {
      const name = str(obj(t.metadata).name);
      if (name) templates.add(name);
      if (name) templateSpecs.set(name, obj(t.spec));
      const imported = this.linkSource(obj(t.spec), namespace, group);
      if (imported) (draft.imports ??= new Set()).add(imported);
    }
    for (const v of arr(podSpec.volumes).filter(isObject)) {
      const dv = str(obj(v.dataVolume).name);
      const pvc = str(obj(v.persistentVolumeClaim).claimName);
      const ref = dv ?? pvc;
      if (ref !== undefined && !templates.has(ref)) this.edge(this.volume(namespace, ref), group, TopologyEdgeKind.DISK);
    }
    const devices = obj(obj(podSpec.domain).devices);
    const deviceOf = new Map<string, string>();
    const boot = bootDiskName(arr(devices.disks).filter(isObject));
    for (const d of arr(devices.disks).filter(isObject)) {
      const device = ['cdrom', 'lun', 'disk'].find(k => d[k] !== undefined);
      if (str(d.name) && device) deviceOf.set(d.name, device);
    }
    for (const f of arr(devices.filesystems).filter(isObject)) if (str(f.name)) deviceOf.set(f.name, 'virtiofs');
    for (const v of arr(podSpec.volumes).filter(isObject)) {
      if (!str(v.name) || v.name === boot || v.cloudInitNoCloud !== undefined || v.cloudInitConfigDrive !== undefined) continue;
      (draft.dataDisks ??= new Set()).add(describeDataDisk(v, templateSpecs, deviceOf.get(v.name)));
    }

    draft.vmCount += count;
    if (!onPod && multusDefault) draft.isolatedCount += count;
  }

  // ---- finishing -----------------------------------------------------------

  /** Ids, labels and sorting. */
  private finish(): TopologyModel {
    const ids = new Map<string, string>();
    const used = new Set<string>();
    for (const key of [...this.nodes.keys()].sort(byCodePoint)) {
      const n = this.nodes.get(key)!;
      const base = sanitizeId([ID_PREFIX[n.kind], n.namespace, n.name].filter(s => s !== undefined).join('_'));
      let id = base;
      for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
      used.add(id);
      ids.set(key, id);
    }

    const nodes: TopologyNode[] = [];
    for (const [key, n] of this.nodes) nodes.push(this.finishNode(ids.get(key)!, n));
    nodes.sort((a, b) => byCodePoint(a.id, b.id));

    const edges: TopologyEdge[] = [];
    for (const e of this.edges.values()) {
      const from = this.nodes.get(e.from)!;
      const to = this.nodes.get(e.to)!;
      const label = edgeLabel(e, from, to, this.cloneStrategy);
      edges.push({ source: ids.get(e.from)!, target: ids.get(e.to)!, kind: e.kind, ...(label ? { label } : {}) });
    }
    edges.sort((a, b) => byCodePoint(a.source, b.source) || byCodePoint(a.target, b.target) || byCodePoint(a.kind, b.kind)
      || byCodePoint(a.label ?? '', b.label ?? ''));
    return { nodes, edges };
  }

  private finishNode(id: string, n: Draft): TopologyNode {
    const isVmGroup = n.kind === TopologyNodeKind.VIRTUAL_MACHINE || n.kind === TopologyNodeKind.FLEET || n.kind === TopologyNodeKind.POOL;
    const isolated = isVmGroup && n.vmCount > 0 && n.isolatedCount === n.vmCount;
    let title = n.title ?? n.name;
    let details = n.details;
    // a VM only referenced (by a day-2 object) keeps its 'not in these manifests' line
    if (isVmGroup && !n.external) {
      const what = n.kind === TopologyNodeKind.FLEET ? 'fleet of VirtualMachines'
        : n.kind === TopologyNodeKind.POOL ? 'VirtualMachinePool' : 'VirtualMachine';
      if (n.kind !== TopologyNodeKind.VIRTUAL_MACHINE) title = `${n.name} ×${n.vmCount}`;
      const line = [what];
      if (isolated) line.push('isolated');
      else if (n.isolatedCount > 0) line.push(`${n.isolatedCount} of ${n.vmCount} isolated`);
      details = [line.join(' · ')];
      if (n.imports && n.imports.size > 0) details.push(`disks: ${[...n.imports].sort(byCodePoint).join(', ')}`);
      if (n.dataDisks && n.dataDisks.size > 0) details.push(`data disks: ${[...n.dataDisks].sort(byCodePoint).join(', ')}`);
    }
    return {
      id,
      kind: n.kind,
      name: n.name,
      ...(n.namespace !== undefined ? { namespace: n.namespace } : {}),
      title,
      details: [...details],
      vmCount: n.vmCount,
      isolated,
      external: n.external,
      ...(n.vlan !== undefined ? { vlan: n.vlan } : {}),
      ranges: [...n.ranges],
      ...(n.cniType !== undefined ? { cniType: n.cniType } : {}),
    };
  }
}

function stringMap(x: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(x)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/** Builds the topology model of a list of manifests. */
export function buildTopologyModel(docs: any[]): TopologyModel {
  return new ModelBuilder().build(docs);
}
