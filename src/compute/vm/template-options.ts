/**
 * The options every VM-rendering construct takes (a VM, an isolated VM, the
 * VMs of a fleet): hardware, boot, cloud-init, networks, placement, metadata.
 * Kept apart from the constructs so that the rules and the rendering can read
 * them without importing a construct.
 */
import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { EvictionStrategy } from './eviction-strategy';
import { Firmware, MachineType } from './machine';
import { InterfaceBinding, Network } from './network';
import { RunStrategy } from './run-strategy';
import { Instancetype, Preference } from '../instancetypes/selection';
import { CloudInit } from './secrets/cloud-init';
import { InterfaceModel } from '../devices/guest-devices';
import { VirtualMachineDeviceOptions, VirtualMachinePerformanceOptions } from '../performance/options';

/** Options of `VirtualMachine.addNetwork`. */
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
   * The firmware (SMBIOS) UUID the guest sees, for a VM that must keep the
   * identity it already has (a migrated Windows guest, a licence bound to
   * it). Refused on a fleet, whose VMs would all share it.
   *
   * @default - a name-based UUID (RFC 4122 version 5) of `<namespace>/<name>`
   * in the namespace FIRMWARE_UUID_NAMESPACE: the same on every synth and
   * every re-creation of the VM, different for every VM
   */
  readonly firmwareUuid?: string;

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
