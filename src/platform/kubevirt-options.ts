/**
 * Where KubeVirt's control components (virt-operator, and virt-api,
 * virt-controller and the install job that the operator creates) run with
 * respect to the cluster's control-plane nodes.
 */
export enum ControlPlanePlacement {
  /**
   * Prefer control-plane nodes, tolerating their `NoSchedule` taint, and run
   * on any Linux node when none can take the pods, e.g. on managed clusters
   * whose control plane runs no pods.
   */
  PREFER = 'PREFER',
  /**
   * Only on control-plane nodes (labelled `node-role.kubernetes.io/control-plane`
   * or `node-role.kubernetes.io/master`), preferring ones that are not also
   * workers, tolerating both roles' `NoSchedule` taints: KubeVirt v1.9's own
   * placement (pkg/virt-operator/resource/placement/placement.go,
   * RequireControlPlanePreferNonWorker). The pods stay Pending where no
   * control-plane node takes pods.
   */
  REQUIRE = 'REQUIRE',
  /** Any Linux node; control-plane taints are not tolerated. */
  ANY_NODE = 'ANY_NODE',
}

/** How a network binding plugin keeps a VM's interface working across a live migration. */
export enum NetworkBindingMigrationMethod {
  /** The guest's link is refreshed on the target node (`link-refresh`). */
  LINK_REFRESH = 'link-refresh',
}

/**
 * A network binding plugin registered in the KubeVirt CR
 * (`spec.configuration.network.binding.<name>`), which VM interfaces use
 * through `InterfaceBinding.plugin(name)`.
 */
export interface KubeVirtNetworkBinding {
  /** Name VM interfaces refer to the plugin by, e.g. `passt`. */
  readonly name: string;
  /**
   * Image of the sidecar that configures the domain, pinned to a tag or digest.
   * @default - no sidecar
   */
  readonly sidecarImage?: string;
  /**
   * NetworkAttachmentDefinition (`namespace/name`) of the plugin's CNI part.
   * @default - none
   */
  readonly networkAttachmentDefinition?: string;
  /**
   * How the domain is attached (`domainAttachmentType`), e.g. `managedTap`.
   * @default - decided by the sidecar
   */
  readonly domainAttachmentType?: string;
  /**
   * How interfaces of this plugin survive a live migration. Without it, VMs
   * using the plugin cannot live-migrate, which the VMs' rules report when
   * their eviction strategy is LiveMigrate.
   * @default - the plugin declares no migration
   */
  readonly migration?: NetworkBindingMigrationMethod;
}
