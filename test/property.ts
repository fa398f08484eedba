/**
 * Runs fast-check properties and counts the cases that ran, so the test
 * output says how much random input the library withstood: each suite
 * prints its count, and the whole run's total is printed at the end
 * (test/property-summary.ts). The counts go to the folder
 * CDK8S_KUBEVIRT_PROPERTY_CASES names (set by test/corpus-setup.ts: the test
 * corpus's property-cases/ when one is recorded).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';

let suiteCases = 0;

// Imported at the top of a suite (each suite has its own module registry),
// so this registers one top-level hook per suite.
afterAll(() => {
  if (suiteCases === 0) return;
  const suite = path.relative(path.resolve(__dirname, '..'), expect.getState().testPath ?? 'unknown');
  const dir = process.env.CDK8S_KUBEVIRT_PROPERTY_CASES;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${suite.replace(/[\\/]/g, '_')}.json`), JSON.stringify({ suite, cases: suiteCases }));
  }
  process.stdout.write(`property cases: ${suiteCases} random cases passed in ${suite}\n`);
});

/** `fc.assert` that also counts the cases that ran. */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, params: fc.Parameters<Ts> = {}): void {
  const details = fc.check(property, params);
  if (details.failed) {
    // fast-check's own report: counterexample, seed and path to replay it
    throw new Error(fc.defaultReportMessage(details) ?? `property failed after ${details.numRuns} cases`);
  }
  suiteCases += details.numRuns;
}
