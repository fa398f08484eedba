import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import {
  BootDisk, CniPlugin, FeatureGate, HostBridge, HostInterface, HugepagesSize, Ipam, Network, NetworkAttachmentDefinition,
  NodeNetworkConfigurationPolicy, NodeProvides,
  NodeRequirementKind, NodeRequirements, VirtualizationPlatform, VirtualMachine,
} from '../../src';

const IMAGE = 'quay.io/containerdisks/fedora:41';
const WORKERS = { 'node-role.kubernetes.io/worker': '' };

/** A small cluster that asks something of the nodes in every way the list knows. */
function cluster(): App {
  const app = Testing.app();
  new VirtualizationPlatform(app, 'platform', {
    kubevirt: { featureGates: [FeatureGate.CPU_MANAGER] },
    dhcpDaemon: { image: { repository: 'registry.example.com/cni-plugins', tag: 'v1.9.1' } },
    nodeProvides: [NodeProvides.cniPlugin('macvlan')],
  });
  const hosts = new Chart(app, 'hosts');
  new NodeNetworkConfigurationPolicy(hosts, 'tunnel', {
    name: 'tunnel',
    nodeSelector: WORKERS,
    interfaces: [
      HostInterface.vxlan({ name: 'vxlan10', id: 10, base: 'eth0', remote: '10.0.0.2' }),
      HostInterface.linuxBridge({ name: 'br1', ports: ['vxlan10'], vlanFiltering: true }),
      HostInterface.ovsBridge({ name: 'ovsbr1', ports: ['eth2'] }),
    ],
  });
  const c = new Chart(app, 'vms', { namespace: 'apps' });
  const net = new NetworkAttachmentDefinition(c, 'net', { name: 'net', plugins: [CniPlugin.bridge({ bridge: 'br1', vlan: 10, ipam: Ipam.dhcp() })] });
  new NetworkAttachmentDefinition(c, 'storage', { name: 'storage', plugins: [CniPlugin.macvlan({ hostMaster: HostBridge.existing('eth1') })] });
  new NetworkAttachmentDefinition(c, 'ovs', { name: 'ovs', plugins: [CniPlugin.ovs({ bridge: 'ovsbr1', vlan: 20 })] });
  new VirtualMachine(c, 'db', {
    name: 'db',
    bootDisk: BootDisk.containerDisk(IMAGE),
    cores: 2,
    memory: Size.gibibytes(4),
    dedicatedCpus: true,
    hugepages: HugepagesSize.ONE_GI,
    nodeSelector: WORKERS,
    networks: [{ name: 'net', network: Network.multus(net) }],
  });
  return app;
}

describe('NodeRequirements', () => {
  const app = cluster();
  const list = NodeRequirements.of(app).requirements;
  const find = (kind: NodeRequirementKind, requirement: string) => list.find(r => r.kind === kind && r.requirement === requirement);

  test('names each CNI plugin with the part that installs it or the declaration, from the facts the network rule checks', () => {
    expect(find(NodeRequirementKind.CNI_PLUGIN, 'bridge in /opt/cni/bin')).toEqual({
      kind: NodeRequirementKind.CNI_PLUGIN,
      requirement: 'bridge in /opt/cni/bin',
      providedBy: 'installed by platform/CniPlugins',
      neededBy: ['NetworkAttachmentDefinition apps/net (nodes with node-role.kubernetes.io/worker=)'],
    });
    expect(find(NodeRequirementKind.CNI_PLUGIN, 'dhcp in /opt/cni/bin')?.providedBy).toBe('installed by platform/DhcpDaemon');
    expect(find(NodeRequirementKind.DAEMON, 'CNI dhcp daemon on /run/cni/dhcp.sock')?.providedBy).toBe('installed by platform/DhcpDaemon');
    expect(find(NodeRequirementKind.CNI_PLUGIN, 'macvlan in /opt/cni/bin')?.providedBy).toBe('declared in nodeProvides');
    expect(find(NodeRequirementKind.CNI_PLUGIN, 'ovs in /opt/cni/bin')?.providedBy).toBe('installed by platform/OvsCni');
    expect(find(NodeRequirementKind.CNI_PLUGIN, 'macvlan in /opt/cni/bin')?.neededBy).toEqual(['NetworkAttachmentDefinition apps/storage (nodes of the pods attached to it)']);
  });

  test('names what only the nodes can bring: OVS, NetworkManager, kernel modules, the VXLAN underlay', () => {
    expect(find(NodeRequirementKind.DAEMON, 'Open vSwitch (ovsdb socket in /var/run/openvswitch)')?.providedBy).toBeUndefined();
    expect(find(NodeRequirementKind.DAEMON, 'NetworkManager (for the nmstate handler)')?.neededBy)
      .toEqual(['NodeNetworkConfigurationPolicy tunnel (nodes with node-role.kubernetes.io/worker=)']);
    expect(find(NodeRequirementKind.KERNEL_MODULE, 'vxlan')).toBeDefined();
    expect(find(NodeRequirementKind.KERNEL_MODULE, '8021q (bridge VLAN filtering)')?.neededBy[0]).toMatch(/^NetworkAttachmentDefinition apps\/net/);
    expect(find(NodeRequirementKind.KERNEL_MODULE, 'openvswitch')).toBeDefined();
    expect(find(NodeRequirementKind.INTERFACE, 'eth0 (VXLAN underlay of vxlan10)')).toBeDefined();
  });

  test('names the kubelet policy, hugepages per size, /dev/kvm and the node labels the VMs select', () => {
    const vm = 'VirtualMachine apps/db (nodes with node-role.kubernetes.io/worker=)';
    expect(find(NodeRequirementKind.KUBELET, 'CPU manager policy static (--cpu-manager-policy=static)')?.neededBy).toEqual([vm]);
    expect(find(NodeRequirementKind.HUGEPAGES, 'hugepages-1Gi: at least 4Gi reserved in all')?.neededBy).toEqual([vm]);
    expect(find(NodeRequirementKind.DEVICE, '/dev/kvm (hardware virtualization)')?.neededBy).toEqual(['1 VM (nodes with node-role.kubernetes.io/worker=)']);
    expect(find(NodeRequirementKind.NODE_LABEL, 'node-role.kubernetes.io/worker=')?.neededBy).toEqual(['NodeNetworkConfigurationPolicy tunnel', 'VirtualMachine apps/db']);
  });

  test('prints one requirement per line and a count line, and writes node-requirements.md', () => {
    const md = NodeRequirements.of(cluster()).toMarkdown();
    const lines = md.trimEnd().split('\n');
    expect(lines[0]).toBe('# What the nodes need');
    expect(lines.filter(l => l.startsWith('- '))).toHaveLength(list.length);
    expect(lines[lines.length - 1]).toBe(`${list.length} requirements, ${list.filter(r => r.providedBy).length} of them installed by the platform or declared in nodeProvides`);
    expect(md).toContain('- kubelet: **CPU manager policy static (--cpu-manager-policy=static)** (the nodes must have it); needed by VirtualMachine apps/db');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-requirements-'));
    expect(NodeRequirements.of(cluster()).writeFile(dir)).toBe(path.join(dir, 'node-requirements.md'));
    expect(fs.readFileSync(path.join(dir, 'node-requirements.md'), 'utf-8')).toBe(md);
  });

  test('says no /dev/kvm is needed when KubeVirt emulates', () => {
    const a = Testing.app();
    const c = new Chart(a, 'c', { namespace: 'apps' });
    new ApiObject(c, 'kv', { apiVersion: 'kubevirt.io/v1', kind: 'KubeVirt', metadata: { name: 'kubevirt', namespace: 'kubevirt' }, spec: { configuration: { developerConfiguration: { useEmulation: true } } } } as any);
    new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(NodeRequirements.of(a).requirements.map(r => r.requirement)).toEqual(['no /dev/kvm: KubeVirt emulates (useEmulation)']);
  });

  test('with a platform in the app, every plugin and the dhcp daemon has a provider: the network rule refuses the rest', () => {
    const plugins = list.filter(r => r.kind === NodeRequirementKind.CNI_PLUGIN || r.requirement.startsWith('CNI dhcp daemon'));
    expect(plugins.length).toBeGreaterThan(4);
    expect(plugins.filter(r => r.providedBy === undefined)).toEqual([]);
  });

  test('without a platform, the plugins are the nodes\' to bring', () => {
    const a = Testing.app();
    new NetworkAttachmentDefinition(new Chart(a, 'c', { namespace: 'apps' }), 'net', { name: 'net', plugins: [CniPlugin.macvlan({ master: 'eth1', ipam: Ipam.dhcp() })] });
    const r = NodeRequirements.of(a).requirements;
    expect(r.filter(x => x.kind === NodeRequirementKind.CNI_PLUGIN).map(x => [x.requirement, x.providedBy])).toEqual([
      ['dhcp in /opt/cni/bin', undefined], ['macvlan in /opt/cni/bin', undefined],
    ]);
    expect(r.find(x => x.kind === NodeRequirementKind.DAEMON)?.requirement).toBe('CNI dhcp daemon on /run/cni/dhcp.sock');
  });

  test('refuses what is not an App', () => {
    expect(() => NodeRequirements.of({} as any)).toThrow(/'app'/);
  });
});
