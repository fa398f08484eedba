import { Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { BootDiskCloneOfOptions, ContainerDiskOptions } from './boot-disk';
import { Sysprep } from './sysprep';
import { BootDiskSource, VolumeKind } from './volume-plan';
import {
  cloneOfVolume, configVolume, containerDiskVolume, dataVolumeTemplateVolume, dataVolumeVolume, emptyDiskVolume, ephemeralVolume,
  hostDiskVolume, persistentVolumeClaimVolume,
} from './volume-sources';
import { DataVolumeStorageOptions, IDataVolume } from '../../storage/data-volume-options';
import { IGoldenImage } from '../../storage/golden-image-options';
import { propError } from '../../validation/errors';
import {
  optionalBoolean, optionalEnum, optionalSize, optionalString, requireInstance, requireInterface, requireSize,
  requireString, requireStruct,
} from '../../validation/types';

/** Options of {@link Disk.persistentVolumeClaim}. */
export interface DiskPersistentVolumeClaimOptions {
  /**
   * Access mode of the claim, when known: the VM's live-migration check and
   * the fleet's sharing rule read it.
   *
   * @default - unknown; those checks skip the disk
   */
  readonly accessMode?: PersistentVolumeAccessMode;

  /**
   * Attach the claim read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of {@link Disk.dataVolume}. */
export interface DiskDataVolumeOptions {
  /**
   * Access mode of the DataVolume's claim, when known.
   *
   * @default - unknown; the live-migration check and the fleet's sharing
   * rule skip the disk
   */
  readonly accessMode?: PersistentVolumeAccessMode;
}

/** Options of {@link Disk.hostDisk}. */
export interface DiskHostDiskOptions {
  /**
   * Whether the file must exist or may be created.
   *
   * @default HostDiskType.DISK
   */
  readonly type?: HostDiskType;

  /**
   * Size of the file to create; only with `HostDiskType.DISK_OR_CREATE`,
   * where it is required.
   *
   * @default - none (the existing file's size)
   */
  readonly capacity?: Size;

  /**
   * The path is on storage every node shares, so the disk can follow a
   * live migration.
   *
   * @default false
   */
  readonly shared?: boolean;
}

/** Options of {@link Disk.downwardApi}. */
export interface DiskDownwardApiOptions {
  /**
   * Files of the disk, each holding one field of the VM's pod: file path
   * to field path (`{ labels: 'metadata.labels' }`).
   */
  readonly fields: { [path: string]: string };
}

const DOWNWARD_FIELDS = /^(metadata\.(name|namespace|uid|labels|annotations)|metadata\.(labels|annotations)\['[^']+'\])$/;

/**
 * A volume a VM attaches besides its boot disk: a data disk, a CD-ROM, a
 * scratch disk, a config disk or a virtiofs share. The factories mirror
 * KubeVirt's volume kinds; `VirtualMachine.addDisk()` and
 * `addFilesystem()` say how the guest sees it. Disks and boot disks share
 * one volume model, so a kind renders the same either way.
 */
export class Disk {
  /** A container disk image, pinned to a tag or digest; writes go to a throwaway overlay. */
  public static containerDisk(image: string, options: ContainerDiskOptions = {}): Disk {
    requireString(undefined, 'image', image, 'pass the image reference, e.g. \'quay.io/containerdisks/fedora:41\'');
    const o = requireStruct<ContainerDiskOptions>(undefined, 'options', options, true);
    optionalString(undefined, 'options.path', o.path);
    return new Disk(containerDiskVolume(image, o.path));
  }

  /** An existing PersistentVolumeClaim of the VM's namespace. */
  public static persistentVolumeClaim(claimName: string, options: DiskPersistentVolumeClaimOptions = {}): Disk {
    requireString(undefined, 'claimName', claimName);
    const o = requireStruct<DiskPersistentVolumeClaimOptions>(undefined, 'options', options, true);
    optionalEnum(undefined, 'options.accessMode', o.accessMode, PersistentVolumeAccessMode, 'PersistentVolumeAccessMode');
    optionalBoolean(undefined, 'options.readOnly', o.readOnly);
    return new Disk(persistentVolumeClaimVolume(claimName, o.accessMode, o.readOnly), { ref: claimName, ...o });
  }

  /**
   * An existing DataVolume (defined in this app, or imported with
   * `DataVolume.fromDataVolumeName()`), by reference; the VM does not own it.
   */
  public static dataVolume(dataVolume: IDataVolume, options: DiskDataVolumeOptions = {}): Disk {
    requireInterface<IDataVolume>(undefined, 'dataVolume', dataVolume, 'IDataVolume', ['name', 'node'],
      'pass a DataVolume of this app or DataVolume.fromDataVolumeName()');
    const o = requireStruct<DiskDataVolumeOptions>(undefined, 'options', options, true);
    optionalEnum(undefined, 'options.accessMode', o.accessMode, PersistentVolumeAccessMode, 'PersistentVolumeAccessMode');
    return new Disk(dataVolumeVolume(dataVolume.name, o.accessMode), { ref: dataVolume.name, ...o });
  }

  /**
   * A DataVolume the VM creates and owns (`spec.dataVolumeTemplates`),
   * named `<vm name>-<disk name>`: blank, imported, or cloned. In a fleet
   * every VM gets its own.
   */
  public static dataVolumeTemplate(options: DataVolumeStorageOptions): Disk {
    const o = requireStruct<DataVolumeStorageOptions>(undefined, 'options', options);
    optionalSize(undefined, 'options.size', o.size);
    optionalString(undefined, 'options.storageClass', o.storageClass);
    return new Disk(dataVolumeTemplateVolume({ ...o }));
  }

  /**
   * A clone of a golden image that the VM owns, copy-on-write from the
   * image's snapshot by default, like `BootDisk.cloneOf()`. In a fleet every
   * VM gets its own clone.
   */
  public static cloneOf(image: IGoldenImage, options: BootDiskCloneOfOptions = {}): Disk {
    requireInterface<IGoldenImage>(undefined, 'image', image, 'IGoldenImage', ['name', 'namespace', 'size', 'dataVolume'],
      'pass a GoldenImage');
    const o = requireStruct<BootDiskCloneOfOptions>(undefined, 'options', options, true);
    optionalSize(undefined, 'options.size', o.size);
    return new Disk(cloneOfVolume(image, o.strategy ?? 'snapshot', o.size, o.accessModes));
  }

  /** An empty, sparse disk of `capacity` that lives as long as the VM's pod (scratch space). */
  public static emptyDisk(capacity: Size): Disk {
    requireSize(undefined, 'capacity', capacity);
    return new Disk(emptyDiskVolume(capacity));
  }

  /**
   * An existing claim used read-only under a throwaway copy-on-write
   * overlay: the guest may write, every restart starts from the claim again.
   */
  public static ephemeral(claimName: string): Disk {
    requireString(undefined, 'claimName', claimName);
    return new Disk(ephemeralVolume(claimName));
  }

  /**
   * A disk image file on the node (`hostDisk`). Needs the HostDisk feature
   * gate, and blocks live migration unless `shared`.
   */
  public static hostDisk(path: string, options: DiskHostDiskOptions = {}): Disk {
    requireString(undefined, 'path', path);
    const o = requireStruct<DiskHostDiskOptions>(undefined, 'options', options, true);
    optionalEnum(undefined, 'options.type', o.type, HostDiskType, 'HostDiskType');
    optionalSize(undefined, 'options.capacity', o.capacity);
    optionalBoolean(undefined, 'options.shared', o.shared);
    return new Disk(hostDiskVolume(path, o.type ?? HostDiskType.DISK, o.capacity, o.shared));
  }

  /** A ConfigMap of the VM's namespace as a small read-only disk (or a virtiofs share). */
  public static configMap(name: string): Disk {
    requireString(undefined, 'name', name);
    return new Disk(configVolume(VolumeKind.CONFIG_MAP, name, { name }));
  }

  /** A Secret of the VM's namespace as a small read-only disk (or a virtiofs share). */
  public static secret(secretName: string): Disk {
    requireString(undefined, 'secretName', secretName);
    return new Disk(configVolume(VolumeKind.SECRET, secretName, { secretName }));
  }

  /** The token of a ServiceAccount as a disk; a VM can have at most one. */
  public static serviceAccount(serviceAccountName: string): Disk {
    requireString(undefined, 'serviceAccountName', serviceAccountName);
    return new Disk(configVolume(VolumeKind.SERVICE_ACCOUNT, serviceAccountName, { serviceAccountName }));
  }

  /** Fields of the VM's pod (labels, annotations, name...) as files of a disk. */
  public static downwardApi(options: DiskDownwardApiOptions): Disk {
    const o = requireStruct<DiskDownwardApiOptions>(undefined, 'options', options);
    const fields = requireStruct<{ [path: string]: string }>(undefined, 'options.fields', o.fields);
    const paths = Object.keys(fields).sort();
    if (paths.length === 0) {
      throw propError(undefined, 'options.fields', fields, 'must name at least one file', 'give e.g. { labels: \'metadata.labels\' }');
    }
    for (const path of paths) {
      const fieldPath = fields[path];
      requireString(undefined, `options.fields.${path}`, fieldPath);
      if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(path) || path.split('/').some(p => p === '..' || p === '.')) {
        throw propError(undefined, 'options.fields', path, 'must be a relative file path without \'.\' or \'..\' parts', 'use a path such as \'labels\'');
      }
      if (!DOWNWARD_FIELDS.test(fieldPath)) {
        throw propError(undefined, `options.fields.${path}`, fieldPath, 'is not a field a downward API volume can expose',
          'use metadata.name, metadata.namespace, metadata.uid, metadata.labels or metadata.annotations (or one key of them)');
      }
    }
    const volume = { fields: paths.map(path => ({ path, fieldRef: { fieldPath: fields[path] } })) };
    return new Disk(configVolume(VolumeKind.DOWNWARD_API, '', volume, false));
  }

  /** Windows answer files (a `sysprep` volume), attached as a CD-ROM. */
  public static sysprep(sysprep: Sysprep): Disk {
    requireInstance(undefined, 'sysprep', sysprep, Sysprep, 'Sysprep.fromSecret() or Sysprep.fromConfigMap()');
    const volume = { [sysprep.kind]: { name: sysprep.name } };
    return new Disk(configVolume(VolumeKind.SYSPREP, sysprep.name, volume));
  }

  /** @internal */
  public readonly _source: BootDiskSource;
  /** What a PVC or DataVolume disk refers to, to rebuild it hotpluggable. */
  private readonly reference?: ClaimReference;

  private constructor(source: BootDiskSource, reference?: ClaimReference) {
    this._source = source;
    this.reference = reference;
  }

  /** The same volume marked hotpluggable, for PVC and DataVolume disks only. @internal */
  public _hotpluggable(): BootDiskSource | undefined {
    const r = this.reference;
    if (r === undefined) return undefined;
    return this._source.kind === VolumeKind.PERSISTENT_VOLUME_CLAIM
      ? persistentVolumeClaimVolume(r.ref, r.accessMode, r.readOnly, true)
      : dataVolumeVolume(r.ref, r.accessMode, true);
  }
}

interface ClaimReference {
  readonly ref: string;
  readonly accessMode?: PersistentVolumeAccessMode;
  readonly readOnly?: boolean;
}


/** Whether a hostDisk file must exist or may be created. */
export enum HostDiskType {
  /** The image file must already exist (`Disk`). */
  DISK = 'Disk',
  /** The image file is created with `capacity` when missing (`DiskOrCreate`). */
  DISK_OR_CREATE = 'DiskOrCreate',
}
