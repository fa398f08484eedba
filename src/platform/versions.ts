/**
 * The upstream releases this library installs, and the images it pulls for
 * them by default. Every version and default image lives in this one file.
 */
export class PlatformVersions {
  /** KubeVirt release installed by `KubeVirt`. */
  public static readonly KUBEVIRT = 'v1.9.0';
  /** Containerized Data Importer release installed by `Cdi`. */
  public static readonly CDI = 'v1.66.0';
  /** Multus CNI release installed by `Multus` (thick plugin). */
  public static readonly MULTUS = 'v4.3.0';
  /** whereabouts IPAM release installed by `Whereabouts`. */
  public static readonly WHEREABOUTS = 'v0.9.4';
  /** external-snapshotter release of the snapshot controller installed by `SnapshotController`. */
  public static readonly SNAPSHOT_CONTROLLER = 'v8.6.0';
  /**
   * multi-networkpolicy release whose MultiNetworkPolicy CRD (v1beta1, with
   * `endPort`) `MultiNetworkPolicyController` installs. The enforcer,
   * multi-networkpolicy-iptables, has no releases of its own: see
   * `MULTI_NETWORK_POLICY_IPTABLES_COMMIT`.
   */
  public static readonly MULTI_NETWORK_POLICY = 'v1.0.1';
  /**
   * The multi-networkpolicy-iptables commit (master of 2025-12-02) whose
   * deploy.yml and command-line options the RBAC and arguments of
   * `MultiNetworkPolicyController` follow. The project tags no releases:
   * each master commit is pushed as the moving `:snapshot` and `:latest`
   * tags only, so the controller takes an image pinned by digest.
   */
  public static readonly MULTI_NETWORK_POLICY_IPTABLES_COMMIT = 'cbf2b11730b9fb0477d8d578129609df0c51f06b';
  /** kubernetes-nmstate release of the handler installed by `Nmstate`. */
  public static readonly NMSTATE = 'v0.86.0';
  /** ovs-cni release of the plugin and marker installed by `OvsCni`. */
  public static readonly OVS_CNI = 'v0.39.0';
  /**
   * cluster-network-addons-operator release whose `linuxBridge` component
   * (image and install steps) `CniPlugins` follows by default.
   */
  public static readonly CLUSTER_NETWORK_ADDONS = 'v0.102.0';
  /**
   * containernetworking/plugins release whose dhcp plugin (daemon flags,
   * socket path) `DhcpDaemon` follows. The project publishes release
   * archives, not images: `DhcpDaemon` and a `CniPlugins` carrying more than
   * `bridge` and `tuning` take an image built from it.
   */
  public static readonly CNI_PLUGINS = 'v1.9.1';
  /** Velero release installed by `Velero` (its CRDs, server and node agent). */
  public static readonly VELERO = 'v1.18.3';
  /**
   * kubevirt-velero-plugin release `Velero` adds to the server: v0.9.x is the
   * line its README pairs with Velero v1.18.x (KubeVirt >= v1.1.0, CDI >= v1.57.0).
   */
  public static readonly KUBEVIRT_VELERO_PLUGIN = 'v0.9.0';
  /**
   * velero-plugin-for-aws release `Velero` adds for S3 and S3-compatible
   * buckets: v1.14.x is the line its README pairs with Velero v1.18.x.
   */
  public static readonly VELERO_PLUGIN_FOR_AWS = 'v1.14.3';

  private constructor() {}
}

/**
 * The default image of every component, pinned to the releases in
 * `PlatformVersions`. Override them per component with `ImageOverride`.
 * multi-networkpolicy-iptables publishes no release image, so it has no
 * default: `MultiNetworkPolicyController` needs one pinned by digest.
 */
export class DefaultImages {
  /** KubeVirt operator. */
  public static readonly VIRT_OPERATOR = `quay.io/kubevirt/virt-operator:${PlatformVersions.KUBEVIRT}`;
  /** CDI operator. */
  public static readonly CDI_OPERATOR = `quay.io/kubevirt/cdi-operator:${PlatformVersions.CDI}`;
  /** CDI controller, deployed by the CDI operator. */
  public static readonly CDI_CONTROLLER = `quay.io/kubevirt/cdi-controller:${PlatformVersions.CDI}`;
  /** CDI importer, run by the CDI controller for each import. */
  public static readonly CDI_IMPORTER = `quay.io/kubevirt/cdi-importer:${PlatformVersions.CDI}`;
  /** CDI cloner, run by the CDI controller for host-assisted clones. */
  public static readonly CDI_CLONER = `quay.io/kubevirt/cdi-cloner:${PlatformVersions.CDI}`;
  /** CDI API server, deployed by the CDI operator. */
  public static readonly CDI_APISERVER = `quay.io/kubevirt/cdi-apiserver:${PlatformVersions.CDI}`;
  /** CDI upload proxy, deployed by the CDI operator. */
  public static readonly CDI_UPLOADPROXY = `quay.io/kubevirt/cdi-uploadproxy:${PlatformVersions.CDI}`;
  /** CDI upload server, run by the CDI controller for each upload. */
  public static readonly CDI_UPLOADSERVER = `quay.io/kubevirt/cdi-uploadserver:${PlatformVersions.CDI}`;
  /** Multus thick plugin (daemon and shim). */
  public static readonly MULTUS = `ghcr.io/k8snetworkplumbingwg/multus-cni:${PlatformVersions.MULTUS}-thick`;
  /** whereabouts IPAM plugin and its IP reconciler. */
  public static readonly WHEREABOUTS = `ghcr.io/k8snetworkplumbingwg/whereabouts:${PlatformVersions.WHEREABOUTS}`;
  /** CSI snapshot controller. */
  public static readonly SNAPSHOT_CONTROLLER = `registry.k8s.io/sig-storage/snapshot-controller:${PlatformVersions.SNAPSHOT_CONTROLLER}`;
  /**
   * The upstream repository of multi-networkpolicy-iptables, the
   * MultiNetworkPolicy enforcer (linux/amd64 only), without tag: upstream
   * pushes only the moving `:snapshot` and `:latest` tags, so there is no
   * release image to pin here.
   * @deprecated not a pullable image; give `MultiNetworkPolicyController` an image pinned by digest
   */
  public static readonly MULTI_NETWORK_POLICY = 'ghcr.io/k8snetworkplumbingwg/multi-networkpolicy-iptables';
  /** kubernetes-nmstate handler. */
  public static readonly NMSTATE_HANDLER = `quay.io/nmstate/kubernetes-nmstate-handler:${PlatformVersions.NMSTATE}`;
  /** ovs-cni plugin and marker (one image). */
  public static readonly OVS_CNI = `ghcr.io/k8snetworkplumbingwg/ovs-cni-plugin:${PlatformVersions.OVS_CNI}`;
  /**
   * The `bridge` and `tuning` reference plugins as
   * cluster-network-addons-operator `CLUSTER_NETWORK_ADDONS` installs them
   * (built from containernetworking/plugins v1.5.1), pinned by the digest
   * that release uses.
   */
  public static readonly CNI_DEFAULT_PLUGINS = 'quay.io/kubevirt/cni-default-plugins@sha256:976a24392c2a096c38c2663d234b2d3131f5c24558889196d30b9ac1b6716788';
  /** Velero server and node agent (one image). */
  public static readonly VELERO = `docker.io/velero/velero:${PlatformVersions.VELERO}`;
  /** KubeVirt's Velero plugin, copied into the Velero server by an init container. */
  public static readonly KUBEVIRT_VELERO_PLUGIN = `quay.io/kubevirt/kubevirt-velero-plugin:${PlatformVersions.KUBEVIRT_VELERO_PLUGIN}`;
  /** Velero's object-store plugin for S3 and S3-compatible buckets, copied in by an init container. */
  public static readonly VELERO_PLUGIN_FOR_AWS = `docker.io/velero/velero-plugin-for-aws:${PlatformVersions.VELERO_PLUGIN_FOR_AWS}`;

  private constructor() {}
}
