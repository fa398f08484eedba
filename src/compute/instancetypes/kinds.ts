/**
 * The two kinds of instancetype and of preference: namespaced or
 * cluster-wide.
 */

/** Kinds of instancetype objects a VM can point at. */
export enum InstancetypeKind {
  /** A namespaced `VirtualMachineInstancetype` in the VM's namespace. */
  NAMESPACED = 'VirtualMachineInstancetype',
  /** A cluster-wide `VirtualMachineClusterInstancetype`. */
  CLUSTER = 'VirtualMachineClusterInstancetype',
}

/** Kinds of preference objects a VM can point at. */
export enum PreferenceKind {
  /** A namespaced `VirtualMachinePreference` in the VM's namespace. */
  NAMESPACED = 'VirtualMachinePreference',
  /** A cluster-wide `VirtualMachineClusterPreference`. */
  CLUSTER = 'VirtualMachineClusterPreference',
}
