/**
 * The networking scenarios: a VM on the pod network plus a VLAN bridge, the
 * same VLAN as the only network of an isolated VM, two VMs kept apart by
 * separate VLANs, and two tenants sharing one Ceph storage network.
 */
import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BootDisk, CloudInit, CniPlugin, InterfaceBinding, Ipam, IsolatedVm, Network, NetworkAttachmentDefinition, Route,
  StorageNetwork, VirtualMachine,
} from '../src';

/** A pinned Fedora container disk used by the examples. */
export const FEDORA_DISK = 'quay.io/containerdisks/fedora:41';

/**
 * A VM on the pod network that is also attached to a Linux bridge on VLAN
 * 1234 (whereabouts IPAM on 10.123.124.0/24, default route via .1), and an
 * isolated VM whose only network is that same VLAN.
 */
export class VlanBridgeChart extends Chart {
  public readonly network: NetworkAttachmentDefinition;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    this.network = new NetworkAttachmentDefinition(this, 'my-bridge', {
      name: 'my-bridge',
      namespace: 'my-ns',
      plugins: [CniPlugin.bridge({
        bridge: 'br1',
        vlan: 1234,
        ipam: Ipam.whereabouts({ range: '10.123.124.0/24', routes: [Route.defaultVia('10.123.124.1')] }),
      })],
    });

    const vm = new VirtualMachine(this, 'my-vm', {
      name: 'my-vm',
      namespace: 'my-ns',
      bootDisk: BootDisk.containerDisk(FEDORA_DISK),
      memory: Size.gibibytes(2),
      networks: [{ name: 'default', network: Network.pod() }],
    });
    vm.addNetwork('other-net', Network.multus(this.network), { binding: InterfaceBinding.bridge() });

    new IsolatedVm(this, 'isolated', {
      name: 'isolated',
      namespace: 'my-ns',
      network: this.network,
      bootDisk: BootDisk.containerDisk(FEDORA_DISK),
    });
  }
}

/**
 * Two VMs that cannot reach each other at layer 2: each is the only member
 * of its own VLAN on the same host bridge, with no pod network.
 */
export class VlanSeparationChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const vlans: Array<[string, number, string]> = [['red', 210, '10.21.0.0/24'], ['blue', 220, '10.22.0.0/24']];
    for (const [color, vlan, range] of vlans) {
      const net = new NetworkAttachmentDefinition(this, `${color}-net`, {
        name: `${color}-net`,
        namespace: 'separated',
        plugins: [CniPlugin.bridge({ bridge: 'br-sep', vlan, ipam: Ipam.whereabouts({ range }) })],
      });
      new IsolatedVm(this, `${color}-vm`, {
        name: `${color}-vm`,
        namespace: 'separated',
        network: net,
        bootDisk: BootDisk.containerDisk(FEDORA_DISK),
        memory: Size.gibibytes(1),
      });
    }
  }
}

/**
 * Two tenants, each on its own VLAN network in its own namespace, and one
 * storage network that the VMs of both tenants and the Rook-Ceph cluster
 * share (Ceph's public network points at the same NAD).
 */
export class TenantsWithStorageChart extends Chart {
  public readonly storage: StorageNetwork;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // Shared by tenants and Ceph, so it lives in the Rook namespace.
    this.storage = new StorageNetwork(this, 'storage', {
      name: 'ceph-public',
      namespace: 'rook-ceph',
      // a Linux bridge, not the default macvlan: VMs join it with bridge
      // binding, and a macvlan would drop their inbound unicast
      bridge: 'br-storage',
      range: '192.168.100.0/24',
      exclude: ['192.168.100.0/28'],
    });

    const tenants: Array<[string, number, string]> = [['tenant-a', 100, '10.100.0.0/24'], ['tenant-b', 200, '10.200.0.0/24']];
    for (const [tenant, vlan, range] of tenants) {
      const net = new NetworkAttachmentDefinition(this, `${tenant}-net`, {
        name: `${tenant}-net`,
        namespace: tenant,
        plugins: [CniPlugin.bridge({
          bridge: 'br-tenants',
          vlan,
          ipam: Ipam.whereabouts({ range, gateway: range.replace(/0\/24$/, '1'), routes: [Route.defaultVia(range.replace(/0\/24$/, '1'))] }),
        })],
      });
      new IsolatedVm(this, `${tenant}-vm`, {
        name: `${tenant}-vm`,
        namespace: tenant,
        network: net,
        bootDisk: BootDisk.containerDisk(FEDORA_DISK),
        memory: Size.gibibytes(2),
        cloudInit: CloudInit.noCloud({ packages: ['ceph-common'], runcmd: ['systemctl enable --now chronyd'] }),
      }).addNetwork('storage', Network.multus(this.storage), { binding: InterfaceBinding.bridge() });
    }
  }
}
