import { IConstruct } from 'constructs';
import { AppSlot, appState } from './app-registry';
import { formatPropError } from '../validation/errors';

/**
 * What a NetworkAttachmentDefinition needs on every node that attaches to
 * it, and who provides it: a platform part that installs it, or the user's
 * declaration that the nodes already have it (`nodeProvides`). A leaf file:
 * networks register their needs, platform parts and platforms register what
 * they provide, the NAD rule and `NodeRequirements` read both. Internal.
 *
 * Keys: `cni:<type>` for a plugin binary in the node's CNI directory,
 * `dhcp-daemon` for the CNI dhcp plugin running in daemon mode.
 */

/** Key of a CNI plugin binary on the nodes. */
export function cniKey(type: string): string {
  return `cni:${type}`;
}

/** Key of the CNI dhcp daemon serving `/run/cni/dhcp.sock` on the nodes. */
export const DHCP_DAEMON_KEY = 'dhcp-daemon';

/**
 * The plugins of containernetworking/plugins v1.9.1 (`plugins/main`,
 * `plugins/ipam`, `plugins/meta`, without the Windows ones): the set
 * kubeadm's kubernetes-cni package puts in `/opt/cni/bin`.
 */
export const REFERENCE_PLUGINS: ReadonlyArray<string> = [
  'bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback',
  'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf',
];

/** One need of one network: the key and the prop of the plugin that causes it. */
export interface NodeNeed {
  readonly key: string;
  /** The prop path inside the network's props, e.g. `plugins[0].ipam`. */
  readonly prop: string;
  /** The value the message shows (the plugin or IPAM type). */
  readonly value: string;
}

/**
 * The needs of a CNI configuration list's plugins (as rendered JSON): each
 * plugin's `type`, each `ipam.type`, and for `dhcp` the daemon too. The NAD
 * rule reads them from the plugins it was given, `NodeRequirements` from the
 * synthesized `spec.config`: one function for both.
 */
export function cniNeeds(plugins: ReadonlyArray<any>): NodeNeed[] {
  const needs: NodeNeed[] = [];
  plugins.forEach((plugin, i) => {
    const type = typeof plugin?.type === 'string' ? plugin.type : '';
    if (type !== '') needs.push({ key: cniKey(type), prop: `plugins[${i}].type`, value: type });
    const ipam = typeof plugin?.ipam?.type === 'string' ? plugin.ipam.type : '';
    if (ipam !== '') needs.push({ key: cniKey(ipam), prop: `plugins[${i}].ipam`, value: ipam });
    if (ipam === 'dhcp') needs.push({ key: DHCP_DAEMON_KEY, prop: `plugins[${i}].ipam`, value: ipam });
  });
  return needs;
}

/** A platform in the tree: what it declares and how it adds a part on demand. */
export interface PlatformNeedsHandler {
  /** Construct path of the platform, for messages. */
  readonly path: string;
  /** Keys declared present on the nodes (`nodeProvides`). */
  readonly declared: ReadonlySet<string>;
  /** Called for every need in the tree (also those registered before the platform); may add a part. */
  onNeed(key: string): void;
  /** The fix for a need nothing provides. */
  fixFor(key: string, value: string): string;
}

interface NetworkNeeds {
  readonly construct: IConstruct;
  readonly needs: NodeNeed[];
}

/** The needs and providers of one construct tree. */
export class NodeNeedsRegistry {
  /** The registry of the tree the construct belongs to. */
  public static of(construct: IConstruct): NodeNeedsRegistry {
    return appState(construct, NodeNeedsRegistry.SLOT);
  }

  private static readonly SLOT = new AppSlot('node needs', () => new NodeNeedsRegistry());

  private readonly networks: NetworkNeeds[] = [];
  private readonly providers = new Map<string, string>();
  private readonly platforms: PlatformNeedsHandler[] = [];

  private constructor() {}

  /** Records a network's needs and lets every platform add the parts they call for. */
  public registerNetwork(construct: IConstruct, needs: NodeNeed[]): void {
    this.networks.push({ construct, needs });
    for (const platform of this.platforms) for (const n of needs) platform.onNeed(n.key);
  }

  /** Records a platform; it sees the needs registered so far at once. */
  public registerPlatform(platform: PlatformNeedsHandler): void {
    this.platforms.push(platform);
    for (const network of this.networks) for (const n of network.needs) platform.onNeed(n.key);
  }

  /** Records that the construct at `path` installs `key` on the nodes. */
  public provide(key: string, path: string): void {
    if (!this.providers.has(key)) this.providers.set(key, path);
  }

  /** Path of the part installing `key`, if any. */
  public providerOf(key: string): string | undefined {
    return this.providers.get(key);
  }

  /** The first platform of the tree, if any. */
  public get platform(): PlatformNeedsHandler | undefined {
    return this.platforms[0];
  }

  /** Whether some platform of the tree declares `key` present. */
  public isDeclared(key: string): boolean {
    return this.platforms.some(p => p.declared.has(key));
  }

  /** The needs of every network, in registration order. */
  public allNeeds(): ReadonlyArray<{ readonly construct: IConstruct; readonly needs: ReadonlyArray<NodeNeed> }> {
    return this.networks;
  }

  /**
   * The needs of one network that no part installs and no platform declares;
   * empty when the tree has no platform (the cluster is managed elsewhere).
   */
  public unmetNeeds(construct: IConstruct): NodeNeed[] {
    if (this.platforms.length === 0) return [];
    const own = this.networks.find(n => n.construct === construct);
    if (!own) return [];
    const seen = new Set<string>();
    return own.needs.filter(n => {
      if (seen.has(n.key) || this.providers.has(n.key) || this.isDeclared(n.key)) return false;
      seen.add(n.key);
      return true;
    });
  }

  /**
   * The NAD rule: one error per need of the network that nothing provides,
   * with the fix the platform gives (add the part, or declare it).
   */
  public errorsFor(construct: IConstruct): string[] {
    const platform = this.platform;
    if (!platform) return [];
    const unmet = this.unmetNeeds(construct);
    const daemonUnmet = unmet.some(n => n.key === DHCP_DAEMON_KEY);
    return unmet.filter(n => !(daemonUnmet && n.key === cniKey('dhcp'))).map(n => formatPropError(n.prop, n.value,
      n.key === DHCP_DAEMON_KEY
        ? 'needs the CNI dhcp daemon on every node, which no part of the platform runs and \'nodeProvides\' does not declare, so no address would ever be leased'
        : 'names a CNI plugin that no part of the platform installs and \'nodeProvides\' does not declare, so pods attaching to the network would stay in ContainerCreating (failed to find plugin)',
      platform.fixFor(n.key, n.value)));
  }
}
