import { Construct } from 'constructs';
import { InterfaceBinding, Network, NetworkKind } from './network';
import { VirtualMachineAddNetworkOptions, VirtualMachineTemplateOptions } from './template-options';
import { VirtualMachine } from './virtual-machine';
import { INetworkAttachmentDefinition } from '../../network/network-attachment-definition-ref';
import { requireNetworkAttachmentDefinition } from '../../network/private/references';
import { optionalString, propError, requireInstance, requireStruct } from '../../validation';
import { BootDisk } from '../disks/boot-disk';

/** Props of {@link IsolatedVm}. */
export interface IsolatedVmProps extends VirtualMachineTemplateOptions {
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
   * The VM's only network: it becomes the pod's default network (Multus
   * `defaultNetwork: true`), so the virt-launcher pod has no cluster-network
   * interface.
   */
  readonly network: INetworkAttachmentDefinition;

  /**
   * Name of the interface (and network) in the VM spec.
   *
   * @default 'default'
   */
  readonly interfaceName?: string;

  /**
   * MAC address of the interface.
   *
   * @default - assigned by KubeVirt or the CNI
   */
  readonly macAddress?: string;
}

/**
 * A VM cut off from the pod network: its only network is one Multus network
 * that replaces the pod's default network, bridge-bound, and KubeVirt is
 * told not to attach a pod interface. More Multus networks may be added;
 * the pod network may not.
 */
export class IsolatedVm extends VirtualMachine {
  /** The NetworkAttachmentDefinition that is the VM's default network. */
  public readonly network: INetworkAttachmentDefinition;

  constructor(scope: Construct, id: string, props: IsolatedVmProps) {
    super(scope, id, {
      ...requireIsolatedVmShapes(scope, id, props),
      networks: [{
        name: props.interfaceName ?? 'default',
        network: Network._isolated(props.network, 'IsolatedVm'),
        binding: InterfaceBinding.bridge(),
        macAddress: props.macAddress,
      }],
    });
    this.network = props.network;
    this._setAutoattachPodInterface(false);
  }

  /**
   * The fix named when `expose()` is refused: an isolated VM has no pod
   * network to expose.
   * @internal
   */
  protected _exposeFix(): string {
    return 'an IsolatedVm has no pod network; reach it on its Multus network instead and guard that network with a MultiNetworkPolicy';
  }

  /**
   * Adds a secondary Multus network. Adding the pod network throws: it
   * would break the isolation.
   */
  public addNetwork(name: string, network: Network, options: VirtualMachineAddNetworkOptions = {}): void {
    requireInstance(this, `networks.${name}.network`, network, Network, 'Network.multus(nad)');
    if (network.kind === NetworkKind.POD) {
      throw propError(this, `networks.${name}.network`, 'pod', 'cannot be added to an IsolatedVm, whose only default network is a Multus network',
        'use VirtualMachine for a VM on the pod network, or attach another Multus network');
    }
    super.addNetwork(name, network, options);
  }
}

/** The shape checks IsolatedVm needs before it can build its network (the construct does not exist yet, so errors name its future path). */
function requireIsolatedVmShapes(scope: Construct, id: string, props: IsolatedVmProps): IsolatedVmProps {
  const path = scope.node.path ? `${scope.node.path}/${id}` : id;
  requireStruct(path, 'props', props);
  requireNetworkAttachmentDefinition(path, 'network', props.network);
  optionalString(path, 'interfaceName', props.interfaceName);
  optionalString(path, 'macAddress', props.macAddress);
  return props;
}
