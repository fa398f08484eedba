/**
 * The README's first example: a VLAN bridge network, a VM on it, an isolated
 * VM, a golden image and a three-VM smart-clone fleet.
 */
import { App, Chart, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import {
  BootDisk, CniPlugin, DataVolumeSource, GoldenImage, InterfaceBinding, Ipam, IsolatedVm, Network,
  NetworkAttachmentDefinition, Route, SmartCloneFleet, VirtualMachine,
} from '../src';

export function quickstart(app: App): Chart {
  const chart = new Chart(app, 'quickstart');
  new k8s.KubeNamespace(chart, 'my-ns', { metadata: { name: 'my-ns' } });

  const net = new NetworkAttachmentDefinition(chart, 'my-bridge', {
    name: 'my-bridge',
    namespace: 'my-ns',
    plugins: [CniPlugin.bridge({
      bridge: 'br1',
      vlan: 1234,
      ipam: Ipam.whereabouts({ range: '10.123.124.0/24', routes: [Route.defaultVia('10.123.124.1')] }),
    })],
  });

  const vm = new VirtualMachine(chart, 'my-vm', {
    name: 'my-vm',
    namespace: 'my-ns',
    bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
    memory: Size.gibibytes(2),
  });
  vm.addNetwork('other-net', Network.multus(net), { binding: InterfaceBinding.bridge() });

  new IsolatedVm(chart, 'isolated', {
    name: 'isolated',
    namespace: 'my-ns',
    network: net,
    bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
  });

  const image = new GoldenImage(chart, 'fedora', {
    namespace: 'my-ns',
    source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
    size: Size.gibibytes(10),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
  });
  const fleet = new SmartCloneFleet(chart, 'workers', {
    namespace: 'my-ns',
    image,
    replicas: 3,
    memory: Size.gibibytes(2),
    isolatedNetwork: net,
  });
  // 1 import, 1 snapshot, 3 copy-on-write restores. `cdk8s synth` keeps
  // the app's stdout for itself, so the plan goes to stderr.
  process.stderr.write(`${fleet.plan.summary}\n`);
  return chart;
}

if (require.main === module) {
  const app = new App();
  quickstart(app);
  app.synth();
}
