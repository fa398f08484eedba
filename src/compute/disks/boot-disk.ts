import { Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { BootDiskBindContext, BootDiskBinding, BootDiskSource } from './volume-plan';
import {
  cloneOfVolume, containerDiskVolume, dataVolumeTemplateVolume, dataVolumeVolume, persistentVolumeClaimVolume,
} from './volume-sources';
import { DataVolumeStorageOptions, IDataVolume } from '../../storage/data-volume-options';
import { IGoldenImage } from '../../storage/golden-image-options';
import { requireGoldenImage } from '../../storage/private/references';
import {
  optionalArray, optionalBoolean, optionalEnum, optionalSize, optionalString, requireEnum, requireInterface, requireString, requireStruct,
} from '../../validation';

/** Options of a container disk: {@link BootDisk.containerDisk} and {@link Disk.containerDisk}. */
export interface ContainerDiskOptions {
  /**
   * Path of the disk image inside the container: absolute, clean (no `.`,
   * `..` or doubled slashes) and not `/`, as KubeVirt requires.
   *
   * @default - KubeVirt looks in `/disk`
   */
  readonly path?: string;
}

/**
 * Options of {@link BootDisk.containerDisk}.
 *
 * @deprecated use `ContainerDiskOptions`, the name that fits both
 * `BootDisk.containerDisk` and `Disk.containerDisk`
 */
export interface BootDiskContainerDiskOptions extends ContainerDiskOptions {}

/** Options of {@link BootDisk.persistentVolumeClaim}. */
export interface BootDiskPersistentVolumeClaimOptions {
  /**
   * Access mode of the claim, when known. It lets the VM check live
   * migration: a ReadWriteOnce claim cannot follow the VM to another node.
   *
   * @default - unknown; no live-migration check on this disk
   */
  readonly accessMode?: PersistentVolumeAccessMode;

  /**
   * Attach the claim read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of {@link BootDisk.dataVolume}. */
export interface BootDiskDataVolumeOptions {
  /**
   * Access mode of the DataVolume's claim, when known, for the VM's
   * live-migration check.
   *
   * @default - unknown; no live-migration check on this disk
   */
  readonly accessMode?: PersistentVolumeAccessMode;
}

/** How the disks of VMs are cloned from a golden image. */
export enum CloneStrategy {
  /**
   * Restore the golden image's VolumeSnapshot (`source.snapshot`): a
   * copy-on-write clone on storage that supports it. Needs an image with a
   * snapshot class, and the clone on the image's storage class.
   */
  SNAPSHOT = 'snapshot',
  /**
   * Clone the golden image's PVC (`source.pvc`), for storage without
   * snapshots. CDI picks the clone method: a host-assisted copy by a cloner
   * pod unless the CDI `cloneStrategyOverride` or the StorageProfile's
   * `cloneStrategy` (or its default, when the storage class has a
   * VolumeSnapshotClass or CSI clone support) lets it clone more cheaply.
   * Set `Cdi` `cloneStrategyOverride: CdiCloneStrategy.COPY` to make every clone
   * a host-assisted copy.
   */
  HOST_ASSISTED = 'host-assisted',
}

/** Options of {@link BootDisk.cloneOf}. */
export interface BootDiskCloneOfOptions {
  /**
   * How the disk is cloned.
   *
   * @default CloneStrategy.SNAPSHOT
   */
  readonly strategy?: CloneStrategy;
  /**
   * Size of the disk: at least the image's size. The image's size is
   * rendered as no size, so CDI sizes the clone from its source (a
   * snapshot's restore size holds a Filesystem image's padding). A larger
   * size with the snapshot strategy must hold that padding too (CDI's file
   * system overhead, 6 % by default) and needs a storage class that allows
   * volume expansion.
   *
   * @default - the image's size, as CDI sizes it from the source
   */
  readonly size?: Size;
  /**
   * Access modes of the disk.
   *
   * @default - the image's access modes (else the StorageProfile's)
   */
  readonly accessModes?: PersistentVolumeAccessMode[];
}

/**
 * The disk a VM boots from. Container disks are ephemeral (reset at every
 * start); persistent volume claims keep their data.
 */
export class BootDisk {
  /**
   * Boots from a container disk image: the image is pulled onto the node and
   * the VM writes to a throwaway overlay. The image must be pinned to a tag
   * other than `latest` or to a digest.
   */
  public static containerDisk(image: string, options: ContainerDiskOptions = {}): BootDisk {
    requireString('BootDisk.containerDisk', 'image', image, 'give the image reference, e.g. \'quay.io/containerdisks/fedora:41\'');
    requireStruct('BootDisk.containerDisk', 'options', options);
    optionalString('BootDisk.containerDisk', 'options.path', options.path);
    return new BootDisk(containerDiskVolume(image, options.path));
  }

  /**
   * Boots from an existing PersistentVolumeClaim in the VM's namespace.
   * Give its access mode when you know it, so the VM can tell whether it
   * can live-migrate.
   */
  public static persistentVolumeClaim(claimName: string, options: BootDiskPersistentVolumeClaimOptions = {}): BootDisk {
    requireString('BootDisk.persistentVolumeClaim', 'claimName', claimName, 'give the name of the claim');
    requireStruct('BootDisk.persistentVolumeClaim', 'options', options);
    optionalEnum('BootDisk.persistentVolumeClaim', 'options.accessMode', options.accessMode, PersistentVolumeAccessMode, 'PersistentVolumeAccessMode');
    optionalBoolean('BootDisk.persistentVolumeClaim', 'options.readOnly', options.readOnly);
    return new BootDisk(persistentVolumeClaimVolume(claimName, options.accessMode, options.readOnly));
  }

  /**
   * Boots from an existing DataVolume (or a DataVolume defined in this app)
   * in the VM's namespace, by reference (`volumes[].dataVolume.name`). The VM
   * does not own it: deleting the VM keeps the disk.
   */
  public static dataVolume(dataVolume: IDataVolume, options: BootDiskDataVolumeOptions = {}): BootDisk {
    requireInterface('BootDisk.dataVolume', 'dataVolume', dataVolume, 'IDataVolume', ['node', 'name'],
      'pass a DataVolume construct, or DataVolume.fromDataVolumeName() for an existing one');
    requireString('BootDisk.dataVolume', 'dataVolume.name', dataVolume.name);
    requireStruct('BootDisk.dataVolume', 'options', options);
    optionalEnum('BootDisk.dataVolume', 'options.accessMode', options.accessMode, PersistentVolumeAccessMode, 'PersistentVolumeAccessMode');
    return new BootDisk(dataVolumeVolume(dataVolume.name, options.accessMode));
  }

  /**
   * Boots from a DataVolume that the VM creates and owns
   * (`spec.dataVolumeTemplates`): CDI fills it from the source when the VM
   * is created, and it is deleted with the VM. The DataVolume is named
   * `<vm name>-rootdisk` (a VirtualMachinePool appends `-<index>`).
   */
  public static dataVolumeTemplate(options: DataVolumeStorageOptions): BootDisk {
    requireStruct('BootDisk.dataVolumeTemplate', 'options', options);
    return new BootDisk(dataVolumeTemplateVolume({ ...options }));
  }

  /**
   * Boots from a clone of a golden image that the VM owns: by default a
   * copy-on-write restore of the image's snapshot (`source.snapshot`), else
   * a clone of its PVC (`source.pvc`). The clone uses the image's storage
   * class and volume mode, the condition for CDI to clone efficiently. A VM
   * in another namespace than the image grants its namespace the right to
   * clone the image (`image.grantClone()`, as fleets do), since CDI would
   * otherwise never create the disk; CDI restores a snapshot across
   * namespaces by restoring it in the image's namespace and handing the
   * volume over. For many VMs from one image use `SmartCloneFleet`.
   */
  public static cloneOf(image: IGoldenImage, options: BootDiskCloneOfOptions = {}): BootDisk {
    requireGoldenImage('BootDisk.cloneOf', 'image', image);
    requireStruct('BootDisk.cloneOf', 'options', options);
    optionalEnum('BootDisk.cloneOf', 'options.strategy', options.strategy, CloneStrategy, 'CloneStrategy');
    optionalSize('BootDisk.cloneOf', 'options.size', options.size);
    optionalArray('BootDisk.cloneOf', 'options.accessModes', options.accessModes,
      (m, p) => requireEnum('BootDisk.cloneOf', p, m, PersistentVolumeAccessMode, 'PersistentVolumeAccessMode'));
    return new BootDisk(cloneOfVolume(image, options.strategy ?? CloneStrategy.SNAPSHOT, options.size, options.accessModes));
  }

  /**
   * Creates a boot disk from any source, for factories in other areas such
   * as DataVolume sources.
   * @internal
   */
  public static _fromSource(source: BootDiskSource): BootDisk {
    return new BootDisk(source);
  }

  private readonly source: BootDiskSource;

  private constructor(source: BootDiskSource) {
    this.source = source;
  }

  /** Short text for error messages. @internal */
  public get _description(): string {
    return this.source.description;
  }

  /** Throws the library error when the disk is unusable. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    this.source.validate(scope, prop);
  }

  /** Adds what the disk needs beside a VM in `namespace`. @internal */
  public _prepare(scope: IConstruct, namespace: string): void {
    this.source.prepare?.(scope, namespace);
  }

  /** Renders the disk for one VM. @internal */
  public _bind(vm: BootDiskBindContext): BootDiskBinding {
    return this.source.bind(vm);
  }

  /** The volume behind the disk, shared with `Disk`. @internal */
  public get _source(): BootDiskSource {
    return this.source;
  }
}
