import { ApiObject, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { CniPlugin } from './cni-plugin';
import { propError, propPath, requireDns1123Label, requireDns1123Subdomain, requireShape, Shape } from '../validation';
import { HostNetworkRegistry, HostRef } from './host/private/host-registry';
import { INetworkAttachmentDefinition } from './network-attachment-definition-ref';
import { PropContext } from './private/context';
import { AddressPool } from './private/pools';
import { NetworkRegistry } from './private/registry';
import { pickNamespace } from '../private/namespace';
import { cniNeeds, NodeNeedsRegistry } from '../private/node-needs';
import { reportWarnings } from '../private/warnings';

/** CNI specification versions a configuration can declare. */
export enum CniVersion {
  /** CNI 0.3.1 (no CHECK command). */
  V0_3_1 = '0.3.1',
  /** CNI 0.4.0, the version Multus and the reference plugins have long supported. */
  V0_4_0 = '0.4.0',
  /** CNI 1.0.0. */
  V1_0_0 = '1.0.0',
}

/** The annotation that ties a network to a device-plugin resource (SR-IOV, bridge marker). */
export const RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';

/** Props every NetworkAttachmentDefinition construct shares. */
export interface NetworkAttachmentDefinitionOptions {
  /**
   * Name of the object, also the `name` of its CNI configuration list.
   * @default - a name derived from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the object.
   * @default - the chart's namespace, or 'default'
   */
  readonly namespace?: string;
  /**
   * CNI version declared by the configuration.
   * @default CniVersion.V0_4_0
   */
  readonly cniVersion?: CniVersion;
  /**
   * Device-plugin resource the network needs (annotation
   * `k8s.v1.cni.cncf.io/resourceName`), e.g. `intel.com/sriov_netdevice`;
   * the scheduler then only picks nodes that offer it.
   * @default - no resource
   */
  readonly resourceName?: string;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the object.
   * @default - none (besides the resource name annotation)
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Marks a network whose host bridge and VLAN may also be used by networks
   * of other namespaces. Without it, one bridge+VLAN pair used from two
   * namespaces is an error, because their traffic would not be isolated.
   * Every network on the pair must be marked.
   * @default false
   */
  readonly shared?: boolean;
}

/** Props of `NetworkAttachmentDefinition`. */
export interface NetworkAttachmentDefinitionProps extends NetworkAttachmentDefinitionOptions {
  /**
   * The plugin chain, in order: the first creates the interface, later ones
   * (`CniPlugin.tuning()`) adjust it. At least one.
   */
  readonly plugins: CniPlugin[];
}

/** Options of `NetworkAttachmentDefinition.fromNetworkName()`. */
export interface NetworkAttachmentDefinitionFromNameOptions {
  /**
   * Namespace of the network, when the name does not carry one.
   * @default - the chart's namespace, or 'default'
   */
  readonly namespace?: string;
}

class ImportedNetworkAttachmentDefinition extends Construct implements INetworkAttachmentDefinition {
  public readonly networkName: string;
  public constructor(scope: Construct, id: string, public readonly name: string, public readonly namespace: string) {
    super(scope, id);
    this.networkName = `${namespace}/${name}`;
  }
}

/**
 * A Multus NetworkAttachmentDefinition: a named CNI configuration list that
 * VMs and pods attach secondary interfaces to. `spec.config` is the JSON of
 * the list, `{"cniVersion","name","plugins"}`, each plugin written with
 * `type` first, then its fields in the order of its options, then `ipam`.
 *
 * Rules checked when the app is synthesized: two networks with one name in
 * one namespace; networks of different namespaces on one host bridge and
 * VLAN (bridge or ovs plugin; untagged counts as a VLAN of its own) unless
 * all are `shared`; overlapping address pools on one bridge and VLAN. A
 * pool is what the IPAM plugin hands out: for whereabouts the usable span
 * (never the network and broadcast addresses) from rangeStart to rangeEnd
 * without the excluded blocks and the router addresses; for host-local
 * rangeStart..rangeEnd; a static address. whereabouts pools with the same
 * `networkName` (or all unnamed) may overlap: whereabouts reserves each
 * address cluster-wide per networkName, so it never hands one out twice.
 * When such pools sit on different bridges or VLANs, the networks share one
 * set of addresses, which is reported as a warning.
 * Trunk ports (`vlanTrunk`, ovs `trunk`) and custom plugins are not part of
 * these rules.
 */
export class NetworkAttachmentDefinition extends Construct implements INetworkAttachmentDefinition {
  /**
   * Refers to an existing network by `namespace/name`, or by name with the
   * namespace in the options.
   */
  public static fromNetworkName(scope: Construct, id: string, networkName: string,
    options: NetworkAttachmentDefinitionFromNameOptions = {}): INetworkAttachmentDefinition {
    Shape.string(`${scope.node.path}/${id}`, 'networkName', networkName);
    requireShape(`${scope.node.path}/${id}`, 'options', options, { namespace: Shape.optString });
    const parts = String(networkName).split('/');
    if (parts.length > 2) {
      throw propError(`${scope.node.path}/${id}`, 'networkName', networkName, 'must be \'namespace/name\' or a plain name', 'write it as namespace/name');
    }
    const name = parts[parts.length - 1];
    const fromName = parts.length === 2 ? parts[0] : undefined;
    if (fromName !== undefined && options.namespace !== undefined && options.namespace !== fromName) {
      throw propError(`${scope.node.path}/${id}`, 'namespace', options.namespace, `contradicts the namespace '${fromName}' in the network name '${networkName}'`, 'give the namespace only once');
    }
    const namespace = pickNamespace(scope, fromName ?? options.namespace);
    const imported = new ImportedNetworkAttachmentDefinition(scope, id, name, namespace);
    requireDns1123Subdomain(imported, 'networkName', name);
    requireDns1123Label(imported, 'namespace', namespace);
    return imported;
  }

  /** Name of the object and of its CNI configuration list. */
  public readonly name: string;
  /** Namespace of the object. */
  public readonly namespace: string;
  /** `namespace/name`, the reference VMs and pods use. */
  public readonly networkName: string;
  /** The CNI version the configuration declares. */
  public readonly cniVersion: CniVersion;
  /** Whether networks of other namespaces may share this network's bridge and VLAN. */
  public readonly shared: boolean;
  /** The device-plugin resource, if any. */
  public readonly resourceName?: string;
  /** The CNI configuration list as JSON text: the value of `spec.config`. */
  public readonly config: string;

  private readonly _plugins: CniPlugin[];

  public constructor(scope: Construct, id: string, props: NetworkAttachmentDefinitionProps) {
    super(scope, id);
    requireShape(this, 'props', props, {
      name: Shape.optString,
      namespace: Shape.optString,
      cniVersion: Shape.optEnum(CniVersion, 'CniVersion'),
      resourceName: Shape.optString,
      labels: Shape.optLabels,
      annotations: Shape.optAnnotations,
      shared: Shape.optBoolean,
      plugins: Shape.array(Shape.instance(CniPlugin, 'CniPlugin.bridge(), macvlan(), ovs(), tuning() or custom()')),
    });
    this.name = props.name ?? Names.toDnsLabel(this);
    this.namespace = pickNamespace(this, props.namespace);
    requireDns1123Subdomain(this, 'name', this.name);
    requireDns1123Label(this, 'namespace', this.namespace);
    this.networkName = `${this.namespace}/${this.name}`;

    this.cniVersion = props.cniVersion ?? CniVersion.V0_4_0;
    if (!Object.values(CniVersion).includes(this.cniVersion)) {
      throw propError(this, 'cniVersion', this.cniVersion, `must be one of ${Object.values(CniVersion).join(', ')}`, 'use a CniVersion member');
    }
    this.shared = props.shared ?? false;
    this.resourceName = props.resourceName;
    if (this.resourceName !== undefined && !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(this.resourceName)) {
      throw propError(this, 'resourceName', this.resourceName, 'must be an extended resource name such as intel.com/sriov_netdevice', 'write it as domain/name, the way the device plugin advertises it');
    }

    const plugins = props.plugins;
    if (!Array.isArray(plugins) || plugins.length === 0) {
      throw propError(this, 'plugins', plugins, 'must hold at least one plugin', 'add the plugin that creates the interface, e.g. CniPlugin.bridge({ bridge: \'br1\' })');
    }
    this._plugins = [...plugins];
    const pools: AddressPool[] = [];
    const attachments: Array<{ bridge: string; vlan?: number; prop: string }> = [];
    const hostRefs: HostRef[] = [];
    plugins.forEach((plugin, i) => {
      const ctx = new PropContext(this, propPath('plugins', i));
      if (!(plugin instanceof CniPlugin)) {
        throw propError(this, propPath('plugins', i), plugin, 'must be a CniPlugin', 'build plugins with CniPlugin.bridge(), macvlan(), ovs(), tuning() or custom()');
      }
      if (i === 0 && plugin._isMeta) {
        throw propError(this, 'plugins[0]', plugin.type, 'cannot be first: it adjusts the interface an earlier plugin creates', 'put an interface plugin such as CniPlugin.bridge() before it');
      }
      const checked = plugin._validate(ctx);
      pools.push(...checked.pools);
      if (checked.attachment) attachments.push(checked.attachment);
      if (checked.host) hostRefs.push(checked.host);
    });
    this.config = JSON.stringify({
      cniVersion: this.cniVersion,
      name: this.name,
      plugins: this._plugins.map(p => p._toJson()),
    });

    const annotations: { [key: string]: string } = { ...(props.annotations ?? {}) };
    if (this.resourceName !== undefined) {
      if (annotations[RESOURCE_NAME_ANNOTATION] !== undefined && annotations[RESOURCE_NAME_ANNOTATION] !== this.resourceName) {
        throw propError(this, 'annotations', annotations[RESOURCE_NAME_ANNOTATION], `sets ${RESOURCE_NAME_ANNOTATION} differently from resourceName '${this.resourceName}'`, 'set the resource only through resourceName');
      }
      annotations[RESOURCE_NAME_ANNOTATION] = this.resourceName;
    }
    new ApiObject(this, 'Resource', {
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: props.labels && Object.keys(props.labels).length > 0 ? { ...props.labels } : undefined,
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });

    const registry = NetworkRegistry.of(this);
    registry.register({ construct: this, name: this.name, namespace: this.namespace, shared: this.shared, attachments, pools });
    this.node.addValidation({ validate: () => registry.errorsFor(this) });
    reportWarnings(this, () => registry.warningsFor(this));
    // host side: once the app has policies, the interfaces the plugins name must exist on the VMs' nodes
    const hosts = HostNetworkRegistry.of(this);
    hosts.registerNetwork({ construct: this, namespace: this.namespace, name: this.name, refs: hostRefs });
    if (hostRefs.length > 0) this.node.addValidation({ validate: () => hosts.errorsFor(this) });
    // nodes: once the app has a platform, every plugin and IPAM type must be installed by a part or declared present
    const needs = NodeNeedsRegistry.of(this);
    needs.registerNetwork(this, cniNeeds(this._plugins.map(p => p._toJson())));
    this.node.addValidation({ validate: () => needs.errorsFor(this) });
  }

  /** The plugin chain (a copy). */
  public get plugins(): CniPlugin[] {
    return [...this._plugins];
  }

  /** @internal */
  public _toKube(): { config: string } {
    return { config: this.config };
  }
}
