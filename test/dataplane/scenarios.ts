/**
 * Small clusters the data-plane pass runs on besides the example cluster,
 * one directory each under the given output directory. The first three are
 * what the library writes and must measure as intended:
 *
 * - `storage-network`: two VMs in two namespaces on a StorageNetwork over a
 *   Linux bridge (`br-storage`, with the node NIC `eth1` as its port, built
 *   by a NodeNetworkConfigurationPolicy), with KubeVirt's bridge binding and
 *   no policy: the library intends them to reach each other;
 * - `macvlan-passthru`: two VMs on a macvlan NAD in passthru mode (one VM per
 *   node), which delivers the guest's own MAC: the macvlan path the library
 *   accepts for bridge-bound VMs;
 * - `tenant-vlans`: two tenants on one host bridge, each on its own VLAN,
 *   the bridge built with VLAN filtering and a trunk port.
 *
 * Under `refused/` are configurations the library refuses at synth time,
 * put together around its checks (the VMs in an app of their own, naming
 * the networks by reference), so the pass can show what they would do on
 * the wire. Each must come out as a MISMATCH:
 *
 * - `refused/storage-macvlan`: the StorageNetwork's macvlan default under
 *   bridge-bound VMs, which drops their inbound unicast;
 * - `refused/tenant-policy`: tenant policies aimed at bridge-bound VMs on
 *   the Multus default network and a secondary one, which the enforcer does
 *   not filter;
 * - `refused/vlan-no-filtering`: two VLAN-tagged NADs on a bridge built with
 *   no ports, which the bridge plugin does not make filter;
 * - `refused/planned-in-pool`: a VM with an AddressPlan address planned on a
 *   whereabouts network whose `exclude` kept the block out of the pool, run
 *   against that network without the `exclude` and with its pool starting
 *   at the planned address: whereabouts hands it to another VM's pod.
 *
 * Usage: ts-node -P test/tsconfig.json test/dataplane/scenarios.ts <outdir>
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { AddressPlan, CniPlugin, HostInterface, INetworkAttachmentDefinition, Ipam, MacvlanMode, MultiNetworkPolicy, NetworkAttachmentDefinition, NodeNetworkConfigurationPolicy, StorageNetwork, VlanTrunk } from '../../src';
import { BootDisk, IsolatedVm, Network } from '../../src/compute';

const disk = BootDisk.containerDisk('quay.io/containerdisks/fedora:41');

function lan(c: Chart, namespace: string, bridge: string, range: string): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(c, `${namespace}-lan`, {
    name: 'lan',
    namespace,
    plugins: [CniPlugin.bridge({ bridge, ipam: Ipam.whereabouts({ range }) })],
    shared: true,
  });
}

export function storageNetwork(app: App): void {
  const c = new Chart(app, 'storage-network');
  new NodeNetworkConfigurationPolicy(c, 'host', {
    name: 'storage-bridge',
    interfaces: [
      HostInterface.linuxBridge({ name: 'br-storage', ports: ['eth1'] }),
      HostInterface.linuxBridge({ name: 'br-apps', ports: ['eth2'] }),
    ],
  });
  const storage = new StorageNetwork(c, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', bridge: 'br-storage', range: '10.241.2.0/24' });
  const net = lan(c, 'app-a', 'br-apps', '10.241.1.0/24');
  for (const [name, namespace] of [['s1', 'app-a'], ['s2', 'app-b']]) {
    const vm = new IsolatedVm(c, name, { name, namespace, network: net, bootDisk: disk, memory: Size.gibibytes(1) });
    vm.addNetwork('storage', Network.multus(storage));
  }
}

/** VMs in a chart of an app of their own, naming their networks by reference, as a second program would. */
function vmsByReference(app: App, id: string, vms: Array<[string, string]>, primary: string, secondary: Array<[string, string]>): void {
  const c = new Chart(app, id);
  const ref = (n: string): INetworkAttachmentDefinition => NetworkAttachmentDefinition.fromNetworkName(c, `ref-${n.replace('/', '-')}`, n);
  const refs = new Map<string, INetworkAttachmentDefinition>();
  const get = (n: string) => refs.get(n) ?? (refs.set(n, ref(n)), refs.get(n)!);
  for (const [name, namespace] of vms) {
    const vm = new IsolatedVm(c, name, { name, namespace, network: get(primary), bootDisk: disk, memory: Size.gibibytes(1) });
    for (const [ifName, network] of secondary) vm.addNetwork(ifName, Network.multus(get(network)));
  }
}

export function refusedStorageMacvlan(out: string): void {
  const nets = new App({ outdir: out });
  const c = new Chart(nets, 'networks');
  new StorageNetwork(c, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', master: 'eth1', range: '10.241.2.0/24' });
  lan(c, 'app-a', 'br-apps', '10.241.1.0/24');
  nets.synth();
  const vms = new App({ outdir: out });
  vmsByReference(vms, 'vms', [['s1', 'app-a'], ['s2', 'app-b']], 'app-a/lan', [['storage', 'rook-ceph/ceph-public']]);
  vms.synth();
}

export function refusedTenantPolicy(out: string): void {
  const nets = new App({ outdir: out });
  const c = new Chart(nets, 'networks');
  const primary = lan(c, 'tenant-a', 'br-shared', '10.242.1.0/24');
  const secondary = new NetworkAttachmentDefinition(c, 'tenant-a-data', {
    name: 'data',
    namespace: 'tenant-a',
    plugins: [CniPlugin.bridge({ bridge: 'br-data', ipam: Ipam.whereabouts({ range: '10.242.2.0/24' }) })],
    shared: true,
  });
  MultiNetworkPolicy.tenantNetwork(c, 'tenant-a-only', { network: primary });
  MultiNetworkPolicy.tenantNetwork(c, 'tenant-a-data-only', { network: secondary });
  nets.synth();
  const vms = new App({ outdir: out });
  vmsByReference(vms, 'vms', [['a1', 'tenant-a'], ['a2', 'tenant-a'], ['b1', 'tenant-b']], 'tenant-a/lan', [['data', 'tenant-a/data']]);
  vms.synth();
}

export function refusedVlanNoFiltering(out: string): void {
  const host = new App({ outdir: out });
  new NodeNetworkConfigurationPolicy(new Chart(host, 'host'), 'host', {
    name: 'sep-bridge',
    interfaces: [HostInterface.linuxBridge({ name: 'br-sep' })],
  });
  host.synth();
  const nets = new App({ outdir: out });
  const c = new Chart(nets, 'networks');
  for (const [name, vlan, range] of [['red', 210, '10.244.1.0/24'], ['blue', 220, '10.244.2.0/24']] as Array<[string, number, string]>) {
    new NetworkAttachmentDefinition(c, name, {
      name: `${name}-net`,
      namespace: 'separated',
      plugins: [CniPlugin.bridge({ bridge: 'br-sep', vlan, ipam: Ipam.whereabouts({ range }) })],
      shared: true,
    });
  }
  nets.synth();
  const vms = new App({ outdir: out });
  vmsByReference(vms, 'red', [['red-vm', 'separated']], 'separated/red-net', []);
  vmsByReference(vms, 'blue', [['blue-vm', 'separated']], 'separated/blue-net', []);
  vms.synth();
}

export function refusedPlannedInPool(out: string): void {
  const planned = (c: Chart, ipam: { exclude?: string[]; rangeStart?: string }) => new NetworkAttachmentDefinition(c, 'planned-net', {
    name: 'planned-net',
    namespace: 'planned',
    plugins: [CniPlugin.bridge({ bridge: 'br-planned', ipam: Ipam.whereabouts({ range: '10.245.0.0/24', ...ipam }) })],
    shared: true,
  });
  // the plan, made against the network with its exclude; that network's own file is dropped
  const plan = new App({ outdir: out });
  const source = planned(new Chart(plan, 'plan-source'), { exclude: ['10.245.0.0/27'] });
  const vms = new Chart(plan, 'planned-vms');
  const db = new IsolatedVm(vms, 'db', { name: 'db', namespace: 'planned', network: source, bootDisk: disk, memory: Size.gibibytes(1) });
  const given = new AddressPlan(vms, 'addresses', { network: source, block: '10.245.0.0/27', macPrefix: '02:5a:45' }).assignVm(db);
  plan.synth();
  fs.rmSync(path.join(out, 'plan-source.k8s.yaml'));
  // the network without the exclude, its pool starting at the planned address
  // (whereabouts hands out the lowest free address first), and two VMs with dynamic addresses
  const pool = new App({ outdir: out });
  const c = new Chart(pool, 'networks');
  const net = planned(c, { rangeStart: given.address.split('/')[0] });
  for (const name of ['app-1', 'app-2']) new IsolatedVm(c, name, { name, namespace: 'planned', network: net, bootDisk: disk, memory: Size.gibibytes(1) });
  pool.synth();
}

export function tenantVlans(app: App): void {
  const c = new Chart(app, 'tenant-vlans');
  new NodeNetworkConfigurationPolicy(c, 'host', {
    name: 'sep-bridge',
    interfaces: [HostInterface.linuxBridge({ name: 'br-sep', ports: ['eth5'], vlanFiltering: true, trunkVlans: [VlanTrunk.id(210), VlanTrunk.id(220)] })],
  });
  for (const [name, vlan, range] of [['red', 210, '10.244.1.0/24'], ['blue', 220, '10.244.2.0/24']] as Array<[string, number, string]>) {
    const net = new NetworkAttachmentDefinition(c, name, {
      name: `${name}-net`,
      namespace: 'separated',
      plugins: [CniPlugin.bridge({ bridge: 'br-sep', vlan, ipam: Ipam.whereabouts({ range }) })],
      shared: true,
    });
    for (const i of [1, 2]) {
      new IsolatedVm(c, `${name}-${i}`, { name: `${name}-${i}`, namespace: 'separated', network: net, bootDisk: disk, memory: Size.gibibytes(1) });
    }
  }
}

export function macvlanPassthru(app: App): void {
  const c = new Chart(app, 'macvlan-passthru');
  const net = lan(c, 'app-a', 'br-apps', '10.243.1.0/24');
  const storage = new NetworkAttachmentDefinition(c, 'passthru', {
    name: 'passthru',
    namespace: 'app-a',
    plugins: [CniPlugin.macvlan({ master: 'eth1', mode: MacvlanMode.PASSTHRU, ipam: Ipam.whereabouts({ range: '10.243.2.0/24' }) })],
    shared: true,
  });
  for (const [name, namespace] of [['p1', 'app-a'], ['p2', 'app-b']]) {
    const vm = new IsolatedVm(c, name, { name, namespace, network: net, bootDisk: disk, memory: Size.gibibytes(1) });
    vm.addNetwork('storage', Network.multus(storage));
  }
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: scenarios <outdir>\n');
    process.exit(2);
  }
  const scenarios: Array<[string, (a: App) => void]> = [
    ['storage-network', storageNetwork], ['macvlan-passthru', macvlanPassthru], ['tenant-vlans', tenantVlans],
  ];
  for (const [name, build] of scenarios) {
    const app = new App({ outdir: path.join(out, name) });
    build(app);
    app.synth();
  }
  const refused: Array<[string, (dir: string) => void]> = [
    ['storage-macvlan', refusedStorageMacvlan], ['tenant-policy', refusedTenantPolicy], ['vlan-no-filtering', refusedVlanNoFiltering],
    ['planned-in-pool', refusedPlannedInPool],
  ];
  for (const [name, build] of refused) build(path.join(out, 'refused', name));
}
