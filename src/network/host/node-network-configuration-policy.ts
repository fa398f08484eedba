import { ApiObject, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { HostBridge, IHostBridge } from './host-bridge';
import { HostInterface, HostInterfaceType } from './host-interface';
import { HostNetworkRegistry } from './private/host-registry';
import { HostInterfaceFacts, VXLAN_OVERHEAD, vxlanSlot } from './private/interface-summary';
import { PolicyMtus } from './private/mtu';
import { sortedMap } from '../../private/sorted-map';
import { checkLabelValue, checkMetadataKey, propError, propPath, requireDns1123Subdomain } from '../../validation';
import { suggestDns1123Label } from '../../validation/names';
import { optionalInstance, optionalString, optionalStringMap, requireArray, requireInstance, requireNumber, requireString, requireStruct } from '../../validation/types';
import { PropContext } from '../private/context';

/** How many nodes may apply a policy at once (`maxUnavailable`). */
export class MaxUnavailable {
  /** At most this many nodes at once (at least 1). */
  public static count(nodes: number): MaxUnavailable {
    requireNumber(undefined, 'nodes', nodes);
    if (!Number.isInteger(nodes) || nodes < 1) {
      throw propError(undefined, 'nodes', nodes, 'must be a whole number of at least 1', 'let at least one node apply the policy at a time');
    }
    return new MaxUnavailable(nodes);
  }

  /** At most this share of the selected nodes at once (1 to 100 percent). */
  public static percent(percent: number): MaxUnavailable {
    requireNumber(undefined, 'percent', percent);
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
      throw propError(undefined, 'percent', percent, 'must be a whole number from 1 to 100', 'give the share of nodes as a percentage, e.g. 50');
    }
    return new MaxUnavailable(`${percent}%`);
  }

  private constructor(private readonly value: number | string) {}

  /** @internal */
  public _toJson(): number | string {
    return this.value;
  }
}

/** Props of `NodeNetworkConfigurationPolicy`. */
export interface NodeNetworkConfigurationPolicyProps {
  /**
   * Name of the policy (the object is cluster-scoped): a DNS-1123 subdomain
   * of at most 63 characters, since kubernetes-nmstate labels each
   * enactment with it.
   * @default - a name derived from the construct path
   */
  readonly name?: string;
  /** The interfaces the policy creates or changes on each selected node (at least one). */
  readonly interfaces: HostInterface[];
  /**
   * Nodes the policy applies to, by their labels.
   * @default - every node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * How many nodes apply the policy at the same time.
   * @default - the handler's default (50% of the selected nodes)
   */
  readonly maxUnavailable?: MaxUnavailable;
}

/**
 * A kubernetes-nmstate NodeNetworkConfigurationPolicy (`nmstate.io/v1`): the
 * desired network state of a set of nodes, which the nmstate handler on each
 * node applies and rolls back if the node loses its connection.
 *
 * Checked here: interface names, ids and addresses; one interface written
 * once; a VXLAN leaves room for its 50-byte overhead on its underlay (70
 * bytes over IPv6) and no two VXLANs of one IP version share a VNI and UDP
 * port; a VLAN is no larger than its base, and a bridge no larger than its
 * ports. Checked over
 * the whole app once any policy exists: every host bridge, OVS bridge and
 * macvlan master a network names is created by a policy on the nodes its VMs
 * can run on (read from their `nodeSelector` and required node affinity; see
 * the README's "Host networking") or declared with `HostBridge.existing()`,
 * fits the network's MTU and trunks its VLAN;
 * two policies never write one interface on nodes both select, nor two
 * VXLANs of one IP version with one VNI and UDP port (4789 unless set) on
 * nodes both select (the kernel refuses the second).
 *
 * `ApiObject.of(policy)` is the NodeNetworkConfigurationPolicy.
 * @see https://nmstate.io/kubernetes-nmstate/
 */
export class NodeNetworkConfigurationPolicy extends Construct {
  /** Name of the policy. */
  public readonly name: string;
  /** The node selector (a copy; empty for every node). */
  public readonly nodeSelector: { [key: string]: string };
  private readonly _interfaces: HostInterface[];
  private readonly maxUnavailable?: MaxUnavailable;

  public constructor(scope: Construct, id: string, props: NodeNetworkConfigurationPolicyProps) {
    super(scope, id);
    requireStruct(this, 'props', props);
    optionalString(this, 'name', props.name);
    this.name = props.name ?? Names.toDnsLabel(this);
    requireDns1123Subdomain(this, 'name', this.name);
    const nameProblem = checkLabelValue(this.name);
    if (nameProblem) {
      // kubernetes-nmstate labels each enactment with its policy's name and refuses other names
      throw propError(this, 'name', this.name, `${nameProblem}: kubernetes-nmstate uses a policy's name as a label value`, `use a name such as '${suggestDns1123Label(this.name)}'`);
    }
    optionalStringMap(this, 'nodeSelector', props.nodeSelector);
    this.nodeSelector = { ...(props.nodeSelector ?? {}) };
    for (const [k, v] of Object.entries(this.nodeSelector)) {
      const problem = checkMetadataKey(k) ?? checkLabelValue(v);
      if (problem) throw propError(this, propPath('nodeSelector', k), v, problem, 'use node labels as `kubectl get nodes --show-labels` lists them');
    }
    optionalInstance(this, 'maxUnavailable', props.maxUnavailable, MaxUnavailable, 'MaxUnavailable.count() or MaxUnavailable.percent()');
    this.maxUnavailable = props.maxUnavailable;

    this._interfaces = requireArray<HostInterface>(this, 'interfaces', props.interfaces, (entry, prop) =>
      requireInstance(this, prop, entry, HostInterface, 'HostInterface.linuxBridge(), vlan(), vxlan(), bond(), ovsBridge(), ethernet() or custom()'));
    if (this._interfaces.length === 0) {
      throw propError(this, 'interfaces', [], 'must hold at least one interface', 'add the interfaces the nodes need, e.g. HostInterface.linuxBridge({ name: \'br1\', ports: [\'eth1\'] })');
    }
    const facts: HostInterfaceFacts[] = [];
    const seen = new Map<string, number>();
    this._interfaces.forEach((iface, i) => {
      const f = iface._validate(new PropContext(this, propPath('interfaces', i)));
      const earlier = seen.get(f.name);
      if (earlier !== undefined) {
        throw propError(this, propPath(propPath('interfaces', i), 'name'), f.name, `is already written by interfaces[${earlier}]`, 'describe each interface once per policy');
      }
      seen.set(f.name, i);
      facts.push(f);
    });
    const mtus = new PolicyMtus(facts);
    this.requireMtus(facts, mtus);

    new ApiObject(this, 'Resource', {
      apiVersion: 'nmstate.io/v1',
      kind: 'NodeNetworkConfigurationPolicy',
      metadata: { name: this.name },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });

    const registry = HostNetworkRegistry.of(this);
    registry.registerPolicy({ construct: this, name: this.name, nodeSelector: this.nodeSelector, interfaces: facts, mtus });
    this.node.addValidation({ validate: () => registry.errorsFor(this) });
  }

  /** The interfaces, in order (a copy). */
  public get interfaces(): HostInterface[] {
    return [...this._interfaces];
  }

  /**
   * The host interface of this policy named `name` (a Linux or OVS bridge,
   * or any interface to use as a macvlan master), for `CniPlugin.bridge()`,
   * `ovs()` and `macvlan()`.
   */
  public bridge(name: string): IHostBridge {
    requireString(this, 'name', name);
    if (!this._interfaces.some(i => i.name === name)) {
      throw propError(this, 'name', name, `is not an interface of this policy (it has ${this._interfaces.map(i => `'${i.name}'`).join(', ')})`, 'pass the name of an interface listed in interfaces');
    }
    return HostBridge._created(name);
  }

  /** @internal */
  public _toKube(): Record<string, unknown> {
    return {
      ...(Object.keys(this.nodeSelector).length > 0 ? { nodeSelector: sortedMap(this.nodeSelector) } : {}),
      ...(this.maxUnavailable ? { maxUnavailable: this.maxUnavailable._toJson() } : {}),
      desiredState: { interfaces: this._interfaces.map(i => i._toJson()) },
    };
  }

  /**
   * A VXLAN keeps 50 bytes of its underlay for headers (70 over IPv6), a
   * VLAN is no larger than its base, a bridge no larger than its ports; no
   * two VXLANs of one IP version share a VNI on one UDP port (the kernel
   * refuses the second).
   */
  private requireMtus(facts: HostInterfaceFacts[], mtus: PolicyMtus): void {
    const vnis = new Map<string, number>();
    facts.forEach((f, i) => {
      const at = propPath('interfaces', i);
      if (f.vxlan !== undefined) {
        const key = vxlanSlot(f.vxlan);
        const earlier = vnis.get(key);
        if (earlier !== undefined) {
          throw propError(this, propPath(at, 'id'), f.vxlan.vni,
            `is also the VNI of interfaces[${earlier}] on UDP port ${f.vxlan.port} over IPv${f.vxlan.ipVersion}: the kernel refuses a second IPv${f.vxlan.ipVersion} VXLAN with the same VNI and port on a node`,
            'give each VXLAN its own VNI, or a different destinationPort');
        }
        vnis.set(key, i);
      }
      if (f.vxlan !== undefined && f.mtu !== undefined) {
        const under = mtus.of(f.lowers[0]);
        const overhead = f.vxlan.overhead;
        if (f.mtu > under - overhead) {
          throw propError(this, propPath(at, 'mtu'), f.mtu,
            `leaves no room for the ${overhead}-byte VXLAN header${overhead > VXLAN_OVERHEAD ? ' over IPv6' : ''} on underlay '${f.lowers[0]}' (MTU ${under}${mtus.interface(f.lowers[0]) ? '' : ', assumed: the policy does not describe it'})`,
            `set the VXLAN's mtu to ${under - overhead} or less, or raise the underlay's MTU (HostInterface.ethernet({ name: '${f.lowers[0]}', mtu: ${f.mtu + overhead} }))`);
        }
      }
      if (f.type === HostInterfaceType.VLAN && f.mtu !== undefined) {
        const base = mtus.of(f.lowers[0]);
        if (f.mtu > base) {
          throw propError(this, propPath(at, 'mtu'), f.mtu,
            `is larger than the MTU ${base} of its base '${f.lowers[0]}'${mtus.interface(f.lowers[0]) ? '' : ' (assumed: the policy does not describe it)'}, which the kernel refuses for a VLAN`,
            `set the VLAN's mtu to ${base} or less, or raise the MTU of '${f.lowers[0]}' in the policy`);
        }
      }
      if (f.type === HostInterfaceType.LINUX_BRIDGE && f.mtu !== undefined) {
        for (const port of f.lowers) {
          const portMtu = mtus.of(port);
          if (f.mtu > portMtu) {
            const vx = mtus.interface(port)?.vxlan;
            throw propError(this, propPath(at, 'mtu'), f.mtu,
              `is larger than the MTU ${portMtu} of its port '${port}'${vx ? ` (a VXLAN: its underlay less ${vx.overhead} bytes)` : ''}, so larger frames would be dropped there`,
              `set the bridge's mtu to ${portMtu} or less${vx ? ', or raise the underlay\'s MTU' : `, or raise the MTU of '${port}'`}`);
          }
        }
      }
    });
  }
}
