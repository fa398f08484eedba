/**
 * The host side of the networking scenarios: the bridges every
 * NetworkAttachmentDefinition of the example names, built on the nodes by
 * kubernetes-nmstate. The tenants of the tenants-and-storage scenario share
 * `br-tenants`, a VLAN-trunking bridge on a VXLAN tunnel between the nodes,
 * for underlays that carry no VLANs of their own; its VLANs 100 and 200 run
 * over the tunnel. The storage network's bridge has the second NIC as its port,
 * and the other scenarios get their bridges from one more policy.
 */
import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { HostInterface, NodeNetworkConfigurationPolicy, VlanTrunk, VxlanBridge } from '../src';

/** The VXLAN tunnel of the tenant networks and the nodes' other bridges. */
export class HostNetworkChart extends Chart {
  /** The tenants' bridge on the tunnel. */
  public readonly tenants: VxlanBridge;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // VNI 10100 over eth0; every node joins the multicast group. Where the
    // underlay has no multicast (most public clouds), give `peers` instead:
    // two nodes, one policy each, pinned by kubernetes.io/hostname.
    this.tenants = new VxlanBridge(this, 'tenant-tunnel', {
      name: 'tenant-tunnel',
      vni: 10100,
      underlay: 'eth0',
      group: '239.1.1.100',
      bridgeName: 'br-tenants',
      trunkVlans: [VlanTrunk.id(100), VlanTrunk.id(200)],
    });

    new NodeNetworkConfigurationPolicy(this, 'vm-bridges', {
      name: 'vm-bridges',
      interfaces: [
        // the storage network's bridge on a NIC of its own, no node address on it
        HostInterface.ethernet({ name: 'eth1', mtu: 1500, disableIpv6: true }),
        HostInterface.linuxBridge({ name: 'br-storage', ports: ['eth1'] }),
        // VLAN 1234 of the first scenario leaves the node through eth2
        HostInterface.linuxBridge({ name: 'br1', ports: ['eth2'], vlanFiltering: true, trunkVlans: [VlanTrunk.id(1234)] }),
        // the separated VMs' VLANs 210 and 220 over eth5; the bridge needs a
        // VLAN-trunking port, or nmstate leaves VLAN filtering off and the tags mean nothing
        HostInterface.linuxBridge({ name: 'br-sep', ports: ['eth5'], vlanFiltering: true, trunkVlans: [VlanTrunk.id(210), VlanTrunk.id(220)] }),
        // the fleets of the storage scenarios, VLANs 310 to 312 over eth3
        HostInterface.linuxBridge({ name: 'br-golden', ports: ['eth3'], vlanFiltering: true, trunkVlans: [VlanTrunk.range(310, 312)] }),
        // the fleet with planned addresses, VLAN 320 over eth4
        HostInterface.linuxBridge({ name: 'br-planned', ports: ['eth4'], vlanFiltering: true, trunkVlans: [VlanTrunk.id(320)] }),
      ],
    });
  }
}
