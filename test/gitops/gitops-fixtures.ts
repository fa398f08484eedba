// What the Argo CD health tool (test/cluster/argocd, argocd-health) reads:
//   <outdir>/argocd-cm.yaml  the ArgoCdHealthChecks ConfigMap, as the
//                            library synthesizes it;
//   <outdir>/waves/          a cluster with Argo CD sync waves on, whose
//                            workloads hold what Argo CD's own checks never
//                            let a wave finish on: VMs their run strategy
//                            keeps stopped and a DataVolume on storage that
//                            may bind only for a first consumer.
//   npx ts-node -P test/tsconfig.json test/gitops/gitops-fixtures.ts <outdir>
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { ArgoCdHealthChecks, BootDisk, DataVolume, DataVolumeSource, RunStrategy, VirtualizationPlatform, VirtualMachine } from '../../src';

const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: gitops-fixtures.ts <outdir>');
  process.exit(2);
}
fs.mkdirSync(outdir, { recursive: true });
const pack = new App();
new ArgoCdHealthChecks(new Chart(pack, 'argocd'), 'health');
fs.writeFileSync(path.join(outdir, 'argocd-cm.yaml'), pack.synthYaml());

const app = new App({ outdir: path.join(outdir, 'waves') });
const platform = new VirtualizationPlatform(app, 'platform', { argoCdSyncWaves: true });
const chart = new Chart(app, 'workloads');
new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'vms' } });
const disk = new DataVolume(chart, 'disk', {
  name: 'stopped-disk',
  namespace: 'vms',
  source: DataVolumeSource.http('https://example.org/fedora.qcow2'),
  size: Size.gibibytes(10),
});
new VirtualMachine(chart, 'stopped', {
  name: 'stopped',
  namespace: 'vms',
  runStrategy: RunStrategy.HALTED,
  bootDisk: BootDisk.dataVolume(disk),
  memory: Size.gibibytes(1),
});
new VirtualMachine(chart, 'manual', {
  name: 'manual',
  namespace: 'vms',
  runStrategy: RunStrategy.MANUAL,
  bootDisk: BootDisk.dataVolumeTemplate({ source: DataVolumeSource.http('https://example.org/fedora.qcow2'), size: Size.gibibytes(10) }),
  memory: Size.gibibytes(1),
});
platform.addDependant(chart);
app.synth();
