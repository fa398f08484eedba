import { Construct } from 'constructs';
import { CniPlugin, MacvlanMode } from './cni-plugin';
import { IHostBridge } from './host/host-bridge';
import { Ipam, Route } from './ipam';
import { NetworkAttachmentDefinition, NetworkAttachmentDefinitionOptions, NetworkAttachmentDefinitionProps } from './network-attachment-definition';
import { INetworkAttachmentDefinition } from './network-attachment-definition-ref';
import { NETWORK_ROLE_LABEL, STORAGE_ROLE } from '../private/labels';
import { propError, requireShape, ErrorScope, Shape } from '../validation';
import { requireHostBridge } from './host/private/host-bridge-reference';

/**
 * Props of `StorageNetwork`. By default the network is macvlan on `master`
 * (or `hostMaster`) with whereabouts addresses from `range`, as Rook
 * recommends for Multus; setting `bridge` or `hostBridge` (and `vlan`) makes
 * it a Linux bridge network instead. VMs that join the network need the
 * bridge: KubeVirt's bridge binding puts a MAC on the pod interface that
 * differs from the guest's, and macvlan (except passthru) drops unicast for
 * any MAC but its own, so a VM on the macvlan default is refused.
 */
export interface StorageNetworkProps extends NetworkAttachmentDefinitionOptions {
  /**
   * Block the whereabouts IPAM allocates from, e.g. `192.168.20.0/24`.
   * Required unless `ipam` or `plugin` is given.
   * @default - taken from `ipam`
   */
  readonly range?: string;
  /**
   * First address to allocate inside `range`.
   * @default - the start of `range`
   */
  readonly rangeStart?: string;
  /**
   * Last address to allocate inside `range`.
   * @default - the end of `range`
   */
  readonly rangeEnd?: string;
  /**
   * Blocks inside `range` never allocated (e.g. the storage hosts' own addresses).
   * @default - nothing excluded
   */
  readonly exclude?: string[];
  /**
   * Routes to install.
   * @default - none: the storage network is a single flat subnet
   */
  readonly routes?: Route[];
  /**
   * Address management, instead of whereabouts on `range`.
   * @default - Ipam.whereabouts on `range`
   */
  readonly ipam?: Ipam;
  /**
   * Node interface of the storage network, for macvlan (`master`). Every
   * node must have an interface of this name. Exclusive with `hostMaster`.
   * @default - the interface of each node's default route
   */
  readonly master?: string;
  /**
   * The macvlan master as a typed reference, instead of `master`: an
   * interface a `NodeNetworkConfigurationPolicy` creates or describes
   * (`policy.bridge('eth1')`), or `HostBridge.existing('eth1')`. The
   * app-wide host-network rule then checks that a policy builds it on every
   * node the network's VMs can run on, as for bridges.
   * @default - the plain `master` name
   */
  readonly hostMaster?: IHostBridge;
  /**
   * Macvlan mode.
   * @default MacvlanMode.BRIDGE
   */
  readonly macvlanMode?: MacvlanMode;
  /**
   * Use a Linux bridge of this name instead of macvlan. Exclusive with
   * `hostBridge`.
   * @default - macvlan on `master`
   */
  readonly bridge?: string;
  /**
   * The Linux bridge as a typed reference, instead of `bridge`: one a
   * `NodeNetworkConfigurationPolicy` creates (`policy.bridge('br-storage')`,
   * or a `VxlanBridge`), or `HostBridge.existing('br-storage')`. The
   * app-wide host-network rule then checks that a policy builds it on every
   * node the network's VMs can run on.
   * @default - macvlan on `master`, or the plain `bridge` name
   */
  readonly hostBridge?: IHostBridge;
  /**
   * VLAN id of the storage traffic on `bridge`.
   * @default - untagged
   */
  readonly vlan?: number;
  /**
   * MTU of the interfaces (storage networks often use 9000).
   * @default - chosen by the kernel
   */
  readonly mtu?: number;
  /**
   * The whole interface plugin, instead of the macvlan or bridge one built
   * from the props above (which must then be left out).
   * @default - built from the props above
   */
  readonly plugin?: CniPlugin;
}

/** Options of `StorageNetwork.cephClusterNetwork()`. */
export interface StorageNetworkCephOptions {
  /**
   * A second network for Ceph's replication traffic (`selectors.cluster`).
   * @default - replication uses the public network too
   */
  readonly cluster?: INetworkAttachmentDefinition;
}

/**
 * A network dedicated to storage traffic, shared by the VMs that use the
 * storage and by the Rook-Ceph cluster that serves it. It is a
 * NetworkAttachmentDefinition (VMs attach to it like to any other), and
 * `cephClusterNetwork()` gives the `CephCluster.spec.network` fragment that
 * points Ceph at the same network.
 *
 * A storage network is meant to be reached from many namespaces, so it is
 * `shared` unless told otherwise.
 */
export class StorageNetwork extends NetworkAttachmentDefinition {
  /** The selector Rook uses for this network (`namespace/name`). */
  public readonly cephNetworkSelector: string;

  public constructor(scope: Construct, id: string, props: StorageNetworkProps) {
    super(scope, id, storageNetworkProps(`${scope.node.path}/${id}`, props));
    this.cephNetworkSelector = this.networkName;
  }

  /**
   * The Rook `CephCluster.spec.network` fragment:
   * `{ provider: 'multus', selectors: { public: 'namespace/name' } }`,
   * plus `cluster` when a replication network is given.
   * @see https://rook.io/docs/rook/latest/CRDs/Cluster/network-providers/
   */
  public cephClusterNetwork(options: StorageNetworkCephOptions = {}): { [key: string]: any } {
    requireShape(this, 'options', options, {
      cluster: Shape.optRef('INetworkAttachmentDefinition', ['name', 'namespace', 'networkName'], 'pass a NetworkAttachmentDefinition construct'),
    });
    const selectors: { [key: string]: string } = { public: this.networkName };
    if (options.cluster !== undefined) selectors.cluster = options.cluster.networkName;
    return { provider: 'multus', selectors };
  }
}

/** The NetworkAttachmentDefinition props of a storage network, after its shape checks. */
function storageNetworkProps(path: string, props: StorageNetworkProps): NetworkAttachmentDefinitionProps {
  requireShape(path, 'props', props, {
    name: Shape.optString,
    namespace: Shape.optString,
    labels: Shape.optLabels,
    annotations: Shape.optAnnotations,
    range: Shape.optString,
    rangeStart: Shape.optString,
    rangeEnd: Shape.optString,
    exclude: Shape.optArray(Shape.string),
    routes: Shape.optArray(Shape.instance(Route, 'Route.defaultVia(gateway) or Route.to(destination, gateway)')),
    ipam: Shape.optInstance(Ipam, 'Ipam.whereabouts(), hostLocal(), static(), dhcp() or none()'),
    master: Shape.optString,
    // not a construct: recognised by its name alone
    hostMaster: optHostBridge,
    hostBridge: optHostBridge,
    macvlanMode: Shape.optEnum(MacvlanMode, 'MacvlanMode'),
    bridge: Shape.optString,
    vlan: Shape.optNumber,
    mtu: Shape.optNumber,
    plugin: Shape.optInstance(CniPlugin, 'CniPlugin.bridge(), macvlan(), ovs() or custom()'),
  });
  return {
    name: props.name,
    namespace: props.namespace,
    cniVersion: props.cniVersion,
    resourceName: props.resourceName,
    // the label lets readers of the manifests (such as Topology) tell the
    // storage network apart
    labels: { [NETWORK_ROLE_LABEL]: STORAGE_ROLE, ...props.labels },
    annotations: props.annotations,
    shared: props.shared ?? true,
    plugins: [storagePlugin(path, props)],
  };
}

/** Shape check of a typed host interface reference (not a construct: recognised by its name alone). */
function optHostBridge(scope: ErrorScope, prop: string, value: unknown): void {
  if (value !== undefined) requireHostBridge(scope, prop, value);
}

function storagePlugin(path: string, props: StorageNetworkProps): CniPlugin {
  const fail = (prop: string, value: unknown, problem: string, fix: string): never => {
    throw propError(path, prop, value, problem, fix);
  };
  const shaping: Array<[string, unknown]> = [
    ['range', props.range], ['rangeStart', props.rangeStart], ['rangeEnd', props.rangeEnd], ['exclude', props.exclude],
    ['routes', props.routes], ['ipam', props.ipam], ['master', props.master], ['hostMaster', props.hostMaster], ['macvlanMode', props.macvlanMode],
    ['bridge', props.bridge], ['hostBridge', props.hostBridge], ['vlan', props.vlan], ['mtu', props.mtu],
  ];
  if (props.plugin !== undefined) {
    const clash = shaping.find(([, v]) => v !== undefined);
    if (clash) fail(clash[0], clash[1], 'cannot be combined with plugin', `configure ${clash[0]} inside the plugin, or drop plugin`);
    return props.plugin;
  }

  let ipam: Ipam;
  if (props.ipam !== undefined) {
    const clash = shaping.slice(0, 5).find(([, v]) => v !== undefined);
    if (clash) fail(clash[0], clash[1], 'cannot be combined with ipam', `configure ${clash[0]} inside the ipam, or drop ipam`);
    ipam = props.ipam;
  } else {
    if (props.range === undefined) fail('range', undefined, 'is required unless ipam or plugin is given', 'set the block storage addresses come from, e.g. 192.168.20.0/24');
    ipam = Ipam.whereabouts({
      range: props.range as string,
      rangeStart: props.rangeStart,
      rangeEnd: props.rangeEnd,
      exclude: props.exclude,
      routes: props.routes,
    });
  }

  if (props.bridge !== undefined && props.hostBridge !== undefined) {
    fail('hostBridge', props.hostBridge.bridgeName, `cannot be combined with bridge '${props.bridge}'`,
      'pass exactly one: hostBridge: policy.bridge(\'name\') or HostBridge.existing(\'name\'), or bridge: \'name\'');
  }
  if (props.bridge !== undefined || props.hostBridge !== undefined) {
    const which = props.bridge !== undefined ? 'bridge' : 'hostBridge';
    if (props.master !== undefined) fail('master', props.master, `cannot be combined with ${which}`, `use master for macvlan or ${which} for a Linux bridge, not both`);
    if (props.hostMaster !== undefined) {
      fail('hostMaster', props.hostMaster.bridgeName, `cannot be combined with ${which}`, `use hostMaster for macvlan or ${which} for a Linux bridge, not both`);
    }
    if (props.macvlanMode !== undefined) fail('macvlanMode', props.macvlanMode, `only applies to macvlan, not to ${which}`, `drop macvlanMode or ${which}`);
    return CniPlugin.bridge({ bridge: props.bridge, hostBridge: props.hostBridge, vlan: props.vlan, mtu: props.mtu, ipam });
  }
  if (props.vlan !== undefined) {
    fail('vlan', props.vlan, 'needs bridge or hostBridge: macvlan has no VLAN setting', `set bridge to tag on a Linux bridge, or set master to a VLAN interface such as 'eth1.${props.vlan}'`);
  }
  if (props.master !== undefined && props.hostMaster !== undefined) {
    fail('hostMaster', props.hostMaster.bridgeName, `cannot be combined with master '${props.master}'`,
      'pass exactly one: hostMaster: policy.bridge(\'name\') or HostBridge.existing(\'name\'), or master: \'name\'');
  }
  const mode = props.macvlanMode ?? MacvlanMode.BRIDGE;
  return CniPlugin.macvlan({ master: props.master, hostMaster: props.hostMaster, mode, mtu: props.mtu, ipam });
}
