import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { VirtualMachineExportProps } from './day2-options';
import { appVm, goDuration, snapshottable, vmResource, vmVolumes } from './private/vm-facts';
import { MissingNamespace, resolveNamespace } from '../private/namespace';
import { ensureUniqueObjectNames } from '../private/unique-object-names';
import { reportWarnings } from '../private/warnings';
import { propError, requireDns1123Subdomain, requireShape, Shape } from '../validation';

const SOURCES = ['vm', 'snapshot', 'dataVolume', 'persistentVolumeClaimName'] as const;

/**
 * A KubeVirt VirtualMachineExport (export.kubevirt.io/v1, the storage
 * version at v1.9.0): serves the volumes of a VM, of a VM snapshot or one
 * PVC over HTTPS for download, for as long as its TTL. Clients present a
 * token: by default KubeVirt generates a random one in a Secret it owns
 * with the export (pkg/storage/export/export/export.go:919-967 at v1.9.0),
 * so no secret value ever sits in the manifests; `tokenSecretName` names a
 * Secret you manage instead.
 */
export class VirtualMachineExport extends Construct {
  /** Name of the VirtualMachineExport. */
  public readonly name: string;
  /** Namespace of the export (its source's). */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: VirtualMachineExportProps) {
    super(scope, id);
    requireShape(this, 'props', props, {
      name: Shape.optString,
      namespace: Shape.optString,
      vm: Shape.optRef('IVirtualMachine', ['name', 'namespace'], 'pass a VirtualMachine, or VirtualMachine.fromVirtualMachineName()'),
      snapshot: Shape.optRef('IVirtualMachineSnapshot', ['name', 'namespace', 'vmName'],
        'pass a VirtualMachineSnapshot, or VirtualMachineSnapshot.fromVirtualMachineSnapshotName()'),
      dataVolume: Shape.optRef('IDataVolume', ['name'], 'pass a DataVolume construct, or DataVolume.fromDataVolumeName()'),
      persistentVolumeClaimName: Shape.optString,
      tokenSecretName: Shape.optString,
      ttl: Shape.optDuration,
    });
    ensureUniqueObjectNames(this);
    const given = SOURCES.filter(s => props[s] !== undefined);
    if (given.length !== 1) {
      throw propError(this, given.length === 0 ? 'vm' : given[1], given.length === 0 ? undefined : `${given.join(', ')}`,
        'must be exactly one source: vm, snapshot, dataVolume or persistentVolumeClaimName', 'keep one of them');
    }
    const sourceNamespace = props.vm?.namespace ?? props.snapshot?.namespace ?? props.dataVolume?.namespace;
    this.namespace = resolveNamespace(this, props.namespace ?? sourceNamespace, MissingNamespace.REFERENCED);
    if (sourceNamespace !== undefined && sourceNamespace !== this.namespace) {
      // the source is a TypedLocalObjectReference (export/v1/types.go)
      throw propError(this, 'namespace', this.namespace, `must be the source's namespace ('${sourceNamespace}'): an export serves objects of its own namespace`,
        `remove 'namespace' or set it to '${sourceNamespace}'`);
    }
    if (props.persistentVolumeClaimName !== undefined) requireDns1123Subdomain(this, 'persistentVolumeClaimName', props.persistentVolumeClaimName);
    if (props.tokenSecretName !== undefined) requireDns1123Subdomain(this, 'tokenSecretName', props.tokenSecretName);
    const ttl = props.ttl && goDuration(this, 'ttl', props.ttl);

    // the admitter's source rules (pkg/storage/admitters/vmexport.go:82-114
    // at v1.9.0): a PVC has no apiGroup, a snapshot snapshot.kubevirt.io, a VM kubevirt.io
    const source = props.vm ? { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: props.vm.name }
      : props.snapshot ? { apiGroup: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshot', name: props.snapshot.name }
        : { kind: 'PersistentVolumeClaim', name: props.dataVolume?.name ?? props.persistentVolumeClaimName! };
    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'export.kubevirt.io/v1',
      kind: 'VirtualMachineExport',
      metadata: { ...(props.name !== undefined && { name: props.name }), namespace: this.namespace },
      spec: Lazy.any({
        produce: () => ({
          source,
          ...(props.tokenSecretName !== undefined && { tokenSecretRef: props.tokenSecretName }),
          ...(ttl !== undefined && { ttlDuration: ttl }),
        }),
      }),
    });
    const dependency = props.vm ? vmResource(props.vm) : (props.snapshot ?? props.dataVolume)?.node.tryFindChild('Resource');
    if (dependency instanceof ApiObject) resource.node.addDependency(dependency);
    this.name = resource.name;
    requireDns1123Subdomain(this, 'name', this.name);

    if (props.vm) {
      const vmName = props.vm.name;
      reportWarnings(this, () => {
        const vm = appVm(this, this.namespace, vmName);
        if (!vm) return [];
        const warnings: string[] = [];
        if (!vmVolumes(vm, this).some(snapshottable)) {
          // only PVC and DataVolume volumes are served (pkg/storage/export/export/vm-source.go:245-249, 270-311)
          warnings.push(`the VM '${vmName}' has no PVC or DataVolume volume, so the export has nothing to serve (KubeVirt reports 'has no volumes')`);
        }
        const runStrategy = vm.manifest.spec?.runStrategy;
        if (runStrategy === 'Always' || runStrategy === 'RerunOnFailure') {
          // a running VM's volumes are in use (vm-source.go:204-217)
          warnings.push(`the VM '${vmName}' runs (runStrategy ${runStrategy}), and KubeVirt serves its volumes only while it is stopped: `
            + 'stop the VM, or export a snapshot of it');
        }
        return warnings;
      });
    }
  }
}
