/**
 * The props of a MultiNetworkPolicy and of its tenant and storage-network
 * shortcuts.
 */
import { PolicyPeer, PolicyPort } from './policy-peer';
import { PolicyTarget } from './policy-target';
import { INetworkAttachmentDefinition } from '../../network/network-attachment-definition-ref';

/** Traffic a MultiNetworkPolicy allows: from (or to) these peers, on these ports. */
export interface MultiNetworkPolicyRule {
  /**
   * Sources (ingress) or destinations (egress). Traffic matching any one is allowed.
   * @default - any peer
   */
  readonly peers?: PolicyPeer[];
  /**
   * Ports. Traffic to any one is allowed.
   * @default - every port and protocol
   */
  readonly ports?: PolicyPort[];
}

/** Props of `MultiNetworkPolicy`. */
export interface MultiNetworkPolicyProps {
  /**
   * Name of the object.
   * @default - a name derived from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the policy: it applies to pods of this namespace only.
   * @default - the target's namespace, else the chart's, else 'default'
   */
  readonly namespace?: string;
  /**
   * The secondary networks the policy applies to (annotation
   * `k8s.v1.cni.cncf.io/policy-for`). At least one.
   */
  readonly networks: INetworkAttachmentDefinition[];
  /**
   * The pods (VMs) whose traffic on those networks the policy restricts.
   * @default PolicyTarget.allPods()
   */
  readonly target?: PolicyTarget;
  /**
   * What may come in. When set, every other incoming connection on the
   * networks is dropped; `[]` drops all of it.
   * @default - incoming traffic is not restricted by this policy
   */
  readonly ingress?: MultiNetworkPolicyRule[];
  /**
   * What may go out. When set, every other outgoing connection on the
   * networks is dropped; `[]` drops all of it.
   * @default - outgoing traffic is not restricted by this policy
   */
  readonly egress?: MultiNetworkPolicyRule[];
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the object (besides the policy-for annotation).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Options of `MultiNetworkPolicy.tenantNetwork()`. */
export interface TenantNetworkPolicyOptions {
  /** The tenant's network. The policy lives in its namespace. */
  readonly network: INetworkAttachmentDefinition;
  /**
   * The tenant's VMs, the only ones allowed to send traffic to the
   * tenant's VMs on the network.
   * @default - every VM of the network's namespace
   */
  readonly members?: PolicyPeer[];
  /**
   * Name of the policy.
   * @default - `<network name>-tenant-only`
   */
  readonly name?: string;
}

/** Options of `MultiNetworkPolicy.storageNetwork()`. */
export interface StorageNetworkPolicyOptions {
  /** The storage network (often a `StorageNetwork`, shared with Ceph). */
  readonly network: INetworkAttachmentDefinition;
  /**
   * Namespace of the VMs the policy fences (a policy applies in its own
   * namespace only: make one per tenant namespace).
   */
  readonly namespace: string;
  /**
   * The VMs fenced.
   * @default PolicyTarget.allPods()
   */
  readonly target?: PolicyTarget;
  /**
   * Where Ceph runs: the only destinations the VMs may reach on the network.
   * @default - every pod of the network's namespace (Rook's Ceph daemons)
   */
  readonly ceph?: PolicyPeer[];
  /**
   * Name of the policy.
   * @default - `<network name>-ceph-only`
   */
  readonly name?: string;
}
