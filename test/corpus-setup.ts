/**
 * jest globalSetup: where the suites write their property-test counts for
 * the total test/property-summary.ts prints. When CDK8S_KUBEVIRT_CORPUS names
 * the test corpus (`npm run corpus`), the counts are part of it
 * (property-cases/); otherwise they go to a temporary folder the teardown
 * removes, so a plain `npm test` writes nothing into the work tree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function setup(): void {
  const corpus = process.env.CDK8S_KUBEVIRT_CORPUS;
  // the workers start after this and inherit the variable
  process.env.CDK8S_KUBEVIRT_PROPERTY_CASES = corpus
    ? path.resolve(__dirname, '..', corpus, 'property-cases')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'property-cases-'));
}
