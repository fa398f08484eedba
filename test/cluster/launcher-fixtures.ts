/**
 * Synthesizes the fleets the launcher-pod check (`npm run check:launcher`)
 * is shown on: replicas spread over nodes and kept apart by their fleet
 * label (as VMs and as a VirtualMachinePool), and a fleet given one
 * hostname and subdomain.
 *
 *   npx ts-node -P examples/tsconfig.json test/cluster/launcher-fixtures.ts <outdir>
 *
 * The launcher pods KubeVirt renders for these VMs must carry the fleet
 * label the selectors name, and each guest must get its own host name.
 */
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { CloudInit, DataVolumeSource, SmartCloneFleet } from '../../src';
import { FLEET_LABEL } from '../../src/private/labels';

const app = new App({ outdir: process.argv[2] ?? 'dist-launcher' });
const chart = new Chart(app, 'launcher-fleets');

const spread = (fleet: string): k8s.TopologySpreadConstraint[] => [{
  maxSkew: 1,
  topologyKey: 'kubernetes.io/hostname',
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { [FLEET_LABEL]: fleet } },
}];
const apart = (fleet: string): k8s.Affinity => ({
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [{
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: { [FLEET_LABEL]: fleet } },
    }],
  },
});
const source = DataVolumeSource.snapshot('launcher', 'fedora-41');

// Replicas spread over nodes and kept apart by the fleet label.
new SmartCloneFleet(chart, 'spread', {
  namespace: 'launcher',
  source,
  diskSize: Size.gibibytes(10),
  replicas: 3,
  memory: Size.gibibytes(2),
  topologySpreadConstraints: spread('spread'),
  affinity: apart('spread'),
  cloudInit: CloudInit.noCloud({ packages: ['qemu-guest-agent'] }),
});

// The same as a VirtualMachinePool.
new SmartCloneFleet(chart, 'spread-pool', {
  namespace: 'launcher',
  source,
  diskSize: Size.gibibytes(10),
  replicas: 2,
  pool: true,
  memory: Size.gibibytes(2),
  topologySpreadConstraints: spread('spread-pool'),
});

app.synth();

// A fleet given one hostname and subdomain, in an app of its own: the
// library may refuse it (then there is nothing for the check to see) or give
// each VM its own name.
try {
  const named = new App({ outdir: path.join(app.outdir, 'named') });
  new SmartCloneFleet(new Chart(named, 'launcher-named'), 'named', {
    namespace: 'launcher',
    source,
    diskSize: Size.gibibytes(10),
    replicas: 2,
    memory: Size.gibibytes(2),
    hostname: 'db',
    subdomain: 'databases',
  });
  named.synth();
} catch (e) {
  process.stderr.write(`refused at synth: ${(e as Error).message}\n`);
}
