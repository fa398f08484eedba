/**
 * Small clusters the data-plane pass runs on besides the example cluster,
 * one directory each under the given output directory:
 *
 * - `storage-network`: two VMs in two namespaces on a StorageNetwork with its
 *   defaults (a macvlan NAD), with KubeVirt's bridge binding, and no policy:
 *   the library intends them to reach each other;
 * - `macvlan-passthru`: the same on a macvlan NAD in passthru mode (one VM
 *   per node), which delivers the guest's own MAC: the control that shows
 *   the macvlan path itself carries traffic;
 * - `tenant-policy`: two NADs (the Multus default network and a secondary
 *   one) shared by tenant-a's VMs and an outsider from tenant-b, each with
 *   the tenant policy that must keep the outsider out.
 *
 * Usage: ts-node -P test/tsconfig.json test/dataplane/scenarios.ts <outdir>
 */
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { BootDisk, IsolatedVm, Network } from '../../src/compute';
import { CniPlugin, Ipam, MacvlanMode, MultiNetworkPolicy, NetworkAttachmentDefinition, StorageNetwork } from '../../src/network';

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
  const storage = new StorageNetwork(c, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', master: 'eth1', range: '10.241.2.0/24' });
  const net = lan(c, 'app-a', 'br-apps', '10.241.1.0/24');
  for (const [name, namespace] of [['s1', 'app-a'], ['s2', 'app-b']]) {
    const vm = new IsolatedVm(c, name, { name, namespace, network: net, bootDisk: disk, memory: Size.gibibytes(1) });
    vm.addNetwork('storage', Network.multus(storage));
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

export function tenantPolicy(app: App): void {
  const c = new Chart(app, 'tenant-policy');
  // the VMs' Multus default network, and a secondary one
  const primary = lan(c, 'tenant-a', 'br-shared', '10.242.1.0/24');
  const secondary = new NetworkAttachmentDefinition(c, 'tenant-a-data', {
    name: 'data',
    namespace: 'tenant-a',
    plugins: [CniPlugin.bridge({ bridge: 'br-data', ipam: Ipam.whereabouts({ range: '10.242.2.0/24' }) })],
    shared: true,
  });
  for (const [name, namespace] of [['a1', 'tenant-a'], ['a2', 'tenant-a'], ['b1', 'tenant-b']]) {
    const vm = new IsolatedVm(c, name, { name, namespace, network: primary, bootDisk: disk, memory: Size.gibibytes(1) });
    vm.addNetwork('data', Network.multus(secondary));
  }
  MultiNetworkPolicy.tenantNetwork(c, 'tenant-a-only', { network: primary });
  MultiNetworkPolicy.tenantNetwork(c, 'tenant-a-data-only', { network: secondary });
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: scenarios <outdir>\n');
    process.exit(2);
  }
  const scenarios: Array<[string, (a: App) => void]> = [
    ['storage-network', storageNetwork], ['macvlan-passthru', macvlanPassthru], ['tenant-policy', tenantPolicy],
  ];
  for (const [name, build] of scenarios) {
    const app = new App({ outdir: path.join(out, name) });
    build(app);
    app.synth();
  }
}
