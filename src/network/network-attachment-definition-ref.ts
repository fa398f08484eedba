/**
 * The reference to a NetworkAttachmentDefinition that VMs, policies and
 * the platform hold: a leaf, so that they need not import the construct.
 */
import { IConstruct } from 'constructs';

/**
 * A Multus NetworkAttachmentDefinition that pods and VMs can attach to.
 */
export interface INetworkAttachmentDefinition extends IConstruct {
  /** Name of the NetworkAttachmentDefinition object. */
  readonly name: string;
  /** Namespace of the NetworkAttachmentDefinition object. */
  readonly namespace: string;
  /**
   * The reference VMs and pods use: `namespace/name`.
   */
  readonly networkName: string;
}
