import { Construct } from 'constructs';
import { cniKey, DHCP_DAEMON_KEY, NodeNeedsRegistry, PlatformNeedsHandler, REFERENCE_PLUGINS } from '../../private/node-needs';
import { CniPlugins } from '../cni-plugins';
import { DhcpDaemon } from '../dhcp-daemon';
import { PlatformCniPluginsOptions, PlatformDhcpDaemonOptions, PlatformOvsCniOptions } from '../node-part-options';
import { NodeProvides } from '../node-provides';
import { OvsCni } from '../ovs-cni';
import { Whereabouts } from '../whereabouts';

/** The settings of `VirtualizationPlatformProps` that the node parts read. */
export interface NodePartsSettings {
  readonly nodeProvides?: NodeProvides[];
  readonly cniPlugins?: PlatformCniPluginsOptions;
  readonly ovsCni?: PlatformOvsCniOptions;
  readonly dhcpDaemon?: PlatformDhcpDaemonOptions;
}

/** The chart the node parts join: the platform, with its whereabouts part when installed. */
export type NodePartsChart = Construct & { readonly whereabouts?: Whereabouts };

const DEFAULT_CNI_PLUGINS = ['bridge', 'tuning'];

/**
 * The platform's node-side parts (CNI plugins, ovs-cni, dhcp daemon): each
 * is added when switched on, or, when left to its default, as soon as a
 * network of the app needs what it installs and `nodeProvides` does not
 * declare it. Networks may be created before or after the platform; the
 * needs registry replays the earlier ones.
 */
export class PlatformNodeParts implements PlatformNeedsHandler {
  public readonly path: string;
  public readonly declared: ReadonlySet<string>;
  public cniPlugins?: CniPlugins;
  public ovsCni?: OvsCni;
  public dhcpDaemon?: DhcpDaemon;

  private readonly registry: NodeNeedsRegistry;
  private readonly cniPluginTypes: ReadonlySet<string>;

  public constructor(
    private readonly platform: NodePartsChart,
    private readonly props: NodePartsSettings,
    private readonly waves: boolean,
  ) {
    this.path = platform.node.path;
    this.declared = new Set((props.nodeProvides ?? []).flatMap((p: NodeProvides) => p._keys));
    this.cniPluginTypes = new Set(props.cniPlugins?.plugins ?? DEFAULT_CNI_PLUGINS);
    this.registry = NodeNeedsRegistry.of(platform);
    if (platform.whereabouts) this.registry.provide(cniKey('whereabouts'), platform.whereabouts.node.path);
    if (props.cniPlugins?.enabled === true) this.addCniPlugins();
    if (props.ovsCni?.enabled === true) this.addOvsCni();
    if (props.dhcpDaemon?.enabled === true) this.addDhcpDaemon();
    this.registry.registerPlatform(this);
  }

  public onNeed(key: string): void {
    if (this.declared.has(key) || this.registry.providerOf(key) !== undefined) return;
    const p = this.props;
    if ((key === DHCP_DAEMON_KEY || key === cniKey('dhcp')) && p.dhcpDaemon?.enabled === undefined && p.dhcpDaemon?.image !== undefined) {
      this.addDhcpDaemon();
    } else if (key === cniKey('ovs') && p.ovsCni?.enabled === undefined) {
      this.addOvsCni();
    } else if (key.startsWith('cni:') && this.cniPluginTypes.has(key.slice('cni:'.length)) && p.cniPlugins?.enabled === undefined) {
      this.addCniPlugins();
    }
  }

  public fixFor(key: string, value: string): string {
    const at = `the VirtualizationPlatform at '${this.path}'`;
    const declare = (what: string) => `or, if the nodes already have it, add ${what} to the 'nodeProvides' of ${at}`;
    if (key === DHCP_DAEMON_KEY || key === cniKey('dhcp')) {
      return `give ${at} a dhcpDaemon image with the CNI dhcp plugin (dhcpDaemon: { image: { repository: 'registry.example.com/cni-plugins', tag: 'v1.9.1' } }), ${declare('NodeProvides.DHCP_DAEMON and NodeProvides.cniPlugin(\'dhcp\')')}`;
    }
    if (key === cniKey('ovs')) {
      return `switch on ovsCni in ${at} (ovsCni: { enabled: true }), ${declare('NodeProvides.OVS_CNI')}`;
    }
    if (key === cniKey('whereabouts')) {
      return `switch on whereabouts in ${at}, ${declare('NodeProvides.cniPlugin(\'whereabouts\')')}`;
    }
    if (this.cniPluginTypes.has(value)) {
      return `switch on cniPlugins in ${at} (cniPlugins: { enabled: true }), ${declare(`NodeProvides.cniPlugin('${value}')`)}`;
    }
    if (REFERENCE_PLUGINS.includes(value)) {
      return `give ${at} a cniPlugins image that carries '${value}' (built from containernetworking/plugins) and list it (cniPlugins: { image: { repository, tag }, plugins: ['bridge', 'tuning', '${value}'] }), ${declare(`NodeProvides.cniPlugin('${value}')`)}`;
    }
    return `no part of the platform installs '${value}': install it on the nodes (e.g. with its own operator) and add NodeProvides.cniPlugin('${value}') to the 'nodeProvides' of ${at}`;
  }

  private addCniPlugins(): void {
    if (this.cniPlugins) return;
    const { enabled, ...props } = this.props.cniPlugins ?? {};
    this.cniPlugins = new CniPlugins(this.platform, 'CniPlugins', { ...props, argoCdSyncWaves: this.waves });
  }

  private addOvsCni(): void {
    if (this.ovsCni) return;
    const { enabled, ...props } = this.props.ovsCni ?? {};
    this.ovsCni = new OvsCni(this.platform, 'OvsCni', { ...props, argoCdSyncWaves: this.waves });
  }

  private addDhcpDaemon(): void {
    if (this.dhcpDaemon) return;
    const { enabled, ...props } = this.props.dhcpDaemon ?? {};
    this.dhcpDaemon = new DhcpDaemon(this.platform, 'DhcpDaemon', { ...props, image: props.image as any, argoCdSyncWaves: this.waves });
  }
}
