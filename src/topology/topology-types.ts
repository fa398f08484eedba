/**
 * The shapes of a topology model: what `Topology` found in the synthesized
 * manifests. Kept in a leaf file so the builder, the renderers and the
 * `Topology` class can share them without import cycles.
 */

/** What a node of the topology picture stands for. */
export enum TopologyNodeKind {
  /** The cluster's default pod network (`pod: {}` in a VM). */
  POD_NETWORK = 'pod-network',
  /** A Multus NetworkAttachmentDefinition. */
  NETWORK = 'network',
  /** A NetworkAttachmentDefinition labelled as the storage network. */
  STORAGE_NETWORK = 'storage-network',
  /** A Rook-Ceph cluster that uses a storage network. */
  CEPH = 'ceph',
  /** One VirtualMachine (or VirtualMachineInstance) that belongs to no fleet. */
  VIRTUAL_MACHINE = 'virtual-machine',
  /** All VirtualMachines of one namespace that carry the same fleet label. */
  FLEET = 'fleet',
  /** One VirtualMachinePool with its replicas. */
  POOL = 'pool',
  /** A golden image: a DataVolume that imports a disk image once. */
  IMAGE = 'image',
  /** Any other DataVolume or PersistentVolumeClaim. */
  VOLUME = 'volume',
  /** A CSI VolumeSnapshot. */
  SNAPSHOT = 'snapshot',
  /** A CDI DataSource that publishes a volume or snapshot under a stable name. */
  DATA_SOURCE = 'data-source',
  /** The virtualization controllers the manifests run, with their versions, as one box. */
  PLATFORM = 'platform',
  /**
   * A host interface a NodeNetworkConfigurationPolicy builds on the nodes
   * (a Linux or OVS bridge, or a NIC a network uses as macvlan master).
   */
  HOST_BRIDGE = 'host-bridge',
  /** A VXLAN tunnel a NodeNetworkConfigurationPolicy builds under a bridge. */
  TUNNEL = 'tunnel',
  /**
   * A MultiNetworkPolicy: whom it applies to and what it lets in and out,
   * linked to the networks it is for.
   */
  POLICY = 'policy',
  /** A KubeVirt VirtualMachineSnapshot (snapshot.kubevirt.io), beside the VM it is taken of. */
  VM_SNAPSHOT = 'vm-snapshot',
  /** A KubeVirt VirtualMachineRestore (snapshot.kubevirt.io): a VM snapshot restored into a VM. */
  VM_RESTORE = 'vm-restore',
  /** A KubeVirt VirtualMachineClone (clone.kubevirt.io) of a VM or VM snapshot. */
  VM_CLONE = 'vm-clone',
  /** A KubeVirt VirtualMachineExport (export.kubevirt.io) of a VM, VM snapshot or volume. */
  VM_EXPORT = 'vm-export',
  /** A Velero Schedule (velero.io), linked to the VMs it backs up. */
  BACKUP_SCHEDULE = 'backup-schedule',
  /** A VirtualMachineTemplate (template.kubevirt.io), beside the VM it was made from. */
  VM_TEMPLATE = 'vm-template',
}

/** What an edge of the topology picture stands for. */
export enum TopologyEdgeKind {
  /** A VM group (or Ceph) is attached to a network; drawn without an arrow. */
  ATTACHMENT = 'attachment',
  /** A VolumeSnapshot is taken of a volume or image. */
  SNAPSHOT = 'snapshot',
  /** A DataSource points at a volume or snapshot. */
  PUBLISH = 'publish',
  /** Disks are restored from a snapshot (copy-on-write where the storage allows). */
  COW_CLONE = 'cow-clone',
  /**
   * Disks are cloned from a PVC. CDI picks CSI clone, smart clone or
   * host-assisted copy; the label names the one a CDI `cloneStrategyOverride`
   * in the manifests forces.
   */
  PVC_CLONE = 'pvc-clone',
  /** Disks are cloned from whatever a DataSource points at. */
  SOURCE_CLONE = 'source-clone',
  /** A VM mounts an existing DataVolume or PVC as a disk. */
  DISK = 'disk',
  /** A host bridge carries a network, or a tunnel is a port of a host bridge. */
  HOST_LINK = 'host-link',
  /** A MultiNetworkPolicy guards a network (it is in the policy's `policy-for`). */
  GUARD = 'guard',
  /**
   * A day-2 object acts on a VM or what it was made from: a snapshot, a
   * restore, a clone, an export, a backup or a template; the label says which.
   */
  DAY_TWO = 'day-two',
}

/** One node of the topology model. */
export interface TopologyNode {
  /**
   * Identifier used in the Mermaid and DOT output: letters, digits and `_`
   * only, unique, and the same on every run for the same manifests.
   */
  readonly id: string;
  /** What the node stands for. */
  readonly kind: TopologyNodeKind;
  /** Object name (for a fleet, the value of its fleet label). */
  readonly name: string;
  /**
   * Namespace the node is drawn in.
   *
   * @default - drawn outside every namespace (the pod network)
   */
  readonly namespace?: string;
  /** First line of the node label, e.g. `workers ×3`. */
  readonly title: string;
  /** Further label lines, e.g. `bridge br1 · VLAN 100 · 10.0.100.0/24`. */
  readonly details: string[];
  /** How many VirtualMachines the node stands for; 0 for nodes that are not VMs. */
  readonly vmCount: number;
  /** Whether every VM of the node is cut off from the pod network. */
  readonly isolated: boolean;
  /** Whether the node is only referenced by the manifests, not defined in them. */
  readonly external: boolean;
  /**
   * VLAN id of a network.
   *
   * @default - no VLAN (or not a network)
   */
  readonly vlan?: number;
  /** Address ranges of a network's IPAM, as written in its CNI config. */
  readonly ranges: string[];
  /**
   * Main CNI plugin type of a network (`bridge`, `macvlan`, `ovs`...).
   *
   * @default - not a network, or its config could not be read
   */
  readonly cniType?: string;
}

/** One edge of the topology model. */
export interface TopologyEdge {
  /** Id of the node the edge starts at. */
  readonly source: string;
  /** Id of the node the edge ends at. */
  readonly target: string;
  /** What the edge stands for. */
  readonly kind: TopologyEdgeKind;
  /**
   * Text drawn on the edge.
   *
   * @default - no text
   */
  readonly label?: string;
}

/** Options for `Topology.writeFiles()`. */
export interface TopologyWriteOptions {
  /**
   * Whether to render `topology.svg` with Graphviz when it is installed.
   *
   * @default true
   */
  readonly svg?: boolean;
  /**
   * Graphviz command used to render the SVG.
   *
   * @default 'dot' (looked up on PATH)
   */
  readonly dotCommand?: string;
}
