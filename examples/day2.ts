/**
 * Day-2 as code: what happens to VMs after they are created. A database VM
 * whose root disk is a copy-on-write clone of a golden image, with a nightly
 * VM snapshot, a restore of it into a new VM, a clone, a disk export, a
 * Velero backup schedule, a parameterized template of the VM, and a
 * VirtualMachinePool with its update, scale-in and autohealing options.
 *
 *   npm run synth:day2   (writes dist-day2/)
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import {
  BackupSchedule, BootDisk, DataVolumeSource, GoldenImage, PoolMaxUnavailable, PoolScaleInStrategy, PoolSortPolicy,
  PoolStatePreservation, PoolUpdateStrategy, SmartCloneFleet, TemplateParameter, VirtualizationPlatform, VirtualMachine,
  VirtualMachineExport, VirtualMachineSnapshotDeletionPolicy, VirtualMachineTemplate, VolumeRestorePolicy,
} from '../src';

/** Namespace of the example's workloads. */
const NAMESPACE = 'apps';

export function day2(app: App): { platform: VirtualizationPlatform; workloads: Chart } {
  // The platform, with Velero: the bucket and its credentials Secret live
  // outside these manifests (see the README's "Scheduled backups").
  const platform = new VirtualizationPlatform(app, 'day2-platform', {
    velero: {
      enabled: true,
      backupStorageLocation: {
        bucket: 'vm-backups',
        prefix: 'cluster-a',
        region: 'minio',
        s3Url: 'https://minio.example.com:9000',
        credentials: { secretName: 'velero-s3' },
      },
    },
  });

  const workloads = new Chart(app, 'day2-workloads');
  platform.addDependant(workloads);
  new k8s.KubeNamespace(workloads, 'namespace', { metadata: { name: NAMESPACE } });

  // One import, one snapshot: every disk below is a copy-on-write clone of it,
  // on a storage class the snapshot proves has a VolumeSnapshotClass.
  const image = new GoldenImage(workloads, 'fedora', {
    namespace: NAMESPACE,
    source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
    size: Size.gibibytes(10),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
  });

  const db = new VirtualMachine(workloads, 'db', {
    name: 'db',
    namespace: NAMESPACE,
    bootDisk: BootDisk.cloneOf(image),
    memory: Size.gibibytes(4),
  });

  // A VM snapshot kept after its object is deleted, restored into a new VM.
  const nightly = db.snapshot('nightly', { name: 'nightly', deletionPolicy: VirtualMachineSnapshotDeletionPolicy.RETAIN });
  nightly.restore('db-copy', { name: 'db-copy', targetName: 'db-copy', volumeRestorePolicy: VolumeRestorePolicy.PREFIX_TARGET_NAME });

  // A clone with a fresh SMBIOS serial, and the snapshot's disks exported
  // for an hour: a running VM serves none, a snapshot always can (KubeVirt
  // writes the download token into a Secret it owns).
  db.cloneTo('db-staging', { name: 'db-staging', targetName: 'db-staging', newSmbiosSerial: 'db-staging-0001' });
  new VirtualMachineExport(workloads, 'db-download', { name: 'db-download', snapshot: nightly, ttl: Duration.hours(1) });

  // Backups every night at 02:00, kept 30 days.
  new BackupSchedule(workloads, 'nightly-backup', { vms: [db], schedule: '0 2 * * *', ttl: Duration.days(30) });

  // The VM as a template users process into their own.
  VirtualMachineTemplate.fromVirtualMachine(workloads, 'db-template', {
    vm: db,
    namespace: NAMESPACE,
    parameters: [TemplateParameter.vmName(), TemplateParameter.memory()],
  });

  // A pool of workers from the same image, replaced one at a time.
  new SmartCloneFleet(workloads, 'workers', {
    namespace: NAMESPACE,
    image,
    replicas: 4,
    memory: Size.gibibytes(2),
    pool: true,
    poolUpdateStrategy: PoolUpdateStrategy.proactive({ selectionPolicy: { sortPolicy: PoolSortPolicy.OLDEST } }),
    poolScaleInStrategy: PoolScaleInStrategy.opportunistic({ statePreservation: PoolStatePreservation.OFFLINE }),
    poolMaxUnavailable: PoolMaxUnavailable.count(1),
    poolAutohealing: { startUpFailureThreshold: 3 },
  });
  return { platform, workloads };
}

if (require.main === module) {
  const app = new App();
  day2(app);
  app.synth();
}
