/**
 * What Services and network policies need to know about the VMs a construct
 * renders (a single VM or a fleet). A leaf file: the VM constructs produce
 * these facts, and the constructs that select VMs read them, without
 * importing each other. Internal: not exported from the package index.
 */

/** KubeVirt's label on every virt-launcher pod that names its VMI (`virtctl expose` selects by it). */
export const VMI_ID_LABEL = 'vmi.kubevirt.io/id';

/** One VM as the pods that run it will look. */
export interface VmPodFacts {
  /** Name of the VM (and of its VMI). */
  readonly name: string;
  /** Labels of the virt-launcher pod: the template labels plus KubeVirt's own. */
  readonly podLabels: { [key: string]: string };
}

/** The VMs one construct renders and the networks they attach to. */
export interface WorkloadFacts {
  /** Namespace of the VMs. */
  readonly namespace: string;
  /** Each VM with its pod labels. */
  readonly vms: VmPodFacts[];
  /** `namespace/name` of every Multus network the VMs attach to. */
  readonly networkNames: string[];
  /** Whether the VMs have an interface on the pod network. */
  readonly hasPodNetwork: boolean;
  /** Whether the VMs are cut off from the pod network (a Multus default network). */
  readonly isolated: boolean;
  /** The VMs' interfaces: name, Multus network (if any) and fixed MAC (if any). */
  readonly interfaces: Array<{
    readonly name: string;
    readonly networkName?: string;
    readonly macAddress?: string;
    /** The binding (`bridge`, `sriov`, `masquerade`, `plugin`). */
    readonly binding?: string;
    /** Whether the interface is the VM's Multus default network (written outside the pod's networks annotation). */
    readonly multusDefault?: boolean;
  }>;
  /** Whether the VMs' cloud-init already brings network data of its own. */
  readonly hasNetworkData: boolean;
  /** Whether the VMs come from one VirtualMachinePool (one template for all). */
  readonly pool: boolean;
}

/** The interface list and network-data flag of a spec builder's VMs. */
export function interfaceFacts(
  interfaces: Array<{
    name: string;
    network: { networkAttachmentDefinition?: { networkName: string }; isDefault?: boolean };
    macAddress?: string;
    binding?: { type: string };
  }>,
  cloudInit: { _renderNetworkData(): string | undefined; _secretRef(): { networkDataSecretName?: string } | undefined } | undefined,
) {
  const hasNetworkData = cloudInit !== undefined
    && (cloudInit._renderNetworkData() !== undefined || cloudInit._secretRef()?.networkDataSecretName !== undefined);
  return {
    interfaces: interfaces.map(i => ({
      name: i.name,
      networkName: i.network.networkAttachmentDefinition?.networkName,
      macAddress: i.macAddress,
      binding: i.binding?.type,
      multusDefault: i.network.isDefault === true,
    })),
    hasNetworkData,
  };
}

/** Implemented by the constructs that render VMs. */
export interface IWorkloadFactsSource {
  /** @internal */
  _workloadFacts(): WorkloadFacts;
  /**
   * Labels that select exactly this construct's VMs' pods; may add a label
   * to the VM template so that such a selector exists.
   * @internal
   */
  _selectPods(): { [key: string]: string };
}

/** KubeVirt's pod label that carries the guest's host name. */
export const VM_NAME_LABEL = 'vm.kubevirt.io/name';

/**
 * The pod labels KubeVirt v1.9 gives a VM's virt-launcher pod besides the
 * template labels: `kubevirt.io: virt-launcher`, the VMI id, which is the
 * VM name for names of at most 63 characters (every VM name here), and
 * `vm.kubevirt.io/name`, which is the guest's host name (the VM name
 * unless `hostname` is set). `kubevirt.io/created-by` (the VMI's uid) is
 * not known before the VM runs.
 */
export function kubevirtPodLabels(vmName: string, hostname?: string): { [key: string]: string } {
  return { 'kubevirt.io': 'virt-launcher', [VMI_ID_LABEL]: vmName, [VM_NAME_LABEL]: hostname ?? vmName };
}

/** Whether every label of `selector` is on `labels`. */
export function selectorMatches(selector: { [key: string]: string }, labels: { [key: string]: string }): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
