/**
 * Prints the storage plan of every fleet in the storage examples as a table:
 *
 * ```sh
 * npx ts-node -P examples/tsconfig.json examples/fleet-plan.ts
 * ```
 */
import { App } from 'cdk8s';
import { PlannedAddressFleetChart } from './network-policy';
import { CrossNamespaceFleetChart, GoldenImageFleetChart, HostAssistedFleetChart, UploadGoldenImageChart } from './storage';
import { FleetPlan, SmartCloneFleet } from '../src';

const GIB = 1024 ** 3;

/** The plans of the example fleets, in a fixed order. */
export function examplePlans(): Array<{ scenario: string; fleet: SmartCloneFleet }> {
  const app = new App();
  return [
    { scenario: 'snapshot clones', fleet: new GoldenImageFleetChart(app, 'golden-fleet').fleet },
    { scenario: 'host-assisted copies', fleet: new HostAssistedFleetChart(app, 'host-assisted').fleet },
    { scenario: 'uploaded image', fleet: new UploadGoldenImageChart(app, 'upload').fleet },
    { scenario: 'other namespace (pool)', fleet: new CrossNamespaceFleetChart(app, 'cross-namespace').fleet },
  ];
}

/** Formats plans as a plain-text table, one row per fleet. */
export function planTable(rows: Array<{ scenario: string; fleet: SmartCloneFleet }>): string {
  const gib = (bytes: number) => `${(bytes / GIB).toFixed(0)} GiB`;
  const header = ['scenario', 'fleet', 'VMs', 'imports', 'full copies', 'snapshots', 'CoW clones', 'imported', 'copied'];
  const cells = rows.map(({ scenario, fleet }) => {
    const p: FleetPlan = fleet.plan;
    return [scenario, `${fleet.namespace}/${fleet.name}`, `${p.vms}`, `${p.imports}`, `${p.fullCopies}`, `${p.snapshots}`,
      `${p.copyOnWriteClones}`, gib(p.bytesDownloaded), gib(p.bytesCopied)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map(r => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

if (require.main === module) {
  const rows = examplePlans();
  console.log(planTable(rows));
  console.log('');
  for (const { fleet } of rows) console.log(fleet.plan.summary);
  console.log('');
  // the addresses an AddressPlan handed out, one line per VM
  const planned = new PlannedAddressFleetChart(new App(), 'planned').fleet;
  console.log(planned.plan.summary);
  for (const a of planned.plan.addresses ?? []) console.log(`  ${a.vmName}  ${a.interfaceName}  ${a.address}  ${a.macAddress}  (${a.network})`);
}
