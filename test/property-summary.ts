/** jest globalTeardown: prints how many property-test cases the whole run passed. */
import * as fs from 'fs';
import * as path from 'path';

export default function summary(): void {
  // set by test/corpus-setup.ts: the test corpus's property-cases/, or a temporary folder
  const dir = process.env.CDK8S_KUBEVIRT_PROPERTY_CASES;
  if (!dir || !fs.existsSync(dir)) return;
  const suites = fs.readdirSync(dir).map(f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8')) as { suite: string; cases: number });
  if (!process.env.CDK8S_KUBEVIRT_CORPUS) fs.rmSync(dir, { recursive: true, force: true });
  const total = suites.reduce((n, s) => n + s.cases, 0);
  process.stdout.write(`\nproperty tests: ${total} random cases passed in ${suites.length} suites\n`);
}
