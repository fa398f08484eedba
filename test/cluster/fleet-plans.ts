/**
 * Prints, as one JSON array, the storage plan of every SmartCloneFleet of
 * the example cluster (examples/main.ts), or with `quickstart` of the
 * README's first example (examples/quickstart.ts), for the storage pass to
 * compare with what CDI does:
 *
 * ```sh
 * npx ts-node -P examples/tsconfig.json test/cluster/fleet-plans.ts > .tmp/fleet-plans.json
 * npm run check:storage -- --plans .tmp/fleet-plans.json dist
 * ```
 */
import { App } from 'cdk8s';
import { buildExampleCluster } from '../../examples/main';
import { quickstart } from '../../examples/quickstart';
import { SmartCloneFleet } from '../../src';

const app = new App();
if (process.argv[2] === 'quickstart') {
  // (it prints its plan's summary on standard error)
  quickstart(app);
} else {
  buildExampleCluster(app);
}
const plans = app.node.findAll()
  .filter((c): c is SmartCloneFleet => c instanceof SmartCloneFleet)
  .map(f => ({
    namespace: f.namespace,
    name: f.name,
    copyOnWriteClones: f.plan.copyOnWriteClones,
    fullCopies: f.plan.fullCopies,
    conditions: f.plan.conditions ?? [],
  }));
process.stdout.write(`${JSON.stringify(plans, undefined, 2)}\n`);
