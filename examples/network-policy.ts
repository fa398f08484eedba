/**
 * Policy and addresses on the secondary networks: a MultiNetworkPolicy that
 * lets the tenants' VMs reach Ceph's pods on the shared storage network only
 * on Ceph's ports, and a fleet whose VMs get planned addresses and MACs that
 * survive restarts and live migration.
 *
 * multi-networkpolicy-iptables filters a pod's own interfaces; it cannot
 * filter a bridge-bound VM interface (KubeVirt bridges the guest's frames
 * past its rules), an SR-IOV one, or a VM's Multus default network, so the
 * library refuses policies that target such VMs. The tenants are kept apart
 * by their VLANs instead, and the storage policy targets Ceph's pods with
 * the VMs as peers.
 *
 * The planned fleet sits on its own bridge and VLAN (`br-planned`, VLAN
 * 320), so these charts can share one App with the other examples.
 */
import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AddressPlan, CloudInit, CniPlugin, DataVolumeSource, GoldenImage, IsolatedVm, Ipam, MultiNetworkPolicy, NetworkAttachmentDefinition,
  PolicyPeer, PolicyPort, PolicyTarget, Route, SmartCloneFleet, StorageNetwork,
} from '../src';
import { FEDORA_IMAGE_URL, SNAPSHOT_CLASS, STORAGE_CLASS } from './storage';

/** Props of {@link TenantPoliciesChart}. */
export interface TenantPoliciesChartProps extends ChartProps {
  /** The isolated tenant VMs, each on its tenant's network. */
  readonly tenantVms: IsolatedVm[];
  /** The storage network the tenants share with Ceph. */
  readonly storage: StorageNetwork;
}

/**
 * On the shared storage network, Ceph's pods accept connections from one
 * another on any port and from the tenants' VMs only on Ceph's monitor and
 * OSD ports (3300, 6789, 6800-7300).
 */
export class TenantPoliciesChart extends Chart {
  public readonly policies: MultiNetworkPolicy[] = [];

  constructor(scope: Construct, id: string, props: TenantPoliciesChartProps) {
    super(scope, id, props);
    const tenants = [...new Set(props.tenantVms.map(vm => vm.namespace))].sort();
    this.policies.push(new MultiNetworkPolicy(this, 'ceph-ports', {
      name: `${props.storage.name}-ceph-ports`,
      namespace: props.storage.namespace,
      networks: [props.storage],
      target: PolicyTarget.allPods(),
      ingress: [
        { peers: [PolicyPeer.namespace(props.storage.namespace)] },
        { peers: tenants.map(t => PolicyPeer.vmsOfNamespace(t)), ports: PolicyPort.ceph() },
      ],
    }));
  }
}

/**
 * A fleet of three isolated VMs whose addresses do not move: each VM gets
 * an address of 10.32.0.0/27 (kept out of whereabouts' pool) and a MAC of
 * 02:5a:20:..., set in the guest by cloud-init network data. `fleet.plan`
 * lists them.
 */
export class PlannedAddressFleetChart extends Chart {
  public readonly fleet: SmartCloneFleet;
  public readonly addresses: AddressPlan;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const net = new NetworkAttachmentDefinition(this, 'planned-net', {
      name: 'planned-net',
      namespace: 'planned',
      plugins: [CniPlugin.bridge({
        bridge: 'br-planned',
        vlan: 320,
        ipam: Ipam.whereabouts({ range: '10.32.0.0/24', gateway: '10.32.0.254', exclude: ['10.32.0.0/27'], routes: [Route.defaultVia('10.32.0.254')] }),
      })],
    });
    const image = new GoldenImage(this, 'fedora', {
      namespace: 'planned',
      source: DataVolumeSource.http(FEDORA_IMAGE_URL),
      size: Size.gibibytes(10),
      storageClass: STORAGE_CLASS,
      snapshotClass: SNAPSHOT_CLASS,
    });
    this.fleet = new SmartCloneFleet(this, 'db', {
      namespace: 'planned',
      image,
      replicas: 3,
      memory: Size.gibibytes(2),
      isolatedNetwork: net,
      cloudInit: CloudInit.noCloud({ packages: ['postgresql-server'] }),
    });
    this.addresses = new AddressPlan(this, 'addresses', { network: net, block: '10.32.0.0/27', macPrefix: '02:5a:20' });
    this.addresses.assignFleet(this.fleet);
  }
}
