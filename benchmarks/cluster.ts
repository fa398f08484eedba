/**
 * The benchmark's cluster: the platform, one storage network, ten tenant
 * VLAN networks, one golden image with its snapshot, and one fleet per
 * tenant, the fleets adding up to `vms` VMs. Every VM is isolated on its
 * tenant's VLAN, also attached to the storage network, and has cloud-init.
 */
import { App, Chart, Size } from 'cdk8s';
import {
  CloudInit, CniPlugin, DataVolumeSource, GoldenImage, Ipam, Network, NetworkAttachmentDefinition, SmartCloneFleet,
  NodeProvides, StorageNetwork, VirtualizationPlatform,
} from '../src';

export interface ClusterOptions {
  /** One VirtualMachinePool per fleet instead of N VirtualMachines. */
  readonly pool?: boolean;
}

export const TENANTS = 10;

export function buildCluster(app: App, vms: number, options: ClusterOptions = {}): void {
  // the storage network's macvlan comes with the nodes' kubernetes-cni package
  const platform = new VirtualizationPlatform(app, 'platform', { nodeProvides: [NodeProvides.cniPlugin('macvlan')] });
  const chart = new Chart(app, 'workloads');
  platform.addDependant(chart);

  const storage = new StorageNetwork(chart, 'storage', {
    name: 'storage', namespace: 'rook-ceph', master: 'eth1', range: '192.168.0.0/16',
  });
  const image = new GoldenImage(chart, 'image', {
    name: 'fedora-41',
    namespace: 'golden',
    source: DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41'),
    size: Size.gibibytes(10),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
  });

  for (let t = 0; t < TENANTS; t++) {
    const replicas = Math.floor(vms / TENANTS) + (t < vms % TENANTS ? 1 : 0);
    if (replicas === 0) continue;
    const namespace = `tenant-${t}`;
    const net = new NetworkAttachmentDefinition(chart, `net-${t}`, {
      name: 'tenant-net',
      namespace,
      plugins: [CniPlugin.bridge({
        bridge: 'br-tenants', vlan: 100 + t, ipam: Ipam.whereabouts({ range: `10.${t}.0.0/16` }),
      })],
    });
    new SmartCloneFleet(chart, `fleet-${t}`, {
      name: 'worker',
      namespace,
      image,
      replicas,
      pool: options.pool,
      memory: Size.gibibytes(2),
      cores: 2,
      isolatedNetwork: net,
      networks: [{ name: 'storage', network: Network.multus(storage) }],
      cloudInit: CloudInit.noCloud({
        packages: ['qemu-guest-agent'],
        runcmd: ['systemctl enable --now qemu-guest-agent'],
      }),
    });
  }
}
