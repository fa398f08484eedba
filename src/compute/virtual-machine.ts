import { ApiObject, Chart, Lazy, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { EvictionStrategy } from './eviction-strategy';
import {
  DNS1123_LABEL_MAX, optionalArray, optionalString, propError, requireDns1123Label, requireInstance, requireString, requireStruct,
} from '../validation';
import { PlannedAddresses, PlannedInterface } from './address-patch';
import { BootDisk } from './boot-disk';
import { CloudInit } from './cloud-init';
import { InterfaceModel } from './devices/guest-devices';
import { Disk } from './disks/disk';
import { AddDiskOptions } from './disks/disk-options';
import { checkTemplateDiskName, diskGateProblems, ownedDataVolumeNames } from './disks/disk-rules';
import { migratingWhereaboutsWarnings } from './ip-persistence';
import { Firmware, Instancetype, MachineType, Preference } from './machine';
import { InterfaceBinding, Network } from './network';
import { checkReferenceNamespaces } from './performance/compute-spec';
import { VirtualMachineDeviceOptions, VirtualMachinePerformanceOptions } from './performance/options';
import { affinitySelectorProblems, spreadSelectorProblems } from './pod-selectors';
import { RunStrategy } from './run-strategy';
import { VirtualMachineExposeOptions, VirtualMachineService } from './vm-service';
import { createVmSecrets, VmSecrets, VmSpecBuilder } from './vm-spec';
import { interfaceFacts, kubevirtPodLabels, VMI_ID_LABEL, WorkloadFacts } from './workload-facts';
import { reportWarnings } from '../platform/private/warnings';
import { ensureUniqueObjectNames, registerOwnedObjects } from '../private/unique-object-names';

/** Options of {@link VirtualMachine.addNetwork}. */
export interface VirtualMachineAddNetworkOptions {
  /**
   * How the interface is connected to its network.
   *
   * @default - masquerade on the pod network, bridge on a Multus network
   */
  readonly binding?: InterfaceBinding;

  /**
   * MAC address of the interface, as six hex pairs.
   *
   * @default - assigned by KubeVirt or the CNI
   */
  readonly macAddress?: string;

  /**
   * Model of the emulated network card.
   *
   * @default - virtio (KubeVirt's default), or the preference's
   */
  readonly model?: InterfaceModel;

  /**
   * Boot from the network through this interface, at this place in the
   * boot order (2 or more: the boot disk is 1).
   *
   * @default - no network boot
   */
  readonly bootOrder?: number;
}

/** An interface of a VM and the network behind it (both share the name). */
export interface VirtualMachineNetworkInterface extends VirtualMachineAddNetworkOptions {
  /** Name of the interface and of its network (a DNS-1123 label). */
  readonly name: string;
  /** The network the interface connects to. */
  readonly network: Network;
}

/**
 * Settings shared by every VM-rendering construct (a single VM, an isolated
 * VM, the VMs of a fleet): hardware, boot, cloud-init, placement, metadata.
 */
export interface VirtualMachineTemplateOptions extends VirtualMachinePerformanceOptions, VirtualMachineDeviceOptions {
  /**
   * Guest CPU cores per socket. Not allowed together with `instancetype`.
   *
   * @default - 1 (KubeVirt's default), or what the instancetype gives
   */
  readonly cores?: number;

  /**
   * Guest CPU sockets. Not allowed together with `instancetype`.
   *
   * @default - 1 (KubeVirt's default), or what the instancetype gives
   */
  readonly sockets?: number;

  /**
   * Guest CPU threads per core. Not allowed together with `instancetype`.
   *
   * @default - 1 (KubeVirt's default), or what the instancetype gives
   */
  readonly threads?: number;

  /**
   * Guest memory (`domain.memory.guest`), at least 1 MiB. Not allowed
   * together with `instancetype`.
   *
   * @default - 1 GiB, or what the instancetype gives
   */
  readonly memory?: Size;

  /**
   * Whether and when the VM runs.
   *
   * @default RunStrategy.ALWAYS
   */
  readonly runStrategy?: RunStrategy;

  /**
   * Firmware. EFI with Secure Boot also turns on SMM, which KubeVirt requires.
   *
   * @default - BIOS (KubeVirt's default), or what the preference prefers
   */
  readonly firmware?: Firmware;

  /**
   * Emulated machine type.
   *
   * @default - the cluster's default (q35 on x86_64), or the preference's
   */
  readonly machineType?: MachineType;

  /**
   * Instancetype that supplies CPU and memory.
   *
   * @default - none; CPU and memory come from this VM's own props
   */
  readonly instancetype?: Instancetype;

  /**
   * Preference with preferred defaults for the guest.
   *
   * @default - none
   */
  readonly preference?: Preference;

  /**
   * Cloud-init NoCloud data, always passed through a Secret.
   *
   * @default - none (an empty one when `sshKeys` are given, so KubeVirt can
   * hand the keys to cloud-init)
   */
  readonly cloudInit?: CloudInit;

  /**
   * SSH public keys for the guest, stored in a Secret named
   * `<vm name>-ssh-keys` and passed through KubeVirt access credentials with
   * the NoCloud (or config drive) propagation method. KubeVirt hands them to
   * cloud-init as meta-data `public-keys`, which cloud-init installs for the
   * distribution's default user only (`fedora`, `ubuntu`, `cloud-user`...),
   * never for the `users` of `cloudInit`: with such users the default user
   * is kept (see `CloudInitNoCloudOptions.keepDefaultUser`). To log in as
   * one of those users, give the keys to that user's `sshAuthorizedKeys`.
   * Raw `userData` that lists `users` must list `default` too.
   *
   * @default - none
   */
  readonly sshKeys?: string[];

  /**
   * Node labels the VM must be scheduled on.
   *
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Tolerations of the VM's pod.
   *
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];

  /**
   * Affinity rules of the VM's pod.
   *
   * Once the app has a NodeNetworkConfigurationPolicy, the bridges and
   * macvlan masters of the VM's networks must exist on every node the VM may
   * run on: that is proven from `nodeSelector` and the required node
   * affinity terms, where only `key In [one value]` pins a label.
   *
   * @default - none
   */
  readonly affinity?: k8s.Affinity;

  /**
   * What happens to the VM when its node is drained.
   *
   * @default - the cluster-wide default of the KubeVirt CR
   */
  readonly evictionStrategy?: EvictionStrategy;

  /**
   * Allow live migration although the pod network is bridge-bound, by
   * setting KubeVirt's `kubevirt.io/allow-pod-bridge-network-live-migration`
   * annotation on the template. Only safe when the CNI keeps the pod's
   * address across nodes.
   *
   * @default false
   */
  readonly allowPodBridgeNetworkLiveMigration?: boolean;

  /**
   * Labels of the VirtualMachine object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the VirtualMachine object.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Labels of the VM instance template (they reach the VMI and its pod, so
   * Services and network policies can select them). The `kubevirt.io/`
   * labels KubeVirt sets itself (`kubevirt.io/nodeName`,
   * `kubevirt.io/created-by`...) are refused, as KubeVirt refuses them.
   *
   * @default - none
   */
  readonly templateLabels?: { [key: string]: string };

  /**
   * Annotations of the VM instance template.
   *
   * @default - none
   */
  readonly templateAnnotations?: { [key: string]: string };
}

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

/** A KubeVirt VirtualMachine, defined here or imported by name. */
export interface IVirtualMachine extends IConstruct {
  /** Name of the VirtualMachine. */
  readonly name: string;
  /** Namespace of the VirtualMachine. */
  readonly namespace: string;
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
  private planned?: PlannedAddresses;

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    super(scope, id);
    ensureUniqueObjectNames(this);
    requireStruct(this, 'props', props);
    requireString(this, 'name', props.name);
    requireDns1123Label(this, 'name', props.name, DNS1123_LABEL_MAX);
    optionalString(this, 'namespace', props.namespace);
    requireInstance(this, 'bootDisk', props.bootDisk, BootDisk, 'BootDisk.containerDisk(), BootDisk.cloneOf() or another BootDisk factory');
    optionalArray(this, 'networks', props.networks, (n, p) => requireStruct(this, p, n));
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace === undefined) {
      throw propError(this, 'namespace', namespace, 'must be given (the chart has no namespace either)', 'set namespace on the VM or on its chart');
    }
    requireDns1123Label(this, 'namespace', namespace);
    props.bootDisk._validate(this, 'bootDisk');
    this.builder = new VmSpecBuilder(this, props, props.networks);
    checkReferenceNamespaces(this, props, namespace);

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
      validate: () => [
        ...spreadSelectorProblems(props.topologySpreadConstraints, this._workloadFacts().vms,
          'select a label of the VM\'s templateLabels (the VM\'s own labels do not reach its pod)'),
        ...affinitySelectorProblems(props.affinity, props.labels ?? {}, this._workloadFacts().vms[0].podLabels),
      ],
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
    this.builder.addDisk(name, disk, options, d => checkTemplateDiskName(this, d, this.name));
  }

  /**
   * Shares `disk` with the guest as a virtiofs file system tagged `name`
   * (mount it with `mount -t virtiofs <name> /mnt`). PVCs and DataVolumes,
   * ConfigMaps, Secrets, a ServiceAccount and the downward API can be
   * shared; storage volumes need the EnableVirtioFsStorageVolumes gate.
   */
  public addFilesystem(name: string, disk: Disk): void {
    this.builder.addFilesystem(name, disk, d => checkTemplateDiskName(this, d, this.name));
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

  /** @internal */
  public _workloadFacts(): WorkloadFacts {
    const interfaces = this.builder.interfaces;
    return {
      namespace: this.namespace,
      vms: [{ name: this.name, podLabels: { ...this.builder.templateLabels, ...kubevirtPodLabels(this.name, this.builder.options.hostname) } }],
      networkNames: interfaces.filter(i => i.network.networkAttachmentDefinition).map(i => i.network.networkAttachmentDefinition!.networkName),
      hasPodNetwork: interfaces.some(i => i.network.networkAttachmentDefinition === undefined),
      isolated: this.builder.autoattachPodInterface === false && interfaces.some(i => i.network.isDefault),
      ...interfaceFacts(interfaces, this.builder.options.cloudInit),
      pool: false,
    };
  }

  /**
   * Gives an interface a planned address and MAC (from an AddressPlan).
   * @internal
   */
  public _planAddress(vmName: string, planned: PlannedInterface): void {
    if (!this.planned) {
      this.planned = new PlannedAddresses(this, this.namespace, () => this.builder.interfaces,
        () => this.builder.options.cloudInit?._configDrive === true);
    }
    this.planned.add(vmName, planned);
  }

  /**
   * The planned interfaces of this VM, by VM name.
   * @internal
   */
  public _plannedAddresses(): Array<PlannedInterface & { vmName: string }> {
    return this.planned ? this.planned.all() : [];
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
    const spec = this.builder.render({ name: this.name, namespace: this.namespace, bootDisk: this.bootDisk, secrets: this.secrets });
    return this.planned ? this.planned.patch(this.name, spec) : spec;
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
