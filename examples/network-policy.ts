/**
 * Policy and addresses on the secondary networks: MultiNetworkPolicies that
 * keep each tenant's network to the tenant's own VMs and fence the shared
 * Ceph network down to Ceph's ports, and a fleet whose VMs get planned
 * addresses and MACs that survive restarts and live migration.
 *
 * The planned fleet sits on its own bridge and VLAN (`br-planned`, VLAN
 * 320), so these charts can share one App with the other examples.
 */
import { Chart, ChartProps, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AddressPlan, CloudInit, CniPlugin, DataVolumeSource, GoldenImage, IsolatedVm, Ipam, MultiNetworkPolicy, NetworkAttachmentDefinition,
  Route, SmartCloneFleet, StorageNetwork,
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
 * For every tenant: its network accepts traffic only from the tenant's own
 * VMs, and on the shared storage network its VMs may open connections to
 * Ceph's monitors and OSDs (the pods of the Rook namespace) and nothing
 * else, nor accept any.
 */
export class TenantPoliciesChart extends Chart {
  public readonly policies: MultiNetworkPolicy[] = [];

  constructor(scope: Construct, id: string, props: TenantPoliciesChartProps) {
    super(scope, id, props);
    const tenants = new Map<string, IsolatedVm>();
    for (const vm of props.tenantVms) if (!tenants.has(vm.namespace)) tenants.set(vm.namespace, vm);
    for (const [tenant, vm] of [...tenants.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      this.policies.push(MultiNetworkPolicy.tenantNetwork(this, `${tenant}-only`, { network: vm.network }));
      this.policies.push(MultiNetworkPolicy.storageNetwork(this, `${tenant}-ceph`, { network: props.storage, namespace: tenant }));
    }
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
