import { IHostBridge } from './host/host-bridge';
import { Ipam } from './ipam';
import { MacvlanMode } from './macvlan-mode';
import { VlanTrunk } from './vlan-trunk';

/** Options of `CniPlugin.bridge()`; names are the bridge plugin's own. */
export interface CniPluginBridgeOptions {
  /**
   * Name of the Linux bridge on the node (created if missing); exclusive
   * with `hostBridge`.
   * @default 'cni0' (the bridge plugin's default)
   */
  readonly bridge?: string;
  /**
   * The Linux bridge as a typed reference: one a
   * `NodeNetworkConfigurationPolicy` creates (`policy.bridge('br1')`) or one
   * declared with `HostBridge.existing('br1')`. Exclusive with `bridge`.
   * @default - the plain `bridge` name
   */
  readonly hostBridge?: IHostBridge;
  /**
   * VLAN id (1-4094) tagged on the bridge port of every interface.
   * @default - untagged
   */
  readonly vlan?: number;
  /**
   * VLAN ids carried by the port as a trunk; exclusive with `vlan`.
   * @default - no trunk
   */
  readonly vlanTrunk?: VlanTrunk[];
  /**
   * Whether the bridge's default VLAN stays on the port besides `vlan`
   * (`preserveDefaultVlan`).
   * @default - the plugin keeps it (true)
   */
  readonly preserveDefaultVlan?: boolean;
  /**
   * MTU of the interfaces.
   * @default - chosen by the kernel
   */
  readonly mtu?: number;
  /**
   * Give the bridge an address from the IPAM gateway (`isGateway`).
   * @default false
   */
  readonly isGateway?: boolean;
  /**
   * Make the bridge the default route of the interface (`isDefaultGateway`, implies `isGateway`).
   * @default false
   */
  readonly isDefaultGateway?: boolean;
  /**
   * Masquerade traffic leaving the network (`ipMasq`).
   * @default false
   */
  readonly ipMasq?: boolean;
  /**
   * Put the bridge into promiscuous mode (`promiscMode`); the plugin does
   * not allow it together with `hairpinMode`.
   * @default false
   */
  readonly promiscMode?: boolean;
  /**
   * Let frames go back out of the port they came in on (`hairpinMode`).
   * @default false
   */
  readonly hairpinMode?: boolean;
  /**
   * Drop frames whose source MAC is not the interface's own (`macspoofchk`).
   * @default false
   */
  readonly macspoofchk?: boolean;
  /**
   * Address management.
   * @default Ipam.none() - layer 2 only
   */
  readonly ipam?: Ipam;
}

/** Options of `CniPlugin.macvlan()`. */
export interface CniPluginMacvlanOptions {
  /**
   * Node interface the macvlan interfaces sit on (`master`); exclusive with `hostMaster`.
   * @default - the interface of the node's default route
   */
  readonly master?: string;
  /**
   * The master as a typed reference: an interface a
   * `NodeNetworkConfigurationPolicy` creates or describes
   * (`policy.bridge('eth1')`), or `HostBridge.existing('eth1')`. Exclusive
   * with `master`.
   * @default - the plain `master` name
   */
  readonly hostMaster?: IHostBridge;
  /**
   * Macvlan mode.
   * @default MacvlanMode.BRIDGE (the plugin's default)
   */
  readonly mode?: MacvlanMode;
  /**
   * MTU, at most the master's.
   * @default - chosen by the kernel
   */
  readonly mtu?: number;
  /**
   * Address management.
   * @default Ipam.none() - layer 2 only
   */
  readonly ipam?: Ipam;
}

/** Options of `CniPlugin.ovs()`; names are ovs-cni's own. */
export interface CniPluginOvsOptions {
  /**
   * Open vSwitch bridge on the node (it must exist already); set exactly one
   * of `bridge` and `hostBridge`.
   * @default - the bridge of `hostBridge`
   */
  readonly bridge?: string;
  /**
   * The Open vSwitch bridge as a typed reference: one a
   * `NodeNetworkConfigurationPolicy` creates (`policy.bridge('ovsbr1')`) or
   * `HostBridge.existing('ovsbr1')`. Set exactly one of `bridge` and `hostBridge`.
   * @default - the plain `bridge` name
   */
  readonly hostBridge?: IHostBridge;
  /**
   * VLAN id (1-4094) of the port.
   * @default - a trunk port
   */
  readonly vlan?: number;
  /**
   * VLAN ids the trunk port accepts (`trunk`).
   * @default - all
   */
  readonly trunk?: VlanTrunk[];
  /**
   * MTU of the interface.
   * @default - chosen by Open vSwitch
   */
  readonly mtu?: number;
  /**
   * Address management.
   * @default Ipam.none() - layer 2 only
   */
  readonly ipam?: Ipam;
}

/** Options of `CniPlugin.tuning()`: changes applied to the interface made by the previous plugin. */
export interface CniPluginTuningOptions {
  /**
   * Network sysctls to set in the pod's network namespace, e.g.
   * `{ 'net.ipv4.conf.IFNAME.arp_filter': '1' }` (IFNAME is replaced by the interface name).
   * @default - none
   */
  readonly sysctl?: { [name: string]: string };
  /**
   * MAC address of the interface.
   * @default - unchanged
   */
  readonly mac?: string;
  /**
   * MTU of the interface.
   * @default - unchanged
   */
  readonly mtu?: number;
  /**
   * Promiscuous mode of the interface.
   * @default - unchanged
   */
  readonly promisc?: boolean;
  /**
   * All-multicast mode of the interface.
   * @default - unchanged
   */
  readonly allmulti?: boolean;
}
