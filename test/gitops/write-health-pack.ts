// Writes the ArgoCdHealthChecks ConfigMap, as the library synthesizes it, to
// the file given (the Argo CD health tool reads it):
//   npx ts-node -P test/tsconfig.json test/gitops/write-health-pack.ts <file>
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { ArgoCdHealthChecks } from '../../src';

const out = process.argv[2];
if (!out) {
  console.error('usage: write-health-pack.ts <file>');
  process.exit(2);
}
const app = new App();
new ArgoCdHealthChecks(new Chart(app, 'argocd'), 'health');
fs.writeFileSync(out, app.synthYaml());
console.log(`wrote the health pack to ${out}`);
