/**
 * What the day-2 rules read from the VirtualMachines of the app: their
 * rendered manifests (so every VM construct counts, whatever built it),
 * looked up by namespace and name.
 */
import { ApiObject, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { goDurationString } from '../../private/go-duration';
import { propError } from '../../validation';

/** A VirtualMachine of the app, rendered. */
export interface VmObject {
  readonly path: string;
  readonly namespace: string;
  readonly name: string;
  /** The rendered manifest. */
  readonly manifest: { [key: string]: any };
}

/** Every VirtualMachine of the app `scope` is in, rendered, in tree order. */
export function appVms(scope: IConstruct): VmObject[] {
  const out: VmObject[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.apiGroup !== 'kubevirt.io' || c.kind !== 'VirtualMachine') continue;
    const owner = c.node.scope ?? c;
    out.push({ path: owner.node.path, namespace: c.metadata.namespace ?? 'default', name: c.name, manifest: c.toJson() });
  }
  return out;
}

/** The VirtualMachine `namespace/name` of the app, or undefined when the app does not define it. */
export function appVm(scope: IConstruct, namespace: string, name: string): VmObject | undefined {
  return appVms(scope).find(v => v.namespace === namespace && v.name === name);
}

/** The ApiObject of a VM construct defined in the app (undefined for an imported VM). */
export function vmResource(vm: IConstruct): ApiObject | undefined {
  const r = vm.node.tryFindChild('Resource');
  return r instanceof ApiObject && r.kind === 'VirtualMachine' ? r : undefined;
}

function templateSpec(vm: VmObject): { [key: string]: any } {
  return vm.manifest.spec?.template?.spec ?? {};
}

/** The VM's interfaces with their MACs (undefined when none is fixed). */
export function vmInterfaces(vm: VmObject): Array<{ name: string; macAddress?: string }> {
  return (templateSpec(vm).domain?.devices?.interfaces ?? []).map((i: any) => ({ name: i.name, macAddress: i.macAddress }));
}

/** A VM volume and, for a PVC or DataVolume, its claim and storage class. */
export interface VmVolume {
  readonly name: string;
  /** The volume's source type (`containerDisk`, `dataVolume`, ...). */
  readonly type: string;
  /** The DataVolume or PVC name, for the types KubeVirt can snapshot. */
  readonly claim?: string;
  /**
   * The storage class of the claim: a name, '' for the cluster's default
   * class, undefined when the app does not say (a PVC made elsewhere).
   */
  readonly storageClass?: string;
}

function dataVolumeClass(dv: any): string {
  return dv?.spec?.storage?.storageClassName ?? dv?.spec?.pvc?.storageClassName ?? '';
}

/** The DataVolumes the app renders, rendered, by `namespace/name`. */
function appDataVolumes(scope: IConstruct): Map<string, any> {
  const out = new Map<string, any>();
  for (const c of scope.node.root.node.findAll()) {
    if (c instanceof ApiObject && c.apiGroup === 'cdi.kubevirt.io' && c.kind === 'DataVolume') {
      out.set(`${c.metadata.namespace ?? 'default'}/${c.name}`, c.toJson());
    }
  }
  return out;
}

/**
 * The VM's volumes. KubeVirt v1.9.0 snapshots only PVC, DataVolume and
 * memory-dump volumes (pkg/storage/snapshot/snapshot.go:1024-1028).
 */
export function vmVolumes(vm: VmObject, scope?: IConstruct): VmVolume[] {
  const templates = new Map<string, any>();
  for (const t of vm.manifest.spec?.dataVolumeTemplates ?? []) templates.set(t.metadata?.name, t);
  const dataVolumes = scope ? appDataVolumes(scope) : new Map<string, any>();
  return (templateSpec(vm).volumes ?? []).map((v: any) => {
    const type = Object.keys(v).find(k => k !== 'name') ?? 'unknown';
    const claim: string | undefined = v.dataVolume?.name ?? v.persistentVolumeClaim?.claimName;
    const dv = claim === undefined ? undefined : templates.get(claim) ?? dataVolumes.get(`${vm.namespace}/${claim}`);
    return { name: v.name, type, ...(claim !== undefined && { claim }), ...(dv !== undefined && { storageClass: dataVolumeClass(dv) }) };
  });
}

/**
 * The storage classes the app shows to have a VolumeSnapshotClass: those
 * of the DataVolumes a VolumeSnapshot of the app copies with a named class
 * (a golden image's snapshot, a VolumeSnapshot of a DataVolume), by class
 * ('' for the default class), with the path that shows it.
 */
export function snapshotCapableClasses(scope: IConstruct): Map<string, string> {
  const dataVolumes = appDataVolumes(scope);
  const out = new Map<string, string>();
  for (const c of scope.node.root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.apiGroup !== 'snapshot.storage.k8s.io' || c.kind !== 'VolumeSnapshot') continue;
    const spec = c.toJson().spec ?? {};
    const dv = dataVolumes.get(`${c.metadata.namespace ?? 'default'}/${spec.source?.persistentVolumeClaimName}`);
    if (spec.volumeSnapshotClassName === undefined || dv === undefined) continue;
    const cls = dataVolumeClass(dv);
    if (!out.has(cls)) out.set(cls, (c.node.scope ?? c).node.path);
  }
  return out;
}

/** Whether KubeVirt can snapshot a volume of this type (snapshot.go:1024-1028). */
export function snapshottable(volume: VmVolume): boolean {
  return volume.type === 'dataVolume' || volume.type === 'persistentVolumeClaim' || volume.type === 'memoryDump';
}

/**
 * Whether the VM keeps state on backend storage: a persistent TPM or a
 * persistent EFI (kubevirt pkg/storage/backend-storage/backend-storage.go:285-300).
 */
export function hasBackendStorage(vm: VmObject): string | undefined {
  const spec = templateSpec(vm);
  if (spec.domain?.devices?.tpm?.persistent === true) return 'a persistent TPM';
  if (spec.domain?.firmware?.bootloader?.efi?.persistent === true) return 'a persistent EFI';
  return undefined;
}

/**
 * A duration as Go's time.Duration prints it (`1h0m0s`, `5m0s`, `30s`), the
 * form the API server stores a metav1.Duration in. Whole seconds only.
 */
export function goDuration(scope: IConstruct, prop: string, d: Duration): string {
  const total = d.toSeconds({ integral: false });
  if (!Number.isInteger(total) || total <= 0) {
    throw propError(scope, prop, `${total}s`, 'must be a positive whole number of seconds', 'use Duration.seconds(n), minutes(n) or hours(n)');
  }
  return goDurationString(total);
}
