import { Duration } from 'cdk8s';
import { IVirtualMachine } from '../compute';

/** Props of {@link BackupSchedule}. */
export interface BackupScheduleProps {
  /**
   * The VMs to back up. Each must be defined in this app (a `VirtualMachine`
   * or `IsolatedVm`): the schedule selects them by a label it adds to them.
   * The KubeVirt Velero plugin adds what each VM needs (its DataVolumes and
   * PVCs, the Secrets of its cloud-init and SSH keys, its running VMI and
   * launcher pod).
   */
  readonly vms: IVirtualMachine[];

  /**
   * When to back up: a cron schedule as Velero reads it (robfig/cron's
   * standard parser: five fields, `@daily` and the other descriptors,
   * `@every 6h`, an optional `CRON_TZ=` prefix).
   */
  readonly schedule: string;

  /**
   * How long Velero keeps each backup before it deletes it: a `Duration`
   * (whole seconds), or a Go duration string as Velero writes it
   * (`720h0m0s`, `168h`).
   */
  readonly ttl: Duration | string;

  /**
   * Name of the Velero `Schedule`; its backups are named
   * `<name>-<timestamp>`. A DNS-1123 label of at most 63 characters, since
   * Velero labels each backup with it.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Namespace Velero runs in, where the `Schedule` goes.
   * @default 'velero'
   */
  readonly namespace?: string;

  /**
   * Name of the `BackupStorageLocation` the backups go to.
   * @default - Velero's default location
   */
  readonly storageLocation?: string;

  /**
   * Move the data of each CSI snapshot into the backup storage location
   * (Velero's CSI snapshot data movement, done by its node agent), so the
   * backup survives the loss of the cluster's storage. Without it the
   * backup holds CSI snapshots that stay on the cluster's storage.
   * @default false
   */
  readonly snapshotMoveData?: boolean;

  /**
   * Keep the schedule from starting backups.
   * @default false
   */
  readonly paused?: boolean;
}
