import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  IVirtualMachineSnapshot, VirtualMachineRestoreOptions, VirtualMachineSnapshotDeletionPolicy, VirtualMachineSnapshotOptions,
} from './day2-options';
import { snapshotGateProblems } from './private/gate';
import { appVm, goDuration, snapshotCapableClasses, snapshottable, vmResource, vmVolumes } from './private/vm-facts';
import { VirtualMachineRestore } from './virtual-machine-restore';
import { IVirtualMachine } from '../compute/vm/virtual-machine-ref';
import { sortedMap } from '../private/sorted-map';
import { ensureUniqueObjectNames } from '../private/unique-object-names';
import { reportWarnings } from '../private/warnings';
import { requireDns1123Label, requireDns1123Subdomain, requireShape, requireStruct, Shape } from '../validation';

/** Props of `VirtualMachineSnapshot`. */
export interface VirtualMachineSnapshotProps extends VirtualMachineSnapshotOptions {
  /** The VM to snapshot; the snapshot lives in its namespace. */
  readonly vm: IVirtualMachine;
}

/** Options of `VirtualMachineSnapshot.fromVirtualMachineSnapshotName()`. */
export interface VirtualMachineSnapshotAttributes {
  /** Namespace of the existing snapshot. */
  readonly namespace: string;
  /** Name of the VM the snapshot copies. */
  readonly vmName: string;
}

class ImportedVirtualMachineSnapshot extends Construct implements IVirtualMachineSnapshot {
  constructor(scope: Construct, id: string, public readonly name: string, public readonly namespace: string, public readonly vmName: string) {
    super(scope, id);
  }
}

const SNAPSHOT_OPTION_SHAPES = {
  name: Shape.optString,
  deletionPolicy: Shape.optEnum(VirtualMachineSnapshotDeletionPolicy, 'VirtualMachineSnapshotDeletionPolicy'),
  failureDeadline: Shape.optDuration,
  labels: Shape.optLabels,
};

/**
 * A KubeVirt VirtualMachineSnapshot (snapshot.kubevirt.io/v1beta1, the
 * storage version at v1.9.0): a copy of a VM's definition and of its PVC
 * and DataVolume volumes, taken by KubeVirt's snapshot controller through
 * CSI VolumeSnapshots. Needs the Snapshot feature gate (Beta in v1.9.0, on
 * unless the KubeVirt CR switches it off).
 */
export class VirtualMachineSnapshot extends Construct implements IVirtualMachineSnapshot {
  /** Refers to a VirtualMachineSnapshot that exists already. */
  public static fromVirtualMachineSnapshotName(
    scope: Construct, id: string, name: string, attrs: VirtualMachineSnapshotAttributes,
  ): IVirtualMachineSnapshot {
    requireShape(scope, 'attrs', attrs, { namespace: Shape.string, vmName: Shape.string });
    requireDns1123Subdomain(scope, 'name', name);
    requireDns1123Label(scope, 'namespace', attrs.namespace);
    requireDns1123Label(scope, 'vmName', attrs.vmName);
    return new ImportedVirtualMachineSnapshot(scope, id, name, attrs.namespace, attrs.vmName);
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly vmName: string;

  constructor(scope: Construct, id: string, props: VirtualMachineSnapshotProps) {
    super(scope, id);
    requireShape(this, 'props', props, {
      ...SNAPSHOT_OPTION_SHAPES,
      vm: Shape.ref('IVirtualMachine', ['name', 'namespace'], 'pass a VirtualMachine, or VirtualMachine.fromVirtualMachineName()'),
    });
    ensureUniqueObjectNames(this);
    this.vmName = props.vm.name;
    // the source is a local reference: the snapshot lives beside its VM
    // (kubevirt.io/api snapshot/v1beta1/types.go, Source TypedLocalObjectReference)
    this.namespace = props.vm.namespace;
    const failureDeadline = props.failureDeadline && goDuration(this, 'failureDeadline', props.failureDeadline);

    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineSnapshot',
      metadata: {
        ...(props.name !== undefined && { name: props.name }),
        namespace: this.namespace,
        ...(props.labels && Object.keys(props.labels).length > 0 && { labels: sortedMap(props.labels) }),
      },
      spec: Lazy.any({
        produce: () => ({
          ...(props.deletionPolicy !== undefined && { deletionPolicy: props.deletionPolicy }),
          ...(failureDeadline !== undefined && { failureDeadline }),
          // the admitter refuses a source without apiGroup
          // (pkg/storage/admitters/vmsnapshot.go:79-109 at v1.9.0)
          source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: this.vmName },
        }),
      }),
    });
    const vm = vmResource(props.vm);
    if (vm) resource.node.addDependency(vm);
    this.name = resource.name;
    requireDns1123Subdomain(this, 'name', this.name);

    this.node.addValidation({ validate: () => snapshotGateProblems(this, 'a VirtualMachineSnapshot') });
    reportWarnings(this, () => this.volumeWarnings());
  }

  /**
   * Restores the snapshot: into its own VM (the default), into another VM
   * (`target`), or into a new VM (`targetName`).
   */
  public restore(id: string, options: VirtualMachineRestoreOptions = {}): VirtualMachineRestore {
    return new VirtualMachineRestore(this, id, { ...requireStruct(this, 'options', options), snapshot: this });
  }

  /**
   * What the library can tell about the VM's volumes: a volume KubeVirt
   * cannot snapshot is left out (snapshot.go:993-1028), and a PVC or
   * DataVolume is snapshotted only when a VolumeSnapshotClass has its
   * storage class's CSI driver, which the manifests do not say.
   */
  private volumeWarnings(): string[] {
    const vm = appVm(this, this.namespace, this.vmName);
    if (!vm) {
      return [`the VM '${this.namespace}/${this.vmName}' is not defined in this app, so its volumes cannot be checked: `
        + 'KubeVirt snapshots only its PVC and DataVolume volumes whose storage class has a VolumeSnapshotClass'];
    }
    const volumes = vmVolumes(vm, this);
    const claims = volumes.filter(snapshottable);
    if (claims.length === 0) {
      return [`no volume of the VM '${vm.name}' can be snapshotted (${volumes.map(v => `'${v.name}' is ${v.type}`).join(', ') || 'it has none'}); `
        + 'KubeVirt v1.9.0 snapshots only PVC and DataVolume volumes, so the snapshot holds the VM\'s definition alone: '
        + 'boot from a DataVolume (BootDisk.cloneOf() or a DataVolume disk) to capture the disk'];
    }
    const capable = snapshotCapableClasses(this);
    const unknown = claims.filter(v => v.storageClass === undefined || !capable.has(v.storageClass));
    if (unknown.length === 0) return [];
    const described = unknown.map(v => `'${v.name}' (${v.storageClass === undefined ? 'a claim this app does not define'
      : v.storageClass === '' ? 'the default storage class' : `storage class '${v.storageClass}'`})`);
    return [`volumes ${described.join(', ')} are snapshotted only if a VolumeSnapshotClass has the CSI driver of their storage class, `
      + 'which the manifests do not say (no VolumeSnapshot of the app with a class copies a DataVolume of that storage class); '
      + 'without one KubeVirt leaves the volume out and marks the snapshot partial (pkg/storage/snapshot/snapshot.go:1013-1018, 945-964)'];
  }
}
