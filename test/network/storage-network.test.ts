import { ApiObject, Size, Testing } from 'cdk8s';
import {
  BootDisk, CniPlugin, HostBridge, HostInterface, INetworkAttachmentDefinition, Ipam, MacvlanMode, Network, NetworkAttachmentDefinition,
  IsolatedVm, NodeNetworkConfigurationPolicy, Route, StorageNetwork, VirtualMachine,
} from '../../src';
import { findOne, synthValid } from '../util';

function configOf(chart: any, name: string): any {
  return JSON.parse(findOne(synthValid(chart), 'NetworkAttachmentDefinition', name).spec.config);
}

describe('StorageNetwork', () => {
  test('defaults', () => {
    const chart = Testing.chart();
    new StorageNetwork(chart, 'storage', { range: '192.168.20.0/24' });
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('is macvlan with whereabouts by default', () => {
    const chart = Testing.chart();
    const net = new StorageNetwork(chart, 'storage', {
      name: 'ceph-public',
      namespace: 'rook-ceph',
      master: 'eth1',
      mtu: 9000,
      range: '192.168.20.0/24',
      rangeStart: '192.168.20.10',
      rangeEnd: '192.168.20.200',
      exclude: ['192.168.20.64/30'],
      routes: [Route.to('192.168.30.0/24', '192.168.20.1')],
    });
    expect(configOf(chart, 'ceph-public')).toEqual({
      cniVersion: '0.4.0',
      name: 'ceph-public',
      plugins: [{
        type: 'macvlan',
        master: 'eth1',
        mode: 'bridge',
        mtu: 9000,
        ipam: {
          type: 'whereabouts',
          range: '192.168.20.0/24',
          range_start: '192.168.20.10',
          range_end: '192.168.20.200',
          exclude: ['192.168.20.64/30'],
          routes: [{ dst: '192.168.30.0/24', gw: '192.168.20.1' }],
        },
      }],
    });
    expect(net.networkName).toBe('rook-ceph/ceph-public');
    expect(net.shared).toBe(true);
    expect(ApiObject.of(net).kind).toBe('NetworkAttachmentDefinition');
  });

  test('takes a macvlan mode', () => {
    const chart = Testing.chart();
    new StorageNetwork(chart, 'storage', { name: 's', range: '192.168.20.0/24', macvlanMode: MacvlanMode.PRIVATE });
    expect(configOf(chart, 's').plugins[0].mode).toBe('private');
  });

  test('can be a bridge on a VLAN', () => {
    const chart = Testing.chart();
    new StorageNetwork(chart, 'storage', { name: 's', namespace: 'rook-ceph', bridge: 'br-storage', vlan: 300, range: '192.168.20.0/24' });
    expect(configOf(chart, 's').plugins).toEqual([{ type: 'bridge', bridge: 'br-storage', vlan: 300, ipam: { type: 'whereabouts', range: '192.168.20.0/24' } }]);
  });

  test('takes an ipam or a whole plugin instead', () => {
    const chart = Testing.chart();
    new StorageNetwork(chart, 'a', { name: 'a', master: 'eth1', ipam: Ipam.hostLocal({ subnet: '192.168.21.0/24' }) });
    new StorageNetwork(chart, 'b', { name: 'b', plugin: CniPlugin.macvlan({ master: 'eth2', ipam: Ipam.dhcp() }) });
    expect(configOf(chart, 'a').plugins[0].ipam.type).toBe('host-local');
    expect(configOf(chart, 'b').plugins[0]).toEqual({ type: 'macvlan', master: 'eth2', ipam: { type: 'dhcp' } });
  });

  test('gives the Rook CephCluster network fragment for the same network', () => {
    const chart = Testing.chart();
    const pub = new StorageNetwork(chart, 'public', { name: 'ceph-public', namespace: 'rook-ceph', range: '192.168.20.0/24' });
    const cluster = new StorageNetwork(chart, 'cluster', { name: 'ceph-cluster', namespace: 'rook-ceph', master: 'eth2', range: '192.168.21.0/24' });
    expect(pub.cephNetworkSelector).toBe('rook-ceph/ceph-public');
    expect(pub.cephClusterNetwork()).toEqual({ provider: 'multus', selectors: { public: 'rook-ceph/ceph-public' } });
    expect(pub.cephClusterNetwork({ cluster })).toEqual({ provider: 'multus', selectors: { public: 'rook-ceph/ceph-public', cluster: 'rook-ceph/ceph-cluster' } });
  });

  test('is accepted wherever a network is', () => {
    const chart = Testing.chart();
    const net: INetworkAttachmentDefinition = new StorageNetwork(chart, 'storage', { name: 's', namespace: 'rook-ceph', range: '192.168.20.0/24' });
    expect(net).toBeInstanceOf(NetworkAttachmentDefinition);
    expect(net.networkName).toBe('rook-ceph/s');
  });

  test('lets tenants of several namespaces share its bridge and VLAN by default', () => {
    const chart = Testing.chart();
    new StorageNetwork(chart, 'a', { name: 's', namespace: 'tenant-a', bridge: 'br-st', vlan: 300, range: '192.168.20.0/24' });
    new StorageNetwork(chart, 'b', { name: 's', namespace: 'tenant-b', bridge: 'br-st', vlan: 300, range: '192.168.20.0/24' });
    expect(synthValid(chart)).toHaveLength(2);
  });

  test('can opt out of sharing', () => {
    const chart = Testing.chart();
    new StorageNetwork(chart, 'a', { name: 's', namespace: 'tenant-a', bridge: 'br-st', vlan: 300, range: '192.168.20.0/24', shared: false });
    new StorageNetwork(chart, 'b', { name: 's', namespace: 'tenant-b', bridge: 'br-st', vlan: 300, range: '192.168.20.0/24' });
    expect(() => synthValid(chart)).toThrow(/\[test\/a\] 'plugins\[0\]\.vlan' puts this network on bridge 'br-st' VLAN 300/);
  });

  test('throws without a range, ipam or plugin', () => {
    expect(() => new StorageNetwork(Testing.chart(), 'storage', { master: 'eth1' }))
      .toThrow(/^\[test\/storage\] 'range' is required unless ipam or plugin is given, got undefined; set the block storage addresses come from/);
  });

  test('throws on props that contradict each other', () => {
    const plugin = CniPlugin.macvlan();
    expect(() => new StorageNetwork(Testing.chart(), 's', { plugin, master: 'eth1' })).toThrow(/^\[test\/s\] 'master' cannot be combined with plugin, got 'eth1'/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { ipam: Ipam.dhcp(), range: '10.0.0.0/24' })).toThrow(/^\[test\/s\] 'range' cannot be combined with ipam/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range: '10.0.0.0/24', bridge: 'br1', master: 'eth1' })).toThrow(/'master' cannot be combined with bridge/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range: '10.0.0.0/24', bridge: 'br1', macvlanMode: MacvlanMode.VEPA })).toThrow(/'macvlanMode' only applies to macvlan/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range: '10.0.0.0/24', master: 'eth1', vlan: 300 }))
      .toThrow(/^\[test\/s\] 'vlan' needs bridge or hostBridge: macvlan has no VLAN setting, got 300; set bridge to tag on a Linux bridge, or set master to a VLAN interface such as 'eth1\.300'/);
  });

  test('reports bad plugin props with the construct path', () => {
    expect(() => new StorageNetwork(Testing.chart(), 's', { range: '10.0.0.0/24', rangeStart: '10.1.0.1' }))
      .toThrow(/^\[test\/s\] 'plugins\[0\]\.ipam\.rangeStart' must lie inside the range 10\.0\.0\.0\/24/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range: '10.0.0.0/24', bridge: 'br1', vlan: 5000 }))
      .toThrow(/^\[test\/s\] 'plugins\[0\]\.vlan' must be a whole number between 1 and 4094, got 5000/);
  });
});

/** A VM in namespace vms on the storage network, placed by the node selector. */
function attachVm(chart: any, storage: StorageNetwork, nodeSelector?: Record<string, string>): void {
  new VirtualMachine(chart, 'vm', {
    name: 'vm',
    namespace: 'vms',
    bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
    memory: Size.gibibytes(1),
    nodeSelector,
  }).addNetwork('storage', Network.multus(storage));
}

describe('StorageNetwork on a host master', () => {
  /** A policy that sets up eth1 on rack a, a storage network on it, and a VM on that network. */
  const make = (vmNodeSelector?: Record<string, string>) => {
    const chart = Testing.chart();
    const hosts = new NodeNetworkConfigurationPolicy(chart, 'hosts', { nodeSelector: { rack: 'a' }, interfaces: [HostInterface.ethernet({ name: 'eth1', mtu: 9000 })] });
    // passthru: the one macvlan mode that passes a bridge-bound VM's frames (see 'VMs on macvlan' below)
    const storage = new StorageNetwork(chart, 'storage', {
      name: 'storage', namespace: 'vms', hostMaster: hosts.bridge('eth1'), macvlanMode: MacvlanMode.PASSTHRU, mtu: 9000, range: '192.168.7.0/24',
    });
    attachVm(chart, storage, vmNodeSelector);
    return chart;
  };

  test('renders the master of the typed reference', () => {
    expect(configOf(make({ rack: 'a' }), 'storage').plugins[0]).toEqual({
      type: 'macvlan', master: 'eth1', mode: 'passthru', mtu: 9000, ipam: { type: 'whereabouts', range: '192.168.7.0/24' },
    });
  });

  test('the master must be set up on every node the VMs can run on', () => {
    expect(() => synthValid(make())).toThrow(
      /\[test\/storage\] 'plugins\[0\]\.hostMaster' names the macvlan master 'eth1', which policies create only on nodes labelled rack=a \(test\/hosts\), but the VM vms\/vm \(test\/vm\) may run on every node, got 'eth1'; give the VM a nodeSelector/);
    synthValid(make({ rack: 'a' }));
  });

  test('a master the policy does not set up is refused, one declared existing is not', () => {
    const chart = Testing.chart();
    new NodeNetworkConfigurationPolicy(chart, 'hosts', { interfaces: [HostInterface.ethernet({ name: 'eth1' })] });
    new StorageNetwork(chart, 'ok', { name: 'ok', hostMaster: HostBridge.existing('eth2'), range: '192.168.7.0/24' });
    synthValid(chart);
    new StorageNetwork(chart, 'bad', { name: 'bad', master: 'eth3', range: '192.168.8.0/24' });
    expect(() => synthValid(chart)).toThrow(/\[test\/bad\] 'plugins\[0\]\.master' names the macvlan master 'eth3', which no NodeNetworkConfigurationPolicy of the app creates/);
  });

  test('refuses hostMaster with master, bridge or plugin, and a wrong shape', () => {
    const eth1 = HostBridge.existing('eth1');
    const range = '10.0.0.0/24';
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, master: 'eth1', hostMaster: eth1 }))
      .toThrow(/^\[test\/s\] 'hostMaster' cannot be combined with master 'eth1', got 'eth1'; pass exactly one: hostMaster: policy\.bridge\('name'\) or HostBridge\.existing\('name'\), or master: 'name'/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, bridge: 'br1', hostMaster: eth1 }))
      .toThrow(/^\[test\/s\] 'hostMaster' cannot be combined with bridge, got 'eth1'; use hostMaster for macvlan or bridge/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { plugin: CniPlugin.macvlan(), hostMaster: eth1 }))
      .toThrow(/^\[test\/s\] 'hostMaster' cannot be combined with plugin/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, hostMaster: 'eth1' as any }))
      .toThrow(/^\[test\/s\] 'hostMaster' must be an IHostBridge, got 'eth1'/);
  });
});

describe('StorageNetwork on a typed host bridge', () => {
  /** A VXLAN bridge on rack a, a storage network on it, and a VM on that network. */
  const make = (vmNodeSelector?: Record<string, string>) => {
    const chart = Testing.chart();
    const hosts = new NodeNetworkConfigurationPolicy(chart, 'hosts', {
      nodeSelector: { rack: 'a' },
      interfaces: [HostInterface.linuxBridge({ name: 'br-storage', mtu: 9000, ports: ['eth1'], vlanFiltering: true }), HostInterface.ethernet({ name: 'eth1', mtu: 9000 })],
    });
    const storage = new StorageNetwork(chart, 'storage', { name: 'storage', namespace: 'vms', hostBridge: hosts.bridge('br-storage'), vlan: 20, mtu: 9000, range: '192.168.7.0/24' });
    attachVm(chart, storage, vmNodeSelector);
    return chart;
  };

  test('renders a bridge network on the bridge of the typed reference', () => {
    const plugin = configOf(make({ rack: 'a' }), 'storage').plugins[0];
    expect(plugin).toMatchObject({ type: 'bridge', bridge: 'br-storage', vlan: 20, mtu: 9000, ipam: { type: 'whereabouts', range: '192.168.7.0/24' } });
  });

  test('the bridge must be built on every node the VMs can run on', () => {
    expect(() => synthValid(make())).toThrow(/\[test\/storage\] 'plugins\[0\]\.hostBridge' names the Linux bridge 'br-storage', which policies create only on nodes labelled rack=a/);
    synthValid(make({ rack: 'a' }));
  });

  test('refuses hostBridge with bridge, master, hostMaster, macvlanMode or plugin, and a wrong shape', () => {
    const br = HostBridge.existing('br-storage');
    const range = '10.0.0.0/24';
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, bridge: 'br1', hostBridge: br }))
      .toThrow(/^\[test\/s\] 'hostBridge' cannot be combined with bridge 'br1', got 'br-storage'; pass exactly one/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, master: 'eth1', hostBridge: br }))
      .toThrow(/^\[test\/s\] 'master' cannot be combined with hostBridge, got 'eth1'; use master for macvlan or hostBridge for a Linux bridge/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, hostMaster: HostBridge.existing('eth1'), hostBridge: br }))
      .toThrow(/^\[test\/s\] 'hostMaster' cannot be combined with hostBridge, got 'eth1'/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, macvlanMode: MacvlanMode.VEPA, hostBridge: br }))
      .toThrow(/^\[test\/s\] 'macvlanMode' only applies to macvlan, not to hostBridge/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { plugin: CniPlugin.bridge({ bridge: 'br1' }), hostBridge: br }))
      .toThrow(/^\[test\/s\] 'hostBridge' cannot be combined with plugin/);
    expect(() => new StorageNetwork(Testing.chart(), 's', { range, hostBridge: { name: 'br1' } as any }))
      .toThrow(/^\[test\/s\] 'hostBridge' must be an IHostBridge/);
  });
});

describe('storage network role label', () => {
  test('marks the NAD as the storage network, next to the user labels', () => {
    const chart = Testing.chart();
    new StorageNetwork(chart, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', master: 'eth1', range: '192.168.100.0/24', labels: { team: 'storage' } });
    const nad = findOne(synthValid(chart), 'NetworkAttachmentDefinition', 'ceph-public');
    expect(nad.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/network-role': 'storage', 'team': 'storage' });
  });
});

describe('VMs on macvlan', () => {
  // KubeVirt's bridge binding gives the pod NIC its in-pod bridge's MAC, the guest keeps its own,
  // and a macvlan interface takes in only unicast frames for its own MAC (kubevirt#2925)
  const vmOn = (chart: any) => new VirtualMachine(chart, 'vm', {
    name: 'vm', namespace: 'vms', bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'), memory: Size.gibibytes(1),
  });

  test('refuses bridge binding on the default macvlan StorageNetwork, naming the fix', () => {
    const chart = Testing.chart();
    const storage = new StorageNetwork(chart, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', master: 'eth1', range: '192.168.100.0/24' });
    expect(() => vmOn(chart).addNetwork('storage', Network.multus(storage))).toThrow(new RegExp([
      "^\\[test/vm\\] 'networks\\.storage\\.binding' cannot carry inbound unicast to the guest on macvlan network rook-ceph/ceph-public \\(mode bridge\\): ",
      "KubeVirt's bridge binding gives the pod's macvlan interface the MAC of its in-pod bridge while the guest keeps its own, ",
      "and a macvlan interface drops unicast frames for any MAC but its own, got 'bridge'; ",
      "give the StorageNetwork a Linux bridge instead of macvlan \\(bridge: 'br-storage'",
    ].join('')));
  });

  test('refuses it on a plain macvlan network, typed or custom, in any mode but passthru', () => {
    for (const plugin of [
      CniPlugin.macvlan({ master: 'eth1' }),
      CniPlugin.macvlan({ master: 'eth1', mode: MacvlanMode.PRIVATE }),
      CniPlugin.custom({ type: 'macvlan', master: 'eth1', mode: 'vepa' }),
    ]) {
      const chart = Testing.chart();
      const net = new NetworkAttachmentDefinition(chart, 'net', { name: 'mv', namespace: 'vms', plugins: [plugin] });
      expect(() => vmOn(chart).addNetwork('mv', Network.multus(net)))
        .toThrow(/'networks\.mv\.binding' cannot carry inbound unicast to the guest on macvlan network vms\/mv \(mode (bridge|private|vepa)\).*use CniPlugin\.macvlan\(\{ mode: MacvlanMode\.PASSTHRU \}\)/);
    }
  });

  test('an IsolatedVm on macvlan is refused the same way', () => {
    const chart = Testing.chart();
    const net = new NetworkAttachmentDefinition(chart, 'net', { name: 'mv', namespace: 'vms', plugins: [CniPlugin.macvlan({ master: 'eth1' })] });
    expect(() => new IsolatedVm(chart, 'iso', { name: 'iso', namespace: 'vms', network: net, bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41') }))
      .toThrow(/\[test\/iso\] 'networks\.default\.binding' cannot carry inbound unicast to the guest on macvlan network vms\/mv/);
  });

  test('the fixes work: a bridge StorageNetwork, macvlan passthru, an imported network', () => {
    const chart = Testing.chart();
    const storage = new StorageNetwork(chart, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', bridge: 'br-storage', range: '192.168.100.0/24' });
    const passthru = new NetworkAttachmentDefinition(chart, 'pt', { name: 'pt', namespace: 'vms', plugins: [CniPlugin.macvlan({ master: 'eth2', mode: MacvlanMode.PASSTHRU })] });
    const imported = NetworkAttachmentDefinition.fromNetworkName(chart, 'other', 'vms/other');
    const vm = vmOn(chart);
    vm.addNetwork('storage', Network.multus(storage));
    vm.addNetwork('pt', Network.multus(passthru));
    vm.addNetwork('other', Network.multus(imported));
    synthValid(chart);
  });

  test('pods (Ceph) may still use the macvlan default: only VM bridge binding is refused', () => {
    const chart = Testing.chart();
    const storage = new StorageNetwork(chart, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', master: 'eth1', range: '192.168.100.0/24' });
    expect(storage.cephClusterNetwork()).toEqual({ provider: 'multus', selectors: { public: 'rook-ceph/ceph-public' } });
    synthValid(chart);
  });
});
