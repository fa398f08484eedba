/**
 * Pure rendering of DataVolume specs, shared by the DataVolume construct and
 * by owners of DataVolume templates (VirtualMachine `dataVolumeTemplates`,
 * fleets), which must not create standalone DataVolume objects. Not part of
 * the public API.
 */
import { IConstruct } from 'constructs';
import { DataSource } from './data-source';
import { DataVolumeProps } from './data-volume-options';
import { DataVolumeSourceKind } from './data-volume-source';
import { requireDns1123Subdomain } from '../validation/checks';
import { propError } from '../validation/errors';
import { bytesToQuantity, sizeToBytes } from '../validation/quantity';
import { requireDataVolumeStorageShapes } from './private/references';

/** CDI's admission refuses DataVolumes (and templates) that request less storage than 1 MiB. */
export const CDI_MIN_SIZE_BYTES = 1024n * 1024n;

/** Annotation that makes CDI fill a DataVolume without waiting for a consumer pod. */
export const BIND_IMMEDIATE_ANNOTATION = 'cdi.kubevirt.io/storage.bind.immediate.requested';

/** Annotation that makes CDI fill a DataVolume through its volume populators ('true') or not ('false'). */
export const USE_POPULATOR_ANNOTATION = 'cdi.kubevirt.io/storage.usePopulator';

/** A VirtualMachine `spec.dataVolumeTemplates` entry. */
export interface DataVolumeTemplate {
  readonly metadata: {
    readonly name: string;
    readonly labels?: { [key: string]: string };
    readonly annotations?: { [key: string]: string };
  };
  readonly spec: Record<string, any>;
}

export const ACCESS_MODES = new Set(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']);
export const VOLUME_MODES = new Set(['Filesystem', 'Block']);

function sortedCopy(map: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  return Object.fromEntries(Object.keys(map).sort().map(k => [k, map[k]]));
}

/** Whether a DataVolume restores a VolumeSnapshot, directly or through a DataSource of one. */
function clonesSnapshot(props: DataVolumeProps): boolean {
  if (props.source?.kind === DataVolumeSourceKind.SNAPSHOT) return true;
  return props.sourceRef instanceof DataSource && props.sourceRef.source._isSnapshot;
}

/**
 * The labels and annotations of a DataVolume (or template), with the
 * bind-immediately annotation added when asked for, and CDI's populators
 * asked for when it restores a snapshot.
 */
export function renderDataVolumeMetadata(scope: IConstruct, props: DataVolumeProps): {
  labels?: { [key: string]: string }; annotations?: { [key: string]: string };
} {
  const annotations: { [key: string]: string } = { ...(props.annotations ?? {}) };
  if (props.bindImmediately) {
    const given = annotations[BIND_IMMEDIATE_ANNOTATION];
    if (given !== undefined && given !== 'true') {
      throw propError(scope, 'annotations', `${BIND_IMMEDIATE_ANNOTATION}: ${given}`, 'contradicts \'bindImmediately: true\'',
        `remove the '${BIND_IMMEDIATE_ANNOTATION}' annotation or 'bindImmediately'`);
    }
    annotations[BIND_IMMEDIATE_ANNOTATION] = 'true';
  }
  // CDI restores a snapshot copy-on-write only through its clone populator,
  // and its DataVolume controller decides against the populators when the
  // storage class's CSI driver registers no CSIDriver object: it then copies
  // the snapshot host-assisted (shouldUseCDIPopulator,
  // pkg/controller/datavolume/controller-base.go:1317 at CDI v1.65.0).
  if (clonesSnapshot(props) && annotations[USE_POPULATOR_ANNOTATION] === undefined) {
    annotations[USE_POPULATOR_ANNOTATION] = 'true';
  }
  const labels = sortedCopy(props.labels);
  const sortedAnnotations = sortedCopy(annotations);
  return {
    ...(labels && { labels }),
    ...(sortedAnnotations && { annotations: sortedAnnotations }),
  };
}

/**
 * Validates DataVolume props and renders `spec` (source or sourceRef,
 * storage, preallocation, contentType). Throws the library's error for bad
 * props, with the path of `scope`.
 */
export function renderDataVolumeSpec(scope: IConstruct, props: DataVolumeProps): Record<string, any> {
  requireDataVolumeStorageShapes(scope, props);
  const { source, sourceRef } = props;
  if (source && sourceRef) {
    throw propError(scope, 'sourceRef', sourceRef.name, 'cannot be combined with \'source\'', 'set either \'source\' or \'sourceRef\'');
  }
  if (!source && !sourceRef) {
    throw propError(scope, 'source', undefined, 'is required (or \'sourceRef\')',
      'set \'source\', e.g. DataVolumeSource.http(url) or DataVolumeSource.blank(), or \'sourceRef\' to a DataSource');
  }

  const storage: Record<string, any> = {};
  if (props.accessModes !== undefined) {
    if (props.accessModes.length === 0) {
      throw propError(scope, 'accessModes', props.accessModes, 'must not be empty', 'leave \'accessModes\' unset to let the StorageProfile decide');
    }
    const seen = new Set<string>();
    for (const mode of props.accessModes) {
      if (!ACCESS_MODES.has(mode)) {
        throw propError(scope, 'accessModes', mode, 'must hold PersistentVolumeAccessMode values', 'use e.g. PersistentVolumeAccessMode.READ_WRITE_ONCE');
      }
      if (seen.has(mode)) {
        throw propError(scope, 'accessModes', props.accessModes, `lists '${mode}' twice`, 'list each access mode once');
      }
      seen.add(mode);
    }
    storage.accessModes = [...props.accessModes];
  }

  const cloneLike = sourceRef !== undefined || source?._isClone === true;
  if (props.size !== undefined) {
    const bytes = sizeToBytes(props.size);
    if (bytes === undefined) {
      throw propError(scope, 'size', props.size.asString(), 'must be a whole number of bytes', 'use a size such as Size.gibibytes(10)');
    }
    if (bytes < CDI_MIN_SIZE_BYTES) {
      throw propError(scope, 'size', props.size.asString(), 'must be at least 1 MiB (CDI refuses smaller storage requests)',
        'use a size such as Size.gibibytes(10), and at least Size.mebibytes(1)');
    }
    storage.resources = { requests: { storage: bytesToQuantity(bytes) } };
  } else if (!cloneLike) {
    throw propError(scope, 'size', undefined, `is required for ${source!.kind} sources`,
      'set \'size\' to at least the virtual size of the disk, e.g. Size.gibibytes(10)');
  }

  if (props.storageClass !== undefined) {
    requireDns1123Subdomain(scope, 'storageClass', props.storageClass);
    storage.storageClassName = props.storageClass;
  }
  if (props.volumeMode !== undefined) {
    if (!VOLUME_MODES.has(props.volumeMode)) {
      throw propError(scope, 'volumeMode', props.volumeMode, 'must be a PersistentVolumeMode', 'use PersistentVolumeMode.BLOCK or PersistentVolumeMode.FILE_SYSTEM');
    }
    storage.volumeMode = props.volumeMode;
  }

  if (props.contentType === 'archive') {
    if (source?.kind === DataVolumeSourceKind.BLANK || source?.kind === DataVolumeSourceKind.REGISTRY) {
      throw propError(scope, 'contentType', props.contentType, `cannot be used with ${source.kind} sources`,
        'leave \'contentType\' unset (kubevirt) or import the archive over http or upload');
    }
    if (props.volumeMode === 'Block') {
      throw propError(scope, 'contentType', props.contentType, 'needs a file system volume, an archive cannot be unpacked onto a block volume',
        'remove \'volumeMode: BLOCK\' or the archive content type');
    }
  } else if (props.contentType !== undefined && props.contentType !== 'kubevirt') {
    throw propError(scope, 'contentType', props.contentType, 'must be a DataVolumeContentType', 'use DataVolumeContentType.KUBEVIRT or ARCHIVE');
  }

  return {
    ...(props.contentType !== undefined && { contentType: props.contentType }),
    ...(props.preallocation !== undefined && { preallocation: props.preallocation }),
    ...(source && { source: source._render() }),
    ...(sourceRef && {
      sourceRef: { kind: 'DataSource', name: sourceRef.name, namespace: sourceRef.namespace },
    }),
    storage,
  };
}

/**
 * Renders a VirtualMachine `dataVolumeTemplates` entry without creating a
 * DataVolume object: the VM owns such DataVolumes and creates them itself in
 * its own namespace, so `namespace` must not be set.
 */
export function renderDataVolumeTemplate(scope: IConstruct, props: DataVolumeProps & { readonly name: string }): DataVolumeTemplate {
  if (props.namespace !== undefined) {
    throw propError(scope, 'namespace', props.namespace, 'cannot be set on a DataVolume template, it is created in the VM\'s namespace',
      'remove \'namespace\'');
  }
  requireDns1123Subdomain(scope, 'name', props.name);
  const spec = renderDataVolumeSpec(scope, props);
  return { metadata: { name: props.name, ...renderDataVolumeMetadata(scope, props) }, spec };
}
