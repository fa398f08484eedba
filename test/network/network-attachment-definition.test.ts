import { ApiObject, Chart, Testing } from 'cdk8s';
import { CniPlugin, CniVersion, Ipam, NetworkAttachmentDefinition, Route } from '../../src';
import { findOne, synthValid } from '../util';

interface BridgeNetOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly bridge?: string;
  readonly vlan?: number;
  readonly shared?: boolean;
  /** whereabouts range (with rangeStart, rangeEnd, networkName) unless ipam is given */
  readonly range?: string;
  readonly rangeStart?: string;
  readonly rangeEnd?: string;
  readonly networkName?: string;
  readonly ipam?: Ipam;
}

function bridgeNet(chart: Chart, id: string, opts: BridgeNetOptions = {}) {
  const whereabouts = opts.range
    ? Ipam.whereabouts({ range: opts.range, rangeStart: opts.rangeStart, rangeEnd: opts.rangeEnd, networkName: opts.networkName })
    : undefined;
  return new NetworkAttachmentDefinition(chart, id, {
    name: opts.name ?? id,
    namespace: opts.namespace ?? 'tenant-a',
    shared: opts.shared,
    plugins: [CniPlugin.bridge({
      bridge: opts.bridge ?? 'br1',
      vlan: opts.vlan,
      ipam: opts.ipam ?? whereabouts,
    })],
  });
}

describe('NetworkAttachmentDefinition', () => {
  test('defaults', () => {
    const chart = Testing.chart();
    new NetworkAttachmentDefinition(chart, 'net', { plugins: [CniPlugin.bridge({ bridge: 'br1' })] });
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('renders the issue example as a conflist with a stable key order', () => {
    const chart = Testing.chart();
    const net = new NetworkAttachmentDefinition(chart, 'my-bridge', {
      name: 'my-bridge',
      namespace: 'my-ns',
      plugins: [CniPlugin.bridge({ bridge: 'br1', vlan: 1234, ipam: Ipam.whereabouts({ range: '10.123.124.0/24', routes: [Route.defaultVia('10.123.124.1')] }) })],
    });
    const doc = findOne(synthValid(chart), 'NetworkAttachmentDefinition', 'my-bridge');
    expect(doc.apiVersion).toBe('k8s.cni.cncf.io/v1');
    expect(doc.metadata).toEqual({ name: 'my-bridge', namespace: 'my-ns' });
    expect(doc.spec.config).toBe('{"cniVersion":"0.4.0","name":"my-bridge","plugins":[{"type":"bridge","bridge":"br1","vlan":1234,'
      // whereabouts would hand the next hop to the first VM: it is excluded
      + '"ipam":{"type":"whereabouts","range":"10.123.124.0/24","exclude":["10.123.124.1/32"],"routes":[{"dst":"0.0.0.0/0","gw":"10.123.124.1"}]}}]}');
    expect(net.config).toBe(doc.spec.config);
    expect(net.networkName).toBe('my-ns/my-bridge');
    expect(net.name).toBe('my-bridge');
    expect(net.namespace).toBe('my-ns');
  });

  test('ApiObject.of returns the NetworkAttachmentDefinition object', () => {
    const chart = Testing.chart();
    const net = bridgeNet(chart, 'net');
    const obj = ApiObject.of(net);
    expect(obj.kind).toBe('NetworkAttachmentDefinition');
    expect(obj.node.id).toBe('Resource');
    expect(obj.toJson().spec.config).toBe(net.config);
  });

  test.each([CniVersion.V0_3_1, CniVersion.V0_4_0, CniVersion.V1_0_0])('declares cniVersion %s', (cniVersion) => {
    const chart = Testing.chart();
    new NetworkAttachmentDefinition(chart, 'net', { name: 'net', namespace: 'ns', cniVersion, plugins: [CniPlugin.bridge()] });
    expect(JSON.parse(findOne(synthValid(chart), 'NetworkAttachmentDefinition').spec.config).cniVersion).toBe(cniVersion);
  });

  test('throws on a CNI version it does not know', () => {
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { cniVersion: '0.2.0' as CniVersion, plugins: [CniPlugin.bridge()] }))
      .toThrow(/^\[test\/net\] 'cniVersion' must be a member of CniVersion, got '0\.2\.0'; use one of CniVersion.V0_3_1, CniVersion.V0_4_0, CniVersion.V1_0_0/);
  });

  test('takes the chart namespace when none is given', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'from-chart' });
    const net = new NetworkAttachmentDefinition(chart, 'net', { name: 'net', plugins: [CniPlugin.bridge()] });
    expect(net.namespace).toBe('from-chart');
    expect(findOne(synthValid(chart), 'NetworkAttachmentDefinition').metadata.namespace).toBe('from-chart');
  });

  test('sets labels, annotations and the resource name annotation', () => {
    const chart = Testing.chart();
    const net = new NetworkAttachmentDefinition(chart, 'net', {
      name: 'sriov-net',
      namespace: 'ns',
      labels: { team: 'a' },
      annotations: { note: 'x' },
      resourceName: 'intel.com/sriov_netdevice',
      plugins: [CniPlugin.custom({ type: 'sriov', vlan: 100 })],
    });
    const doc = findOne(synthValid(chart), 'NetworkAttachmentDefinition');
    expect(doc.metadata.labels).toEqual({ team: 'a' });
    expect(doc.metadata.annotations).toEqual({ 'note': 'x', 'k8s.v1.cni.cncf.io/resourceName': 'intel.com/sriov_netdevice' });
    expect(net.resourceName).toBe('intel.com/sriov_netdevice');
  });

  test('throws on a malformed resource name or a clashing annotation', () => {
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { resourceName: 'intel.com/sriov net', plugins: [CniPlugin.bridge()] }))
      .toThrow(/\[test\/net\] 'resourceName' must be an extended resource name/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', {
      resourceName: 'a.io/x', annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'b.io/y' }, plugins: [CniPlugin.bridge()],
    })).toThrow(/'annotations' sets k8s\.v1\.cni\.cncf\.io\/resourceName differently from resourceName 'a\.io\/x'/);
  });

  test('exposes the plugin chain as a copy', () => {
    const net = new NetworkAttachmentDefinition(Testing.chart(), 'net', { plugins: [CniPlugin.bridge(), CniPlugin.tuning({ mtu: 1400 })] });
    const list = net.plugins;
    list.pop();
    expect(net.plugins.map(p => p.type)).toEqual(['bridge', 'tuning']);
    expect(net.shared).toBe(false);
    expect(net.cniVersion).toBe(CniVersion.V0_4_0);
  });

  test('throws without plugins', () => {
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { name: 'net', plugins: [] }))
      .toThrow(/^\[test\/net\] 'plugins' must hold at least one plugin, got \[\]; add the plugin that creates the interface/);
  });

  test('throws on list entries that are not built with the factories', () => {
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { plugins: [{ type: 'bridge' } as any] }))
      .toThrow(/^\[test\/net\] 'plugins\[0\]' must be a CniPlugin, not an object, got \{"type":"bridge"\}; build it with CniPlugin\.bridge\(\)/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { plugins: [CniPlugin.bridge({ ipam: Ipam.hostLocal({ subnet: '10.0.0.0/24', routes: [{ dst: '0.0.0.0/0' } as any] }) })] }))
      .toThrow(/'plugins\[0\]\.ipam\.routes\[0\]' must be a Route/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { plugins: [CniPlugin.bridge({ vlanTrunk: [{ id: 5 } as any] })] }))
      .toThrow(/'plugins\[0\]\.vlanTrunk\[0\]' must be a VlanTrunk/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { plugins: [CniPlugin.bridge({ ipam: { type: 'dhcp' } as any })] }))
      .toThrow(/'plugins\[0\]\.ipam' must be an Ipam/);
  });

  test('throws on names and namespaces that are not DNS-1123', () => {
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { name: 'My_Net', plugins: [CniPlugin.bridge()] }))
      .toThrow(/^\[test\/net\] 'name' must be a DNS-1123 subdomain.*got 'My_Net'; use a name such as 'my-net'/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { namespace: 'a.b', plugins: [CniPlugin.bridge()] }))
      .toThrow(/^\[test\/net\] 'namespace' must be a DNS-1123 label/);
  });

  test('gives the same config for the same program', () => {
    const program = () => {
      const chart = Testing.chart();
      bridgeNet(chart, 'a', { vlan: 10, range: '10.0.0.0/24' });
      new NetworkAttachmentDefinition(chart, 'b', {
        name: 'b',
        namespace: 'tenant-a',
        plugins: [
          CniPlugin.macvlan({ master: 'eth1', ipam: Ipam.hostLocal({ subnet: '10.9.0.0/24' }) }),
          CniPlugin.tuning({ sysctl: { 'net.ipv4.conf.IFNAME.arp_notify': '1', 'net.core.somaxconn': '512' } }),
        ],
      });
      return synthValid(chart).map(d => d.spec.config);
    };
    expect(program()).toEqual(program());
  });
});

describe('NetworkAttachmentDefinition.fromNetworkName', () => {
  test('splits namespace/name', () => {
    const net = NetworkAttachmentDefinition.fromNetworkName(Testing.chart(), 'imp', 'storage/ceph-net');
    expect([net.namespace, net.name, net.networkName]).toEqual(['storage', 'ceph-net', 'storage/ceph-net']);
  });

  test('takes the namespace from the options, then the chart', () => {
    expect(NetworkAttachmentDefinition.fromNetworkName(Testing.chart(), 'imp', 'net', { namespace: 'ns' }).networkName).toBe('ns/net');
    const chart = new Chart(Testing.app(), 'c', { namespace: 'from-chart' });
    expect(NetworkAttachmentDefinition.fromNetworkName(chart, 'imp', 'net').networkName).toBe('from-chart/net');
    expect(NetworkAttachmentDefinition.fromNetworkName(Testing.chart(), 'imp', 'net').networkName).toBe('default/net');
  });

  test('synthesizes nothing', () => {
    const chart = Testing.chart();
    NetworkAttachmentDefinition.fromNetworkName(chart, 'imp', 'ns/net');
    expect(synthValid(chart)).toEqual([]);
  });

  test('throws on malformed references', () => {
    expect(() => NetworkAttachmentDefinition.fromNetworkName(Testing.chart(), 'imp', 'a/b/c'))
      .toThrow(/^\[test\/imp\] 'networkName' must be 'namespace\/name' or a plain name, got 'a\/b\/c'/);
    expect(() => NetworkAttachmentDefinition.fromNetworkName(Testing.chart(), 'imp', 'a/b', { namespace: 'c' }))
      .toThrow(/\[test\/imp\] 'namespace' contradicts the namespace 'a' in the network name 'a\/b', got 'c'; give the namespace only once/);
    expect(() => NetworkAttachmentDefinition.fromNetworkName(Testing.chart(), 'imp', 'ns/Bad_Name'))
      .toThrow(/\[test\/imp\] 'networkName' must be a DNS-1123 subdomain/);
  });
});

describe('rule: one name per namespace', () => {
  test('throws when two networks share a name in one namespace', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'first', { name: 'net', bridge: 'br1' });
    bridgeNet(chart, 'second', { name: 'net', bridge: 'br2' });
    expect(() => synthValid(chart))
      .toThrow(/\[test\/second\] 'name' is already used by the NetworkAttachmentDefinition at test\/first in namespace 'tenant-a', got 'net'; give every network of a namespace its own name/);
  });

  test('allows one name in two namespaces', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'first', { name: 'net', bridge: 'br1', vlan: 10 });
    bridgeNet(chart, 'second', { name: 'net', namespace: 'tenant-b', bridge: 'br1', vlan: 20 });
    expect(synthValid(chart)).toHaveLength(2);
  });
});

describe('rule: bridge and VLAN isolation between namespaces', () => {
  test('throws when networks of two namespaces use one bridge and VLAN', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { namespace: 'tenant-a', vlan: 100 });
    bridgeNet(chart, 'b', { namespace: 'tenant-b', vlan: 100 });
    let message = '';
    try {
      synthValid(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[test\/a\] 'plugins\[0\]\.vlan' puts this network on bridge 'br1' VLAN 100, which networks of other namespaces also use \(tenant-b\/b\): traffic of the namespaces would mix, got 100; give each namespace its own VLAN, or set shared: true/);
    expect(message).toMatch(/\[test\/b\] 'plugins\[0\]\.vlan' .*\(tenant-a\/a\)/);
  });

  test('throws for an untagged bridge used from two namespaces', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { namespace: 'tenant-a' });
    bridgeNet(chart, 'b', { namespace: 'tenant-b' });
    expect(() => synthValid(chart)).toThrow(/\[test\/a\] 'plugins\[0\]\.bridge' puts this network on bridge 'br1' \(untagged\)/);
  });

  test('throws for the networks not marked shared', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { namespace: 'tenant-a', vlan: 100, shared: true });
    bridgeNet(chart, 'b', { namespace: 'tenant-b', vlan: 100 });
    let message = '';
    try {
      synthValid(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[test\/b\] 'plugins\[0\]\.vlan' puts this network on bridge 'br1' VLAN 100/);
    expect(message).not.toMatch(/\[test\/a\]/);
  });

  test('allows sharing when every network is marked shared', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { namespace: 'tenant-a', vlan: 100, shared: true });
    bridgeNet(chart, 'b', { namespace: 'tenant-b', vlan: 100, shared: true });
    expect(synthValid(chart)).toHaveLength(2);
  });

  test('allows one bridge with different VLANs per namespace, and one VLAN on different bridges', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { namespace: 'tenant-a', vlan: 100 });
    bridgeNet(chart, 'b', { namespace: 'tenant-b', vlan: 200 });
    bridgeNet(chart, 'c', { namespace: 'tenant-c', vlan: 100, bridge: 'br2' });
    expect(synthValid(chart)).toHaveLength(3);
  });

  test('applies to ovs bridges too', () => {
    const chart = Testing.chart();
    new NetworkAttachmentDefinition(chart, 'a', { name: 'a', namespace: 'tenant-a', plugins: [CniPlugin.ovs({ bridge: 'ovsbr', vlan: 7 })] });
    new NetworkAttachmentDefinition(chart, 'b', { name: 'b', namespace: 'tenant-b', plugins: [CniPlugin.ovs({ bridge: 'ovsbr', vlan: 7 })] });
    expect(() => synthValid(chart)).toThrow(/\[test\/a\] 'plugins\[0\]\.vlan' puts this network on bridge 'ovsbr' VLAN 7/);
  });

  test('checks networks of every chart of the app', () => {
    const app = Testing.app();
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    bridgeNet(one, 'a', { namespace: 'tenant-a', vlan: 100 });
    bridgeNet(two, 'b', { namespace: 'tenant-b', vlan: 100 });
    expect(() => synthValid(one)).toThrow(/\[two\/b\] 'plugins\[0\]\.vlan' puts this network on bridge 'br1' VLAN 100/);
  });

  test('names at most three networks of other namespaces, even on a crowded bridge', () => {
    const chart = Testing.chart();
    const nets: NetworkAttachmentDefinition[] = [];
    for (let i = 0; i < 3000; i++) {
      nets.push(bridgeNet(chart, `n${i}`, { namespace: `ns-${String(i).padStart(4, '0')}`, vlan: 100, shared: i > 0 }));
    }
    const start = Date.now();
    const errors = nets.flatMap(n => n.node.validate());
    expect(Date.now() - start).toBeLessThan(5000);
    expect(errors).toEqual([
      "'plugins[0].vlan' puts this network on bridge 'br1' VLAN 100, which networks of other namespaces also use "
      + '(ns-0001/n1, ns-0002/n2, ns-0003/n3 and 2996 more): traffic of the namespaces would mix, got 100; '
      + 'give each namespace its own VLAN, or set shared: true on every network of this bridge and VLAN if sharing is intended',
    ]);
  });
});

describe('rule: overlapping address pools on one bridge and VLAN', () => {
  test('throws when two networks hand out the same addresses', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24', networkName: 'a' });
    bridgeNet(chart, 'b', { vlan: 100, range: '10.0.0.128/25', networkName: 'b' });
    expect(() => synthValid(chart))
      .toThrow(/\[test\/b\] 'plugins\[0\]\.ipam\.range' overlaps the addresses 10\.0\.0\.1-10\.0\.0\.254 of network tenant-a\/a \(test\/a\) on bridge 'br1' VLAN 100, got '10\.0\.0\.128\/25'; give networks on one bridge and VLAN disjoint ranges/);
  });

  test('accepts unnamed whereabouts pools that overlap on one segment: whereabouts reserves each address cluster-wide', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24' });
    bridgeNet(chart, 'b', { vlan: 100, range: '10.0.0.128/25' });
    expect(synthValid(chart)).toHaveLength(2);
  });

  test('warns when one whereabouts pool spans networks on different VLANs', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24' });
    const b = bridgeNet(chart, 'b', { vlan: 200, range: '10.0.0.0/24' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(synthValid(chart)).toHaveLength(2);
    } finally {
      warn.mockRestore();
    }
    const warnings = b.node.metadata.filter(m => m.type === 'cdk8s-kubevirt:warning').map(m => m.data);
    expect(warnings).toEqual([expect.stringMatching(
      /^'plugins\[0\]\.ipam\.range' shares whereabouts addresses with network tenant-a\/a on bridge 'br1' VLAN 100 \(same unnamed pool\), so an address given out on one segment is not available on the other, got '10\.0\.0\.0\/24'; give each network its own networkName/)]);
    // distinct names: no warning
    const c2 = Testing.chart();
    bridgeNet(c2, 'a', { vlan: 100, range: '10.0.0.0/24', networkName: 'a' });
    const d = bridgeNet(c2, 'b', { vlan: 200, range: '10.0.0.0/24', networkName: 'b' });
    synthValid(c2);
    expect(d.node.metadata.filter(m => m.type === 'cdk8s-kubevirt:warning')).toEqual([]);
  });

  test('compares the allocation pools, so one subnet split by rangeStart and rangeEnd is fine', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24', rangeStart: '10.0.0.10', rangeEnd: '10.0.0.99', networkName: 'a' });
    bridgeNet(chart, 'b', { vlan: 100, range: '10.0.0.0/24', rangeStart: '10.0.0.100', rangeEnd: '10.0.0.199', networkName: 'b' });
    expect(synthValid(chart)).toHaveLength(2);
  });

  test('reports split pools that touch, naming the pool that was written', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24', rangeStart: '10.0.0.10', rangeEnd: '10.0.0.100', networkName: 'a' });
    bridgeNet(chart, 'b', { vlan: 100, range: '10.0.0.0/24', rangeStart: '10.0.0.100', rangeEnd: '10.0.0.199', networkName: 'b' });
    expect(() => synthValid(chart)).toThrow(/\[test\/b\] 'plugins\[0\]\.ipam\.range' overlaps the addresses 10\.0\.0\.10-10\.0\.0\.100 .*got '10\.0\.0\.100-10\.0\.0\.199'/);
  });

  test('leaves excluded blocks out of a pool', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, networkName: 'a', ipam: Ipam.whereabouts({ range: '10.0.0.0/24', exclude: ['10.0.0.128/25'], networkName: 'a' }) });
    bridgeNet(chart, 'b', { vlan: 100, range: '10.0.0.128/25', networkName: 'b' });
    expect(synthValid(chart)).toHaveLength(2);
  });

  test('still finds an overlap in what the exclusions leave', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, ipam: Ipam.whereabouts({ range: '10.0.0.0/24', exclude: ['10.0.0.0/26', '10.0.0.128/25'], networkName: 'a' }) });
    bridgeNet(chart, 'b', { vlan: 100, range: '10.0.0.96/27', networkName: 'b' });
    expect(() => synthValid(chart)).toThrow(/\[test\/b\] 'plugins\[0\]\.ipam\.range' overlaps the addresses 10\.0\.0\.64-10\.0\.0\.127 of network tenant-a\/a/);
  });

  test('lets whereabouts networks with one pool name share a range (one allocator)', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24', shared: true });
    bridgeNet(chart, 'b', { namespace: 'tenant-b', vlan: 100, range: '10.0.0.0/24', shared: true });
    expect(synthValid(chart)).toHaveLength(2);
  });

  test('finds host-local and static pools that overlap a whereabouts pool', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24' });
    bridgeNet(chart, 'b', { vlan: 100, ipam: Ipam.hostLocal({ subnet: '10.0.0.0/24', rangeStart: '10.0.0.200' }) });
    bridgeNet(chart, 'c', { vlan: 100, ipam: Ipam.staticAddresses({ addresses: [{ address: '10.0.0.5/24' }] }) });
    let message = '';
    try {
      synthValid(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[test\/b\] 'plugins\[0\]\.ipam\.subnet' overlaps .* of network tenant-a\/a/);
    expect(message).toMatch(/\[test\/c\] 'plugins\[0\]\.ipam\.addresses\[0\]\.address' overlaps .* of network tenant-a\/a/);
  });

  test('finds an overlap hidden behind a longer pool of the same allocator', () => {
    const chart = Testing.chart();
    // c (host-local) reaches .10; a and b share one whereabouts pool, and a reaches further than c,
    // so b must be compared with c even though a is the pool reaching furthest
    bridgeNet(chart, 'c', { vlan: 100, ipam: Ipam.hostLocal({ subnet: '10.0.0.0/24', rangeStart: '10.0.0.1', rangeEnd: '10.0.0.10' }) });
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24', rangeStart: '10.0.0.2', rangeEnd: '10.0.0.100' });
    bridgeNet(chart, 'b', { vlan: 100, range: '10.0.0.0/24', rangeStart: '10.0.0.5', rangeEnd: '10.0.0.6' });
    let message = '';
    try {
      synthValid(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[test\/a\] 'plugins\[0\]\.ipam\.range' overlaps the addresses 10\.0\.0\.1-10\.0\.0\.10 of network tenant-a\/c/);
    expect(message).toMatch(/\[test\/b\] 'plugins\[0\]\.ipam\.range' overlaps the addresses 10\.0\.0\.1-10\.0\.0\.10 of network tenant-a\/c/);
  });

  test('ignores pools on different VLANs, bridges or IP versions', () => {
    const chart = Testing.chart();
    bridgeNet(chart, 'a', { vlan: 100, range: '10.0.0.0/24', networkName: 'a' });
    bridgeNet(chart, 'b', { vlan: 200, range: '10.0.0.0/24', networkName: 'b' });
    bridgeNet(chart, 'c', { vlan: 100, bridge: 'br2', range: '10.0.0.0/24', networkName: 'c' });
    bridgeNet(chart, 'd', { vlan: 100, range: 'fd00::/64', networkName: 'd' });
    expect(synthValid(chart)).toHaveLength(4);
  });

  test('checks many networks without pairwise work', () => {
    const chart = Testing.chart();
    const nets: NetworkAttachmentDefinition[] = [];
    for (let i = 0; i < 5000; i++) {
      nets.push(bridgeNet(chart, `n${i}`, { vlan: 1 + (i % 4000), range: `10.${Math.floor(i / 250)}.${i % 250}.0/24`, networkName: `n${i}` }));
    }
    // the graph rules alone (synthesizing 5000 configs would also feed them all to the CNI conformance run)
    const start = Date.now();
    expect(nets.flatMap(n => n.node.validate())).toEqual([]);
    expect(Date.now() - start).toBeLessThan(5000);
  });
});
