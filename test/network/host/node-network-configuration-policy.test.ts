import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import {
  BondMode, BootDisk, CniPlugin, HostBridge, HostInterface, IsolatedVm, MaxUnavailable, Network, NetworkAttachmentDefinition,
  NodeNetworkConfigurationPolicy, VirtualMachine, VlanTrunk, VxlanBridge,
} from '../../../src';
import { findOne, synthValid } from '../../util';

const DISK = 'quay.io/containerdisks/fedora:41';

function policyOf(docs: any[], name?: string): any {
  return findOne(docs, 'NodeNetworkConfigurationPolicy', name);
}

describe('NodeNetworkConfigurationPolicy', () => {
  test('renders the typed interfaces as nmstate desired state', () => {
    const chart = Testing.chart();
    const policy = new NodeNetworkConfigurationPolicy(chart, 'hosts', {
      name: 'vm-hosts',
      nodeSelector: { 'node-role.kubernetes.io/worker': '' },
      maxUnavailable: MaxUnavailable.percent(25),
      interfaces: [
        HostInterface.ethernet({ name: 'eth1', mtu: 9000, disableIpv4: true, disableIpv6: true }),
        HostInterface.bond({ name: 'bond0', mode: BondMode.LACP, ports: ['eth2', 'eth3'], options: { miimon: '100' } }),
        HostInterface.vlan({ name: 'bond0.300', base: 'bond0', id: 300 }),
        HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'], vlanFiltering: true, trunkVlans: [VlanTrunk.id(100), VlanTrunk.range(200, 299)], mtu: 9000 }),
        HostInterface.vxlan({ name: 'vxlan10', id: 10, base: 'eth0', group: '239.1.1.10' }),
        HostInterface.ovsBridge({ name: 'ovsbr1', ports: ['eth4'], stp: true }),
        HostInterface.custom({ type: 'dummy', name: 'dummy0', state: 'up' }),
      ],
    });
    const docs = synthValid(chart);
    const p = policyOf(docs);
    expect(ApiObject.of(policy).kind).toBe('NodeNetworkConfigurationPolicy');
    expect(p.apiVersion).toBe('nmstate.io/v1');
    expect(p.metadata).toEqual({ name: 'vm-hosts' });
    expect(p.spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/worker': '' });
    expect(p.spec.maxUnavailable).toBe('25%');
    const byName = Object.fromEntries(p.spec.desiredState.interfaces.map((i: any) => [i.name, i]));
    expect(byName.eth1).toEqual({ name: 'eth1', type: 'ethernet', state: 'up', mtu: 9000, ipv4: { enabled: false }, ipv6: { enabled: false } });
    expect(byName.bond0['link-aggregation']).toEqual({ mode: '802.3ad', port: ['eth2', 'eth3'], options: { miimon: '100' } });
    expect(byName['bond0.300'].vlan).toEqual({ 'base-iface': 'bond0', 'id': 300 });
    expect(byName.br1.bridge).toEqual({
      options: { stp: { enabled: false } },
      port: [{ name: 'eth1', vlan: { 'mode': 'trunk', 'trunk-tags': [{ id: 100 }, { 'id-range': { min: 200, max: 299 } }] } }],
    });
    expect(byName.vxlan10.vxlan).toEqual({ 'base-iface': 'eth0', 'id': 10, 'remote': '239.1.1.10', 'destination-port': 4789 });
    expect(byName.ovsbr1).toEqual({ name: 'ovsbr1', type: 'ovs-bridge', state: 'up', bridge: { options: { stp: true }, port: [{ name: 'eth4' }] } });
    expect(byName.dummy0).toEqual({ name: 'dummy0', state: 'up', type: 'dummy' });
  });

  test('a vlan-filtering bridge trunks VLANs 2-4094 by default', () => {
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'p', { interfaces: [HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'], vlanFiltering: true })] });
    const port = policyOf(synthValid(chart)).spec.desiredState.interfaces[0].bridge.port[0];
    expect(port.vlan['trunk-tags']).toEqual([{ 'id-range': { min: 2, max: 4094 } }]);
  });

  test.each([
    ['a VLAN id out of range', () => HostInterface.vlan({ name: 'v', base: 'eth0', id: 5000 }), /'interfaces\[0\]\.id' must be a whole number between 1 and 4094, got 5000/],
    ['a VNI out of range', () => HostInterface.vxlan({ name: 'vx', id: 16777216, base: 'eth0', remote: '10.0.0.2' }), /'interfaces\[0\]\.id' must be a whole number between 0 and 16777215/],
    ['a VXLAN with neither remote nor group', () => HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0' }), /'interfaces\[0\]\.remote' or group must be set.*set remote to the peer/],
    ['a unicast group', () => HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', group: '10.0.0.1' }), /'interfaces\[0\]\.group' must be a multicast address/],
    ['a multicast remote', () => HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: '239.0.0.1' }), /'interfaces\[0\]\.remote' is a multicast address/],
    ['an interface name too long', () => HostInterface.linuxBridge({ name: 'a-very-long-bridge' }), /'interfaces\[0\]\.name' must be at most 15 characters/],
    ['a port listed twice', () => HostInterface.linuxBridge({ name: 'br1', ports: ['eth1', 'eth1'] }), /'interfaces\[0\]\.ports\[1\]' is listed twice/],
    ['vlan filtering without ports', () => HostInterface.linuxBridge({ name: 'br1', vlanFiltering: true }), /'interfaces\[0\]\.vlanFiltering' needs at least one port/],
    ['a trunk without vlan filtering', () => HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'], trunkVlans: [VlanTrunk.id(5)] }), /'interfaces\[0\]\.trunkVlans' needs vlanFiltering/],
    ['a bond without ports', () => HostInterface.bond({ name: 'bond0', mode: BondMode.ACTIVE_BACKUP, ports: [] }), /'interfaces\[0\]\.ports' must list at least one interface/],
    ['a bond mode that is not one', () => HostInterface.bond({ name: 'bond0', mode: 'fastest' as any, ports: ['eth1'] }), /'interfaces\[0\]\.mode' must be a member of BondMode/],
    ['a non-string bond option', () => HostInterface.bond({ name: 'bond0', mode: BondMode.ACTIVE_BACKUP, ports: ['eth1'], options: { miimon: 100 as any } }), /'interfaces\[0\]\.options\.miimon' must be a string/],
  ])('refuses %s', (_what, make, message) => {
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', { interfaces: [make()] })).toThrow(message);
  });

  test('refuses one interface written twice in a policy', () => {
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [HostInterface.linuxBridge({ name: 'br1' }), HostInterface.linuxBridge({ name: 'br1' })],
    })).toThrow(/\[test\/p\] 'interfaces\[1\]\.name' is already written by interfaces\[0\], got 'br1'/);
  });

  test('refuses a name longer than the label value kubernetes-nmstate puts it in', () => {
    const chart = Testing.chart();
    const long = `bridges.${'a'.repeat(60)}`;
    expect(() => new NodeNetworkConfigurationPolicy(chart, 'g', { name: long, interfaces: [HostInterface.linuxBridge({ name: 'br1' })] }))
      .toThrow(new RegExp(`\\[test/g\\] 'name' must be at most 63 characters \\(it is 68\\): kubernetes-nmstate uses a policy's name as a label value, got '${long}'.*use a name such as`));
    expect(new NodeNetworkConfigurationPolicy(chart, 'h', { name: 'a'.repeat(63), interfaces: [HostInterface.linuxBridge({ name: 'br1' })] }).name).toHaveLength(63);
  });

  test('refuses wrong shapes from other languages with the library error', () => {
    const chart = Testing.chart();
    expect(() => new NodeNetworkConfigurationPolicy(chart, 'a', { interfaces: 'br1' as any })).toThrow(/'interfaces' must be a list/);
    expect(() => new NodeNetworkConfigurationPolicy(chart, 'b', { interfaces: [{ name: 'br1' } as any] })).toThrow(/'interfaces\[0\]' must be a HostInterface.*build it with HostInterface.linuxBridge/);
    expect(() => new NodeNetworkConfigurationPolicy(chart, 'c', { interfaces: [] })).toThrow(/'interfaces' must hold at least one interface/);
    expect(() => new NodeNetworkConfigurationPolicy(chart, 'd', { interfaces: [HostInterface.linuxBridge({ name: 'br1' })], nodeSelector: { a: 1 as any } })).toThrow(/'nodeSelector\.a' must be a string/);
    expect(() => new NodeNetworkConfigurationPolicy(chart, 'e', { interfaces: [HostInterface.linuxBridge({ name: 'br1' })], maxUnavailable: 3 as any })).toThrow(/'maxUnavailable' must be a MaxUnavailable/);
    expect(() => HostInterface.linuxBridge('br1' as any)).toThrow(/'options' must be an object/);
    expect(() => new NodeNetworkConfigurationPolicy(chart, 'f', { interfaces: [HostInterface.vlan({ name: 'v', base: 'eth0', id: '5' as any })] })).toThrow(/'interfaces\[0\]\.id' must be a number/);
    expect(() => MaxUnavailable.count(0)).toThrow(/'nodes' must be a whole number of at least 1/);
    expect(() => MaxUnavailable.percent(150)).toThrow(/'percent' must be a whole number from 1 to 100/);
    expect(() => HostBridge.existing(7 as any)).toThrow(/'name' must be a string/);
  });

  test('policy.bridge() refuses a name the policy does not have', () => {
    const policy = new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', { interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    expect(policy.bridge('br1').bridgeName).toBe('br1');
    expect(() => policy.bridge('br2')).toThrow(/'name' is not an interface of this policy \(it has 'br1'\), got 'br2'/);
  });

  test('renders a count for maxUnavailable', () => {
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'p', { interfaces: [HostInterface.linuxBridge({ name: 'br1' })], maxUnavailable: MaxUnavailable.count(2) });
    expect(policyOf(synthValid(chart)).spec.maxUnavailable).toBe(2);
  });
});

describe('MTU rules', () => {
  test('a VXLAN must leave 50 bytes of its underlay for the header', () => {
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: '10.0.0.2', mtu: 1500 })],
    })).toThrow(/'interfaces\[0\]\.mtu' leaves no room for the 50-byte VXLAN header on underlay 'eth0' \(MTU 1500, assumed.*set the VXLAN's mtu to 1450 or less/);
    // the fix works: a 9000 underlay described in the policy
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'p', {
      interfaces: [HostInterface.ethernet({ name: 'eth0', mtu: 9000 }), HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: '10.0.0.2', mtu: 8950 })],
    });
    synthValid(chart);
  });

  test('over IPv6 a VXLAN keeps 70 bytes, as the kernel caps it', () => {
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: 'fd00::2', mtu: 1450 })],
    })).toThrow(/'interfaces\[0\]\.mtu' leaves no room for the 70-byte VXLAN header over IPv6 on underlay 'eth0'.*set the VXLAN's mtu to 1430 or less/);
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', group: 'ff05::10' }), HostInterface.linuxBridge({ name: 'br-vx', ports: ['vx'], mtu: 1450 })],
    })).toThrow(/'interfaces\[1\]\.mtu' is larger than the MTU 1430 of its port 'vx' \(a VXLAN: its underlay less 70 bytes\)/);
    const chart = Testing.chart();
    const vx = new VxlanBridge(chart, 'vx', { vni: 7, underlay: 'ens5', peers: [{ node: 'a', address: 'fd00::1' }, { node: 'b', address: 'fd00::2' }] });
    expect(vx.mtu).toBe(1430);
  });

  test('a VXLAN\'s local address has the IP version of its peer', () => {
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: '10.0.0.2', local: 'fd00::1' })],
    })).toThrow(/'interfaces\[0\]\.local' must be an IPv4 address like remote 10\.0\.0\.2: the tunnel runs over one IP version, got 'fd00::1'/);
    new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: '10.0.0.2', local: '10.0.0.1' })],
    });
  });

  test('a bridge must not be larger than its VXLAN port', () => {
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [
        HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: '10.0.0.2' }),
        HostInterface.linuxBridge({ name: 'br-vx', ports: ['vx'], mtu: 1500 }),
      ],
    })).toThrow(/'interfaces\[1\]\.mtu' is larger than the MTU 1450 of its port 'vx' \(a VXLAN: its underlay less 50 bytes\)/);
  });

  test('a network\'s MTU must fit the bridge the policy builds', () => {
    const chart = Testing.chart();
    const policy = new NodeNetworkConfigurationPolicy(chart, 'p', {
      interfaces: [HostInterface.vxlan({ name: 'vx', id: 1, base: 'eth0', remote: '10.0.0.2' }), HostInterface.linuxBridge({ name: 'br-vx', ports: ['vx'] })],
    });
    new NetworkAttachmentDefinition(chart, 'net', { name: 'net', plugins: [CniPlugin.bridge({ hostBridge: policy.bridge('br-vx'), mtu: 1500 })] });
    expect(() => synthValid(chart)).toThrow(/\[test\/net\] 'plugins\[0\]\.mtu' is larger than the MTU 1450 of 'br-vx' as the policy at test\/p sets it up.*lower the network's mtu to 1450/);
  });
});

describe('networks and host bridges', () => {
  test('CniPlugin takes a typed host bridge and renders its name', () => {
    const chart = Testing.chart();
    const policy = new NodeNetworkConfigurationPolicy(chart, 'p', {
      interfaces: [
        HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'], vlanFiltering: true }),
        HostInterface.ovsBridge({ name: 'ovsbr1' }),
        HostInterface.ethernet({ name: 'eth2', mtu: 9000 }),
      ],
    });
    new NetworkAttachmentDefinition(chart, 'b', { name: 'b', plugins: [CniPlugin.bridge({ hostBridge: policy.bridge('br1'), vlan: 100 })] });
    new NetworkAttachmentDefinition(chart, 'o', { name: 'o', plugins: [CniPlugin.ovs({ hostBridge: policy.bridge('ovsbr1'), vlan: 100 })] });
    new NetworkAttachmentDefinition(chart, 'm', { name: 'm', plugins: [CniPlugin.macvlan({ hostMaster: policy.bridge('eth2'), mtu: 9000 })] });
    const docs = synthValid(chart);
    expect(JSON.parse(findOne(docs, 'NetworkAttachmentDefinition', 'b').spec.config).plugins[0].bridge).toBe('br1');
    expect(JSON.parse(findOne(docs, 'NetworkAttachmentDefinition', 'o').spec.config).plugins[0].bridge).toBe('ovsbr1');
    expect(JSON.parse(findOne(docs, 'NetworkAttachmentDefinition', 'm').spec.config).plugins[0].master).toBe('eth2');
  });

  test('refuses both the plain name and the typed bridge, and neither for ovs', () => {
    const existing = HostBridge.existing('br1');
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'n', { plugins: [CniPlugin.bridge({ bridge: 'br1', hostBridge: existing })] }))
      .toThrow(/'plugins\[0\]\.hostBridge' cannot be combined with bridge 'br1', got 'br1'; pass exactly one/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'n', { plugins: [CniPlugin.macvlan({ master: 'eth1', hostMaster: HostBridge.existing('eth1') })] }))
      .toThrow(/'plugins\[0\]\.hostMaster' cannot be combined with master 'eth1'/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'n', { plugins: [CniPlugin.ovs({})] }))
      .toThrow(/'plugins\[0\]\.bridge' or hostBridge must name the host interface/);
    expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'n', { plugins: [CniPlugin.bridge({ hostBridge: 'br1' as any })] }))
      .toThrow(/'plugins\[0\]\.hostBridge' must be an IHostBridge/);
  });

  test('without any policy, plain bridge names are not checked', () => {
    const chart = Testing.chart();
    new NetworkAttachmentDefinition(chart, 'n', { name: 'n', plugins: [CniPlugin.bridge({ bridge: 'br9' })] });
    synthValid(chart);
  });

  test('once a policy exists, a bridge no policy creates is an error naming the network, the bridge and the fix', () => {
    const app = Testing.app();
    const hosts = new Chart(app, 'hosts');
    new NodeNetworkConfigurationPolicy(hosts, 'p', { interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    const chart = new Chart(app, 'workloads');
    new NetworkAttachmentDefinition(chart, 'n', { name: 'n', plugins: [CniPlugin.bridge({ bridge: 'br9' })] });
    expect(() => synthValid(chart)).toThrow(/\[workloads\/n\] 'plugins\[0\]\.bridge' names the Linux bridge 'br9', which no NodeNetworkConfigurationPolicy of the app creates, got 'br9'; create it in a NodeNetworkConfigurationPolicy with HostInterface.linuxBridge\(\{ name: 'br9'.*or declare it with HostBridge.existing\('br9'\)/);
  });

  test('the fix works: HostBridge.existing() declares a bridge the nodes already have', () => {
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'p', { interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    new NetworkAttachmentDefinition(chart, 'n', { name: 'n', plugins: [CniPlugin.bridge({ hostBridge: HostBridge.existing('br9') })] });
    synthValid(chart);
  });

  test('a bridge created under another type is named in the error', () => {
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'p', { interfaces: [HostInterface.ovsBridge({ name: 'br1' })] });
    new NetworkAttachmentDefinition(chart, 'n', { name: 'n', plugins: [CniPlugin.bridge({ bridge: 'br1' })] });
    expect(() => synthValid(chart)).toThrow(/names the Linux bridge 'br1', but the policy at test\/p creates 'br1' as ovs-bridge/);
  });

  test('the bridge must exist on the nodes the network\'s VMs can run on', () => {
    const chart = Testing.chart();
    const policy = new NodeNetworkConfigurationPolicy(chart, 'p', { nodeSelector: { rack: 'a' }, interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    const net = new NetworkAttachmentDefinition(chart, 'n', { name: 'n', namespace: 'vms', plugins: [CniPlugin.bridge({ hostBridge: policy.bridge('br1') })] });
    new IsolatedVm(chart, 'vm', { name: 'vm', namespace: 'vms', network: net, bootDisk: BootDisk.containerDisk(DISK), memory: Size.gibibytes(1) });
    expect(() => synthValid(chart)).toThrow(/'plugins\[0\]\.hostBridge' names the Linux bridge 'br1', which policies create only on nodes labelled rack=a \(test\/p\), but the VM vms\/vm \(test\/vm\) may run on every node.*give the VM a nodeSelector/);
  });

  test('the fix works: a VM pinned to the policy\'s nodes', () => {
    const chart = Testing.chart();
    const policy = new NodeNetworkConfigurationPolicy(chart, 'p', { nodeSelector: { rack: 'a' }, interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    const net = new NetworkAttachmentDefinition(chart, 'n', { name: 'n', namespace: 'vms', plugins: [CniPlugin.bridge({ hostBridge: policy.bridge('br1') })] });
    new VirtualMachine(chart, 'vm', { name: 'vm', namespace: 'vms', bootDisk: BootDisk.containerDisk(DISK), nodeSelector: { rack: 'a', zone: 'z1' } })
      .addNetwork('n', Network.multus(net));
    synthValid(chart);
  });

  test('a VLAN must fit the trunk of the bridge\'s ports', () => {
    const make = (bridge: HostInterface) => {
      const chart = Testing.chart();
      const policy = new NodeNetworkConfigurationPolicy(chart, 'p', { interfaces: [bridge] });
      new NetworkAttachmentDefinition(chart, 'n', { name: 'n', plugins: [CniPlugin.bridge({ hostBridge: policy.bridge('br1'), vlan: 300 })] });
      return () => synthValid(chart);
    };
    expect(make(HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'] })))
      .toThrow(/'plugins\[0\]\.vlan' is a VLAN that the ports of bridge 'br1' .* do not carry: the bridge has no VLAN filtering, got 300; set vlanFiltering: true/);
    expect(make(HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'], vlanFiltering: true, trunkVlans: [VlanTrunk.range(100, 199)] })))
      .toThrow(/'plugins\[0\]\.vlan' is outside the VLANs 100-199 that the ports of bridge 'br1' trunk .*, got 300; add VlanTrunk.id\(300\)/);
    make(HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'], vlanFiltering: true, trunkVlans: [VlanTrunk.range(100, 199), VlanTrunk.id(300)] }))();
    // nmstate gives a bridge without ports no VLAN filtering, so the tag would separate nothing
    expect(make(HostInterface.linuxBridge({ name: 'br1' })))
      .toThrow(/'plugins\[0\]\.vlan' is a VLAN on bridge 'br1', which the policy at test\/p builds without ports and so without VLAN filtering .* every network on 'br1' shares one layer-2 segment, got 300; give each VLAN its own bridge without a vlan, or give 'br1' a port with vlanFiltering: true and trunkVlans that include 300/);
  });

  // bridge plugin (bridge.go, cmdAdd/ensureBridge): VLAN filtering only when it creates the bridge for a tagged network
  test('tagged and untagged networks on a bridge the bridge plugin creates are refused; a built or existing bridge is not', () => {
    const make = (hostBridge?: 'existing' | 'policy') => {
      const chart = Testing.chart();
      const policy = hostBridge === 'policy'
        ? new NodeNetworkConfigurationPolicy(chart, 'p', { interfaces: [HostInterface.linuxBridge({ name: 'br-mix', ports: ['eth1'], vlanFiltering: true })] })
        : undefined;
      const bridge = (vlan?: number) => (hostBridge === 'existing' ? CniPlugin.bridge({ hostBridge: HostBridge.existing('br-mix'), vlan })
        : policy ? CniPlugin.bridge({ hostBridge: policy.bridge('br-mix'), vlan }) : CniPlugin.bridge({ bridge: 'br-mix', vlan }));
      new NetworkAttachmentDefinition(chart, 'flat', { name: 'flat', namespace: 'vms', plugins: [bridge()] });
      new NetworkAttachmentDefinition(chart, 'tagged', { name: 'tagged', namespace: 'vms', plugins: [bridge(30)] });
      return () => synthValid(chart);
    };
    expect(make()).toThrow(new RegExp([
      "\\[test/tagged\\] 'plugins\\[0\\]\\.vlan' is a VLAN on bridge 'br-mix', which no NodeNetworkConfigurationPolicy builds, so the bridge plugin creates it on each node, ",
      'with VLAN filtering only if the first network it attaches there has a VLAN; the untagged network vms/flat may come first, and then the tag is ignored on that node, got 30; ',
      'put the untagged network on another bridge',
    ].join('')));
    make('existing')();
    make('policy')();
  });

  // bridge plugin (bridge.go defaultBrName): a config without "bridge" attaches to cni0
  test('an untagged network without a bridge name and a tagged one on cni0 are refused: the plugin defaults to cni0', () => {
    const make = (tagged: CniPlugin) => {
      const chart = Testing.chart();
      new NetworkAttachmentDefinition(chart, 'flat', { name: 'flat', namespace: 'vms', plugins: [CniPlugin.bridge({})] });
      new NetworkAttachmentDefinition(chart, 'tagged', { name: 'tagged', namespace: 'vms', plugins: [tagged] });
      return () => synthValid(chart);
    };
    const refused = new RegExp("\\[test/tagged\\] 'plugins\\[0\\]\\.vlan' is a VLAN on bridge 'cni0', which no NodeNetworkConfigurationPolicy builds, .*the untagged network vms/flat may come first");
    expect(make(CniPlugin.bridge({ bridge: 'cni0', vlan: 30 }))).toThrow(refused);
    expect(make(CniPlugin.bridge({ vlan: 30 }))).toThrow(refused);
    make(CniPlugin.bridge({ bridge: 'br-other', vlan: 30 }))();
    // a nameless bridge in an app with policies is the plugin's own cni0, not a bridge a policy must build
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'p', { interfaces: [HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'] })] });
    new NetworkAttachmentDefinition(chart, 'flat', { name: 'flat', namespace: 'vms', plugins: [CniPlugin.bridge({})] });
    synthValid(chart);
  });

  test('two policies must not write one interface on overlapping nodes', () => {
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'a', { nodeSelector: { rack: 'a' }, interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    new NodeNetworkConfigurationPolicy(chart, 'b', { nodeSelector: { rack: 'b' }, interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    synthValid(chart);
    new NodeNetworkConfigurationPolicy(chart, 'c', { nodeSelector: { zone: 'z1' }, interfaces: [HostInterface.linuxBridge({ name: 'br1' })] });
    expect(() => synthValid(chart)).toThrow(/\[test\/c\] 'interfaces\[0\]' writes an interface that the policy at test\/a also writes, and both select nodes labelled rack=a, zone=z1, got 'br1'/);
  });

  test('two policies must not write VXLANs with one VNI and UDP port on overlapping nodes', () => {
    const vxlan = (name: string, destinationPort?: number) => HostInterface.vxlan({ name, id: 500, base: 'eth0', group: '239.1.1.5', destinationPort });
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'a', { nodeSelector: { rack: 'a' }, interfaces: [vxlan('vx-a')] });
    // disjoint node selectors: no node has both
    new NodeNetworkConfigurationPolicy(chart, 'b', { nodeSelector: { rack: 'b' }, interfaces: [vxlan('vx-b')] });
    // the same VNI on another UDP port is another VXLAN to the kernel
    new NodeNetworkConfigurationPolicy(chart, 'c', { nodeSelector: { zone: 'z1' }, interfaces: [HostInterface.ethernet({ name: 'eth1' }), vxlan('vx-c', 4790)] });
    synthValid(chart);
    // 4789 is also what an unset destinationPort renders
    new NodeNetworkConfigurationPolicy(chart, 'd', { nodeSelector: { zone: 'z1' }, interfaces: [HostInterface.ethernet({ name: 'eth1' }), vxlan('vx-d', 4789)] });
    expect(() => synthValid(chart)).toThrow(new RegExp([
      "\\[test/d\\] 'interfaces\\[1\\]\\.id' is the VNI of VXLAN 'vx-d' on UDP port 4789 over IPv4, which VXLAN 'vx-a' of the policy at test/a also uses, ",
      'and both policies select nodes labelled rack=a, zone=z1: the kernel refuses a second IPv4 VXLAN with the same VNI and port on a node, got 500; ',
      'keep one VXLAN per VNI and UDP port on a node: give one of them another VNI or destinationPort, or give the policies node selectors that no node matches both',
    ].join('')));
  });

  test('an IPv4 and an IPv6 VXLAN may share a VNI and port, in one policy or two: the kernel keeps them apart', () => {
    // checked with iproute2: 'type vxlan id 5 remote 10.0.0.2' and 'remote fd00::2'
    // coexist on one host; a second IPv4 one is refused ("already exists")
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'one', {
      interfaces: [
        HostInterface.vxlan({ name: 'vx4', id: 5, base: 'eth0', remote: '10.0.0.2' }),
        HostInterface.vxlan({ name: 'vx6', id: 5, base: 'eth0', remote: 'fd00::2' }),
      ],
    });
    new NodeNetworkConfigurationPolicy(chart, 'two', { interfaces: [HostInterface.vxlan({ name: 'vx6b', id: 6, base: 'eth0', group: 'ff05::100' })] });
    new NodeNetworkConfigurationPolicy(chart, 'three', { interfaces: [HostInterface.vxlan({ name: 'vx4b', id: 6, base: 'eth0', group: '239.1.1.6' })] });
    synthValid(chart);
    expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
      interfaces: [
        HostInterface.vxlan({ name: 'vx6', id: 5, base: 'eth0', remote: 'fd00::2' }),
        HostInterface.vxlan({ name: 'vx6b', id: 5, base: 'eth0', group: 'ff05::100' }),
      ],
    })).toThrow(/\[test\/p\] 'interfaces\[1\]\.id' is also the VNI of interfaces\[0\] on UDP port 4789 over IPv6: the kernel refuses a second IPv6 VXLAN/);
    new NodeNetworkConfigurationPolicy(chart, 'four', { interfaces: [HostInterface.vxlan({ name: 'vx6c', id: 6, base: 'eth0', remote: 'fd00::9' })] });
    expect(() => synthValid(chart)).toThrow(/\[test\/four\] 'interfaces\[0\]\.id' is the VNI of VXLAN 'vx6c' on UDP port 4789 over IPv6, which VXLAN 'vx6b' of the policy at test\/two also uses/);
  });

  test('one VXLAN in two overlapping policies is reported once, as one interface written twice', () => {
    const chart = Testing.chart();
    const vxlan = HostInterface.vxlan({ name: 'vx', id: 500, base: 'eth0', group: '239.1.1.5' });
    new NodeNetworkConfigurationPolicy(chart, 'a', { interfaces: [vxlan] });
    new NodeNetworkConfigurationPolicy(chart, 'b', { interfaces: [vxlan] });
    expect(() => synthValid(chart)).toThrow(/\[test\/b\] 'interfaces\[0\]' writes an interface that the policy at test\/a also writes/);
    expect(() => synthValid(chart)).not.toThrow(/VNI/);
  });
});

describe('VM node affinity in the host-bridge rule', () => {
  type Requirement = { key: string; operator: string; values?: string[] };
  type Term = { matchExpressions?: Requirement[]; matchFields?: Requirement[] };
  /** A policy per node selector, each creating br1, and one VM on a network on br1. */
  const make = (policySelectors: Array<Record<string, string>>, terms: Term[], nodeSelector?: Record<string, string>) => {
    const chart = Testing.chart();
    policySelectors.forEach((selector, i) =>
      new NodeNetworkConfigurationPolicy(chart, `p${i}`, { nodeSelector: selector, interfaces: [HostInterface.linuxBridge({ name: 'br1' })] }));
    const net = new NetworkAttachmentDefinition(chart, 'n', { name: 'n', namespace: 'vms', plugins: [CniPlugin.bridge({ bridge: 'br1' })] });
    new VirtualMachine(chart, 'vm', {
      name: 'vm',
      namespace: 'vms',
      bootDisk: BootDisk.containerDisk(DISK),
      nodeSelector,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
    }).addNetwork('n', Network.multus(net));
    return () => synthValid(chart);
  };
  const inOne = (key: string, value: string) => ({ key, operator: 'In', values: [value] });

  test('terms are ORed: every term must land inside some policy\'s nodes', () => {
    const both = [{ matchExpressions: [inOne('rack', 'a')] }, { matchExpressions: [inOne('rack', 'b')] }];
    make([{ rack: 'a' }, { rack: 'b' }], both)();
    expect(make([{ rack: 'a' }], both)).toThrow(
      /\[test\/n\] 'plugins\[0\]\.bridge' names the Linux bridge 'br1', which policies create only on nodes labelled rack=a \(test\/p0\), but the VM vms\/vm \(test\/vm\) may run on nodes labelled rack=b \(nodeSelector and required node affinity term 2\), got 'br1'; give the VM a nodeSelector that includes a policy's labels, make every required node affinity term pin them with 'key In \[value\]', or widen the policy's nodeSelector/);
  });

  test('the expressions of a term are ANDed, and with the nodeSelector', () => {
    const policy = [{ rack: 'a', nic: 'fast' }];
    make(policy, [{ matchExpressions: [inOne('rack', 'a'), inOne('nic', 'fast')] }])();
    make(policy, [{ matchExpressions: [inOne('rack', 'a')] }], { nic: 'fast' })();
    expect(make(policy, [{ matchExpressions: [inOne('rack', 'a')] }])).toThrow(/may run on nodes labelled rack=a \(nodeSelector and required node affinity term 1\)/);
  });

  test('other operators and matchFields are not read, and the message says so', () => {
    expect(make([{ rack: 'a' }], [{ matchExpressions: [{ key: 'rack', operator: 'In', values: ['a', 'b'] }] }]))
      .toThrow(/may run on every node \(nodeSelector and required node affinity term 1; not read there: rack In \[a, b\], as only 'In' with one value pins a label and leaving the rest out can only widen where the VM may run\)/);
    expect(make([{ rack: 'a' }], [{
      matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['b'] }, { key: 'gpu', operator: 'Exists' }, { key: 'cores', operator: 'Gt', values: ['8'] }],
      matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node1'] }],
    }])).toThrow(/not read there: rack NotIn \[b\], gpu Exists, cores Gt \[8\], field metadata\.name In \[node1\],/);
    // what is not read does not matter when the pinned labels already prove it
    make([{ rack: 'a' }], [{ matchExpressions: [inOne('rack', 'a'), { key: 'gpu', operator: 'Exists' }] }])();
  });

  test('a term that matches no node places the VM nowhere, so it needs no bridge', () => {
    // empty, or two values for one label (also against the nodeSelector)
    make([{ rack: 'a' }], [{}, { matchExpressions: [inOne('rack', 'a')] }])();
    make([{ rack: 'a' }], [{ matchExpressions: [inOne('rack', 'b'), inOne('rack', 'c')] }, { matchExpressions: [inOne('rack', 'a')] }])();
    make([{ rack: 'a' }], [{ matchExpressions: [inOne('rack', 'b')] }], { rack: 'a' })();
  });
});

describe('VxlanBridge', () => {
  test('a multicast VXLAN with a VLAN-trunking bridge on it, sized for the overhead', () => {
    const chart = Testing.chart();
    const vx = new VxlanBridge(chart, 'vx', { vni: 10100, underlay: 'eth0', group: '239.1.1.100', underlayMtu: 9000, trunkVlans: [VlanTrunk.id(100), VlanTrunk.id(200)] });
    new NetworkAttachmentDefinition(chart, 'n', { name: 'n', plugins: [CniPlugin.bridge({ hostBridge: vx.bridge, vlan: 100, mtu: 8950 })] });
    const docs = synthValid(chart);
    expect(vx.mtu).toBe(8950);
    const ifaces = policyOf(docs).spec.desiredState.interfaces;
    expect(ifaces.map((i: any) => [i.name, i.type, i.mtu])).toEqual([['eth0', 'ethernet', 9000], ['vxlan10100', 'vxlan', 8950], ['br-vx', 'linux-bridge', 8950]]);
    expect(ifaces[1].vxlan.remote).toBe('239.1.1.100');
  });

  test('two peers get one policy each, pointing at the other', () => {
    const chart = Testing.chart();
    const vx = new VxlanBridge(chart, 'vx', { vni: 7, underlay: 'ens5', peers: [{ node: 'node-a', address: '10.0.0.1' }, { node: 'node-b', address: '10.0.0.2' }] });
    const docs = synthValid(chart).filter(d => d.kind === 'NodeNetworkConfigurationPolicy');
    expect(vx.policies).toHaveLength(2);
    expect(docs.map(d => [d.spec.nodeSelector['kubernetes.io/hostname'], d.spec.desiredState.interfaces[0].vxlan.remote]))
      .toEqual([['node-a', '10.0.0.2'], ['node-b', '10.0.0.1']]);
  });

  test('refuses neither or both of group and peers, and a third peer', () => {
    expect(() => new VxlanBridge(Testing.chart(), 'vx', { vni: 7, underlay: 'eth0' })).toThrow(/'group' or peers must be set/);
    expect(() => new VxlanBridge(Testing.chart(), 'vx', { vni: 7, underlay: 'eth0', group: '239.0.0.1', peers: [] })).toThrow(/'group' cannot be combined with peers/);
    expect(() => new VxlanBridge(Testing.chart(), 'vx', {
      vni: 7, underlay: 'eth0', peers: [{ node: 'a', address: '10.0.0.1' }, { node: 'b', address: '10.0.0.2' }, { node: 'c', address: '10.0.0.3' }],
    })).toThrow(/'peers' must list exactly two nodes/);
    expect(() => new VxlanBridge(Testing.chart(), 'vx', { vni: 'x' as any, underlay: 'eth0', group: '239.0.0.1' })).toThrow(/'vni' must be a number/);
  });

  test('two VxlanBridges with one VNI and port on overlapping nodes are refused, naming both policies', () => {
    const make = (second: { nodeSelector?: Record<string, string>; destinationPort?: number }) => {
      const chart = Testing.chart();
      new VxlanBridge(chart, 'vx1', { vni: 42, underlay: 'eth0', group: '239.1.1.42', nodeSelector: { pool: 'east' } });
      new VxlanBridge(chart, 'vx2', { vni: 42, underlay: 'eth1', group: '239.1.1.43', bridgeName: 'br-vx2', vxlanName: 'vxlan42b', ...second });
      return () => synthValid(chart);
    };
    expect(make({})).toThrow(/\[test\/vx2\/Policy\] 'interfaces\[0\]\.id' is the VNI of VXLAN 'vxlan42b' on UDP port 4789 over IPv4, which VXLAN 'vxlan42' of the policy at test\/vx1\/Policy also uses, and both policies select nodes labelled pool=east: .*, got 42; keep one VXLAN per VNI and UDP port on a node/);
    make({ nodeSelector: { pool: 'west' } })();
    make({ destinationPort: 8472 })();
  });

  test('point-to-point peers share their VNI on two nodes, but not with a tunnel on every node', () => {
    const chart = Testing.chart();
    new VxlanBridge(chart, 'p2p', { vni: 9, underlay: 'eth0', peers: [{ node: 'node-a', address: '10.0.0.1' }, { node: 'node-b', address: '10.0.0.2' }] });
    synthValid(chart);
    new VxlanBridge(chart, 'mc', { vni: 9, underlay: 'eth0', group: '239.1.1.9', bridgeName: 'br-mc', vxlanName: 'vxlan9mc' });
    expect(() => synthValid(chart)).toThrow(/\[test\/mc\/Policy\] 'interfaces\[0\]\.id' is the VNI of VXLAN 'vxlan9mc' on UDP port 4789 over IPv4, which VXLAN 'vxlan9' of the policy at test\/p2p\/Peer0 also uses, and both policies select nodes labelled kubernetes.io\/hostname=node-a/);
  });
});
