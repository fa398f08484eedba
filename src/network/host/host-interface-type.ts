/** What kind of interface a `HostInterface` writes (nmstate's `type`). */
export enum HostInterfaceType {
  /** A Linux bridge (`linux-bridge`). */
  LINUX_BRIDGE = 'linux-bridge',
  /** An 802.1Q VLAN interface (`vlan`). */
  VLAN = 'vlan',
  /** A VXLAN tunnel endpoint (`vxlan`). */
  VXLAN = 'vxlan',
  /** A bond of several ports (`bond`). */
  BOND = 'bond',
  /** An Open vSwitch bridge (`ovs-bridge`). */
  OVS_BRIDGE = 'ovs-bridge',
  /** A physical NIC (`ethernet`). */
  ETHERNET = 'ethernet',
  /** Anything written with `HostInterface.custom()`. */
  CUSTOM = 'custom',
}
