import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { VirtualMachineExposeOptions, VirtualMachineService } from './expose';
import { VMI_ID_LABEL, WorkloadFacts } from './launcher-pods';
import { Network } from './network';
import { VmSpecBuilder } from './render/vm-template';
import { requireReferenceNamespaces, requireTemplateDiskName, diskGateProblems, migratingWhereaboutsWarnings } from './rules';
import { VirtualMachineAddNetworkOptions, VirtualMachineNetworkInterface, VirtualMachineTemplateOptions } from './template-options';
import { reportWarnings } from '../../private/warnings';
import {
  DNS1123_LABEL_MAX, optionalArray, optionalString, requireDns1123Label, requireInstance, requireString, requireStruct,
} from '../../validation';
import { PlannedInterface } from './secrets/network-data';
import { MissingNamespace, resolveNamespace } from '../../private/namespace';
import { ensureUniqueObjectNames, registerOwnedObjects } from '../../private/unique-object-names';
import { BootDisk } from '../disks/boot-disk';
import { Disk } from '../disks/disk';
import { AddDiskOptions } from '../disks/disk-options';
import { ownedDataVolumeNames } from '../disks/disk-rules';
import { createVmSecrets, VmSecrets } from './secrets/vm-secrets';
import { IVirtualMachine } from './virtual-machine-ref';
import { VirtualMachineCloneOptions, VirtualMachineExportOptions, VirtualMachineSnapshotOptions } from '../../day2/day2-options';
import { VirtualMachineClone } from '../../day2/virtual-machine-clone';
import { VirtualMachineExport } from '../../day2/virtual-machine-export';
import { VirtualMachineSnapshot } from '../../day2/virtual-machine-snapshot';

/** Props of {@link VirtualMachine}. */
export interface VirtualMachineProps extends VirtualMachineTemplateOptions {
  /**
   * Name of the VM: a DNS-1123 label of at most 63 characters, since it
   * becomes the guest's host name.
   */
  readonly name: string;

  /**
   * Namespace of the VM and of the Secrets it creates.
   *
   * @default - the namespace of the chart
   */
  readonly namespace?: string;

  /** The disk the VM boots from. */
  readonly bootDisk: BootDisk;

  /**
   * The VM's interfaces and their networks. More can be added with
   * `addNetwork()`.
   *
   * @default - one interface named `default` on the pod network with
   * masquerade binding; pass `[]` for a VM without a pod network (if no
   * interface is added later, the VM gets no network at all:
   * `autoattachPodInterface: false` keeps KubeVirt from adding one)
   */
  readonly networks?: VirtualMachineNetworkInterface[];
}

/** Options of {@link VirtualMachine.fromVirtualMachineName}. */
export interface VirtualMachineFromNameOptions {
  /** Namespace of the existing VirtualMachine. */
  readonly namespace: string;
}

class ImportedVirtualMachine extends Construct implements IVirtualMachine {
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, name: string, namespace: string) {
    super(scope, id);
    requireString(this, 'name', name);
    requireString(this, 'namespace', namespace);
    requireDns1123Label(this, 'name', name, DNS1123_LABEL_MAX);
    requireDns1123Label(this, 'namespace', namespace);
    this.name = name;
    this.namespace = namespace;
  }
}

/**
 * A KubeVirt VirtualMachine (kubevirt.io/v1): one guest with its boot disk,
 * networks, cloud-init and placement. Cloud-init data and SSH keys go into
 * Secrets that the VM creates beside itself and references.
 */
export class VirtualMachine extends Construct implements IVirtualMachine {
  /** Refers to a VirtualMachine that exists already. */
  public static fromVirtualMachineName(scope: Construct, id: string, name: string, options: VirtualMachineFromNameOptions): IVirtualMachine {
    return new ImportedVirtualMachine(scope, id, name, requireStruct(undefined, 'options', options).namespace);
  }

  /** Name of the VirtualMachine. */
  public readonly name: string;
  /** Namespace of the VirtualMachine and of the Secrets it creates. */
  public readonly namespace: string;

  private readonly bootDisk: BootDisk;
  private readonly builder: VmSpecBuilder;
  private readonly secrets: VmSecrets;

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    super(scope, id);
    ensureUniqueObjectNames(this);
    requireStruct(this, 'props', props);
    requireString(this, 'name', props.name);
    requireDns1123Label(this, 'name', props.name, DNS1123_LABEL_MAX);
    optionalString(this, 'namespace', props.namespace);
    requireInstance(this, 'bootDisk', props.bootDisk, BootDisk, 'BootDisk.containerDisk(), BootDisk.cloneOf() or another BootDisk factory');
    optionalArray(this, 'networks', props.networks, (n, p) => requireStruct(this, p, n));
    const namespace = resolveNamespace(this, props.namespace, MissingNamespace.of('VM'));
    props.bootDisk._validate(this, 'bootDisk');
    this.builder = new VmSpecBuilder(this, props, props.networks);
    requireReferenceNamespaces(this, props, namespace);

    this.name = props.name;
    this.namespace = namespace;
    this.bootDisk = props.bootDisk;
    this.secrets = createVmSecrets(this, this.name, namespace, props);
    props.bootDisk._prepare(this, namespace);

    const metadata: any = { name: this.name, namespace };
    if (props.labels && Object.keys(props.labels).length > 0) metadata.labels = props.labels;
    if (props.annotations && Object.keys(props.annotations).length > 0) metadata.annotations = props.annotations;
    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata,
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    registerOwnedObjects(resource, () => ownedDataVolumeNames(this.name, this.bootDisk._source, this.builder.disks)
      .map(name => ({ apiGroup: 'cdi.kubevirt.io', kind: 'DataVolume', name })));

    this.node.addValidation({
      validate: () => this.builder.migrationProblems({ name: this.name, namespace: this.namespace, bootDisk: this.bootDisk }),
    });
    this.node.addValidation({ validate: () => diskGateProblems(this, this.builder.disks) });
    this.node.addValidation({
      validate: () => this.builder.podSelectorProblems(this._workloadFacts(), props.labels ?? {},
        'select a label of the VM\'s templateLabels (the VM\'s own labels do not reach its pod)'),
    });
    reportWarnings(this, () => migratingWhereaboutsWarnings(this, props.evictionStrategy, this.builder.interfaces,
      new Set(this._plannedAddresses().map(a => a.interfaceName))));
  }

  /**
   * Attaches `disk` as a data disk, CD-ROM or LUN named `name` (a DNS-1123
   * label, unique in the VM). A DataVolume template or golden-image clone
   * becomes a DataVolume named `<vm name>-<name>` that the VM owns. Throws
   * when KubeVirt would refuse the disk.
   */
  public addDisk(name: string, disk: Disk, options: AddDiskOptions = {}): void {
    this.builder.addDisk(name, disk, options, d => requireTemplateDiskName(this, d, this.name));
  }

  /**
   * Shares `disk` with the guest as a virtiofs file system tagged `name`
   * (mount it with `mount -t virtiofs <name> /mnt`). PVCs and DataVolumes,
   * ConfigMaps, Secrets, a ServiceAccount and the downward API can be
   * shared; storage volumes need the EnableVirtioFsStorageVolumes gate.
   */
  public addFilesystem(name: string, disk: Disk): void {
    this.builder.addFilesystem(name, disk, d => requireTemplateDiskName(this, d, this.name));
  }

  /**
   * Adds an interface named `name` connected to `network` (the network gets
   * the same name). Throws when KubeVirt would reject the combination.
   */
  public addNetwork(name: string, network: Network, options: VirtualMachineAddNetworkOptions = {}): void {
    requireStruct(this, 'options', options);
    this.builder.addNetwork(name, network, options.binding, options.macAddress, { model: options.model, bootOrder: options.bootOrder });
  }

  /**
   * Puts the VM behind a Service on the pod network (ClusterIP, NodePort or
   * LoadBalancer), the way `virtctl expose` does: the Service selects the
   * VM's virt-launcher pod by KubeVirt's `vmi.kubevirt.io/id` label. Refused
   * for a VM without an interface on the pod network.
   * @param options the ports, the Service type and name
   */
  public expose(options: VirtualMachineExposeOptions): VirtualMachineService {
    return VirtualMachineService._expose(this, this._workloadFacts(), () => this._selectPods(), this.name, options, this._exposeFix());
  }

  /**
   * Snapshots the VM (a KubeVirt VirtualMachineSnapshot in its namespace);
   * call `restore()` on the result to restore it.
   */
  public snapshot(id: string, options: VirtualMachineSnapshotOptions = {}): VirtualMachineSnapshot {
    return new VirtualMachineSnapshot(this, id, { ...requireStruct(this, 'options', options), vm: this });
  }

  /** Clones the VM into a new VM (a KubeVirt VirtualMachineClone). */
  public cloneTo(id: string, options: VirtualMachineCloneOptions): VirtualMachineClone {
    return new VirtualMachineClone(this, id, { ...requireStruct(this, 'options', options), source: this });
  }

  /**
   * Serves the VM's PVC and DataVolume disks for download (a KubeVirt
   * VirtualMachineExport); by default KubeVirt makes the access token.
   */
  public exportDisks(id: string, options: VirtualMachineExportOptions = {}): VirtualMachineExport {
    return new VirtualMachineExport(this, id, { ...requireStruct(this, 'options', options), vm: this });
  }

  /** @internal */
  public _workloadFacts(): WorkloadFacts {
    const isolated = this.builder.autoattachPodInterface === false && this.builder.interfaces.some(i => i.network.isDefault);
    return this.builder.workloadFacts(this.namespace, [this.name], isolated, false);
  }

  /**
   * Gives an interface a planned address and MAC (from an AddressPlan).
   * @internal
   */
  public _planAddress(vmName: string, planned: PlannedInterface): void {
    this.builder.planAddress(this.namespace, vmName, planned);
  }

  /**
   * The planned interfaces of this VM, by VM name.
   * @internal
   */
  public _plannedAddresses(): Array<PlannedInterface & { vmName: string }> {
    return this.builder.plannedAddresses();
  }

  /** @internal */
  public _selectPods(): { [key: string]: string } {
    return { [VMI_ID_LABEL]: this.name };
  }

  /**
   * The fix named when `expose()` is refused.
   * @internal
   */
  protected _exposeFix(): string {
    return 'add the pod network (Network.pod()) to the VM, or reach it on its Multus network';
  }

  /** The VM's interfaces with their networks, in order. */
  public get networks(): VirtualMachineNetworkInterface[] {
    return this.builder.interfaces.map(i => ({
      name: i.name, network: i.network, binding: i.binding, macAddress: i.macAddress, model: i.model, bootOrder: i.bootOrder,
    }));
  }

  /**
   * Renders the VirtualMachine `spec`.
   * @internal
   */
  public _toKube(): any {
    return this.builder.renderVm({ name: this.name, namespace: this.namespace, bootDisk: this.bootDisk, secrets: this.secrets });
  }

  /**
   * Sets `domain.devices.autoattachPodInterface` (for VMs without a pod
   * network).
   * @internal
   */
  protected _setAutoattachPodInterface(value: boolean): void {
    this.builder.autoattachPodInterface = value;
  }
}
