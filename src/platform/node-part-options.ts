import { ImagePullPolicy } from 'cdk8s-plus-33';
import { CniPluginsProps } from './cni-plugins';
import { ImageOverride } from './image-override';
import { OvsCniProps } from './ovs-cni';

/** The CNI plugins installer as part of the platform. */
export interface PlatformCniPluginsOptions extends CniPluginsProps {
  /**
   * Install the plugin binaries on the nodes. `true` always, `false` never.
   * @default - installed when a NetworkAttachmentDefinition of the app uses one of its `plugins` that `nodeProvides` does not declare
   */
  readonly enabled?: boolean;
}

/** ovs-cni as part of the platform. */
export interface PlatformOvsCniOptions extends OvsCniProps {
  /**
   * Install ovs-cni. `true` always, `false` never.
   * @default - installed when a NetworkAttachmentDefinition of the app uses `CniPlugin.ovs()` and `nodeProvides` does not declare `NodeProvides.OVS_CNI`
   */
  readonly enabled?: boolean;
}

/** The CNI dhcp daemon as part of the platform (see `DhcpDaemon`). */
export interface PlatformDhcpDaemonOptions {
  /**
   * Run the dhcp daemon on the nodes (needs `image`). `true` always, `false` never.
   * @default - run when `image` is given and a NetworkAttachmentDefinition of the app uses `Ipam.dhcp()` that `nodeProvides` does not declare
   */
  readonly enabled?: boolean;
  /**
   * An image with the CNI `dhcp` plugin (see `DhcpDaemonProps.image`).
   * @default - none: networks using `Ipam.dhcp()` are refused unless the nodes provide the daemon
   */
  readonly image?: ImageOverride;
  /**
   * Path of the `dhcp` binary inside the image.
   * @default '/usr/src/github.com/containernetworking/plugins/bin/dhcp'
   */
  readonly binaryPath?: string;
  /**
   * Pull policy of the DaemonSet's containers.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Annotate every object with its Argo CD sync wave (set once on the platform).
   * @default - the platform's `argoCdSyncWaves`
   */
  readonly argoCdSyncWaves?: boolean;
}
