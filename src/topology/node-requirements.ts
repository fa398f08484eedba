import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { synthesize } from './synthesize';
import { cniNeeds, DHCP_DAEMON_KEY, NodeNeedsRegistry } from '../private/node-needs';
import { Shape } from '../validation/shape';
import { requireInstance } from '../validation/types';

/** Kinds of node requirements. */
export enum NodeRequirementKind {
  /** A CNI plugin binary in the node's `/opt/cni/bin`. */
  CNI_PLUGIN = 'CNI plugin',
  /** A daemon running on the node. */
  DAEMON = 'daemon',
  /** A kubelet setting. */
  KUBELET = 'kubelet',
  /** Hugepages reserved on the node. */
  HUGEPAGES = 'hugepages',
  /** A kernel module loaded (or built in). */
  KERNEL_MODULE = 'kernel module',
  /** A device on the node. */
  DEVICE = 'device',
  /** A network interface that must exist on the node. */
  INTERFACE = 'interface',
  /** A label the node must carry for a selector to pick it. */
  NODE_LABEL = 'node label',
}

/** One thing the nodes must provide, with what needs it and where. */
export interface NodeRequirement {
  /** What kind of requirement it is. */
  readonly kind: NodeRequirementKind;
  /** The requirement itself, e.g. `hugepages-1Gi: 16Gi reserved`. */
  readonly requirement: string;
  /**
   * Who takes care of it: a platform part (`installed by <path>`) or the
   * user's declaration (`declared in nodeProvides`).
   * @default - nobody: the nodes must have it
   */
  readonly providedBy?: string;
  /** Each object that needs it, with the nodes it needs it on. */
  readonly neededBy: string[];
}

const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);
const obj = (x: unknown): Record<string, any> => (isObject(x) ? x : {});
const arr = (x: unknown): any[] => (Array.isArray(x) ? x : []);
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The nodes a selector picks, in words; `none` says what no selector means for the object. */
function nodesOf(selector: Record<string, any> | undefined, none = 'any node'): string {
  const entries = Object.entries(obj(selector)).sort(([a], [b]) => byCodePoint(a, b));
  return entries.length === 0 ? none : `nodes with ${entries.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}

const BINARY_UNITS: Record<string, bigint> = { Ki: 1024n, Mi: 1024n ** 2n, Gi: 1024n ** 3n, Ti: 1024n ** 4n };

/** Bytes of a binary-suffixed or plain quantity, or undefined. */
function bytesOf(quantity: unknown): bigint | undefined {
  const m = /^([0-9]+)(Ki|Mi|Gi|Ti)?$/.exec(String(quantity ?? ''));
  if (!m) return undefined;
  return BigInt(m[1]) * (m[2] ? BINARY_UNITS[m[2]] : 1n);
}

function formatBytes(bytes: bigint): string {
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki']) {
    if (bytes % BINARY_UNITS[unit] === 0n) return `${bytes / BINARY_UNITS[unit]}${unit}`;
  }
  return String(bytes);
}

interface Draft {
  kind: NodeRequirementKind;
  requirement: string;
  providedBy?: string;
  neededBy: Set<string>;
  bytes?: bigint;
  unknownBytes?: boolean;
}

/** A VM-like document: its name, the VMI spec, its replicas and its instancetype reference. */
interface VmShape {
  readonly label: string;
  readonly spec: Record<string, any>;
  readonly replicas: number;
  readonly instancetype?: Record<string, any>;
}

function vmShapes(doc: Record<string, any>): VmShape | undefined {
  const ns = doc.metadata?.namespace ?? 'default';
  const label = `${doc.kind} ${ns}/${doc.metadata?.name}`;
  if (doc.kind === 'VirtualMachine') {
    return { label, spec: obj(doc.spec?.template?.spec), replicas: 1, instancetype: doc.spec?.instancetype };
  }
  if (doc.kind === 'VirtualMachinePool') {
    const vm = obj(doc.spec?.virtualMachineTemplate?.spec);
    return { label, spec: obj(vm.template?.spec), replicas: typeof doc.spec?.replicas === 'number' ? doc.spec.replicas : 1, instancetype: vm.instancetype };
  }
  return undefined;
}

/**
 * What the nodes of a cluster must provide for an app to work, derived from
 * the app: CNI plugins and the dhcp daemon its networks use (and who
 * installs them), Open vSwitch, NetworkManager for nmstate, iptables for
 * the MultiNetworkPolicy agent, kernel modules, hugepages per size, the
 * kubelet's CPU manager policy, `/dev/kvm` and the node labels its
 * selectors rely on; for each, the objects that need it and on which nodes
 * (from their node selectors).
 *
 * The CNI plugins and the dhcp daemon come from the same facts the
 * network rule checks (each plugin and IPAM type of each network, the
 * platform parts that install them, `nodeProvides`); the rest is read from
 * the synthesized objects, so it says what `kubectl apply` would ask of
 * the nodes.
 */
export class NodeRequirements {
  /**
   * The requirements of an app; runs its validations once, as `app.synth()` does.
   */
  public static of(app: App): NodeRequirements {
    requireInstance(undefined, 'app', app, App, 'new App() from cdk8s, holding the charts');
    return new NodeRequirements(synthesize(app.charts), NodeNeedsRegistry.of(app), app.outdir);
  }

  /** The requirements, sorted by kind and requirement. */
  public readonly requirements: NodeRequirement[];
  private readonly outdir?: string;

  private constructor(docs: any[], registry: NodeNeedsRegistry, outdir?: string) {
    this.outdir = outdir;
    const drafts = new Map<string, Draft>();
    const need = (kind: NodeRequirementKind, requirement: string, by: string, providedBy?: string): Draft => {
      const key = `${kind}\u0000${requirement}`;
      let d = drafts.get(key);
      if (!d) {
        d = { kind, requirement, providedBy, neededBy: new Set() };
        drafts.set(key, d);
      }
      d.neededBy.add(by);
      return d;
    };
    const provider = (key: string): string | undefined => {
      const part = registry.providerOf(key);
      if (part !== undefined) return `installed by ${part}`;
      return registry.isDeclared(key) ? 'declared in nodeProvides' : undefined;
    };
    const objects = docs.filter(isObject);
    const instancetypes = new Map<string, Record<string, any>>();
    for (const d of objects) {
      if (d.kind === 'VirtualMachineClusterInstancetype') instancetypes.set(`cluster/${d.metadata?.name}`, obj(d.spec));
      if (d.kind === 'VirtualMachineInstancetype') instancetypes.set(`${d.metadata?.namespace ?? 'default'}/${d.metadata?.name}`, obj(d.spec));
    }

    // the VMs, and the nodes of the VMs on each network
    const vms: Array<VmShape & { nodes: string }> = [];
    const networkNodes = new Map<string, Set<string>>();
    for (const d of objects) {
      const vm = vmShapes(d);
      if (!vm) continue;
      const ns = d.metadata?.namespace ?? 'default';
      const nodes = nodesOf(vm.spec.nodeSelector);
      vms.push({ ...vm, nodes });
      for (const n of arr(vm.spec.networks)) {
        const ref = n?.multus?.networkName;
        if (typeof ref !== 'string') continue;
        const full = ref.includes('/') ? ref : `${ns}/${ref}`;
        const set = networkNodes.get(full) ?? new Set<string>();
        set.add(nodes);
        networkNodes.set(full, set);
      }
      for (const [k, v] of Object.entries(obj(vm.spec.nodeSelector))) need(NodeRequirementKind.NODE_LABEL, `${k}=${v}`, vm.label);
    }
    const whereNetwork = (full: string): string => {
      const nodes = [...(networkNodes.get(full) ?? [])].sort(byCodePoint);
      if (nodes.length === 0) return 'nodes of the pods attached to it';
      return nodes.includes('any node') ? 'any node running its VMs' : nodes.join('; ');
    };

    // networks: plugin binaries, the dhcp daemon, and what their plugins need of the kernel and OVS
    for (const d of objects) {
      if (d.kind !== 'NetworkAttachmentDefinition') continue;
      const full = `${d.metadata?.namespace ?? 'default'}/${d.metadata?.name}`;
      let config: any;
      try {
        config = JSON.parse(String(d.spec?.config ?? ''));
      } catch {
        continue;
      }
      const plugins = Array.isArray(config?.plugins) ? config.plugins : [config];
      const by = `NetworkAttachmentDefinition ${full} (${whereNetwork(full)})`;
      const resource = d.metadata?.annotations?.['k8s.v1.cni.cncf.io/resourceName'];
      if (typeof resource === 'string') need(NodeRequirementKind.DEVICE, `${resource} (device-plugin resource)`, by);
      for (const n of cniNeeds(plugins)) {
        if (n.key === DHCP_DAEMON_KEY) need(NodeRequirementKind.DAEMON, 'CNI dhcp daemon on /run/cni/dhcp.sock', by, provider(n.key));
        else need(NodeRequirementKind.CNI_PLUGIN, `${n.value} in /opt/cni/bin`, by, provider(n.key));
      }
      for (const p of plugins.filter(isObject)) {
        if (p.type === 'bridge') need(NodeRequirementKind.KERNEL_MODULE, 'bridge', by);
        if (p.type === 'bridge' && (p.vlan !== undefined || p.vlanTrunk !== undefined)) need(NodeRequirementKind.KERNEL_MODULE, '8021q (bridge VLAN filtering)', by);
        if (p.type === 'macvlan') need(NodeRequirementKind.KERNEL_MODULE, 'macvlan', by);
        if (p.type === 'ovs') {
          need(NodeRequirementKind.DAEMON, 'Open vSwitch (ovsdb socket in /var/run/openvswitch)', by);
          need(NodeRequirementKind.KERNEL_MODULE, 'openvswitch', by);
        }
      }
    }

    // host networking: nmstate policies
    for (const d of objects) {
      if (d.kind !== 'NodeNetworkConfigurationPolicy') continue;
      const nodes = nodesOf(d.spec?.nodeSelector, 'every node');
      const by = `NodeNetworkConfigurationPolicy ${d.metadata?.name} (${nodes})`;
      need(NodeRequirementKind.DAEMON, 'NetworkManager (for the nmstate handler)', by);
      for (const [k, v] of Object.entries(obj(d.spec?.nodeSelector))) need(NodeRequirementKind.NODE_LABEL, `${k}=${v}`, `NodeNetworkConfigurationPolicy ${d.metadata?.name}`);
      for (const i of arr(d.spec?.desiredState?.interfaces).filter(isObject)) {
        if (i.type === 'linux-bridge') need(NodeRequirementKind.KERNEL_MODULE, 'bridge', by);
        if (i.type === 'vlan') need(NodeRequirementKind.KERNEL_MODULE, '8021q', by);
        if (i.type === 'bond') need(NodeRequirementKind.KERNEL_MODULE, 'bonding', by);
        if (i.type === 'ovs-bridge') {
          need(NodeRequirementKind.DAEMON, 'Open vSwitch (ovsdb socket in /var/run/openvswitch)', by);
          need(NodeRequirementKind.KERNEL_MODULE, 'openvswitch', by);
        }
        if (i.type === 'vxlan') {
          need(NodeRequirementKind.KERNEL_MODULE, 'vxlan', by);
          const base = i.vxlan?.['base-iface'];
          if (typeof base === 'string') need(NodeRequirementKind.INTERFACE, `${base} (VXLAN underlay of ${i.name})`, by);
        }
      }
    }

    // network policies: the agent programs iptables in the pods' namespaces
    for (const d of objects) {
      if (d.kind !== 'MultiNetworkPolicy') continue;
      const on = String(d.metadata?.annotations?.['k8s.v1.cni.cncf.io/policy-for'] ?? '');
      need(NodeRequirementKind.KERNEL_MODULE, 'iptables and ip6tables (for the MultiNetworkPolicy agent)',
        `MultiNetworkPolicy ${d.metadata?.namespace ?? 'default'}/${d.metadata?.name} (nodes of the pods on ${on || 'its networks'})`);
    }

    // VMs: CPU pinning, hugepages, virtualization
    const kubevirt = objects.find(d => d.kind === 'KubeVirt' && String(d.apiVersion).startsWith('kubevirt.io/'));
    const emulation = kubevirt?.spec?.configuration?.developerConfiguration?.useEmulation === true;
    const kvmByNodes = new Map<string, { vms: number }>();
    for (const vm of vms) {
      const type = vm.instancetype ? instancetypes.get(vm.instancetype.kind === 'VirtualMachineInstancetype'
        ? `${vm.label.split(' ')[1].split('/')[0]}/${vm.instancetype.name}` : `cluster/${vm.instancetype.name}`) : undefined;
      const domain = obj(vm.spec.domain);
      const by = `${vm.label}${vm.replicas > 1 ? ` ×${vm.replicas}` : ''} (${vm.nodes})`;
      if (domain.cpu?.dedicatedCpuPlacement === true || type?.cpu?.dedicatedCPUPlacement === true) {
        need(NodeRequirementKind.KUBELET, 'CPU manager policy static (--cpu-manager-policy=static)', by);
      }
      const page = domain.memory?.hugepages?.pageSize ?? type?.memory?.hugepages?.pageSize;
      if (typeof page === 'string') {
        const d = need(NodeRequirementKind.HUGEPAGES, `hugepages-${page}`, by);
        const bytes = bytesOf(domain.memory?.guest ?? domain.resources?.requests?.memory ?? type?.memory?.guest);
        if (bytes === undefined) d.unknownBytes = true;
        else d.bytes = (d.bytes ?? 0n) + bytes * BigInt(vm.replicas);
      }
      for (const dev of [...arr(domain.devices?.gpus), ...arr(domain.devices?.hostDevices)]) {
        if (typeof dev?.deviceName === 'string') need(NodeRequirementKind.DEVICE, `${dev.deviceName} (device-plugin resource)`, by);
      }
      const group = kvmByNodes.get(vm.nodes) ?? { vms: 0 };
      group.vms += vm.replicas;
      kvmByNodes.set(vm.nodes, group);
    }
    for (const [nodes, group] of kvmByNodes) {
      need(NodeRequirementKind.DEVICE, emulation ? 'no /dev/kvm: KubeVirt emulates (useEmulation)' : '/dev/kvm (hardware virtualization)',
        `${group.vms} ${group.vms === 1 ? 'VM' : 'VMs'} (${nodes})`);
    }

    const kindOrder = Object.values(NodeRequirementKind) as string[];
    this.requirements = [...drafts.values()]
      .map(d => ({
        kind: d.kind,
        requirement: d.bytes === undefined ? d.requirement : `${d.requirement}: at least ${formatBytes(d.bytes)}${d.unknownBytes ? ' and more' : ''} reserved in all`,
        providedBy: d.providedBy,
        neededBy: [...d.neededBy].sort(byCodePoint),
      }))
      .sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || byCodePoint(a.requirement, b.requirement));
  }

  /**
   * The list as Markdown: one requirement per line (what, who provides it,
   * what needs it on which nodes), then the count.
   */
  public toMarkdown(): string {
    const lines = ['# What the nodes need', ''];
    for (const r of this.requirements) {
      const who = r.providedBy ?? 'the nodes must have it';
      lines.push(`- ${r.kind}: **${r.requirement}** (${who}); needed by ${r.neededBy.join(', ')}`);
    }
    const provided = this.requirements.filter(r => r.providedBy !== undefined).length;
    lines.push('', `${this.requirements.length} requirements, ${provided} of them installed by the platform or declared in nodeProvides`, '');
    return lines.join('\n');
  }

  /**
   * Writes `node-requirements.md` into `outdir` and returns its path.
   * @param outdir the directory
   * @default - the app's outdir, or `dist`
   */
  public writeFile(outdir?: string): string {
    Shape.optString(undefined, 'outdir', outdir);
    const dir = outdir ?? this.outdir ?? 'dist';
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'node-requirements.md');
    fs.writeFileSync(file, this.toMarkdown());
    return file;
  }
}
