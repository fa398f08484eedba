import * as childProcess from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { PlatformVersions, Topology, TopologyEdgeKind, TopologyNode, TopologyNodeKind, VirtualizationPlatform } from '../../src';
import { firmwareIdentity, withFirmwareIdentity } from '../../src/compute/vm/firmware-identity';
import { GRAPHVIZ, testWith } from '../host-tools';
import { synthValid } from '../util';

// ---- manifests shaped like the ones the library emits -----------------------

const FLEET = 'kubevirt.cdk8s.io/fleet';

function nad(chart: Chart, namespace: string, name: string, config: object, labels: Record<string, string> = {}): void {
  new ApiObject(chart, `nad-${namespace}-${name}`, {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace, labels },
    spec: { config: JSON.stringify(config) },
  });
}

interface VmShape {
  /** Multus networks as `ns/name` or `name`; `pod` for the pod network. */
  readonly networks: string[];
  /** Multus network that is the default one (isolated VMs). */
  readonly defaultNetwork?: string;
  /** dataVolumeTemplates[0].spec.source of the root disk. */
  readonly rootSource: object;
}

/** A VirtualMachine spec with a root disk from `rootSource` and the given networks. */
function vmSpec(name: string, shape: VmShape, labels: Record<string, string> = {}): any {
  const networks = shape.networks.map((n, i) => (n === 'pod'
    ? { name: 'default', pod: {} }
    : { name: `net${i}`, multus: { networkName: n, ...(n === shape.defaultNetwork ? { default: true } : {}) } }));
  return {
    runStrategy: 'Always',
    dataVolumeTemplates: [{
      metadata: { name: `${name}-root` },
      spec: { source: shape.rootSource, storage: { resources: { requests: { storage: '20Gi' } } } },
    }],
    template: {
      metadata: { labels },
      spec: {
        domain: {
          devices: {
            ...(shape.networks.includes('pod') ? {} : { autoattachPodInterface: false }),
            disks: [{ name: 'root', disk: { bus: 'virtio' } }],
            interfaces: networks.map(n => (n.pod ? { name: n.name, masquerade: {} } : { name: n.name, bridge: {} })),
          },
          resources: { requests: { memory: '2Gi' } },
        },
        networks,
        volumes: [{ name: 'root', dataVolume: { name: `${name}-root` } }],
      },
    },
  };
}

function vm(chart: Chart, namespace: string, name: string, shape: VmShape, labels: Record<string, string> = {}): void {
  new ApiObject(chart, `vm-${namespace}-${name}`, {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace, labels },
    spec: withFirmwareIdentity(vmSpec(name, shape), firmwareIdentity(namespace, name)),
  });
}

const TENANT_NET = {
  cniVersion: '1.0.0',
  name: 'tenant-a-net',
  plugins: [{
    type: 'bridge',
    bridge: 'br1',
    vlan: 100,
    ipam: { type: 'whereabouts', range: '10.0.100.0/24', range_start: '10.0.100.10', range_end: '10.0.100.200' },
  }],
};

const STORAGE_NET = {
  cniVersion: '1.0.0',
  name: 'storage-net',
  plugins: [{
    type: 'bridge',
    bridge: 'br-storage',
    vlan: 200,
    mtu: 9000,
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.0.200.0/24' }]] },
  }],
};

/**
 * A small cluster: a tenant VLAN network, a storage network, a golden image
 * with a snapshot and a DataSource, an isolated VM, a two-VM fleet cloned from
 * the snapshot, a VM that clones in the image's own namespace, and a pool
 * that clones the image PVC.
 */
function buildCluster(chart: Chart): void {
  nad(chart, 'tenant-a', 'tenant-a-net', TENANT_NET);
  nad(chart, 'rook-ceph', 'storage-net', STORAGE_NET, { 'kubevirt.cdk8s.io/network-role': 'storage' });

  new ApiObject(chart, 'image', {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: {
      name: 'fedora-41',
      namespace: 'golden',
      labels: { 'kubevirt.cdk8s.io/golden-image': 'fedora-41' },
      annotations: { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' },
    },
    spec: {
      source: { http: { url: 'https://download.example/fedora/Fedora-Cloud-41.qcow2' } },
      storage: { resources: { requests: { storage: '10Gi' } } },
    },
  });
  new ApiObject(chart, 'snapshot', {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: { name: 'fedora-41-snap', namespace: 'golden' },
    spec: { volumeSnapshotClassName: 'csi-rbd', source: { persistentVolumeClaimName: 'fedora-41' } },
  });
  new ApiObject(chart, 'datasource', {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataSource',
    metadata: { name: 'fedora', namespace: 'golden' },
    spec: { source: { snapshot: { namespace: 'golden', name: 'fedora-41-snap' } } },
  });

  const fromSnapshot = { snapshot: { namespace: 'golden', name: 'fedora-41-snap' } };
  vm(chart, 'tenant-a', 'db-1', { networks: ['tenant-a-net'], defaultNetwork: 'tenant-a-net', rootSource: fromSnapshot });
  for (const i of [0, 1]) {
    vm(chart, 'tenant-a', `worker-${i}`, { networks: ['pod', 'tenant-a/tenant-a-net', 'rook-ceph/storage-net'], rootSource: fromSnapshot }, { [FLEET]: 'workers' });
  }
  vm(chart, 'golden', 'builder', { networks: ['pod'], rootSource: { snapshot: { namespace: 'golden', name: 'fedora-41-snap' } } });

  new ApiObject(chart, 'pool', {
    apiVersion: 'pool.kubevirt.io/v1beta1',
    kind: 'VirtualMachinePool',
    metadata: { name: 'web', namespace: 'tenant-a' },
    spec: {
      replicas: 5,
      selector: { matchLabels: { pool: 'web' } },
      virtualMachineTemplate: {
        metadata: { labels: { pool: 'web' } },
        spec: vmSpec('web', { networks: ['pod', 'tenant-a-net'], rootSource: { pvc: { namespace: 'golden', name: 'fedora-41' } } }, { pool: 'web' }),
      },
    },
  });
}

function clusterApp(): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'cluster');
  buildCluster(chart);
  return { app, chart };
}

function only(topology: Topology, kind: TopologyNodeKind, name: string): TopologyNode {
  const hits = topology.nodesOfKind(kind).filter(n => n.name === name);
  expect(hits).toHaveLength(1);
  return hits[0];
}

function edgeBetween(topology: Topology, from: TopologyNode, to: TopologyNode) {
  return topology.edges.filter(e => e.source === from.id && e.target === to.id);
}

/** The texts of an SVG written by Graphviz, with its character references decoded. */
function svgTexts(svg: string): string[] {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(m => m[1]
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, name) => named[name]));
}

/**
 * Fails when Graphviz is missing: the tests that call it run only when it is
 * installed, or when REQUIRE_HOST_TOOLS=1 says it must be (test/host-tools.ts).
 */
function requireDot(): void {
  const run = childProcess.spawnSync('dot', ['-V'], { encoding: 'utf-8' });
  if (run.error || run.status !== 0) {
    throw new Error('Graphviz `dot` is not on PATH; install the graphviz package to run these tests');
  }
}

// ---- tests ------------------------------------------------------------------

describe('test manifests', () => {
  test('are accepted by the upstream schemas', () => {
    const { chart } = clusterApp();
    expect(synthValid(chart)).toHaveLength(10);
  });
});

describe('collecting documents', () => {
  test('runs the validations of an app once however many charts it has', () => {
    const app = Testing.app();
    let validations = 0;
    const charts = ['one', 'two', 'three'].map(id => new Chart(app, id));
    charts[0].node.addValidation({ validate: () => { validations++; return []; } });
    buildCluster(charts[1]);
    nad(charts[2], 'other', 'third-net', { ...TENANT_NET, name: 'third-net' });
    const topology = Topology.fromApp(app);
    expect(validations).toBe(1);
    expect(topology.toMermaid()).toBe(Topology.fromManifests(charts.flatMap(c => c.toJson())).toMermaid());
    expect(topology.nodesOfKind(TopologyNodeKind.NETWORK).map(n => n.name)).toEqual(['third-net', 'tenant-a-net']);
  });

  test('draws only the given charts', () => {
    const app = Testing.app();
    const first = new Chart(app, 'first');
    buildCluster(first);
    const second = new Chart(app, 'second');
    nad(second, 'other', 'third-net', { ...TENANT_NET, name: 'third-net' });
    expect(Topology.fromCharts([second]).nodes.map(n => n.name)).toEqual(['third-net']);
  });

  test('stops on a failing validation like synth does', () => {
    const app = Testing.app();
    new Chart(app, 'bad').node.addValidation({ validate: () => ['broken on purpose'] });
    expect(() => Topology.fromApp(app)).toThrow(/broken on purpose/);
  });
});

describe('model', () => {
  const topology = Topology.fromApp(clusterApp().app);

  test('reads VLAN, bridge and range of a network from its CNI config', () => {
    const net = only(topology, TopologyNodeKind.NETWORK, 'tenant-a-net');
    expect(net).toMatchObject({
      namespace: 'tenant-a',
      vlan: 100,
      cniType: 'bridge',
      ranges: ['10.0.100.0/24 [10.0.100.10-10.0.100.200]'],
      details: ['br1 · VLAN 100 · 10.0.100.0/24 [10.0.100.10-10.0.100.200]'.replace(/^/, 'bridge ')],
      external: false,
    });
  });

  test('marks the labelled network as storage network and draws no Ceph the manifests do not declare', () => {
    const storage = only(topology, TopologyNodeKind.STORAGE_NETWORK, 'storage-net');
    expect(storage).toMatchObject({ vlan: 200, ranges: ['10.0.200.0/24'], details: ['storage · bridge br-storage · VLAN 200 · 10.0.200.0/24'] });
    expect(topology.nodesOfKind(TopologyNodeKind.CEPH)).toEqual([]);
  });

  test('groups fleet-labelled VMs into one node with their count', () => {
    const fleet = only(topology, TopologyNodeKind.FLEET, 'workers');
    expect(fleet).toMatchObject({ namespace: 'tenant-a', title: 'workers ×2', vmCount: 2, isolated: false });
    expect(topology.nodesOfKind(TopologyNodeKind.VIRTUAL_MACHINE).map(n => n.name)).toEqual(['builder', 'db-1']);
  });

  test('draws a VirtualMachinePool as one node with its replicas', () => {
    expect(only(topology, TopologyNodeKind.POOL, 'web')).toMatchObject({ title: 'web ×5', vmCount: 5, details: ['VirtualMachinePool'] });
  });

  test('marks a VM without pod network and with a default Multus network as isolated', () => {
    const db = only(topology, TopologyNodeKind.VIRTUAL_MACHINE, 'db-1');
    expect(db).toMatchObject({ isolated: true, details: ['VirtualMachine · isolated'] });
    const pod = topology.nodesOfKind(TopologyNodeKind.POD_NETWORK)[0];
    expect(topology.edges.filter(e => e.source === db.id).map(e => e.target)).toEqual([only(topology, TopologyNodeKind.NETWORK, 'tenant-a-net').id]);
    expect(pod.namespace).toBeUndefined();
  });

  test('attaches VM groups to each of their networks once', () => {
    const fleet = only(topology, TopologyNodeKind.FLEET, 'workers');
    const attached = topology.edges.filter(e => e.source === fleet.id && e.kind === TopologyEdgeKind.ATTACHMENT).map(e => e.target);
    expect(attached).toEqual(['pod_pod', 'net_tenant_a_tenant_a_net', 'snet_rook_ceph_storage_net'].sort());
  });

  test('draws image → snapshot → fleet with CoW clones across namespaces', () => {
    const image = only(topology, TopologyNodeKind.IMAGE, 'fedora-41');
    expect(image.details).toEqual(['golden image · http Fedora-Cloud-41.qcow2 · 10Gi']);
    const snap = only(topology, TopologyNodeKind.SNAPSHOT, 'fedora-41-snap');
    expect(edgeBetween(topology, image, snap)).toEqual([{ source: image.id, target: snap.id, kind: TopologyEdgeKind.SNAPSHOT, label: 'snapshot' }]);
    const fleet = only(topology, TopologyNodeKind.FLEET, 'workers');
    expect(edgeBetween(topology, snap, fleet)).toEqual([
      { source: snap.id, target: fleet.id, kind: TopologyEdgeKind.COW_CLONE, label: 'CoW clones (cross-namespace)' },
    ]);
    const builder = only(topology, TopologyNodeKind.VIRTUAL_MACHINE, 'builder');
    expect(edgeBetween(topology, snap, builder)[0].label).toBe('CoW clone');
  });

  test('draws image → pool as a PVC clone when the template clones the image PVC', () => {
    const image = only(topology, TopologyNodeKind.IMAGE, 'fedora-41');
    const pool = only(topology, TopologyNodeKind.POOL, 'web');
    expect(edgeBetween(topology, image, pool)).toEqual([
      { source: image.id, target: pool.id, kind: TopologyEdgeKind.PVC_CLONE, label: 'PVC clones (cross-namespace)' },
    ]);
  });

  test('draws a DataSource published from the snapshot', () => {
    const snap = only(topology, TopologyNodeKind.SNAPSHOT, 'fedora-41-snap');
    const ds = only(topology, TopologyNodeKind.DATA_SOURCE, 'fedora');
    expect(edgeBetween(topology, snap, ds)[0]).toMatchObject({ kind: TopologyEdgeKind.PUBLISH, label: 'published as' });
  });

  test('does not draw the disks a VM creates from its own templates', () => {
    expect(topology.nodesOfKind(TopologyNodeKind.VOLUME)).toEqual([]);
    expect(topology.edges.filter(e => e.kind === TopologyEdgeKind.DISK)).toEqual([]);
  });

  test('returns copies of its nodes', () => {
    (topology.nodes[0].details as string[]).push('changed');
    expect(topology.nodes[0].details).not.toContain('changed');
  });
});

describe('documents the library may meet', () => {
  const meta = (name: string, namespace = 'ns', labels?: object) => ({ name, namespace, ...(labels ? { labels } : {}) });

  test('draws networks, snapshots and volumes that are referenced but not defined as external', () => {
    const t = Topology.fromManifests([
      {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: meta('a'),
        spec: {
          template: { spec: { networks: [{ name: 'x', multus: { networkName: 'other/elsewhere' } }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } },
          dataVolumeTemplates: [{ metadata: { name: 'r' }, spec: { source: { snapshot: { name: 'gone' } } } }],
        },
      },
    ]);
    expect(t.nodes.filter(n => n.external).map(n => `${n.kind} ${n.namespace}/${n.name}`)).toEqual([
      'network other/elsewhere', 'snapshot ns/gone', 'volume ns/data',
    ]);
    const vmNode = only(t, TopologyNodeKind.VIRTUAL_MACHINE, 'a');
    expect(t.edges.filter(e => e.target === vmNode.id).map(e => e.label)).toEqual(['CoW clone', 'disk']);
  });

  test('draws PVCs, DataSource clones, existing disks and pre-provisioned snapshots', () => {
    const t = Topology.fromManifests([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('base'), spec: { resources: { requests: { storage: '5Gi' } } } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('scratch'), spec: {} },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('owned'), spec: {} },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: meta('owned'), spec: { source: { blank: {} }, pvc: { resources: { requests: { storage: '1Gi' } } } } },
      { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataSource', metadata: meta('os'), spec: { source: { pvc: { name: 'base', namespace: 'ns' } } } },
      { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: meta('pre'), spec: { source: { volumeSnapshotContentName: 'content-1' } } },
      {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: meta('a'),
        spec: {
          template: { spec: { volumes: [{ name: 'r', dataVolume: { name: 'a-root' } }, { name: 'd', dataVolume: { name: 'owned' } }] } },
          dataVolumeTemplates: [{ metadata: { name: 'a-root' }, spec: { sourceRef: { kind: 'DataSource', name: 'os' } } }],
        },
      },
    ]);
    expect(t.nodesOfKind(TopologyNodeKind.VOLUME).map(n => `${n.name}: ${n.details[0]}`)).toEqual([
      'base: PersistentVolumeClaim · 5Gi', 'owned: DataVolume · 1Gi', 'scratch: PersistentVolumeClaim',
    ]);
    expect(only(t, TopologyNodeKind.SNAPSHOT, 'pre').details).toEqual(['VolumeSnapshot · content content-1']);
    expect(t.edges.map(e => `${e.source} -> ${e.target}: ${e.label}`)).toEqual([
      'ds_ns_os -> vm_ns_a: clone',
      'vm_ns_a -> pod_pod: undefined',
      'vol_ns_base -> ds_ns_os: published as',
      'vol_ns_owned -> vm_ns_a: disk',
    ]);
  });

  test('attaches the pod network to a VM that lists no networks', () => {
    const t = Topology.fromManifests([{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: meta('plain'), spec: { template: { spec: {} } } }]);
    expect(t.edges).toEqual([{ source: 'vm_ns_plain', target: 'pod_pod', kind: TopologyEdgeKind.ATTACHMENT }]);
  });

  test('counts isolated members of a mixed fleet', () => {
    const member = (name: string, pod: boolean) => ({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: meta(name, 'ns', { [FLEET]: 'mixed' }),
      spec: { template: { spec: { networks: pod ? [{ name: 'p', pod: {} }] : [{ name: 'm', multus: { networkName: 'n', default: true } }] } } },
    });
    const t = Topology.fromManifests([member('a', false), member('b', true), member('c', false)]);
    expect(only(t, TopologyNodeKind.FLEET, 'mixed')).toMatchObject({ isolated: false, details: ['fleet of VirtualMachines · 2 of 3 isolated'] });
  });

  test('treats an immediately bound import DataVolume as an image even without the golden-image label', () => {
    const dv = (name: string, annotations: object, source: object) => ({
      apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: { ...meta(name), annotations }, spec: { source },
    });
    const t = Topology.fromManifests([
      dv('img', { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' }, { registry: { url: 'docker://quay.io/containerdisks/fedora:41' } }),
      dv('lazy', {}, { http: { url: 'https://x.example/a.img' } }),
      dv('copy', { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' }, { pvc: { name: 'img' } }),
    ]);
    expect(t.nodesOfKind(TopologyNodeKind.IMAGE).map(n => n.details[0])).toEqual(['golden image · registry quay.io/containerdisks/fedora:41']);
    expect(t.nodesOfKind(TopologyNodeKind.VOLUME).map(n => n.name)).toEqual(['copy', 'lazy']);
    expect(t.edges).toEqual([{ source: 'img_ns_img', target: 'vol_ns_copy', kind: TopologyEdgeKind.PVC_CLONE, label: 'PVC clone' }]);
  });

  test('names PVC clones after the clone strategy the CDI object forces', () => {
    const docs = (strategy?: string) => [
      ...(strategy ? [{ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: { cloneStrategyOverride: strategy } }] : []),
      { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: meta('a', 'ns', { [FLEET]: 'f' }), spec: { dataVolumeTemplates: [{ metadata: { name: 'r' }, spec: { source: { pvc: { name: 'img' } } } }] } },
      { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: meta('b', 'ns', { [FLEET]: 'f' }), spec: { dataVolumeTemplates: [{ metadata: { name: 'r' }, spec: { source: { pvc: { name: 'img' } } } }] } },
    ];
    const label = (strategy?: string) => Topology.fromManifests(docs(strategy)).edges.find(e => e.kind === TopologyEdgeKind.PVC_CLONE)?.label;
    expect(label()).toBe('PVC clones');
    expect(label('copy')).toBe('host-assisted copies');
    expect(label('snapshot')).toBe('smart clones');
    expect(label('csi-clone')).toBe('CSI clones');
  });

  test('draws a Rook CephCluster attached to the storage networks it selects', () => {
    const t = Topology.fromManifests([
      { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: meta('storage', 'rook-ceph', { 'kubevirt.cdk8s.io/network-role': 'storage' }), spec: { config: '{}' } },
      { apiVersion: 'ceph.rook.io/v1', kind: 'CephCluster', metadata: meta('rook', 'rook-ceph'), spec: { network: { provider: 'multus', selectors: { public: 'rook-ceph/storage', cluster: 'storage' } } } },
    ]);
    expect(t.nodesOfKind(TopologyNodeKind.CEPH).map(n => n.name)).toEqual(['rook']);
    expect(t.edges.map(e => e.label)).toEqual(['cluster', 'public']);
  });

  test('ignores documents without a name and kinds it does not draw', () => {
    const t = Topology.fromManifests([null, 'x', { kind: 'VirtualMachine' }, { apiVersion: 'v1', kind: 'Secret', metadata: meta('s') }]);
    expect(t.nodes).toEqual([]);
    expect(t.toMermaid()).toBe('flowchart LR\n');
  });

  test('puts documents without a namespace into default', () => {
    const t = Topology.fromManifests([{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'v' }, spec: {} }]);
    expect(only(t, TopologyNodeKind.VIRTUAL_MACHINE, 'v').namespace).toBe('default');
  });
});

describe('Mermaid', () => {
  const topology = Topology.fromApp(clusterApp().app);
  const text = topology.toMermaid();
  const lines = text.trimEnd().split('\n');

  test('is a left-to-right flowchart with one subgraph per namespace', () => {
    expect(lines[0]).toBe('flowchart LR');
    const subgraphs = lines.filter(l => l.trimStart().startsWith('subgraph '));
    expect(subgraphs.map(l => l.trim())).toEqual([
      'subgraph ns_golden["namespace golden"]',
      'subgraph ns_rook_ceph["namespace rook-ceph"]',
      'subgraph ns_tenant_a["namespace tenant-a"]',
    ]);
    expect(lines.filter(l => l.trim() === 'end')).toHaveLength(subgraphs.length);
  });

  test('labels networks with bridge, VLAN and range', () => {
    expect(text).toContain('net_tenant_a_tenant_a_net{{"tenant-a-net<br/>bridge br1 · VLAN 100 · 10.0.100.0/24 [10.0.100.10-10.0.100.200]"}}');
  });

  test('names every network and VM group', () => {
    for (const name of ['tenant-a-net', 'storage-net', 'pod network', 'workers ×2', 'web ×5', 'db-1', 'builder', 'fedora-41', 'fedora-41-snap']) {
      expect(text).toContain(`"${name}<br/>`);
    }
  });

  test('declares every node once and links only declared nodes', () => {
    const declared = lines.map(l => /^\s+([A-Za-z][A-Za-z0-9_]*)(\{\{|\[\[|\[\(|\(\[|\[\/|\[)"/.exec(l)?.[1]).filter(x => x !== undefined);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual(topology.nodes.map(n => n.id));
    const links = lines.filter(l => / (---|-->)/.test(l));
    expect(links).toHaveLength(topology.edges.length);
    for (const l of links) {
      const m = /^ {2}([A-Za-z0-9_]+) (?:---|-->)(?:\|"[^"]*"\|)? ([A-Za-z0-9_]+)$/.exec(l);
      expect(m).not.toBeNull();
      expect(declared).toContain(m![1]);
      expect(declared).toContain(m![2]);
    }
  });

  test('draws attachments without arrows and data flow with labelled arrows', () => {
    expect(text).toContain('  fleet_tenant_a_workers --- net_tenant_a_tenant_a_net\n');
    expect(text).toContain('  snap_golden_fedora_41_snap -->|"CoW clones (cross-namespace)"| fleet_tenant_a_workers\n');
  });

  test('styles isolated VMs', () => {
    expect(text).toContain('  class vm_tenant_a_db_1 isolated\n');
  });
});

describe('DOT', () => {
  const topology = Topology.fromApp(clusterApp().app);
  const text = topology.toDot();

  test('is a digraph with one cluster per namespace', () => {
    expect(text.startsWith('digraph topology {\n')).toBe(true);
    expect(text.match(/subgraph cluster_ns_[a-z_]+ \{/g)).toEqual([
      'subgraph cluster_ns_golden {', 'subgraph cluster_ns_rook_ceph {', 'subgraph cluster_ns_tenant_a {',
    ]);
    expect(text.split('{').length).toBe(text.split('}').length);
  });

  test('labels nodes and edges', () => {
    expect(text).toContain('net_tenant_a_tenant_a_net [label="tenant-a-net\\nbridge br1\\nVLAN 100\\n10.0.100.0/24 [10.0.100.10-10.0.100.200]", shape=hexagon');
    expect(text).toContain('  fleet_tenant_a_workers -> net_tenant_a_tenant_a_net [dir=none];\n');
    expect(text).toContain('  img_golden_fedora_41 -> snap_golden_fedora_41_snap [label="snapshot"];\n');
    expect(text).toMatch(/vm_tenant_a_db_1 \[.*style="filled,dashed,bold".*penwidth=2\];/);
  });

  test('keeps edges that leave a namespace from widening the layout', () => {
    // the pod network has no namespace: its edges do not push ranks
    expect(text).toMatch(/(-> pod_pod|pod_pod ->)[^\n]*constraint=false/);
    expect(text).not.toMatch(/fleet_tenant_a_workers -> net_tenant_a_tenant_a_net \[.*constraint/);
  });

  test('has a legend of the kinds it draws, and nothing else', () => {
    const legend = text.split('\n').find(l => l.startsWith('  legend '))!;
    expect(legend).toContain('>Multus network<');
    expect(legend).toContain('>dashed border: isolated (no pod network)<');
    expect(legend).not.toContain('Ceph');
  });

  testWith(GRAPHVIZ)('is accepted by Graphviz', () => {
    requireDot();
    const run = childProcess.spawnSync('dot', ['-Tcanon'], { input: text, encoding: 'utf-8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('determinism', () => {
  test('two runs over the same program give identical text', () => {
    const a = Topology.fromApp(clusterApp().app);
    const b = Topology.fromApp(clusterApp().app);
    expect(b.toMermaid()).toBe(a.toMermaid());
    expect(b.toDot()).toBe(a.toDot());
    expect(b.toMarkdown()).toBe(a.toMarkdown());
  });

  test('the order of the documents does not matter', () => {
    const { chart } = clusterApp();
    const docs = chart.toJson();
    const forward = Topology.fromManifests(docs);
    const backward = Topology.fromManifests([...docs].reverse());
    expect(backward.toMermaid()).toBe(forward.toMermaid());
    expect(backward.toDot()).toBe(forward.toDot());
  });
});

describe('escaping', () => {
  // Names no API server would accept, as from a hand-edited or hostile file.
  const odd = Topology.fromManifests([
    { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'we"ird<net>#1', namespace: 'a-b' }, spec: { config: JSON.stringify({ type: 'bridge', bridge: 'br"0\\x`|', vlan: 7 }) } },
    { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'we"ird<net>#1', namespace: 'a_b' }, spec: { config: 'not json' } },
    { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'end', namespace: 'a-b', labels: {} }, spec: { template: { spec: { networks: [{ name: 'n', multus: { networkName: 'we"ird<net>#1' } }] } } } },
    { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'x', namespace: 'a-b', labels: { [FLEET]: 'line\nbreak & "q"' } }, spec: {} },
  ]);

  test('gives every node a unique id of letters, digits and underscores', () => {
    const ids = odd.nodes.map(n => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    expect(ids).toContain('net_a_b_we_ird_net__1');
    expect(ids).toContain('net_a_b_we_ird_net__1_2');
  });

  test('escapes labels for Mermaid with entity codes', () => {
    const text = odd.toMermaid();
    expect(text).toContain('"we#34;ird#60;net#62;#35;1<br/>bridge br#34;0#92;x#96;#124; · VLAN 7 · no IPAM"');
    expect(text).toContain('"line break #38; #34;q#34; ×1<br/>');
    expect(text).toContain('subgraph ns_a_b["namespace a-b"]');
    expect(text).toContain('subgraph ns_a_b_2["namespace a_b"]');
    // Inside each quoted label there is no bare double quote left.
    for (const line of text.split('\n').filter(l => /"\S/.test(l))) {
      expect(line.split('"').length).toBeLessThanOrEqual(3 + (line.includes('|"') ? 2 : 0));
    }
  });

  testWith(GRAPHVIZ)('escapes labels for DOT and Graphviz accepts them', () => {
    requireDot();
    const text = odd.toDot();
    expect(text).toContain('label="we\\"ird<net>#1\\nbridge br\\"0\\\\x`|\\nVLAN 7\\nno IPAM"');
    const run = childProcess.spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf-8' });
    expect(run.status).toBe(0);
    expect(svgTexts(run.stdout)).toContain('we"ird<net>#1');
  });
});

describe('writeFiles', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'topology-'));
  });
  afterEach(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  testWith(GRAPHVIZ)('writes Markdown, DOT and an SVG that names every network and VM group', () => {
    requireDot();
    const topology = Topology.fromApp(clusterApp().app);
    const written = topology.writeFiles(outdir);
    expect(written).toEqual(['topology.md', 'topology.dot', 'topology.svg'].map(f => path.join(outdir, f)));

    const md = fs.readFileSync(path.join(outdir, 'topology.md'), 'utf-8');
    expect(md.startsWith('# Cluster topology\n')).toBe(true);
    expect(md).toContain('```mermaid\n' + topology.toMermaid() + '```\n');
    expect(fs.readFileSync(path.join(outdir, 'topology.dot'), 'utf-8')).toBe(topology.toDot());

    const svg = fs.readFileSync(path.join(outdir, 'topology.svg'), 'utf-8');
    expect(svg).toContain('<svg');
    const groups = topology.nodes.filter(n => [
      TopologyNodeKind.NETWORK, TopologyNodeKind.STORAGE_NETWORK, TopologyNodeKind.POD_NETWORK,
      TopologyNodeKind.VIRTUAL_MACHINE, TopologyNodeKind.FLEET, TopologyNodeKind.POOL,
    ].includes(n.kind));
    expect(groups).toHaveLength(7);
    const texts = svgTexts(svg);
    for (const n of groups) expect(texts).toContain(n.title);
  });

  test('writes next to the manifests of the app by default', () => {
    const app = new App({ outdir });
    buildCluster(new Chart(app, 'cluster'));
    const written = Topology.fromApp(app).writeFiles(undefined, { svg: false });
    expect(written).toEqual([path.join(outdir, 'topology.md'), path.join(outdir, 'topology.dot')]);
  });

  test('skips the SVG and says so when Graphviz is not installed', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const written = Topology.fromApp(clusterApp().app).writeFiles(outdir, { dotCommand: 'no-such-graphviz-dot' });
      expect(written.map(f => path.basename(f))).toEqual(['topology.md', 'topology.dot']);
      expect(fs.existsSync(path.join(outdir, 'topology.svg'))).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Graphviz 'no-such-graphviz-dot' is not installed, skipped .*topology\.svg/));
    } finally {
      warn.mockRestore();
    }
  });

  test('reports a Graphviz failure instead of hiding it', () => {
    expect(() => Topology.fromManifests([]).writeFiles(outdir, { dotCommand: 'false' })).toThrow(/'false -Tsvg' failed on .*topology\.dot/);
  });
});

describe('scale', () => {
  test('10,000 fleet VMs become one node per fleet', () => {
    const fleets = ['alpha', 'beta', 'gamma', 'delta'];
    const docs: any[] = [
      { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'net', namespace: 'fleet' }, spec: { config: JSON.stringify(TENANT_NET) } },
    ];
    for (let i = 0; i < 10_000; i++) {
      docs.push({
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: `vm-${i}`, namespace: 'fleet', labels: { [FLEET]: fleets[i % fleets.length] } },
        spec: vmSpec(`vm-${i}`, { networks: ['pod', 'net'], rootSource: { snapshot: { name: 'golden-snap' } } }),
      });
    }
    const t = Topology.fromManifests(docs);
    const groups = t.nodesOfKind(TopologyNodeKind.FLEET);
    expect(groups.map(n => n.title)).toEqual(['alpha ×2500', 'beta ×2500', 'delta ×2500', 'gamma ×2500']);
    expect(t.nodesOfKind(TopologyNodeKind.VIRTUAL_MACHINE)).toEqual([]);
    // 4 fleets, the network, the pod network and the (external) snapshot.
    expect(t.nodes).toHaveLength(7);
    // Each fleet: pod network, net, snapshot.
    expect(t.edges).toHaveLength(12);
    const mermaid = t.toMermaid();
    expect(mermaid.split('\n').length).toBeLessThan(50);
    expect(mermaid).not.toContain('vm-');
  });
});

describe('the platform box', () => {
  test('is one node listing the controllers the app runs and their versions', () => {
    const app = Testing.app();
    const platform = new VirtualizationPlatform(app, 'platform', { whereabouts: { enabled: false } });
    synthValid(platform);
    const t = Topology.fromApp(app);
    expect(t.nodesOfKind(TopologyNodeKind.PLATFORM)).toEqual([expect.objectContaining({
      title: 'virtualization platform',
      details: [
        `KubeVirt ${PlatformVersions.KUBEVIRT}`,
        `CDI ${PlatformVersions.CDI}`,
        `Multus ${PlatformVersions.MULTUS}-thick`,
        `snapshot controller ${PlatformVersions.SNAPSHOT_CONTROLLER}`,
      ],
    })]);
    expect(t.nodes.map(n => n.kind)).toEqual([TopologyNodeKind.PLATFORM]);
    expect(t.toDot()).toContain('>platform: controllers and versions<');
  });

  test('names an image pinned by digest by its short digest', () => {
    const app = Testing.app();
    const digest = `sha256:${'ab'.repeat(32)}`;
    const platform = new VirtualizationPlatform(app, 'platform', {
      kubevirt: { image: { digest } },
      cdi: { enabled: false },
      multus: { enabled: false },
      whereabouts: { enabled: false },
      snapshotController: { enabled: false },
    });
    synthValid(platform);
    expect(Topology.fromApp(app).nodesOfKind(TopologyNodeKind.PLATFORM)[0].details).toEqual([`KubeVirt sha256:${'ab'.repeat(6)}`]);
  });

  test('is not drawn for manifests that run no virtualization controller', () => {
    const t = Topology.fromManifests([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'x' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } }]);
    expect(t.nodes).toEqual([]);
  });
});
