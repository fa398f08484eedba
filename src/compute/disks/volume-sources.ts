/**
 * Internal: the one volume model of the compute area. Every factory of
 * `BootDisk` and `Disk` builds its volume here, so a boot disk and a data
 * disk of the same kind render the same `volumes[]` entry (and DataVolume
 * template). Not exported from the package.
 */
import { Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { dataVolumeTemplateSource, describeSize, imageCloneProps, imageCloneSizing } from './image-clone';
import { BootDiskSource, VolumeKind } from './volume-plan';
import { DataSource, IDataSource } from '../../storage/data-source';
import { DataVolumeProps } from '../../storage/data-volume-options';
import { DataVolumeSource, DataVolumeSourceKind } from '../../storage/data-volume-source';
import { GoldenImage } from '../../storage/golden-image';
import { IGoldenImage } from '../../storage/golden-image-options';
import { checkCleanAbsolutePath, checkPinnedImage, NODE_FILE, propError, requireDns1123Subdomain } from '../../validation';
import { sizeToBytes, sizeToQuantity } from '../../validation/quantity';

/** How a clone of a golden image is made (mirrors the public `CloneStrategy`). */
export type CloneStrategyValue = string;

/** A container disk image, pinned; `path` inside the image. */
export function containerDiskVolume(image: string, path: string | undefined): BootDiskSource {
  return {
    kind: VolumeKind.CONTAINER_DISK,
    description: `containerDisk '${image}'`,
    validate: (scope, prop) => {
      const problem = checkPinnedImage(image);
      if (problem) {
        throw propError(scope, `${prop}.image`, image, problem,
          'pin the image to a release tag (quay.io/containerdisks/fedora:41) or a digest (...@sha256:<hex>)');
      }
      const pathProblem = path === undefined ? undefined : checkCleanAbsolutePath(path);
      if (pathProblem) {
        throw propError(scope, `${prop}.path`, path, pathProblem, 'give the image file\'s absolute path, e.g. \'/disk/fedora.qcow2\', or leave path out');
      }
    },
    bind: vm => ({
      volume: {
        name: vm.volumeName,
        containerDisk: path === undefined ? { image } : { image, path },
      },
      migratable: true,
    }),
  };
}

/** An existing PersistentVolumeClaim of the VM's namespace. */
export function persistentVolumeClaimVolume(claimName: string, accessMode: PersistentVolumeAccessMode | undefined,
  readOnly: boolean | undefined, hotpluggable?: boolean): BootDiskSource {
  return {
    kind: VolumeKind.PERSISTENT_VOLUME_CLAIM,
    description: `persistentVolumeClaim '${claimName}'`,
    knownAccessModes: accessMode === undefined ? undefined : [accessMode],
    validate: (scope, prop) => requireDns1123Subdomain(scope, `${prop}.claimName`, claimName),
    bind: vm => {
      const pvc: any = { claimName };
      if (readOnly) pvc.readOnly = true;
      if (hotpluggable) pvc.hotpluggable = true;
      return {
        volume: { name: vm.volumeName, persistentVolumeClaim: pvc },
        accessModes: accessMode === undefined ? undefined : [accessMode],
      };
    },
  };
}

/** An existing DataVolume, by reference. */
export function dataVolumeVolume(name: string, accessMode: PersistentVolumeAccessMode | undefined, hotpluggable?: boolean): BootDiskSource {
  return {
    kind: VolumeKind.DATA_VOLUME,
    description: `dataVolume '${name}'`,
    knownAccessModes: accessMode === undefined ? undefined : [accessMode],
    validate: (scope, prop) => requireDns1123Subdomain(scope, `${prop}.dataVolume`, name),
    bind: vm => ({
      volume: { name: vm.volumeName, dataVolume: hotpluggable ? { name, hotpluggable: true } : { name } },
      accessModes: accessMode === undefined ? undefined : [accessMode],
    }),
  };
}

/**
 * The part of a fleet plan a DataVolume template with this source costs per
 * VM. KubeVirt turns a DataSource reference into the DataSource's own
 * source (a snapshot or a PVC) for every VM, so CDI clones it once per VM.
 */
export function templatePlan(source: DataVolumeSource | undefined, size: Size | undefined, sourceRef?: IDataSource): BootDiskSource['plan'] {
  const bytes = size === undefined ? 0 : Number(sizeToBytes(size) ?? 0n);
  if (source === undefined && sourceRef !== undefined) {
    if (sourceRef instanceof DataSource) {
      // a golden image's own DataSource: the plan counts the image's import and snapshot once
      const owner = sourceRef.node.scope;
      const image = owner instanceof GoldenImage && owner.dataSource === sourceRef ? owner : undefined;
      return sourceRef.source._isSnapshot
        ? { fill: 'copy-on-write', bytes: 0, provisioned: bytes, ...(image && { image }) }
        : { fill: 'full-copy', bytes: bytes || Number((image && sizeToBytes(image.size)) ?? 0n), provisioned: bytes, ...(image && { image }) };
    }
    return {
      fill: 'copy-on-write',
      bytes: 0,
      provisioned: bytes,
      conditions: [`DataSource '${sourceRef.namespace}/${sourceRef.name}' points at a VolumeSnapshot (a PVC behind it means a full copy per VM)`],
    };
  }
  switch (source?.kind) {
    case DataVolumeSourceKind.SNAPSHOT: return { fill: 'copy-on-write', bytes: 0, provisioned: bytes };
    case DataVolumeSourceKind.PVC: return { fill: 'full-copy', bytes, provisioned: bytes };
    case DataVolumeSourceKind.HTTP:
    case DataVolumeSourceKind.REGISTRY:
    case DataVolumeSourceKind.S3:
    case DataVolumeSourceKind.GCS:
    case DataVolumeSourceKind.UPLOAD:
      return { fill: 'import', bytes, provisioned: bytes };
    default: return { fill: 'none', bytes: 0, provisioned: bytes };
  }
}

/** A DataVolume the VM owns, filled from a source or a DataSource. */
export function dataVolumeTemplateVolume(props: DataVolumeProps): BootDiskSource {
  const what = props.source ? `${props.source.kind} source` : `DataSource '${props.sourceRef?.name}'`;
  return {
    ...dataVolumeTemplateSource(`dataVolumeTemplate (${what})`, { ...props }),
    kind: VolumeKind.DATA_VOLUME_TEMPLATE,
    knownAccessModes: props.accessModes,
    volumeMode: props.volumeMode,
    plan: templatePlan(props.source, props.size, props.sourceRef),
  };
}

/** A clone of a golden image that the VM owns. */
export function cloneOfVolume(image: IGoldenImage, strategy: CloneStrategyValue, size: Size | undefined,
  accessModes: PersistentVolumeAccessMode[] | undefined): BootDiskSource {
  const snapshot = strategy === 'snapshot' ? image.snapshot : undefined;
  const description = `clone of golden image '${image.namespace}/${image.name}'`;
  const sizing = imageCloneSizing(image, strategy === 'snapshot', size, accessModes);
  const check = (scope: IConstruct, prop: string) => {
    if (strategy !== 'snapshot' && strategy !== 'host-assisted') {
      throw propError(scope, `${prop}.strategy`, strategy, 'must be a CloneStrategy', 'use CloneStrategy.SNAPSHOT or HOST_ASSISTED');
    }
    if (strategy === 'snapshot' && !snapshot) {
      throw propError(scope, `${prop}.strategy`, strategy, `needs a golden image with a snapshot class, and '${image.name}' has none`,
        'give the image a snapshotClass, or use CloneStrategy.HOST_ASSISTED');
    }
    if (sizing.problem && size !== undefined) {
      throw propError(scope, `${prop}.size`, describeSize(size), sizing.problem.problem, sizing.problem.fix);
    }
  };
  const source = snapshot
    ? DataVolumeSource.snapshot(snapshot.namespace, snapshot.name)
    : DataVolumeSource.pvc(image.namespace, image.dataVolume.name);
  const props = imageCloneProps(image, source, sizing.size, accessModes);
  // CDI clones across namespaces only with the image's clone grant: without it the disk never appears
  const grant = (namespace: string) => {
    if (namespace !== image.namespace) image.grantClone({ namespace });
  };
  return {
    ...dataVolumeTemplateSource(description, props, check, (_scope, namespace) => grant(namespace)),
    kind: VolumeKind.DATA_VOLUME_TEMPLATE,
    knownAccessModes: props.accessModes,
    volumeMode: props.volumeMode,
    plan: {
      fill: snapshot ? 'copy-on-write' : 'full-copy',
      bytes: snapshot ? 0 : Number(sizeToBytes(image.size) ?? 0n),
      provisioned: sizing.provisionedBytes,
      image,
      ...(snapshot && sizing.conditions.length > 0 && { conditions: sizing.conditions }),
    },
    prepareFleet: grant,
  };
}

/** Checks a capacity the way KubeVirt and CDI read quantities: whole bytes, above zero. */
export function requireCapacity(scope: IConstruct, prop: string, capacity: Size): string {
  const quantity = sizeToQuantity(capacity);
  const bytes = sizeToBytes(capacity);
  if (quantity === undefined || bytes === undefined || bytes <= 0n) {
    throw propError(scope, prop, describeSize(capacity), 'must be a whole number of bytes greater than zero', 'give a size such as Size.gibibytes(10)');
  }
  return quantity;
}

/** A sparse, empty disk image that lives as long as the VM's pod. */
export function emptyDiskVolume(capacity: Size): BootDiskSource {
  return {
    kind: VolumeKind.EMPTY_DISK,
    description: `emptyDisk of ${describeSize(capacity)}`,
    validate: (scope, prop) => { requireCapacity(scope, `${prop}.capacity`, capacity); },
    bind: vm => ({ volume: { name: vm.volumeName, emptyDisk: { capacity: sizeToQuantity(capacity) } } }),
  };
}

/** A claim used through a throwaway copy-on-write overlay. */
export function ephemeralVolume(claimName: string): BootDiskSource {
  return {
    kind: VolumeKind.EPHEMERAL,
    description: `ephemeral overlay on persistentVolumeClaim '${claimName}'`,
    validate: (scope, prop) => requireDns1123Subdomain(scope, `${prop}.claimName`, claimName),
    bind: vm => ({ volume: { name: vm.volumeName, ephemeral: { persistentVolumeClaim: { claimName, readOnly: true } } } }),
  };
}

/** A disk image file on the node. */
export function hostDiskVolume(path: string, type: string, capacity: Size | undefined, shared: boolean | undefined): BootDiskSource {
  return {
    kind: VolumeKind.HOST_DISK,
    description: `hostDisk '${path}'`,
    validate: (scope, prop) => {
      const pathProblem = checkCleanAbsolutePath(path, NODE_FILE);
      if (pathProblem) {
        throw propError(scope, `${prop}.path`, path, pathProblem, 'give the full path of the image file, such as \'/var/lib/vm-disks/db.img\'');
      }
      if (type !== 'Disk' && type !== 'DiskOrCreate') {
        throw propError(scope, `${prop}.type`, type, 'must be a HostDiskType', 'use HostDiskType.DISK or HostDiskType.DISK_OR_CREATE');
      }
      if (type === 'Disk' && capacity !== undefined) {
        throw propError(scope, `${prop}.capacity`, describeSize(capacity), 'only applies to HostDiskType.DISK_OR_CREATE (an existing file keeps its size)',
          'remove \'capacity\', or use HostDiskType.DISK_OR_CREATE');
      }
      if (type === 'DiskOrCreate' && capacity === undefined) {
        throw propError(scope, `${prop}.capacity`, undefined, 'is required with HostDiskType.DISK_OR_CREATE (the size of the file to create)',
          'give a capacity such as Size.gibibytes(5)');
      }
      if (capacity !== undefined) requireCapacity(scope, `${prop}.capacity`, capacity);
    },
    bind: vm => {
      // KubeVirt's VM mutator writes the whole spec back from its Go types,
      // where hostDisk.capacity is a Quantity that omitempty cannot leave
      // out: an existing file's disk is stored with capacity '0' (v1.9.0
      // staging api core/v1/schema.go:85), so the library writes it too.
      const hostDisk: any = { path, type, capacity: capacity !== undefined ? sizeToQuantity(capacity) : '0' };
      if (shared) hostDisk.shared = true;
      return {
        volume: { name: vm.volumeName, hostDisk },
        migrationBlocker: shared ? undefined : 'is a hostDisk that is not shared between nodes',
      };
    },
  };
}

/** A ConfigMap, Secret, ServiceAccount or downward API volume (a small read-only disk). */
export function configVolume(kind: VolumeKind, name: string, volume: any, checkName: boolean = true): BootDiskSource {
  return {
    kind,
    description: name === '' ? kind : `${kind} '${name}'`,
    validate: (scope, prop) => { if (checkName) requireDns1123Subdomain(scope, `${prop}.name`, name); },
    bind: vm => ({ volume: { name: vm.volumeName, [kind]: JSON.parse(JSON.stringify(volume)) }, migratable: true }),
  };
}
