// The Argo CD health pack, synthesized to a folder of its own:
//   npx cdk8s synth --app "npx ts-node -P examples/tsconfig.json examples/gitops/health-pack.ts" --output dist-argocd
// then merged into Argo CD's argocd-cm with server-side apply:
//   kubectl apply --server-side --field-manager=cdk8s-kubevirt-health -f dist-argocd/
import { App, Chart } from 'cdk8s';
import { ArgoCdHealthChecks } from '../../src';

const app = new App();
new ArgoCdHealthChecks(new Chart(app, 'argocd-health'), 'health', { namespace: 'argocd' });
app.synth();
