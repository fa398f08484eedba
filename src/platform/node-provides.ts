import { cniKey, DHCP_DAEMON_KEY, REFERENCE_PLUGINS } from '../private/node-needs';
import { propError, Shape } from '../validation';

const PLUGIN_TYPE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Something the cluster's nodes already have, declared in
 * `VirtualizationPlatform`'s `nodeProvides` so that networks relying on it
 * are accepted without a platform part installing it. Use it for what the
 * nodes get elsewhere: kubeadm's `kubernetes-cni` package, an SR-IOV
 * operator, a distribution that runs the dhcp daemon.
 */
export class NodeProvides {
  /**
   * Every plugin of containernetworking/plugins in the node's CNI directory
   * (`bridge`, `macvlan`, `tuning`, `host-local`, `static`, `dhcp` and the
   * rest), as kubeadm's `kubernetes-cni` package installs them. The dhcp
   * daemon is separate: see `DHCP_DAEMON`.
   */
  public static readonly REFERENCE_CNI_PLUGINS = new NodeProvides('the reference CNI plugins', REFERENCE_PLUGINS.map(cniKey));

  /**
   * The CNI dhcp plugin running in daemon mode on every node, listening on
   * `/run/cni/dhcp.sock`, which `Ipam.dhcp()` needs besides the `dhcp` binary.
   */
  public static readonly DHCP_DAEMON = new NodeProvides('the CNI dhcp daemon', [DHCP_DAEMON_KEY]);

  /** The ovs-cni plugin (`ovs`) in the node's CNI directory, which `CniPlugin.ovs()` needs. */
  public static readonly OVS_CNI = new NodeProvides('the ovs-cni plugin', [cniKey('ovs')]);

  /**
   * One CNI plugin binary in the node's CNI directory, by its `type`
   * (e.g. `sriov`, `macvlan`, `whereabouts`).
   * @param pluginType the plugin type, as written in the CNI configuration
   */
  public static cniPlugin(pluginType: string): NodeProvides {
    Shape.string('NodeProvides.cniPlugin', 'pluginType', pluginType);
    if (!PLUGIN_TYPE.test(pluginType)) {
      throw propError('NodeProvides.cniPlugin', 'pluginType', pluginType, 'must be a CNI plugin type (the binary name: letters, digits, \'.\', \'_\' and \'-\')', 'give the type as written in the network\'s config, e.g. \'sriov\'');
    }
    return new NodeProvides(`the CNI plugin '${pluginType}'`, [cniKey(pluginType)]);
  }

  /** What is declared, in words. */
  public readonly description: string;
  private readonly keys: string[];

  private constructor(description: string, keys: string[]) {
    this.description = description;
    this.keys = keys;
  }

  /** The need keys declared. @internal */
  public get _keys(): string[] {
    return [...this.keys];
  }
}
