/**
 * The tenants-with-storage scenario of the example cluster, alone in an app:
 * the reference the Python port's manifests are compared with.
 */
import { App } from 'cdk8s';
import { TenantsWithStorageChart } from '../../../examples/networking';

const app = new App();
new TenantsWithStorageChart(app, 'tenants-with-storage');
app.synth();
