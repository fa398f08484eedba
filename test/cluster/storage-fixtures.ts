/**
 * Synthesizes what the storage pass (`npm run check:storage`) is shown on
 * beyond the example cluster: golden images kept up to date by a CDI
 * DataImportCron (the example cluster has none), one with a snapshot class
 * and a fleet restoring its snapshot, one whose cron manages a DataSource
 * of another name.
 *
 *   npx ts-node -P examples/tsconfig.json test/cluster/storage-fixtures.ts <outdir>
 *
 * CDI's DataImportCron controller must import each cron's newest digest and
 * make the DataSource it manages Ready.
 */
import { App, Chart, Size } from 'cdk8s';
import { DataVolumeSource, GoldenImage, SmartCloneFleet } from '../../src';

const app = new App({ outdir: process.argv[2] ?? 'dist-storage' });
const chart = new Chart(app, 'import-crons');

const fedora = new GoldenImage(chart, 'fedora', {
  namespace: 'crons',
  source: DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41'),
  size: Size.gibibytes(10),
  storageClass: 'ceph',
  snapshotClass: 'snap',
  importCron: { schedule: '0 3 * * 1' },
});
new SmartCloneFleet(chart, 'workers', { namespace: 'crons', image: fedora, replicas: 2, memory: Size.gibibytes(1) });

new GoldenImage(chart, 'centos', {
  namespace: 'crons',
  source: DataVolumeSource.registry('docker://quay.io/containerdisks/centos-stream:9'),
  size: Size.gibibytes(12),
  importCron: { schedule: '@daily', managedDataSource: 'centos-latest', importsToKeep: 2 },
});

app.synth();
