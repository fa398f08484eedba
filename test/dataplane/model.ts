/**
 * What the data-plane pass reads from a directory of synthesized manifests:
 * the host networks (NodeNetworkConfigurationPolicies), the networks
 * (NetworkAttachmentDefinitions), the VMs and their interfaces, the
 * namespaces and the MultiNetworkPolicies; and the matrix the library
 * intends: two VM interfaces reach each other when they are on the same L2
 * segment and every policy in force lets the probe through.
 *
 * The policy semantics here are the MultiNetworkPolicy API's (the
 * NetworkPolicy semantics, per network): they build the intended matrix
 * only. What a cluster enforces is measured, with the enforcer's own rules.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { parseCidr, parseIp } from '../../src/validation';

/** The TCP port every guest listens on. */
export const PROBE_PORT = 7777;

export interface Manifests {
  readonly docs: any[];
}

/** Every YAML document in the directory's *.yaml / *.yml files, in file order. */
export function loadManifests(dir: string): Manifests {
  const files = fs.readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no YAML files in ${dir}`);
  const docs: any[] = [];
  for (const f of files) {
    for (const d of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf-8'))) {
      const js = d.toJS();
      if (js && typeof js === 'object' && js.kind) docs.push(js);
    }
  }
  return { docs };
}

export interface Nad {
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name` */
  readonly key: string;
  readonly conflist: any;
}

export interface VmInterface {
  /** The VMI network name (`spec.networks[].name`). */
  readonly network: string;
  /** `namespace/name` of the NAD, for Multus networks. */
  readonly nad?: string;
  /** Whether it is the Multus default network (the pod's eth0). */
  readonly multusDefault: boolean;
  /** The binding (`bridge`, `masquerade`, `sriov`, ...). */
  readonly binding: string;
  readonly macAddress?: string;
  /** The address cloud-init network data gives this interface (AddressPlan), as CIDR. */
  readonly plannedAddress?: string;
  /** Position in `spec.domain.devices.interfaces`. */
  readonly index: number;
}

export interface Vm {
  readonly namespace: string;
  readonly name: string;
  readonly podLabels: { [key: string]: string };
  readonly nodeSelector: { [key: string]: string };
  readonly interfaces: VmInterface[];
  /** The template's VMI spec, which KubeVirt's own network code reads. */
  readonly spec?: any;
}

export interface Policy {
  readonly namespace: string;
  readonly name: string;
  /** NAD keys from `k8s.v1.cni.cncf.io/policy-for`. */
  readonly networks: string[];
  readonly spec: any;
}

export interface ClusterModel {
  readonly nads: Map<string, Nad>;
  readonly nncps: any[];
  readonly vms: Vm[];
  readonly namespaces: Map<string, { [key: string]: string }>;
  readonly policies: Policy[];
  readonly secrets: Map<string, any>;
  /** The arguments the platform passes to multi-networkpolicy-iptables, when it deploys it. */
  readonly enforcerArgs?: string[];
}

function decodeSecretValue(secret: any, key: string): string | undefined {
  if (secret?.stringData?.[key] !== undefined) return String(secret.stringData[key]);
  if (secret?.data?.[key] !== undefined) return Buffer.from(String(secret.data[key]), 'base64').toString('utf-8');
  return undefined;
}

/** The addresses cloud-init network data (v1 or v2) gives an interface, matched by MAC or by name. */
export function plannedAddressFrom(networkData: string, mac: string | undefined, name: string): string | undefined {
  let data: any;
  try {
    data = YAML.parse(networkData);
  } catch {
    return undefined;
  }
  data = data?.network ?? data;
  if (data?.version === 2) {
    for (const [id, eth] of Object.entries<any>(data.ethernets ?? {})) {
      const byMac = mac && String(eth?.match?.macaddress ?? '').toLowerCase() === mac.toLowerCase();
      if (byMac || (eth?.match === undefined && id === name)) {
        const a = (eth.addresses ?? []).find((x: string) => !String(x).includes(':'));
        if (a) return String(a);
      }
    }
  }
  if (data?.version === 1) {
    for (const c of data.config ?? []) {
      if (c.type !== 'physical') continue;
      if ((mac && String(c.mac_address ?? '').toLowerCase() === mac.toLowerCase()) || c.name === name) {
        const s = (c.subnets ?? []).find((x: any) => x.type === 'static' && x.address && !String(x.address).includes(':'));
        if (s) return s.address.includes('/') ? s.address : `${s.address}/${s.netmask ? maskToPrefix(s.netmask) : 32}`;
      }
    }
  }
  return undefined;
}

function maskToPrefix(mask: string): number {
  return mask.split('.').reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0);
}

function vmTemplates(doc: any): Array<{ name: string; namespace: string; template: any }> {
  const ns = doc.metadata?.namespace ?? 'default';
  if (doc.kind === 'VirtualMachine') return [{ name: doc.metadata.name, namespace: ns, template: doc.spec?.template }];
  if (doc.kind === 'VirtualMachinePool') {
    // a pool's VMs are named <pool>-<ordinal>
    const replicas = typeof doc.spec?.replicas === 'number' ? doc.spec.replicas : 1;
    const tpl = doc.spec?.virtualMachineTemplate?.spec?.template;
    return Array.from({ length: replicas }, (_, i) => ({ name: `${doc.metadata.name}-${i}`, namespace: ns, template: tpl }));
  }
  return [];
}

function nadKey(ref: string, namespace: string): string {
  return ref.includes('/') ? ref : `${namespace}/${ref}`;
}

export function buildModel(m: Manifests): ClusterModel {
  const nads = new Map<string, Nad>();
  const namespaces = new Map<string, { [key: string]: string }>();
  const secrets = new Map<string, any>();
  const nncps: any[] = [];
  const policies: Policy[] = [];
  let enforcerArgs: string[] | undefined;
  for (const d of m.docs) {
    const ns = d.metadata?.namespace ?? 'default';
    switch (d.kind) {
      case 'NetworkAttachmentDefinition': {
        const raw = JSON.parse(d.spec?.config ?? '{}');
        // a single-plugin config is a conflist of one
        const conflist = raw.plugins ? raw : { cniVersion: raw.cniVersion, name: raw.name, plugins: [raw] };
        nads.set(`${ns}/${d.metadata.name}`, { namespace: ns, name: d.metadata.name, key: `${ns}/${d.metadata.name}`, conflist });
        break;
      }
      case 'Namespace':
        namespaces.set(d.metadata.name, { ...(d.metadata.labels ?? {}), 'kubernetes.io/metadata.name': d.metadata.name });
        break;
      case 'Secret':
        secrets.set(`${ns}/${d.metadata.name}`, d);
        break;
      case 'DaemonSet':
        for (const c of d.spec?.template?.spec?.containers ?? []) {
          if (String(c.image ?? '').includes('multi-networkpolicy')) enforcerArgs = [...(c.command ?? []), ...(c.args ?? [])].map(String);
        }
        break;
      case 'NodeNetworkConfigurationPolicy':
        nncps.push(d);
        break;
      case 'MultiNetworkPolicy': {
        const forAnn = String(d.metadata?.annotations?.['k8s.v1.cni.cncf.io/policy-for'] ?? '');
        const networks = forAnn.split(',').map(s => s.trim()).filter(Boolean).map(s => nadKey(s, ns));
        policies.push({ namespace: ns, name: d.metadata.name, networks, spec: d.spec ?? {} });
        break;
      }
      default:
        break;
    }
  }
  const vms: Vm[] = [];
  for (const d of m.docs) {
    for (const { name, namespace, template } of vmTemplates(d)) {
      if (!namespaces.has(namespace)) namespaces.set(namespace, { 'kubernetes.io/metadata.name': namespace });
      const spec = template?.spec ?? {};
      const networks: any[] = spec.networks ?? [];
      const ifaces: any[] = spec.domain?.devices?.interfaces ?? [];
      const cloudInit = (spec.volumes ?? []).find((v: any) => v.cloudInitNoCloud || v.cloudInitConfigDrive);
      const ci = cloudInit?.cloudInitNoCloud ?? cloudInit?.cloudInitConfigDrive;
      let networkData: string | undefined = ci?.networkData;
      if (networkData === undefined && ci?.networkDataBase64) networkData = Buffer.from(ci.networkDataBase64, 'base64').toString('utf-8');
      if (networkData === undefined && ci?.networkDataSecretRef?.name) {
        const s = secrets.get(`${namespace}/${ci.networkDataSecretRef.name}`);
        networkData = decodeSecretValue(s, 'networkdata') ?? decodeSecretValue(s, 'networkData');
      }
      const interfaces: VmInterface[] = ifaces.map((i, index) => {
        const net = networks.find(n => n.name === i.name) ?? {};
        const binding = ['bridge', 'masquerade', 'sriov', 'passt', 'slirp', 'macvtap'].find(b => i[b] !== undefined)
          ?? (i.binding?.name ? `plugin:${i.binding.name}` : 'unknown');
        return {
          network: i.name,
          nad: net.multus?.networkName ? nadKey(net.multus.networkName, namespace) : undefined,
          multusDefault: net.multus?.default === true,
          binding,
          macAddress: i.macAddress,
          plannedAddress: networkData ? plannedAddressFrom(networkData, i.macAddress, i.name) : undefined,
          index,
        };
      });
      vms.push({
        namespace,
        name,
        // virt-launcher pods carry the template's labels plus KubeVirt's own
        podLabels: { ...(template?.metadata?.labels ?? {}), 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': name },
        nodeSelector: spec.nodeSelector ?? {},
        interfaces,
        spec,
      });
    }
  }
  return { nads, nncps, vms, namespaces, policies, secrets, enforcerArgs };
}

/**
 * The pod interface name KubeVirt v1.9.0 gives a network: `eth0` for the
 * Multus default network, else `pod` + the first 11 hex digits of the
 * SHA-256 of the VMI network name (pkg/network/namescheme/networknamescheme.go).
 */
export function podInterfaceName(iface: VmInterface): string {
  if (iface.multusDefault) return 'eth0';
  return `pod${crypto.createHash('sha256').update(iface.network).digest('hex').slice(0, 11)}`;
}

// ---------------------------------------------------------------------------
// The intended matrix

/**
 * The L2 segment the library intends a NAD to join: a bridge NAD joins
 * `<bridge>` on its VLAN (no VLAN and VLAN-less are one), a macvlan NAD
 * the LAN of its master, anything else only itself.
 */
export function segmentOf(nad: Nad, model?: ClusterModel, node?: string): string {
  const main = (nad.conflist.plugins as any[])[0] ?? {};
  if (main.type === 'bridge') {
    const bridge = main.bridge ?? 'cni0';
    // a bridge with no port to the outside joins only the VMs of its node
    const local = model !== undefined && !uplinkBridges(model).has(bridge) ? ` on ${node ?? 'its node'} (no uplink)` : '';
    return `bridge ${bridge} vlan ${main.vlan ?? 'none'}${local}`;
  }
  if (main.type === 'macvlan') return `lan of ${main.master ?? '(default route interface)'}`;
  return `network ${nad.key}`;
}

/** Bridges some NodeNetworkConfigurationPolicy gives a port (an uplink to the other nodes). */
export function uplinkBridges(model: ClusterModel): Set<string> {
  const out = new Set<string>();
  for (const p of model.nncps) {
    for (const i of p.spec?.desiredState?.interfaces ?? []) {
      if (i.type === 'linux-bridge' && (i.bridge?.port ?? []).length > 0) out.add(i.name);
    }
  }
  return out;
}

export interface Endpoint {
  readonly vm: Vm;
  readonly iface: VmInterface;
  readonly nad: Nad;
  /** Guest address, CIDR. */
  readonly address: string;
  /** `ns/vm:network` */
  readonly label: string;
  /** The node the VM runs on. */
  readonly node: string;
}

export type Probe = 'icmp' | 'tcp';

function matchLabels(selector: any, labels: { [key: string]: string }): boolean {
  if (selector === undefined || selector === null) return true;
  for (const [k, v] of Object.entries<any>(selector.matchLabels ?? {})) {
    if (labels[k] !== String(v)) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function ipInCidr(ip: string, cidr: string): boolean {
  const a = parseIp(ip);
  const c = parseCidr(cidr);
  return a !== undefined && c !== undefined && a.version === c.version && a.value >= c.first && a.value <= c.last;
}

function peerMatches(peer: any, policyNs: string, other: Endpoint, model: ClusterModel): boolean {
  if (peer.ipBlock) {
    const ip = other.address.split('/')[0];
    if (!ipInCidr(ip, peer.ipBlock.cidr)) return false;
    return !(peer.ipBlock.except ?? []).some((e: string) => ipInCidr(ip, e));
  }
  const nsLabels = model.namespaces.get(other.vm.namespace) ?? {};
  if (peer.namespaceSelector !== undefined) {
    if (!matchLabels(peer.namespaceSelector, nsLabels)) return false;
  } else if (other.vm.namespace !== policyNs) {
    return false;
  }
  return matchLabels(peer.podSelector ?? {}, other.vm.podLabels);
}

function portsMatch(ports: any[] | undefined, probe: Probe): boolean {
  if (ports === undefined || ports.length === 0) return true;
  if (probe === 'icmp') return false;
  return ports.some(p => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port !== 'number') return false; // a named port: VMs expose none
    const end = typeof p.endPort === 'number' ? p.endPort : p.port;
    return PROBE_PORT >= p.port && PROBE_PORT <= end;
  });
}

/** Whether the policies in force on `self` let the probe in (direction ingress) or out (egress). */
function policiesAllow(direction: 'ingress' | 'egress', self: Endpoint, other: Endpoint, probe: Probe, model: ClusterModel): { allowed: boolean; by: string[] } {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const selecting = model.policies.filter(p => p.namespace === self.vm.namespace
    && p.networks.includes(self.nad.key)
    && matchLabels(p.spec.podSelector ?? {}, self.vm.podLabels)
    && ((p.spec.policyTypes as string[] | undefined) ?? (direction === 'ingress' ? ['Ingress'] : (p.spec.egress ? ['Egress'] : []))).includes(type));
  if (selecting.length === 0) return { allowed: true, by: [] };
  const allowed = selecting.some(p => ((p.spec[direction] ?? []) as any[]).some(rule => {
    const peers: any[] | undefined = direction === 'ingress' ? rule.from : rule.to;
    const peerOk = peers === undefined || peers.length === 0 || peers.some(peer => peerMatches(peer, p.namespace, other, model));
    return peerOk && portsMatch(rule.ports, probe);
  }));
  return { allowed, by: selecting.map(p => `${p.namespace}/${p.name}`) };
}

export interface Intent {
  readonly reachable: boolean;
  readonly why: string;
}

/** What the library intends for one probe from `src` to `dst`. */
export function intended(src: Endpoint, dst: Endpoint, probe: Probe, model: ClusterModel): Intent {
  const a = segmentOf(src.nad, model, src.node);
  const b = segmentOf(dst.nad, model, dst.node);
  if (a !== b) return { reachable: false, why: `different segments (${a} / ${b})` };
  const egress = policiesAllow('egress', src, dst, probe, model);
  if (!egress.allowed) return { reachable: false, why: `egress denied by ${egress.by.join(', ')}` };
  const ingress = policiesAllow('ingress', dst, src, probe, model);
  if (!ingress.allowed) return { reachable: false, why: `ingress denied by ${ingress.by.join(', ')}` };
  return { reachable: true, why: `same segment (${a})` };
}
