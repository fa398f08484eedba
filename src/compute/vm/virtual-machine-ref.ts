import { IConstruct } from 'constructs';

/**
 * A KubeVirt VirtualMachine, defined here or imported by name: what other
 * objects (policies, snapshots, clones, exports) need to refer to one.
 */
export interface IVirtualMachine extends IConstruct {
  /** Name of the VirtualMachine. */
  readonly name: string;
  /** Namespace of the VirtualMachine. */
  readonly namespace: string;
}
