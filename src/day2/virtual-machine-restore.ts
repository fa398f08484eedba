import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { RestoreTargetReadinessPolicy, VirtualMachineRestoreProps, VolumeRestorePolicy } from './day2-options';
import { snapshotGateProblems } from './private/gate';
import { requireRestorePatches } from './private/patches';
import { appVm, hasBackendStorage, vmResource } from './private/vm-facts';
import { ensureUniqueObjectNames } from '../private/unique-object-names';
import { formatPropError, propError, requireDns1123Label, requireDns1123Subdomain, requireShape, Shape } from '../validation';

/**
 * A KubeVirt VirtualMachineRestore (snapshot.kubevirt.io/v1beta1, the
 * storage version at v1.9.0): puts a snapshot back into its VM, into
 * another VM of its namespace, or into a new VM (`targetName`), which
 * KubeVirt v1.9.0 creates unless the snapshotted VM keeps a persistent TPM
 * or EFI (pkg/storage/admitters/vmrestore.go:199-227).
 */
export class VirtualMachineRestore extends Construct {
  /** Name of the VirtualMachineRestore. */
  public readonly name: string;
  /** Namespace of the restore (its snapshot's). */
  public readonly namespace: string;
  /** Name of the VM the restore writes. */
  public readonly targetName: string;
  private readonly sourceVmName: string;

  constructor(scope: Construct, id: string, props: VirtualMachineRestoreProps) {
    super(scope, id);
    requireShape(this, 'props', props, {
      name: Shape.optString,
      snapshot: Shape.ref('IVirtualMachineSnapshot', ['name', 'namespace', 'vmName'],
        'pass a VirtualMachineSnapshot, or VirtualMachineSnapshot.fromVirtualMachineSnapshotName()'),
      target: Shape.optRef('IVirtualMachine', ['name', 'namespace'], 'pass a VirtualMachine, or VirtualMachine.fromVirtualMachineName()'),
      targetName: Shape.optString,
      targetReadinessPolicy: Shape.optEnum(RestoreTargetReadinessPolicy, 'RestoreTargetReadinessPolicy'),
      volumeRestorePolicy: Shape.optEnum(VolumeRestorePolicy, 'VolumeRestorePolicy'),
      patches: Shape.optArray(Shape.string),
    });
    ensureUniqueObjectNames(this);
    const snapshot = props.snapshot;
    if (props.target && props.targetName !== undefined) {
      throw propError(this, 'targetName', props.targetName, 'cannot be combined with \'target\'',
        'set \'target\' to restore into an existing VM, or \'targetName\' for a new one');
    }
    if (props.targetName !== undefined) requireDns1123Label(this, 'targetName', props.targetName);
    // the target is a local reference: the restore, its snapshot and its
    // target share a namespace (types.go, Target TypedLocalObjectReference)
    if (props.target && props.target.namespace !== snapshot.namespace) {
      throw propError(this, 'target', `${props.target.namespace}/${props.target.name}`,
        `must be in the snapshot's namespace ('${snapshot.namespace}'): KubeVirt restores within one namespace`,
        'restore into a VM of the snapshot\'s namespace, or clone the VM into the other namespace');
    }
    this.namespace = snapshot.namespace;
    this.sourceVmName = snapshot.vmName;
    this.targetName = props.target?.name ?? props.targetName ?? snapshot.vmName;
    const elsewhere = this.targetName !== snapshot.vmName;
    if (elsewhere && props.volumeRestorePolicy === VolumeRestorePolicy.IN_PLACE) {
      // InPlace reuses the snapshotted volumes' names, deleting the
      // originals first (pkg/storage/snapshot/restore.go:155-157, 533-562)
      throw propError(this, 'volumeRestorePolicy', props.volumeRestorePolicy,
        `would delete the volumes of the VM '${snapshot.vmName}' to restore them for '${this.targetName}'`,
        'use VolumeRestorePolicy.PREFIX_TARGET_NAME or RANDOMIZE_NAMES for a restore into another VM');
    }
    const patches = props.patches ?? [];
    requireRestorePatches(this, 'patches', patches);

    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineRestore',
      metadata: { ...(props.name !== undefined && { name: props.name }), namespace: this.namespace },
      spec: Lazy.any({
        produce: () => ({
          ...(patches.length > 0 && { patches: [...patches] }),
          target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: this.targetName },
          // written even at its default: the API server writes the CRD's
          // default (WaitGracePeriod) otherwise, and GitOps tools see drift
          targetReadinessPolicy: props.targetReadinessPolicy ?? RestoreTargetReadinessPolicy.WAIT_GRACE_PERIOD,
          virtualMachineSnapshotName: snapshot.name,
          ...(props.volumeRestorePolicy !== undefined && { volumeRestorePolicy: props.volumeRestorePolicy }),
        }),
      }),
    });
    const snapshotResource = snapshot.node.tryFindChild('Resource');
    if (snapshotResource instanceof ApiObject) resource.node.addDependency(snapshotResource);
    const targetResource = props.target && vmResource(props.target);
    if (targetResource) resource.node.addDependency(targetResource);
    this.name = resource.name;
    requireDns1123Subdomain(this, 'name', this.name);

    this.node.addValidation({
      validate: () => {
        return [...snapshotGateProblems(this, 'a VirtualMachineRestore'), ...this.backendStorageProblems(elsewhere)];
      },
    });
  }

  /**
   * A restore into another VM of a VM with backend storage is refused by
   * the admitter (pkg/storage/admitters/vmrestore.go:204-227 at v1.9.0).
   */
  private backendStorageProblems(elsewhere: boolean): string[] {
    if (!elsewhere) return [];
    const vm = appVm(this, this.namespace, this.sourceVmName);
    if (!vm) return [];
    const backend = hasBackendStorage(vm);
    if (!backend) return [];
    return [formatPropError('target', this.targetName,
      `restores a snapshot of '${vm.name}', which keeps ${backend}; KubeVirt v1.9.0 restores such a VM only into itself`,
      `restore into '${vm.name}', or clone it instead`)];
  }
}
