/**
 * Internal: the rules and the storage plan of a fleet's data disks. Not
 * exported from the package.
 */
import { IConstruct } from 'constructs';
import { SmartCloneFleetDisk } from './fleet-options';
import { FleetDataDiskPlan, FleetPlan } from './fleet-plan';
import { DataVolumeSourceKind } from '../../storage/data-volume-source';
import { IGoldenImage } from '../../storage/golden-image-options';
import { propError } from '../../validation/errors';
import { sizeToBytes } from '../../validation/quantity';
import { requireArray, requireInstance, requireString, requireStruct } from '../../validation/types';
import { Disk } from '../disks/disk';
import { requireTemplateDiskName, VmDisk } from '../disks/disk-rules';
import { VolumeKind } from '../disks/volume-plan';

const SINGLE_NODE_MODES = new Set(['ReadWriteOnce', 'ReadWriteOncePod']);
const IMAGE_IMPORTS = new Set<string>([
  DataVolumeSourceKind.HTTP, DataVolumeSourceKind.REGISTRY, DataVolumeSourceKind.S3, DataVolumeSourceKind.GCS, DataVolumeSourceKind.UPLOAD,
]);

/** The storage figures of a fleet plan (`conditions`: those under which the copy-on-write figures hold). */
export type PlanFigures = Pick<FleetPlan, 'imports' | 'fullCopies' | 'snapshots' | 'copyOnWriteClones' | 'bytesDownloaded' | 'bytesCopied' | 'conditions'>;

/** Checks the shape of a fleet's `disks` list; returns a copy. */
export function requireFleetDiskList(scope: IConstruct, disks: unknown): SmartCloneFleetDisk[] {
  if (disks === undefined) return [];
  return requireArray<SmartCloneFleetDisk>(scope, 'disks', disks, (entry, prop) => {
    const d = requireStruct<SmartCloneFleetDisk>(scope, prop, entry as SmartCloneFleetDisk);
    requireString(scope, `${prop}.name`, d.name, 'name the disk, e.g. { name: \'data\', disk: ... }');
    requireInstance(scope, `${prop}.disk`, d.disk, Disk, 'Disk.dataVolumeTemplate(), Disk.cloneOf() or another Disk factory');
  });
}

/**
 * Fleet rules of one data disk: its per-VM DataVolume names fit for the last
 * VM, a claim shared by all VMs can be mounted on several nodes, a host
 * file shared by all VMs is not written by several at once, and a URL
 * import per VM is asked for explicitly.
 */
export function requireFleetDisk(scope: IConstruct, d: VmDisk, lastVmName: string,
  fleet: { replicas: number; allowPerVmImport?: boolean }): void {
  requireTemplateDiskName(scope, d, lastVmName);
  const prop = `disks.${d.name}`;
  const kind = d.source.kind;
  const modes = d.source.knownAccessModes;
  if (fleet.replicas > 1 && (kind === VolumeKind.PERSISTENT_VOLUME_CLAIM || kind === VolumeKind.DATA_VOLUME)
    && modes !== undefined && modes.length > 0 && modes.every(m => SINGLE_NODE_MODES.has(m))) {
    throw propError(scope, `${prop}.disk`, modes.join(', '),
      `(${d.source.description}) is one claim shared by all ${fleet.replicas} VMs, and this access mode lets only one node use it`,
      'share a ReadOnlyMany or ReadWriteMany claim, or give every VM its own disk with Disk.dataVolumeTemplate() or Disk.cloneOf()');
  }
  if (fleet.replicas > 1 && kind === VolumeKind.HOST_DISK && d.options.readOnly !== true && d.options.shareable !== true) {
    throw propError(scope, `${prop}.disk`, d.source.description,
      `is the same file for all ${fleet.replicas} VMs, so two VMs on one node would write the same image`,
      'attach it readOnly, mark it shareable for a cluster-aware guest file system, or give each VM its own disk with Disk.dataVolumeTemplate()');
  }
  if (d.source.plan?.fill === 'import' && fleet.allowPerVmImport !== true) {
    throw propError(scope, `${prop}.disk`, d.source.description, `would make each of the ${fleet.replicas} VMs download its data on its own`,
      'import it once into a GoldenImage and use Disk.cloneOf(image), or set allowPerVmImport: true');
  }
}

/** The plan of one data disk across `replicas` VMs. */
export function dataDiskPlan(d: VmDisk, replicas: number): FleetDataDiskPlan {
  const p = d.source.plan;
  const each = (fill: string) => (p?.fill === fill ? replicas : 0);
  return {
    name: d.name,
    source: d.source.description,
    copyOnWriteClones: each('copy-on-write'),
    fullCopies: each('full-copy'),
    imports: each('import'),
    bytesProvisioned: p === undefined ? 0 : replicas * p.provisioned,
    ...(p?.conditions && p.conditions.length > 0 && { conditions: [...p.conditions] }),
  };
}

/** Times a golden image's data comes into the cluster (an import cron imports once more). */
export function goldenImageImports(image: IGoldenImage): number {
  if (!IMAGE_IMPORTS.has(image.sourceKind)) return 0;
  return image.importCronSchedule !== undefined ? 2 : 1;
}

/**
 * Adds the data disks to a fleet's plan: per VM, the clone, copy or import
 * of each disk; once per golden image other than the boot image, its own
 * import and snapshot.
 */
export function fleetDiskFigures(base: PlanFigures, disks: VmDisk[], replicas: number, bootImage: IGoldenImage | undefined): PlanFigures {
  let { imports, fullCopies, snapshots, copyOnWriteClones, bytesDownloaded, bytesCopied } = base;
  const conditions = [...(base.conditions ?? [])];
  const counted = new Set<IGoldenImage | undefined>([bootImage]);
  for (const d of disks) {
    const p = d.source.plan;
    if (p === undefined) continue;
    for (const c of p.conditions ?? []) if (!conditions.includes(c)) conditions.push(c);
    if (p.fill === 'copy-on-write') copyOnWriteClones += replicas;
    if (p.fill === 'full-copy') {
      fullCopies += replicas;
      bytesCopied += replicas * p.bytes;
    }
    if (p.fill === 'import') {
      imports += replicas;
      bytesDownloaded += replicas * p.bytes;
    }
    if (p.image !== undefined && !counted.has(p.image)) {
      counted.add(p.image);
      const n = goldenImageImports(p.image);
      imports += n;
      bytesDownloaded += n * Number(sizeToBytes(p.image.size) ?? 0n);
      if (p.image.snapshot) snapshots += 1;
    }
  }
  return { imports, fullCopies, snapshots, copyOnWriteClones, bytesDownloaded, bytesCopied, ...(conditions.length > 0 && { conditions }) };
}
