import * as childProcess from 'child_process';
import { ApiObject, Testing } from 'cdk8s';
import {
  BootDisk, CniPlugin, IsolatedVm, MultiNetworkPolicy, Network, NetworkAttachmentDefinition, PolicyPeer, PolicyPort, StorageNetwork, Topology,
  TopologyEdgeKind, TopologyNodeKind,
} from '../../src';
import { GRAPHVIZ, testWith } from '../host-tools';
import { synthValid } from '../util';

const DISK = 'quay.io/containerdisks/fedora:41';

/**
 * Two tenants with an isolated VM each on their own network, a storage
 * network in rook-ceph, the tenant and storage policies the library's
 * helpers build, and a hand-made policy with every kind of peer. The VMs
 * are synthesized by an app of their own (`synthAll` joins the manifests):
 * the library refuses, in one app, a policy whose target is a VM the
 * enforcer cannot filter, and the picture is drawn from manifests alone.
 */
function policyChart() {
  const chart = Testing.chart();
  const vms = Testing.chart();
  const storage = new StorageNetwork(chart, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', bridge: 'br-storage', range: '192.168.100.0/24' });
  for (const tenant of ['tenant-a', 'tenant-b']) {
    const net = new NetworkAttachmentDefinition(chart, `${tenant}-net`, {
      name: `${tenant}-net`, namespace: tenant, plugins: [CniPlugin.bridge({ bridge: 'br-tenants', vlan: tenant === 'tenant-a' ? 100 : 200 })],
    });
    const vm = new IsolatedVm(vms, `${tenant}-app`, { name: 'app', namespace: tenant, network: net, bootDisk: BootDisk.containerDisk(DISK) });
    vm.addNetwork('storage', Network.multus(storage));
    MultiNetworkPolicy.tenantNetwork(chart, `${tenant}-only`, { network: net });
    MultiNetworkPolicy.storageNetwork(chart, `${tenant}-ceph`, { network: storage, namespace: tenant });
  }
  const synthAll = () => [...synthValid(chart), ...synthValid(vms)];
  return { chart, storage, synthAll };
}

describe('MultiNetworkPolicies in the topology', () => {
  const { synthAll } = policyChart();
  const topology = Topology.fromManifests(synthAll());
  const byId = new Map(topology.nodes.map(n => [n.id, n]));

  test('draws each policy in its namespace, with whom it applies to and what it lets in and out', () => {
    const policies = topology.nodesOfKind(TopologyNodeKind.POLICY);
    expect(policies.map(p => `${p.namespace}/${p.name}`)).toEqual([
      'tenant-a/ceph-public-ceph-only', 'tenant-a/tenant-a-net-tenant-only', 'tenant-b/ceph-public-ceph-only', 'tenant-b/tenant-b-net-tenant-only',
    ]);
    expect(byId.get('mnp_tenant_a_tenant_a_net_tenant_only')!.details).toEqual(['policy for every pod', 'in: VMs of namespace tenant-a']);
    expect(byId.get('mnp_tenant_a_ceph_public_ceph_only')!.details).toEqual([
      'policy for every pod', 'in: nothing', 'out: namespace rook-ceph · TCP 3300, 6789, 6800-7300',
    ]);
  });

  test('links each policy to the networks it is for', () => {
    const guards = topology.edges.filter(e => e.kind === TopologyEdgeKind.GUARD).map(e => `${e.source}->${e.target}`);
    expect(guards).toEqual([
      'mnp_tenant_a_ceph_public_ceph_only->snet_rook_ceph_ceph_public',
      'mnp_tenant_a_tenant_a_net_tenant_only->net_tenant_a_tenant_a_net',
      'mnp_tenant_b_ceph_public_ceph_only->snet_rook_ceph_ceph_public',
      'mnp_tenant_b_tenant_b_net_tenant_only->net_tenant_b_tenant_b_net',
    ]);
  });

  test('the Mermaid picture draws inverted trapezoids with dotted links, and the Markdown explains them', () => {
    const mermaid = topology.toMermaid();
    expect(mermaid).toContain('    mnp_tenant_a_ceph_public_ceph_only[\\"ceph-public-ceph-only<br/>policy for every pod<br/>in: nothing<br/>out: namespace rook-ceph · TCP 3300, 6789, 6800-7300"/]');
    expect(mermaid).toContain('  mnp_tenant_a_tenant_a_net_tenant_only -.- net_tenant_a_tenant_a_net\n');
    expect(mermaid).toContain('class mnp_tenant_a_ceph_public_ceph_only,mnp_tenant_a_tenant_a_net_tenant_only,');
    expect(topology.toMarkdown()).toContain('- red stop signs (octagons; inverted trapezoids in Mermaid) are MultiNetworkPolicies, with dashed lines to the networks they are for');
  });

  testWith(GRAPHVIZ)('the DOT picture draws one fact per line, dashed links that do not widen the layout, and a legend row', () => {
    const dot = topology.toDot();
    expect(dot).toContain('mnp_tenant_a_ceph_public_ceph_only [label="ceph-public-ceph-only\\npolicy for every pod\\nin: nothing\\nout: namespace rook-ceph\\nTCP 3300, 6789, 6800-7300", shape=octagon, margin="0.04,0.02"');
    // the storage network lives in another namespace: its link must not push ranks
    expect(dot).toContain('  mnp_tenant_a_ceph_public_ceph_only -> snet_rook_ceph_ceph_public [dir=none, style=dashed, color="#b91c1c", constraint=false];\n');
    expect(dot).toContain('  mnp_tenant_a_tenant_a_net_tenant_only -> net_tenant_a_tenant_a_net [dir=none, style=dashed, color="#b91c1c"];\n');
    expect(dot).toContain('>MultiNetworkPolicy, dashed to its networks<');
    const run = childProcess.spawnSync('dot', ['-Tcanon'], { input: dot, encoding: 'utf-8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('the same manifests in any order give the same picture', () => {
    const docs = policyChart().synthAll();
    const backward = Topology.fromManifests([...docs].reverse());
    expect(backward.toDot()).toBe(topology.toDot());
    expect(backward.toMermaid()).toBe(topology.toMermaid());
  });

  test('without policies there is no policy node and no legend row', () => {
    const plain = Testing.chart();
    new NetworkAttachmentDefinition(plain, 'n', { name: 'n', plugins: [CniPlugin.bridge({ bridge: 'br1' })] });
    const t = Topology.fromManifests(synthValid(plain));
    expect(t.nodesOfKind(TopologyNodeKind.POLICY)).toEqual([]);
    expect(t.toDot()).not.toContain('MultiNetworkPolicy');
  });
});

describe('what a policy admits, in words', () => {
  test('names VMs, fleets, pods by label, namespaces and address blocks, with their ports', () => {
    const { chart, storage, synthAll } = policyChart();
    new MultiNetworkPolicy(chart, 'mixed', {
      name: 'mixed',
      namespace: 'tenant-a',
      networks: [storage],
      ingress: [
        { peers: [PolicyPeer.podLabels({ app: 'web', tier: 'front' }), PolicyPeer.vmsOfNamespace('tenant-b')], ports: [PolicyPort.tcp(443), PolicyPort.udpRange(5000, 5010)] },
        { peers: [PolicyPeer.namespaceLabels({ team: 'ops' }), PolicyPeer.ipBlock('10.0.0.0/24', ['10.0.0.1/32', '10.0.0.2/32'])] },
      ],
      egress: [{ ports: [PolicyPort.tcp(22)] }],
    });
    // no VM carries app=web: the policy warns, and the picture still shows the peer
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let docs: any[];
    try {
      docs = synthAll();
    } finally {
      warn.mockRestore();
    }
    const node = Topology.fromManifests(docs).nodes.find(n => n.id === 'mnp_tenant_a_mixed')!;
    expect(node.details).toEqual([
      'policy for every pod',
      'in: pods app=web & tier=front of namespace tenant-a, VMs of namespace tenant-b · TCP 443 · UDP 5000-5010',
      'in: namespaces team=ops, 10.0.0.0/24 (except 10.0.0.1/32, 10.0.0.2/32)',
      'out: anyone · TCP 22',
    ]);
  });

  test('reads hand-written policies: VM and fleet targets, default policyTypes, networks of other namespaces and networks not in the manifests', () => {
    const chart = Testing.chart();
    const policy = (name: string, annotation: string, spec: object) => new ApiObject(chart, name, {
      apiVersion: 'k8s.cni.cncf.io/v1beta1',
      kind: 'MultiNetworkPolicy',
      metadata: { name, namespace: 'ns1', annotations: { 'k8s.v1.cni.cncf.io/policy-for': annotation } },
      spec,
    });
    policy('one-vm', 'ns2/net-b, net-a', {
      podSelector: { matchLabels: { 'vmi.kubevirt.io/id': 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { 'kubevirt.cdk8s.io/fleet': 'web' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ns1' } } }] }],
    });
    policy('any-ns', 'net-a', {
      podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['db', 'cache'] }] },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: {} }, { podSelector: {} }], ports: [{ protocol: 'SCTP' }, { port: 'dns' }] }],
    });
    // odd input is drawn as far as it can be read, never thrown on
    policy('odd', ' , ', { podSelector: 'x', ingress: [{ from: [{}, { ipBlock: {} }], ports: [{ protocol: 'UDP', port: 53 }] }] });
    const t = Topology.fromManifests(chart.toJson());
    const byId = new Map(t.nodes.map(n => [n.id, n]));
    expect(byId.get('mnp_ns1_odd')!.details).toEqual(['policy for every pod', 'in: ?, ? · UDP 53']);
    expect(byId.get('mnp_ns1_one_vm')!.details).toEqual(['policy for VM db', 'in: fleet web of namespace ns1']);
    expect(byId.get('mnp_ns1_any_ns')!.details).toEqual(['policy for pods role In (db|cache)', 'out: every namespace, every pod · every SCTP port · TCP dns']);
    expect(t.edges.filter(e => e.kind === TopologyEdgeKind.GUARD).map(e => `${e.source}->${e.target}`)).toEqual([
      'mnp_ns1_any_ns->net_ns1_net_a', 'mnp_ns1_one_vm->net_ns1_net_a', 'mnp_ns1_one_vm->net_ns2_net_b',
    ]);
    expect(byId.get('net_ns2_net_b')!.external).toBe(true);
  });
});
