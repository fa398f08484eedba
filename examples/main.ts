/**
 * The whole example cluster in one program: the platform (KubeVirt, CDI,
 * Multus, whereabouts, snapshot controller, kubernetes-nmstate), the
 * namespaces, the host bridges, the networking scenarios, the storage
 * scenarios, the disk scenarios and the high-performance scenario. `npm run
 * synth:example` writes it to dist/ in apply order (platform first), with a
 * picture of the topology and the list of what the nodes need.
 */
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { FeatureGate, IsolatedVm, NodeProvides, NodeRequirements, Topology, VirtualizationPlatform } from '../src';
import { DatabaseVmChart, DataSetFleetChart } from './disks';
import { HIGH_PERFORMANCE_PLATFORM, HighPerformanceChart } from './high-performance';
import { HostNetworkChart } from './host-network';
import { PlannedAddressFleetChart, TenantPoliciesChart } from './network-policy';
import { TenantsWithStorageChart, VlanBridgeChart, VlanSeparationChart } from './networking';
import {
  ClonedDataVolumeChart, CrossNamespaceFleetChart, GoldenImageFleetChart, HostAssistedFleetChart, UploadGoldenImageChart,
} from './storage';

/** The namespaces the workloads live in. */
export class NamespacesChart extends Chart {
  constructor(scope: Construct, id: string, names: string[]) {
    super(scope, id);
    for (const name of [...names].sort()) {
      new k8s.KubeNamespace(this, name, { metadata: { name } });
    }
  }
}

/** Builds the example cluster into an app; returns the charts by role. */
export function buildExampleCluster(app: App) {
  const platform = new VirtualizationPlatform(app, 'platform', {
    kubevirt: {
      featureGates: [FeatureGate.SNAPSHOT, ...HIGH_PERFORMANCE_PLATFORM.featureGates ?? []],
      permittedHostDevices: HIGH_PERFORMANCE_PLATFORM.permittedHostDevices,
      parallelMigrationsPerCluster: 5,
      parallelOutboundMigrationsPerNode: 2,
    },
    // enforces the tenant and storage MultiNetworkPolicies
    multiNetworkPolicy: {
      enabled: true,
      // multi-networkpolicy-iptables publishes no release image: mirror its
      // ghcr.io :snapshot built from PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT
      // and REPLACE this example mirror and placeholder digest with yours
      image: {
        repository: 'mirror.example.com/k8snetworkplumbingwg/multi-networkpolicy-iptables',
        digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
      },
    },
    nmstate: { enabled: true },
    // the SR-IOV network operator brings sriov (the high-performance dataplane);
    // bridge and tuning come from the platform's CniPlugins part
    nodeProvides: [NodeProvides.cniPlugin('sriov')],
  });

  const workloads: Chart[] = [
    new NamespacesChart(app, 'namespaces', [
      'my-ns', 'separated', 'tenant-a', 'tenant-b', 'rook-ceph',
      'golden', 'golden-copies', 'golden-upload', 'images', 'tenant-fleet', 'databases', 'analytics',
      'high-performance', 'planned',
    ]),
    new VlanBridgeChart(app, 'vlan-bridge'),
    new VlanSeparationChart(app, 'vlan-separation'),
    new TenantsWithStorageChart(app, 'tenants-with-storage'),
    new HostNetworkChart(app, 'host-network'),
    new ClonedDataVolumeChart(app, 'cloned-data-volume'),
    new GoldenImageFleetChart(app, 'golden-image-fleet'),
    new HostAssistedFleetChart(app, 'host-assisted-fleet'),
    new UploadGoldenImageChart(app, 'upload-golden-image'),
    new CrossNamespaceFleetChart(app, 'cross-namespace-fleet'),
    new DatabaseVmChart(app, 'database-vm'),
    new DataSetFleetChart(app, 'data-set-fleet'),
    new HighPerformanceChart(app, 'high-performance'),
    new PlannedAddressFleetChart(app, 'planned-address-fleet'),
  ];
  // policies for the tenants' networks and the storage network they share
  // by constructor: cdk8s makes every Chart pass `instanceof` of any Chart class
  const tenants = workloads.find((c): c is TenantsWithStorageChart => c.constructor === TenantsWithStorageChart)!;
  workloads.push(new TenantPoliciesChart(app, 'tenant-policies', {
    tenantVms: tenants.node.findAll().filter((c): c is IsolatedVm => c instanceof IsolatedVm),
    storage: tenants.storage,
  }));
  const namespaces = workloads[0];
  for (const chart of workloads) {
    platform.addDependant(chart);
    if (chart !== namespaces) chart.addDependency(namespaces);
  }
  return { platform, workloads };
}

if (require.main === module) {
  const app = new App();
  buildExampleCluster(app);
  app.synth();
  const files = Topology.fromApp(app).writeFiles(app.outdir);
  files.push(NodeRequirements.of(app).writeFile(app.outdir));
  process.stdout.write(`wrote the manifests and ${files.join(', ')}\n`);
}
