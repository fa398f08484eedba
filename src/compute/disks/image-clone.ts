/**
 * Internal: boot disks whose root volume is a DataVolume template, shared by
 * the public `BootDisk` factories and by `SmartCloneFleet`. Not exported
 * from the package.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { BootDiskBinding, BootDiskSource, VolumeKind } from './volume-plan';
import { DataVolumeProps } from '../../storage/data-volume-options';
import { renderDataVolumeMetadata, renderDataVolumeSpec } from '../../storage/data-volume-render';
import { DataVolumeSource } from '../../storage/data-volume-source';
import { IGoldenImage } from '../../storage/golden-image-options';
import { filesystemPaddedBytes } from '../../storage/private/storage-class-profile-rules';
import { bytesToQuantity, checkCloneSize, sizeToBytes, sizeToQuantity } from '../../validation/quantity';

/** Name of the DataVolume a VM's template creates for the volume `volumeName`. */
export function dataVolumeTemplateName(vmName: string, volumeName: string): string {
  return `${vmName}-${volumeName}`;
}

/**
 * A boot disk source that renders a `dataVolumeTemplates` entry named
 * `<vm>-<volume>` plus a `dataVolume` volume. The spec is checked (and
 * rendered) once by `validate`; `bind` only copies it, so it stays pure.
 * `check` adds rules of the caller (clone size and so on).
 */
export function dataVolumeTemplateSource(
  description: string,
  props: DataVolumeProps,
  check?: (scope: IConstruct, prop: string) => void,
  prepare?: (scope: IConstruct, namespace: string) => void,
): BootDiskSource {
  let rendered: { spec: Record<string, any>; metadata: Record<string, any> } | undefined;
  const render = (scope: IConstruct) => {
    return { spec: renderDataVolumeSpec(scope, props), metadata: renderDataVolumeMetadata(scope, props) };
  };
  return {
    kind: VolumeKind.DATA_VOLUME_TEMPLATE,
    description,
    prepare,
    validate: (scope, prop) => {
      check?.(scope, prop);
      rendered = render(scope);
    },
    bind: vm => {
      // validate() runs first in every construct; the fallback only serves direct internal use
      const r = rendered ?? render(undefined as unknown as IConstruct);
      const name = dataVolumeTemplateName(vm.name, vm.volumeName);
      const binding: BootDiskBinding = {
        volume: { name: vm.volumeName, dataVolume: { name } },
        dataVolumeTemplate: { metadata: { name, ...JSON.parse(JSON.stringify(r.metadata)) }, spec: JSON.parse(JSON.stringify(r.spec)) },
      };
      return binding;
    },
  };
}

/** A size for error messages: its exact quantity, else its KiB value. */
export function describeSize(size: Size): string {
  const quantity = sizeToQuantity(size);
  if (quantity !== undefined) return quantity;
  try {
    return `${size.toKibibytes({ rounding: SizeRoundingBehavior.NONE })}Ki`;
  } catch {
    return String(size);
  }
}

/** A problem with a clone's size: what is wrong and how to fix it. */
export interface CloneSizeProblem {
  readonly problem: string;
  readonly fix: string;
}

/** How a clone of a golden image is sized, and what it needs from the storage to stay cheap. */
export interface ImageCloneSizing {
  /** The size to render, or undefined to let CDI size the clone from its source. */
  readonly size?: Size;
  /** Bytes each clone is expected to take. */
  readonly provisionedBytes: number;
  /** Conditions the library cannot check under which the clone stays copy-on-write. */
  readonly conditions: string[];
  /** Why the size cannot work, when it cannot. */
  readonly problem?: CloneSizeProblem;
}

const MIB = 1024n * 1024n;

/**
 * Sizes a clone of `image`. A clone of the image's own size is rendered
 * without a size: CDI then takes the snapshot's restore size (or the source
 * PVC's), which already holds the padding a Filesystem import gets and any
 * rounding of the provisioner, so the clone is never refused as too small.
 * A larger snapshot clone on a Filesystem (or unknown) volume mode must be at
 * least the padded size, and is planned as copy-on-write only if the storage
 * class allows volume expansion.
 */
export function imageCloneSizing(image: IGoldenImage, snapshotClone: boolean, size: Size | undefined,
  accessModes?: PersistentVolumeAccessMode[]): ImageCloneSizing {
  const imageBytes = sizeToBytes(image.size) ?? 0n;
  const conditions: string[] = [];
  const facts = image.storageFacts ?? {};
  const storageClass = image.storageClass === undefined ? 'the default storage class' : `storage class '${image.storageClass}'`;
  if (snapshotClone && image.volumeMode === undefined && accessModes !== undefined
    && [...accessModes].sort().join(',') !== [...(image.accessModes ?? [])].sort().join(',')) {
    conditions.push(`the StorageProfile of ${storageClass} gives ${accessModes.join('/')} claims the image's volume mode `
      + '(else CDI copies each clone host-assisted; set the image\'s volumeMode or storageFacts.volumeMode to pin it)');
  }
  if (size === undefined) {
    return { provisionedBytes: Number(imageBytes), conditions };
  }
  const sizeProblem = checkCloneSize(image.size, size);
  const targetBytes = sizeToBytes(size);
  if (sizeProblem || targetBytes === undefined) {
    return { provisionedBytes: 0, conditions, problem: { problem: sizeProblem ?? 'must be a whole number of bytes', fix: 'leave \'size\' unset to use the image\'s size, or make it larger' } };
  }
  if (targetBytes === imageBytes) {
    return { provisionedBytes: Number(imageBytes), conditions };
  }
  if (snapshotClone && image.volumeMode !== 'Block') {
    const overhead = facts.filesystemOverhead;
    const padded = filesystemPaddedBytes(imageBytes, overhead);
    if (targetBytes < padded) {
      const percent = `${Math.round((overhead ?? 0.06) * 10000) / 100} %`;
      const mode = image.volumeMode === undefined ? 'if the StorageProfile gives the image a Filesystem volume, ' : '';
      return {
        provisionedBytes: 0,
        conditions,
        problem: {
          problem: `is smaller than the ${padded} bytes a snapshot of the image restores: ${mode}CDI pads the ${bytesToQuantity(imageBytes)} import by its ${percent} file system overhead, `
            + 'and refuses a smaller snapshot clone (CloneValidationFailed), so the VM would never start',
          fix: `leave 'size' unset to get the image's size, or give at least Size.mebibytes(${(padded + MIB - 1n) / MIB})`
            + (image.volumeMode === undefined ? '; on block storage set the image\'s volumeMode (or storageFacts.volumeMode) to BLOCK' : ''),
        },
      };
    }
  }
  if (snapshotClone && facts.allowVolumeExpansion === false) {
    return {
      provisionedBytes: 0,
      conditions,
      problem: {
        problem: `is larger than the image, and ${storageClass} does not allow volume expansion (storageFacts), so CDI would copy each clone host-assisted instead of restoring the snapshot`,
        fix: 'leave \'size\' unset to get the image\'s size (grow the disk later), or use CloneStrategy.HOST_ASSISTED to ask for the copies',
      },
    };
  }
  if (snapshotClone && facts.allowVolumeExpansion === undefined) {
    conditions.push(`${storageClass} allows volume expansion (a ${bytesToQuantity(targetBytes)} clone is restored from the image's snapshot, then expanded; `
      + 'else CDI copies each clone host-assisted; state storageFacts.allowVolumeExpansion to settle it)');
  }
  return { size, provisionedBytes: Number(targetBytes), conditions };
}

/**
 * The DataVolume template props of a clone of `image`: the image's storage
 * class (unless another is given) and volume mode, the conditions for CDI
 * to clone efficiently. `size` is the size from `imageCloneSizing`: none
 * lets CDI size the clone from its source.
 */
export function imageCloneProps(image: IGoldenImage, source: DataVolumeSource, size: Size | undefined,
  accessModes: PersistentVolumeAccessMode[] | undefined, storageClass?: string): DataVolumeProps {
  return {
    source,
    size,
    storageClass: storageClass ?? image.storageClass,
    accessModes: accessModes ?? image.accessModes,
    volumeMode: image.volumeMode,
  };
}
