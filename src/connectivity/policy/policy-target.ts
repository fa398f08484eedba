import { PolicyPeer } from './policy-peer';
import { SmartCloneFleet } from '../../compute/fleet/smart-clone-fleet';
import { VMI_ID_LABEL } from '../../compute/vm/launcher-pods';
import { IVirtualMachine } from '../../compute/vm/virtual-machine-ref';
import { requireInterface } from '../../validation';
import { requireFleet } from '../private/fleet';

/** The annotation that names the networks a MultiNetworkPolicy applies to. */
export const POLICY_FOR_ANNOTATION = 'k8s.v1.cni.cncf.io/policy-for';

/**
 * The VMs (pods) of its own namespace a MultiNetworkPolicy applies to
 * (`spec.podSelector`).
 */
export class PolicyTarget {
  /** Every pod of the policy's namespace that is on one of its networks. */
  public static allPods(): PolicyTarget {
    return new PolicyTarget({}, undefined, 'every pod');
  }

  /** One VM. The policy must live in the VM's namespace. */
  public static vm(vm: IVirtualMachine): PolicyTarget {
    requireInterface<IVirtualMachine>(undefined, 'vm', vm, 'IVirtualMachine', ['node', 'name', 'namespace'],
      'pass a VirtualMachine, an IsolatedVm, or VirtualMachine.fromVirtualMachineName()');
    return new PolicyTarget({ [VMI_ID_LABEL]: vm.name }, vm.namespace, `VM ${vm.namespace}/${vm.name}`);
  }

  /** Every VM of a fleet. The policy must live in the fleet's namespace. */
  public static fleet(fleet: SmartCloneFleet): PolicyTarget {
    const f = requireFleet('fleet', fleet);
    return new PolicyTarget(f._selectPods(), f.namespace, `fleet ${f.namespace}/${f.name}`);
  }

  /** The pods of the policy's namespace with all of these labels. */
  public static podLabels(labels: { [key: string]: string }): PolicyTarget {
    const peer = PolicyPeer.podLabels(labels);
    return new PolicyTarget(peer._podLabels()!, undefined, peer.description);
  }

  /**
   * Namespace the target's VMs live in.
   * @default - any: the policy's namespace
   */
  public readonly namespace?: string;
  /** Short description, for messages. */
  public readonly description: string;
  private readonly labels: { [key: string]: string };

  private constructor(labels: { [key: string]: string }, namespace: string | undefined, description: string) {
    this.labels = labels;
    this.namespace = namespace;
    this.description = description;
  }

  /** The labels selected (a copy; empty selects every pod). */
  public get matchLabels(): { [key: string]: string } {
    return { ...this.labels };
  }
}
