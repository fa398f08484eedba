/**
 * Internal: how a SmartCloneFleet fills its VMs' disks and what that costs,
 * as its \`plan\` reports it. Not exported from the package.
 */
import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { dataDiskPlan, fleetDiskFigures, goldenImageImports } from './fleet-disks';
import { SmartCloneFleetProps } from './fleet-options';
import { FleetPlan } from './fleet-plan';
import { DataVolumeSource, DataVolumeSourceKind } from '../../storage/data-volume-source';
import { IGoldenImage } from '../../storage/golden-image-options';
import { propError } from '../../validation';
import { bytesToQuantity, sizeToBytes } from '../../validation/quantity';
import { BootDisk, CloneStrategy } from '../disks/boot-disk';
import { VmDisk } from '../disks/disk-rules';
import { dataVolumeTemplateSource, describeSize, imageCloneProps, imageCloneSizing } from '../disks/image-clone';
import { PlannedInterface } from '../vm/secrets/network-data';

const URL_IMPORTS = new Set<DataVolumeSourceKind>([
  DataVolumeSourceKind.HTTP, DataVolumeSourceKind.REGISTRY, DataVolumeSourceKind.S3, DataVolumeSourceKind.GCS,
]);

/** The fleet as its plan needs it: errors name its path, the summary its name. */
export interface FleetFacts extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
}

function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Checks an `image` fleet's clone strategy and disk size, grants the clone,
 * and gives the boot disk and the storage plan of cloning the image.
 */
export function prepareImage(fleet: FleetFacts, image: IGoldenImage, props: SmartCloneFleetProps) {
  const strategy = props.strategy ?? CloneStrategy.SNAPSHOT;
  if (!Object.values(CloneStrategy).includes(strategy)) {
    throw propError(fleet, 'strategy', strategy, 'must be a CloneStrategy', 'use CloneStrategy.SNAPSHOT or HOST_ASSISTED');
  }
  if (strategy === CloneStrategy.SNAPSHOT && !image.snapshot) {
    throw propError(fleet, 'strategy', strategy, `needs a golden image with a snapshot class, and '${image.namespace}/${image.name}' has none`,
      'give the GoldenImage a snapshotClass, or use CloneStrategy.HOST_ASSISTED (a full copy per VM)');
  }
  if (strategy === CloneStrategy.SNAPSHOT && props.storageClass !== undefined && props.storageClass !== image.storageClass) {
    const imageClass = image.storageClass === undefined ? 'the cluster default' : `'${image.storageClass}'`;
    throw propError(fleet, 'storageClass', props.storageClass,
      `differs from the golden image's storage class (${imageClass}), so CDI would silently fall back to a full copy per VM`,
      image.storageClass === undefined ? 'remove \'storageClass\', or give the image the same storage class'
        : `remove 'storageClass' or set it to '${image.storageClass}'`);
  }
  const diskSize = props.diskSize ?? image.size;
  const sizing = imageCloneSizing(image, strategy === CloneStrategy.SNAPSHOT, props.diskSize, props.accessModes);
  if (sizing.problem) {
    throw propError(fleet, 'diskSize', describeSize(diskSize), sizing.problem.problem, sizing.problem.fix.replace(/'size'/g, '\'diskSize\''));
  }

  // CDI restores a snapshot across namespaces itself (through a temporary
  // claim in the image's namespace), with the image's clone grant
  if (image.namespace !== fleet.namespace) image.grantClone({ namespace: fleet.namespace });
  const source = strategy === CloneStrategy.SNAPSHOT
    ? DataVolumeSource.snapshot(image.snapshot!.namespace, image.snapshot!.name)
    : DataVolumeSource.pvc(image.namespace, image.dataVolume.name);

  const bootDisk = BootDisk._fromSource(dataVolumeTemplateSource(
    `clone of golden image '${image.namespace}/${image.name}'`,
    imageCloneProps(image, source, sizing.size, props.accessModes, props.storageClass),
  ));

  const imageBytes = Number(sizeToBytes(image.size) ?? 0n);
  // an import cron imports the newest digest into a DataVolume of its own, next to the image's
  const imports = goldenImageImports(image);
  const perVmCopies = strategy === CloneStrategy.HOST_ASSISTED ? props.replicas : 0;
  const plan = makePlan(fleet, image, {
    imports,
    fullCopies: perVmCopies,
    snapshots: image.snapshot ? 1 : 0,
    copyOnWriteClones: strategy === CloneStrategy.SNAPSHOT ? props.replicas : 0,
    bytesDownloaded: imports * imageBytes,
    bytesCopied: perVmCopies * imageBytes,
    ...(strategy === CloneStrategy.SNAPSHOT && sizing.conditions.length > 0 && { conditions: sizing.conditions }),
  });
  const dependsOn = strategy === CloneStrategy.SNAPSHOT ? image.snapshot : image.dataVolume;
  return { strategy, diskSize, bootDisk, plan, copy: undefined, copySnapshot: undefined, dependsOn };
}

/**
 * Checks a `source` fleet's source and disk size, and gives the boot disk
 * and the storage plan of filling every VM's disk from the source.
 */
export function prepareSource(fleet: FleetFacts, source: DataVolumeSource, props: SmartCloneFleetProps) {
  if (props.strategy !== undefined) {
    throw propError(fleet, 'strategy', props.strategy, 'only applies to an \'image\'; with a \'source\' its kind decides',
      'remove \'strategy\', or use a GoldenImage as \'image\'');
  }
  if (source.kind === DataVolumeSourceKind.UPLOAD || source.kind === DataVolumeSourceKind.BLANK) {
    throw propError(fleet, 'source', source.kind, 'cannot fill the disks of a fleet (an upload would be needed per VM, a blank disk has nothing to boot)',
      'import the image once into a GoldenImage and pass it as \'image\'');
  }
  const isUrlImport = URL_IMPORTS.has(source.kind);
  if (isUrlImport && props.allowPerVmImport !== true) {
    throw propError(fleet, 'source', source.url ?? source.kind,
      `would make each of the ${props.replicas} VMs download the image on its own`,
      'import it once with a GoldenImage and pass that as \'image\' (one import, then clones), or set allowPerVmImport: true');
  }
  // CDI sizes a clone from its source (a snapshot's restore size, a PVC's size) when no size is asked for
  const isClone = source.kind === DataVolumeSourceKind.SNAPSHOT || source.kind === DataVolumeSourceKind.PVC;
  if (props.diskSize === undefined && !isClone) {
    throw propError(fleet, 'diskSize', undefined, `is required with a '${source.kind}' source, the fleet cannot tell the size of its data`,
      'set \'diskSize\' to at least the size of the source, e.g. Size.gibibytes(10)');
  }
  const diskBytes = props.diskSize === undefined ? 0n : sizeToBytes(props.diskSize);
  if (props.diskSize !== undefined && (diskBytes === undefined || diskBytes <= 0n)) {
    throw propError(fleet, 'diskSize', describeSize(props.diskSize), 'must be a whole number of bytes greater than zero', 'use a size such as Size.gibibytes(10)');
  }
  const bootDisk = BootDisk._fromSource(dataVolumeTemplateSource(`${source.kind} source`, {
    source,
    size: props.diskSize,
    storageClass: props.storageClass,
    accessModes: props.accessModes,
  }));
  const bytes = Number(diskBytes ?? 0n);
  const n = props.replicas;
  const plan = makePlan(fleet, undefined, {
    imports: isUrlImport ? n : 0,
    fullCopies: source.kind === DataVolumeSourceKind.PVC ? n : 0,
    snapshots: 0,
    copyOnWriteClones: source.kind === DataVolumeSourceKind.SNAPSHOT ? n : 0,
    bytesDownloaded: isUrlImport ? n * bytes : 0,
    bytesCopied: source.kind === DataVolumeSourceKind.PVC ? n * bytes : 0,
  });
  // without a size the attribute reports 0 bytes: CDI takes the source's size
  const diskSize = props.diskSize ?? Size.kibibytes(0);
  return { strategy: undefined, diskSize, bootDisk, plan, copy: undefined, copySnapshot: undefined, dependsOn: undefined };
}

/** A fleet plan from its figures, with its summary line. */
export function makePlan(fleet: FleetFacts, image: IGoldenImage | undefined, figures: Omit<FleetPlan, 'vms' | 'summary'>): FleetPlan {
  const vms = fleet.replicas;
  const from = image ? `golden image ${image.namespace}/${image.name}` : 'its source';
  const summary = `${fleet.name}: ${plural(vms, 'VM')} from ${from}: ${plural(figures.imports, 'import')}, `
    + `${plural(figures.fullCopies, 'full copy', 'full copies')}, ${plural(figures.snapshots, 'snapshot')}, `
    + `${plural(figures.copyOnWriteClones, 'copy-on-write clone')}; `
    + `${bytesToQuantity(BigInt(figures.bytesDownloaded))} imported, ${bytesToQuantity(BigInt(figures.bytesCopied))} copied`
    + (figures.conditions && figures.conditions.length > 0 ? `; copy-on-write if ${figures.conditions.join(', and if ')}` : '');
  return { vms, ...figures, summary };
}

/** The boot disk's plan with the data disks added: per VM, each disk's clone, copy or import. */
export function withDataDisks(fleet: FleetFacts, plan: FleetPlan, image: IGoldenImage | undefined, dataDisks: VmDisk[]): FleetPlan {
  return dataDisks.length === 0 ? plan : {
    ...makePlan(fleet, image, fleetDiskFigures(plan, dataDisks, fleet.replicas, image)),
    dataDisks: dataDisks.map(d => dataDiskPlan(d, fleet.replicas)),
  };
}

/** The storage plan with the VMs' planned addresses, once an AddressPlan has assigned them. */
export function withAddresses(plan: FleetPlan, planned: Array<PlannedInterface & { vmName: string }>): FleetPlan {
  if (planned.length === 0) return plan;
  const addresses = planned.map(p => ({
    vmName: p.vmName,
    interfaceName: p.interfaceName,
    network: p.network,
    address: p.address,
    ...(p.ipv6Address !== undefined ? { ipv6Address: p.ipv6Address } : {}),
    macAddress: p.macAddress,
  }));
  return { ...plan, addresses, summary: `${plan.summary}; ${addresses.length} planned address${addresses.length === 1 ? '' : 'es'}` };
}
