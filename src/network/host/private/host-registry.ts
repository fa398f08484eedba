import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HostInterfaceFacts, vxlanSlot } from './interface-summary';
import { PolicyMtus } from './mtu';
import { PlacementOption, readVmPlacement, VmNodePlacement } from './placement';
import { AppSlot, appState, MessagesByConstruct, Report } from '../../../private/app-registry';
import { DEFAULT_NAMESPACE } from '../../../private/namespace';
import { formatPropError } from '../../../validation';
import { HostInterfaceType } from '../host-interface';

/** What the rules know about one NodeNetworkConfigurationPolicy. */
export interface PolicyFacts {
  readonly construct: IConstruct;
  readonly name: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly interfaces: HostInterfaceFacts[];
  readonly mtus: PolicyMtus;
}

/** How a network uses a host interface. */
export type HostRefKind = 'bridge' | 'ovs' | 'macvlan';

/** One host interface a network's CNI config names. */
export interface HostRef {
  readonly kind: HostRefKind;
  readonly name: string;
  /** Declared with `HostBridge.existing()`. */
  readonly preExisting: boolean;
  /**
   * No name was given and the name is the plugin's default (the bridge
   * plugin's `cni0`), which the plugin creates itself: no policy need build it.
   */
  readonly pluginDefault?: boolean;
  readonly mtu?: number;
  readonly vlan?: number;
  /** The prop that names the interface, for messages (`plugins[0].bridge`). */
  readonly prop: string;
  readonly vlanProp: string;
  readonly mtuProp: string;
}

/** What the rules know about one NetworkAttachmentDefinition. */
export interface HostNetworkFacts {
  readonly construct: IConstruct;
  readonly namespace: string;
  readonly name: string;
  readonly refs: HostRef[];
}

interface VmPlacement {
  readonly path: string;
  readonly name: string;
  readonly placement: VmNodePlacement;
}

interface Creator {
  readonly policy: PolicyFacts;
  readonly iface: HostInterfaceFacts;
  readonly index: number;
}

/** `{a=b, c=d}`, or `every node` for an empty selector. */
export function describeSelector(selector: Readonly<Record<string, string>>): string {
  const keys = Object.keys(selector).sort();
  return keys.length === 0 ? 'every node' : `nodes labelled ${keys.map(k => `${k}=${selector[k]}`).join(', ')}`;
}

/** Whether every node matching `inner` also matches `outer` (outer's labels are a subset of inner's). */
export function selectorCovers(outer: Readonly<Record<string, string>>, inner: Readonly<Record<string, string>>): boolean {
  return Object.entries(outer).every(([k, v]) => inner[k] === v);
}

/** Whether some node could match both selectors (no key with two different values). */
export function selectorsOverlap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

/**
 * Where one placement option lets a VM run, e.g. `nodes labelled rack=a
 * (nodeSelector and required node affinity term 2; not read there: disk
 * NotIn [hdd], as only 'In' with one value pins a label)`.
 */
function describePlacement(option: PlacementOption): string {
  const base = describeSelector(option.labels);
  if (option.term === undefined) return base;
  const unread = option.unread.length === 0 ? ''
    : `; not read there: ${option.unread.join(', ')}, as only 'In' with one value pins a label and leaving the rest out can only widen where the VM may run`;
  return `${base} (nodeSelector and required node affinity term ${option.term}${unread})`;
}

const KIND_TYPES: Record<HostRefKind, HostInterfaceType[]> = {
  bridge: [HostInterfaceType.LINUX_BRIDGE],
  ovs: [HostInterfaceType.OVS_BRIDGE],
  macvlan: [HostInterfaceType.ETHERNET, HostInterfaceType.VLAN, HostInterfaceType.BOND, HostInterfaceType.VXLAN, HostInterfaceType.LINUX_BRIDGE],
};

const KIND_WORD: Record<HostRefKind, string> = { bridge: 'Linux bridge', ovs: 'Open vSwitch bridge', macvlan: 'macvlan master' };

/**
 * The host-network facts of one construct tree: policies, the host
 * interfaces networks name, and the rules between them. Computed once per
 * tree after a change, with maps keyed by interface name and network, so the
 * cost is linear in policies, networks and VMs.
 */
export class HostNetworkRegistry {
  public static of(construct: IConstruct): HostNetworkRegistry {
    return appState(construct, HostNetworkRegistry.SLOT);
  }

  private static readonly SLOT = new AppSlot('host networking', root => new HostNetworkRegistry(root));

  private readonly policies: PolicyFacts[] = [];
  private readonly networks: HostNetworkFacts[] = [];
  private readonly errors = new MessagesByConstruct(report => this.findProblems(report));

  private constructor(private readonly root: IConstruct) {}

  public registerPolicy(facts: PolicyFacts): void {
    this.policies.push(facts);
    this.errors.invalidate();
  }

  public registerNetwork(facts: HostNetworkFacts): void {
    if (facts.refs.length === 0) return;
    this.networks.push(facts);
    this.errors.invalidate();
  }

  /** Whether the app declares host networking (any policy). */
  public get active(): boolean {
    return this.policies.length > 0;
  }

  public errorsFor(construct: IConstruct): string[] {
    return this.errors.for(construct);
  }

  private findProblems(report: Report): void {
    const creators = new Map<string, Creator[]>();
    for (const policy of this.policies) {
      policy.interfaces.forEach((iface, index) => {
        const list = creators.get(iface.name) ?? [];
        list.push({ policy, iface, index });
        creators.set(iface.name, list);
      });
    }
    this.findPluginBuiltBridgeProblems(creators, report);
    if (!this.active) return;
    this.findOverlapProblems(creators, report);
    this.findVniProblems(report);
    if (this.networks.length > 0) this.findNetworkProblems(creators, report);
  }

  /**
   * A Linux bridge that no policy builds and that is not declared existing
   * is created by the bridge plugin, with VLAN filtering only when the
   * network that creates it on a node has a VLAN. With tagged and untagged
   * networks on it, the untagged one may come first on a node, and then the
   * tags of the others separate nothing there.
   */
  private findPluginBuiltBridgeProblems(creators: Map<string, Creator[]>, report: Report): void {
    const byBridge = new Map<string, Array<{ network: HostNetworkFacts; ref: HostRef }>>();
    for (const n of this.networks) {
      for (const ref of n.refs) {
        if (ref.kind !== 'bridge' || ref.preExisting || creators.has(ref.name)) continue;
        const list = byBridge.get(ref.name) ?? [];
        list.push({ network: n, ref });
        byBridge.set(ref.name, list);
      }
    }
    for (const [bridge, list] of byBridge) {
      const untagged = list.find(e => e.ref.vlan === undefined);
      if (!untagged) continue;
      for (const { network, ref } of list) {
        if (ref.vlan === undefined) continue;
        report(network.construct, formatPropError(ref.vlanProp, ref.vlan,
          `is a VLAN on bridge '${bridge}', which no NodeNetworkConfigurationPolicy builds, so the bridge plugin creates it on each node, with VLAN filtering only if the first network it attaches there has a VLAN; the untagged network ${untagged.network.namespace}/${untagged.network.name} may come first, and then the tag is ignored on that node`,
          `put the untagged network on another bridge, or build '${bridge}' with a NodeNetworkConfigurationPolicy (HostInterface.linuxBridge with a port, vlanFiltering: true and trunkVlans that include ${ref.vlan})`));
      }
    }
  }

  /** Two policies must not write one interface on nodes both select. */
  private findOverlapProblems(creators: Map<string, Creator[]>, report: Report): void {
    for (const [name, list] of creators) {
      for (let j = 1; j < list.length; j++) {
        const later = list[j];
        const earlier = list.slice(0, j).find(e => e.policy !== later.policy && selectorsOverlap(e.policy.nodeSelector, later.policy.nodeSelector));
        if (!earlier) continue;
        report(later.policy.construct, formatPropError(`interfaces[${later.index}]`, name,
          `writes an interface that the policy at ${earlier.policy.construct.node.path} also writes, and both select ${describeSelector({ ...earlier.policy.nodeSelector, ...later.policy.nodeSelector })}`,
          'describe each interface in one policy, or give the policies node selectors that no node matches both (e.g. different values of one label)'));
      }
    }
  }

  /**
   * Two policies must not write VXLANs of one IP version with one VNI and
   * UDP port on nodes both select: the kernel refuses the second. One
   * interface written twice is left to `findOverlapProblems`, which reports it
   * already.
   */
  private findVniProblems(report: Report): void {
    const byKey = new Map<string, Creator[]>();
    for (const policy of this.policies) {
      policy.interfaces.forEach((iface, index) => {
        if (iface.vxlan === undefined) return;
        const key = vxlanSlot(iface.vxlan);
        const list = byKey.get(key) ?? [];
        list.push({ policy, iface, index });
        byKey.set(key, list);
      });
    }
    for (const list of byKey.values()) {
      for (let j = 1; j < list.length; j++) {
        const later = list[j];
        const earlier = list.slice(0, j).find(e => e.policy !== later.policy && e.iface.name !== later.iface.name
          && selectorsOverlap(e.policy.nodeSelector, later.policy.nodeSelector));
        if (!earlier) continue;
        const { vni, port, ipVersion } = later.iface.vxlan!;
        report(later.policy.construct, formatPropError(`interfaces[${later.index}].id`, vni,
          `is the VNI of VXLAN '${later.iface.name}' on UDP port ${port} over IPv${ipVersion}, which VXLAN '${earlier.iface.name}' of the policy at ${earlier.policy.construct.node.path} also uses, and both policies select ${describeSelector({ ...earlier.policy.nodeSelector, ...later.policy.nodeSelector })}: the kernel refuses a second IPv${ipVersion} VXLAN with the same VNI and port on a node`,
          'keep one VXLAN per VNI and UDP port on a node: give one of them another VNI or destinationPort, or give the policies node selectors that no node matches both (e.g. different values of one label)'));
      }
    }
  }

  private findNetworkProblems(creators: Map<string, Creator[]>, report: Report): void {
    const vms = this.vmsByNetwork();
    for (const n of this.networks) {
      for (const ref of n.refs) {
        if (ref.preExisting || ref.pluginDefault) continue;
        const found = (creators.get(ref.name) ?? [])
          .filter(c => c.iface.type === HostInterfaceType.CUSTOM || KIND_TYPES[ref.kind].includes(c.iface.type));
        const create = ref.kind === 'ovs'
          ? `HostInterface.ovsBridge({ name: '${ref.name}', ports: [...] })`
          : ref.kind === 'bridge' ? `HostInterface.linuxBridge({ name: '${ref.name}', ports: [...] })` : `HostInterface.ethernet({ name: '${ref.name}' })`;
        if (found.length === 0) {
          const other = creators.get(ref.name)?.[0];
          const problem = other
            ? `names the ${KIND_WORD[ref.kind]} '${ref.name}', but the policy at ${other.policy.construct.node.path} creates '${ref.name}' as ${other.iface.type}`
            : `names the ${KIND_WORD[ref.kind]} '${ref.name}', which no NodeNetworkConfigurationPolicy of the app creates`;
          report(n.construct, formatPropError(ref.prop, ref.name, problem,
            `create it in a NodeNetworkConfigurationPolicy with ${create} and pass policy.bridge('${ref.name}'), or declare it with HostBridge.existing('${ref.name}') if the nodes already have it`));
          continue;
        }
        for (const vm of vms.get(`${n.namespace}/${n.name}`) ?? []) {
          // every way the VM can be placed must be inside some policy's nodes
          const outside = vm.placement.options.find(o => !found.some(c => selectorCovers(c.policy.nodeSelector, o.labels)));
          if (outside === undefined) continue;
          const where = found.map(c => `${describeSelector(c.policy.nodeSelector)} (${c.policy.construct.node.path})`).join('; ');
          report(n.construct, formatPropError(ref.prop, ref.name,
            `names the ${KIND_WORD[ref.kind]} '${ref.name}', which policies create only on ${where}, but the VM ${vm.name} (${vm.path}) may run on ${describePlacement(outside)}`,
            outside.term === undefined
              ? 'give the VM a nodeSelector that includes a policy\'s labels, or widen the policy\'s nodeSelector'
              : 'give the VM a nodeSelector that includes a policy\'s labels, make every required node affinity term pin them with \'key In [value]\', or widen the policy\'s nodeSelector'));
          break;
        }
        this.findFitProblems(n, ref, found, report);
      }
    }
  }

  /** The bridge's MTU and trunk must fit the network on it. */
  private findFitProblems(n: HostNetworkFacts, ref: HostRef, found: Creator[], report: Report): void {
    for (const { policy, iface } of found) {
      if (iface.type === HostInterfaceType.CUSTOM) continue;
      if (ref.mtu !== undefined && iface.type !== HostInterfaceType.OVS_BRIDGE) {
        const mtu = policy.mtus.of(iface.name);
        if (mtu < ref.mtu) {
          report(n.construct, formatPropError(ref.mtuProp, ref.mtu,
            `is larger than the MTU ${mtu} of '${iface.name}' as the policy at ${policy.construct.node.path} sets it up`,
            `lower the network's mtu to ${mtu} or less, or raise the mtu of '${iface.name}' and its ports in the policy`));
          return;
        }
      }
      if (ref.vlan !== undefined && ref.kind === 'bridge' && iface.type === HostInterfaceType.LINUX_BRIDGE && iface.lowers.length === 0) {
        // nmstate switches VLAN filtering on only for a bridge with a VLAN-configured port, and the
        // bridge plugin sets it only on a bridge it creates itself: the tag would separate nothing
        report(n.construct, formatPropError(ref.vlanProp, ref.vlan,
          `is a VLAN on bridge '${iface.name}', which the policy at ${policy.construct.node.path} builds without ports and so without VLAN filtering (nmstate turns it on only for a bridge with a VLAN-trunking port, and the bridge plugin leaves an existing bridge as it is): the tag is ignored and every network on '${iface.name}' shares one layer-2 segment`,
          `give each VLAN its own bridge without a vlan, or give '${iface.name}' a port with vlanFiltering: true and trunkVlans that include ${ref.vlan}`));
        return;
      }
      if (ref.vlan !== undefined && ref.kind === 'bridge' && iface.lowers.length > 0) {
        if (!iface.vlanFiltering) {
          report(n.construct, formatPropError(ref.vlanProp, ref.vlan,
            `is a VLAN that the ports of bridge '${iface.name}' (policy at ${policy.construct.node.path}) do not carry: the bridge has no VLAN filtering`,
            `set vlanFiltering: true on HostInterface.linuxBridge({ name: '${iface.name}' }) so its ports trunk VLAN ${ref.vlan}`));
          return;
        }
        if (!iface.trunk.some(([min, max]) => ref.vlan! >= min && ref.vlan! <= max)) {
          report(n.construct, formatPropError(ref.vlanProp, ref.vlan,
            `is outside the VLANs ${iface.trunk.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')} that the ports of bridge '${iface.name}' trunk (policy at ${policy.construct.node.path})`,
            `add VlanTrunk.id(${ref.vlan}) to the bridge's trunkVlans, or pick a VLAN it carries`));
          return;
        }
      }
    }
  }

  /** `namespace/name` of a network → the VMs (and pools) attached to it, with their node selectors. */
  private vmsByNetwork(): Map<string, VmPlacement[]> {
    const out = new Map<string, VmPlacement[]>();
    for (const c of this.root.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      let template: any;
      if (c.kind === 'VirtualMachine' && c.apiVersion === 'kubevirt.io/v1') {
        template = (c.toJson() as any)?.spec?.template?.spec;
      } else if (c.kind === 'VirtualMachinePool') {
        template = (c.toJson() as any)?.spec?.virtualMachineTemplate?.spec?.template?.spec;
      } else {
        continue;
      }
      const namespace = c.metadata.namespace ?? DEFAULT_NAMESPACE;
      const placement = readVmPlacement(template);
      for (const net of (Array.isArray(template?.networks) ? template.networks : [])) {
        const ref = net?.multus?.networkName;
        if (typeof ref !== 'string') continue;
        const key = ref.includes('/') ? ref : `${namespace}/${ref}`;
        const list = out.get(key) ?? [];
        list.push({ path: c.node.id === 'Resource' && c.node.scope ? c.node.scope.node.path : c.node.path, name: `${namespace}/${c.name}`, placement });
        out.set(key, list);
      }
    }
    return out;
  }
}
