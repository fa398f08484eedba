/**
 * Internal: boot disks whose root volume is a DataVolume template, shared by
 * the public `BootDisk` factories and by `SmartCloneFleet`. Not exported
 * from the package.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { BootDiskBinding, BootDiskSource, VolumeKind } from './internal-types';
import { DataVolumeProps } from '../storage/data-volume';
import { DataVolumeSource } from '../storage/data-volume-source';
import { renderDataVolumeMetadata, renderDataVolumeSpec } from '../storage/data-volume-spec';
import { IGoldenImage } from '../storage/golden-image';
import { sizeToQuantity } from '../validation/quantity';

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

/**
 * The DataVolume template props of a clone of `image`: the image's storage
 * class (unless another is given) and volume mode, the conditions for CDI
 * to clone efficiently.
 */
export function imageCloneProps(image: IGoldenImage, source: DataVolumeSource, size: Size | undefined,
  accessModes: PersistentVolumeAccessMode[] | undefined, storageClass?: string): DataVolumeProps {
  return {
    source,
    size: size ?? image.size,
    storageClass: storageClass ?? image.storageClass,
    accessModes: accessModes ?? image.accessModes,
    volumeMode: image.volumeMode,
  };
}
