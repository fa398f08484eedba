import { Testing } from 'cdk8s';
import {
  CniPlugin, HostInterface, NetworkAttachmentDefinition, NodeNetworkConfigurationPolicy, StorageNetwork, Topology, TopologyEdgeKind,
  TopologyNodeKind, VlanTrunk, VxlanBridge,
} from '../../src';
import { synthValid } from '../util';

describe('host bridges and tunnels in the topology', () => {
  const chart = Testing.chart();
  const vx = new VxlanBridge(chart, 'vx', { name: 'tunnel', vni: 42, underlay: 'eth0', group: '239.1.1.42', trunkVlans: [VlanTrunk.range(100, 101)] });
  const hosts = new NodeNetworkConfigurationPolicy(chart, 'hosts', { name: 'hosts', interfaces: [HostInterface.ethernet({ name: 'eth1', mtu: 9000 })] });
  for (const vlan of [100, 101]) {
    new NetworkAttachmentDefinition(chart, `n${vlan}`, { name: `n${vlan}`, namespace: 'vms', plugins: [CniPlugin.bridge({ hostBridge: vx.bridge, vlan })] });
  }
  new StorageNetwork(chart, 'storage', { name: 'storage', namespace: 'vms', master: hosts.bridge('eth1').bridgeName, mtu: 9000, range: '192.168.7.0/24' });
  const topology = Topology.fromManifests(synthValid(chart));
  const byId = new Map(topology.nodes.map(n => [n.id, n]));

  test('draws the bridge with the networks it carries and the tunnel as its port', () => {
    const bridge = byId.get('host_br_vx')!;
    expect(bridge.kind).toBe(TopologyNodeKind.HOST_BRIDGE);
    expect(bridge.namespace).toBeUndefined();
    expect(bridge.details).toEqual(['linux-bridge · MTU 1450 · trunk 100-101', 'policy tunnel']);
    const tunnel = byId.get('tun_vxlan42')!;
    expect(tunnel.kind).toBe(TopologyNodeKind.TUNNEL);
    expect(tunnel.details).toEqual(['VXLAN VNI 42 · group 239.1.1.42 · via eth0', 'policy tunnel']);
    const links = topology.edges.filter(e => e.kind === TopologyEdgeKind.HOST_LINK).map(e => `${e.source}->${e.target}${e.label ? ` ${e.label}` : ''}`);
    expect(links).toEqual(['host_br_vx->net_vms_n100', 'host_br_vx->net_vms_n101', 'host_eth1->snet_vms_storage', 'tun_vxlan42->host_br_vx port']);
  });

  test('the Mermaid and DOT pictures show them', () => {
    expect(topology.toMermaid()).toContain('tun_vxlan42>"vxlan42<br/>VXLAN VNI 42');
    expect(topology.toDot()).toMatch(/host_br_vx \[label="br-vx\\nlinux-bridge\\nMTU 1450\\ntrunk 100-101\\npolicy tunnel", shape=trapezium/);
  });

  test('without policies nothing is drawn under the networks', () => {
    const plain = Testing.chart();
    new NetworkAttachmentDefinition(plain, 'n', { name: 'n', plugins: [CniPlugin.bridge({ bridge: 'br1' })] });
    const t = Topology.fromManifests(synthValid(plain));
    expect(t.nodes.filter(n => n.kind === TopologyNodeKind.HOST_BRIDGE || n.kind === TopologyNodeKind.TUNNEL)).toEqual([]);
  });
});
