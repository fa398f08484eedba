/** jest globalTeardown: prints how many property-test cases the whole run passed. */
import * as fs from 'fs';
import * as path from 'path';

export default function summary(): void {
  const dir = path.resolve(__dirname, '..', '.tmp', 'property-cases');
  if (!fs.existsSync(dir)) return;
  const suites = fs.readdirSync(dir).map(f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8')) as { suite: string; cases: number });
  const total = suites.reduce((n, s) => n + s.cases, 0);
  process.stdout.write(`\nproperty tests: ${total} random cases passed in ${suites.length} suites\n`);
}
