import { INetworkAttachmentDefinition } from '../../network/network-attachment-definition-ref';
import { requireNetworkAttachmentDefinition } from '../../network/private/references';
import { optionalBoolean, requireString, requireStruct } from '../../validation';

/** Which kind of backend a {@link Network} is. */
export enum NetworkKind {
  /** The cluster's pod network (the virt-launcher pod's own interface). */
  POD = 'pod',
  /** A secondary network described by a Multus NetworkAttachmentDefinition. */
  MULTUS = 'multus',
}

/** Options of {@link Network.multus}. */
export interface NetworkMultusOptions {
  /**
   * Make this Multus network the pod's default network, replacing the cluster
   * network: the virt-launcher pod then has no pod-network interface at all.
   * A VM with such a network cannot also join the pod network. (KubeVirt's
   * `multus.default`; named `defaultNetwork` because `default` is a keyword
   * in Java, C# and Go.)
   *
   * @default false
   */
  readonly defaultNetwork?: boolean;
}

/**
 * The backend a VM interface connects to: the pod network or a Multus
 * network (KubeVirt's `spec.template.spec.networks[]`).
 */
export class Network {
  /** The cluster's pod network. Its default binding is masquerade. */
  public static pod(): Network {
    return new Network(NetworkKind.POD, undefined, false);
  }

  /**
   * A Multus network backed by a NetworkAttachmentDefinition. Its default
   * binding is bridge.
   */
  public static multus(networkAttachmentDefinition: INetworkAttachmentDefinition, options: NetworkMultusOptions = {}): Network {
    requireNetworkAttachmentDefinition('Network.multus', 'networkAttachmentDefinition', networkAttachmentDefinition);
    requireStruct('Network.multus', 'options', options);
    optionalBoolean('Network.multus', 'options.defaultNetwork', options.defaultNetwork);
    return new Network(NetworkKind.MULTUS, networkAttachmentDefinition, options.defaultNetwork ?? false);
  }

  /**
   * The Multus default network that replaces the pod network of an isolated
   * VM or fleet; `origin` names the prop that asked for it, for messages.
   * @internal
   */
  public static _isolated(networkAttachmentDefinition: INetworkAttachmentDefinition, origin: string): Network {
    const network = Network.multus(networkAttachmentDefinition, { defaultNetwork: true });
    network._origin = origin;
    return network;
  }

  /** Whether this is the pod network or a Multus network. */
  public readonly kind: NetworkKind;
  /** The prop that made this the isolated default network, if one did. @internal */
  public _origin?: string;
  /** The NetworkAttachmentDefinition of a Multus network. */
  public readonly networkAttachmentDefinition?: INetworkAttachmentDefinition;
  /** Whether a Multus network replaces the pod's default network. */
  public readonly isDefault: boolean;

  private constructor(kind: NetworkKind, nad: INetworkAttachmentDefinition | undefined, isDefault: boolean) {
    this.kind = kind;
    this.networkAttachmentDefinition = nad;
    this.isDefault = isDefault;
  }

  /** The binding used when none is given. @internal */
  public _defaultBinding(): InterfaceBinding {
    return this.kind === NetworkKind.POD ? InterfaceBinding.masquerade() : InterfaceBinding.bridge();
  }

  /** Short text for error messages. @internal */
  public _describe(): string {
    if (this.kind === NetworkKind.POD) return 'pod';
    return `multus:${this.networkAttachmentDefinition!.networkName}${this.isDefault ? ' (default)' : ''}`;
  }

  /** The `networks[]` entry for an interface of this name. @internal */
  public _toKube(name: string): any {
    if (this.kind === NetworkKind.POD) {
      return { name, pod: {} };
    }
    const multus: any = { networkName: this.networkAttachmentDefinition!.networkName };
    if (this.isDefault) multus.default = true;
    return { name, multus };
  }
}

/** How a VM interface is connected to its network. */
export enum InterfaceBindingType {
  /** NAT behind the pod's address (pod network only). */
  MASQUERADE = 'masquerade',
  /** A Linux bridge between the pod interface and the VM's NIC. */
  BRIDGE = 'bridge',
  /** PCI pass-through of an SR-IOV virtual function (Multus networks only). */
  SRIOV = 'sriov',
  /** A network binding plugin registered in the KubeVirt CR. */
  PLUGIN = 'plugin',
}

/**
 * How a VM interface is connected to its network (KubeVirt's interface
 * binding methods).
 */
export class InterfaceBinding {
  /**
   * NAT: the VM sits behind the pod's IP address. Only valid on the pod
   * network; it is the one binding KubeVirt can always live-migrate there.
   */
  public static masquerade(): InterfaceBinding {
    return new InterfaceBinding(InterfaceBindingType.MASQUERADE);
  }

  /**
   * Bridge: the VM's NIC is bridged to the pod interface and gets the
   * network's address directly. The default for Multus networks.
   */
  public static bridge(): InterfaceBinding {
    return new InterfaceBinding(InterfaceBindingType.BRIDGE);
  }

  /** SR-IOV: a virtual function passed through to the VM (Multus networks only). */
  public static sriov(): InterfaceBinding {
    return new InterfaceBinding(InterfaceBindingType.SRIOV);
  }

  /**
   * A network binding plugin by the name it is registered under in the
   * KubeVirt CR (`spec.configuration.network.binding`), for example `passt`.
   */
  public static plugin(name: string): InterfaceBinding {
    requireString('InterfaceBinding.plugin', 'name', name, 'give the plugin name registered in the KubeVirt CR, e.g. \'passt\'');
    return new InterfaceBinding(InterfaceBindingType.PLUGIN, name);
  }

  /** The binding method. */
  public readonly type: InterfaceBindingType;
  /** The plugin name of a plugin binding. */
  public readonly pluginName?: string;

  private constructor(type: InterfaceBindingType, pluginName?: string) {
    this.type = type;
    this.pluginName = pluginName;
  }

  /** The binding fields of an `interfaces[]` entry. @internal */
  public _toKube(): any {
    if (this.type === InterfaceBindingType.PLUGIN) {
      return { binding: { name: this.pluginName } };
    }
    return { [this.type]: {} };
  }
}
