/**
 * What a golden image is made of: its reference interface, its import cron
 * and clone grants, and its props.
 */
import { Size } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { IDataSource } from './data-source';
import { IDataVolume } from './data-volume-options';
import { DataVolumeSource, DataVolumeSourceKind } from './data-volume-source';
import { StorageFacts } from './storage-class-profile';
import { IVolumeSnapshot } from './volume-snapshot';
import { IVolumeSnapshotClass } from './volume-snapshot-class';

/** Whether a DataImportCron deletes older imports. */
export enum ImportCronGarbageCollect {
  /** Keep only the newest `importsToKeep` imports (CDI's default). */
  OUTDATED = 'Outdated',
  /** Keep every import. */
  NEVER = 'Never',
}

/** Automatic updates of a golden image with a CDI DataImportCron. */
export interface GoldenImageImportCronOptions {
  /**
   * When to look for a new image digest, as CDI parses it (robfig/cron's
   * standard parser): five fields such as `0 3 * * 1` with ranges, steps and
   * names, a descriptor such as `@daily`, `@every 12h`, optionally after a
   * `CRON_TZ=<zone>` prefix.
   */
  readonly schedule: string;
  /**
   * Whether older imports are deleted.
   * @default - CDI's default, ImportCronGarbageCollect.OUTDATED
   */
  readonly garbageCollect?: ImportCronGarbageCollect;
  /**
   * How many imports are kept when garbage collecting.
   * @default - CDI's default, 3
   */
  readonly importsToKeep?: number;
  /**
   * Name of the DataSource the cron keeps pointing at the newest import; at
   * most 63 characters, as CDI requires.
   * @default - the image's name
   */
  readonly managedDataSource?: string;
}

/** Who may clone a golden image from another namespace. */
export interface GoldenImageGrantCloneOptions {
  /** Namespace of the service accounts that clone the image. */
  readonly namespace: string;
  /**
   * One service account of that namespace (VMs clone with their service
   * account, `default` unless set).
   * @default - every service account of the namespace (group `system:serviceaccounts:<namespace>`)
   */
  readonly serviceAccount?: string;
}

/** A golden image that clones and fleets boot from. */
export interface IGoldenImage extends IConstruct {
  /** Name of the image's DataVolume (and PVC). */
  readonly name: string;
  /** Namespace of the image. */
  readonly namespace: string;
  /** Size of the image's volume. */
  readonly size: Size;
  /**
   * Storage class of the image's volume.
   * @default - the cluster's default
   */
  readonly storageClass?: string;
  /**
   * Volume mode of the image's volume.
   * @default - from the StorageProfile
   */
  readonly volumeMode?: PersistentVolumeMode;
  /**
   * Access modes of the image's volume.
   * @default - from the StorageProfile
   */
  readonly accessModes?: PersistentVolumeAccessMode[];
  /** Kind of source the image is imported from. */
  readonly sourceKind: DataVolumeSourceKind;
  /**
   * What is known about the image's storage class beyond the manifests.
   * @default - nothing: the plans of its clones state their conditions
   */
  readonly storageFacts?: StorageFacts;
  /**
   * Name of the VolumeSnapshotClass the image is snapshotted with.
   * @default - no snapshot
   */
  readonly snapshotClassName?: string;
  /** The DataVolume that holds the image. */
  readonly dataVolume: IDataVolume;
  /**
   * The snapshot of the imported volume that smart clones restore from.
   * @default - no snapshot (no snapshot class given)
   */
  readonly snapshot?: IVolumeSnapshot;
  /**
   * The CDI DataSource that publishes the image.
   * @default - not published
   */
  readonly dataSource?: IDataSource;
  /**
   * Schedule of the DataImportCron that keeps the image up to date.
   * @default - no automatic updates
   */
  readonly importCronSchedule?: string;
  /** Lets service accounts of another namespace clone the image. */
  grantClone(options: GoldenImageGrantCloneOptions): void;
}

/** Properties of a `GoldenImage`. */
export interface GoldenImageProps {
  /**
   * Name of the image's DataVolume, PVC, snapshot and DataSource. At most
   * 63 characters: it is also the value of the image's
   * `kubevirt.cdk8s.io/golden-image` label and the name of its DataImportCron.
   * @default - the construct id, which must then be a DNS-1123 label
   */
  readonly name?: string;
  /**
   * Namespace of the image.
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /** Where the image is imported from: http, registry, S3, GCS or upload. */
  readonly source: DataVolumeSource;
  /** Size of the image's volume (at least the image's virtual size). */
  readonly size: Size;
  /**
   * Storage class of the volume. Smart clones need the clones on the same class.
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;
  /**
   * Access modes of the volume.
   * @default - from the storage class's StorageProfile
   */
  readonly accessModes?: PersistentVolumeAccessMode[];
  /**
   * Volume mode of the volume. Clones of the image get the same mode.
   * @default - `storageFacts.volumeMode` when given, else from the storage class's StorageProfile
   */
  readonly volumeMode?: PersistentVolumeMode;
  /**
   * What you know about the storage class beyond the manifests: the volume
   * mode its StorageProfile resolves, whether it allows volume expansion,
   * CDI's file system overhead. Clones and fleet plans use them; what is
   * left out stays a stated condition of the plan.
   * @default - nothing known
   */
  readonly storageFacts?: StorageFacts;
  /**
   * Whether the volume is allocated in full when imported.
   * @default true
   */
  readonly preallocation?: boolean;
  /**
   * Name of the VolumeSnapshotClass used to snapshot the imported volume.
   * With a class the image gets a VolumeSnapshot that smart clones restore
   * from. At most one of `snapshotClass` and `volumeSnapshotClass`.
   * @default - no snapshot
   */
  readonly snapshotClass?: string;
  /**
   * The VolumeSnapshotClass used to snapshot the imported volume.
   * @default - no snapshot
   */
  readonly volumeSnapshotClass?: IVolumeSnapshotClass;
  /**
   * Publishes the image as a CDI DataSource named after it, pointing at the
   * snapshot when there is one, else at the PVC. With `importCron`, CDI
   * manages the DataSource instead, so leave this unset.
   * @default false
   */
  readonly dataSource?: boolean;
  /**
   * Keeps the image up to date with a DataImportCron (registry sources only).
   * The cron imports new digests on its schedule into DataVolumes of its own
   * and points the DataSource `managedDataSource` at the newest one. The
   * image's own DataVolume and snapshot keep the first import: consumers that
   * should follow updates clone through the `dataSource` attribute.
   * @default - no automatic updates
   */
  readonly importCron?: GoldenImageImportCronOptions;
  /**
   * Extra labels on every object of the image.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}
