import {
  HostInterfaceBondOptions, HostInterfaceEthernetOptions, HostInterfaceLinuxBridgeOptions, HostInterfaceOvsBridgeOptions, HostInterfaceVlanOptions,
  HostInterfaceVxlanOptions,
} from './host-interface-options';
import { HostInterfaceType } from './host-interface-type';
import { HostInterfaceFacts } from './private/interface-summary';
import { BondInterface } from './private/interfaces/bond';
import { CustomInterface } from './private/interfaces/custom';
import { EthernetInterface } from './private/interfaces/ethernet';
import { InterfaceVariant } from './private/interfaces/interface-variant';
import { LinuxBridgeInterface } from './private/interfaces/linux-bridge';
import { OvsBridgeInterface } from './private/interfaces/ovs-bridge';
import { VlanInterface } from './private/interfaces/vlan';
import { VxlanInterface } from './private/interfaces/vxlan';
import { requireStruct } from '../../validation/types';
import { PropContext } from '../private/context';

export * from './host-interface-options';
export { BondMode } from './bond-mode';
export { HostInterfaceType } from './host-interface-type';

/**
 * One interface of a node's desired network state, in nmstate's terms. Build
 * it with the static factories; `custom()` takes any nmstate interface object
 * for what the typed ones do not cover. Typed layer-2 interfaces (bridges,
 * VLANs, VXLANs, bonds) are written with IPv4 and IPv6 off: they carry VM
 * traffic, the node itself has no address on them.
 * @see https://nmstate.io/
 */
export class HostInterface {
  /** A Linux bridge, the host side of `CniPlugin.bridge()` networks. */
  public static linuxBridge(options: HostInterfaceLinuxBridgeOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(new LinuxBridgeInterface(o));
  }

  /** An 802.1Q VLAN interface on a base interface. */
  public static vlan(options: HostInterfaceVlanOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(new VlanInterface(o));
  }

  /** A VXLAN tunnel endpoint over an underlay interface, to one peer (`remote`) or a multicast `group`. */
  public static vxlan(options: HostInterfaceVxlanOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(new VxlanInterface(o));
  }

  /** A bond of several ports. */
  public static bond(options: HostInterfaceBondOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(new BondInterface(o));
  }

  /** An Open vSwitch bridge, the host side of `CniPlugin.ovs()` networks (needs Open vSwitch on the nodes). */
  public static ovsBridge(options: HostInterfaceOvsBridgeOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(new OvsBridgeInterface(o));
  }

  /** Settings of a physical NIC: its MTU, or IPv4/IPv6 switched off on it. */
  public static ethernet(options: HostInterfaceEthernetOptions): HostInterface {
    const o = requireStruct(undefined, 'options', options);
    return new HostInterface(new EthernetInterface(o));
  }

  /**
   * Any nmstate interface object, written as it is (keys sorted at every
   * depth, array order kept). It needs a `name`; the library reads only its
   * `name`, `type` and `mtu`.
   */
  public static custom(json: { [key: string]: any }): HostInterface {
    const o = requireStruct(undefined, 'json', json);
    return new HostInterface(new CustomInterface(o));
  }

  /** Name of the interface on the node. */
  public readonly name: string;
  /** What kind of interface this is. */
  public readonly type: HostInterfaceType;
  private readonly variant: InterfaceVariant;

  private constructor(variant: InterfaceVariant) {
    this.variant = variant;
    this.type = variant.type;
    this.name = variant.name;
  }

  /** Checks the options; returns what the rules need. @internal */
  public _validate(ctx: PropContext): HostInterfaceFacts {
    return this.variant.validate(ctx);
  }

  /** The nmstate interface object, keys in a fixed order. @internal */
  public _toJson(): Record<string, unknown> {
    return this.variant.toJson();
  }
}
