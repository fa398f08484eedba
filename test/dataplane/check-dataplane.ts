/**
 * The data-plane pass: `npm run check:dataplane -- <dir of synthesized manifests>`.
 *
 * Builds the cluster's data path from real parts in network namespaces and
 * measures which VM interface reaches which, then compares that with the
 * matrix the library intends (model.ts). Run as root.
 *
 * - Nodes: two namespaces. Every NIC a NodeNetworkConfigurationPolicy or a
 *   macvlan NAD names is a veth end whose peer is a port of one switch per
 *   NIC name in an underlay namespace, so eth1 of every node is on one LAN,
 *   eth0 on another, and VXLANs and trunks really carry traffic. A NIC that
 *   carries a VXLAN gets a node address (a real node has one). Each node
 *   applies every policy with nmstate's own code (test/conformance/nmstate).
 * - VMs: each VM is placed on a node (every node carries every label the
 *   nodeSelectors ask for; each NAD is spread over both nodes where it has
 *   two VMs). A VM gets a pod namespace; each Multus interface runs the
 *   NAD's real CNI chain (Debian's containernetworking-plugins) with the
 *   libcni ADD semantics, the plugins running in the node namespace with
 *   the launcher pod's name and namespace in CNI_ARGS, as Multus passes them.
 * - IPAM: host-local (a store per node) and static as the NAD says; and
 *   whereabouts' own plugin (v0.9.4, built by test/cluster/build.sh) against
 *   a real kube-apiserver and etcd (`check-cluster --serve`, with
 *   whereabouts' CRDs), started beside the nodes, so pools and reservations
 *   are IPPool objects shared by all nodes (ipam.ts). The allocations are
 *   printed after the ADDs, each guest's address is checked against its
 *   pod's allocation, and after the probes the chains' DEL must free them
 *   all. Without those tools, host-local on the same range stands in (one
 *   store per pool shared by all nodes) and the output says so.
 * - KubeVirt's bridge binding, by KubeVirt v1.9.0's own code
 *   (kubevirt-pod.ts, `.cluster/bin/kubevirt-netpod` from the kubevirt
 *   cluster module): a launcher process in the pod namespace holds the pod's
 *   PID; virt-handler's NetConf.Setup (pkg/network/setup) runs against that
 *   PID, applying the binding's nmstate spec with KubeVirt's nmstate driver
 *   (the `k6t-` bridge, the CNI NIC renamed `<name>-nic` on it, the dummy that
 *   keeps the pod interface's name, MAC and addresses) and creating the tap
 *   with virt-chroot `create-tap`; then the launcher runs virt-launcher's
 *   phase 2, which starts KubeVirt's DHCP server on the bridge.
 * - The guest: a namespace whose `eth0` is a veth with the MAC KubeVirt gives
 *   the domain's NIC; the launcher opens KubeVirt's tap (TUNSETIFF) and pumps
 *   frames between it and the veth's peer. The guest's address is the one
 *   cloud-init network data plans for it (AddressPlan), else the lease
 *   Debian's dhclient takes from KubeVirt's DHCP server (a network without
 *   IPAM, where KubeVirt serves no DHCP, is not probed).
 * - Policies: the enforcer's own rules, from the rule tool the cluster
 *   tools build (`.cluster/bin/netpolicy-rules`), restored in each pod
 *   namespace; without the tool, no policy is in force and the output says so.
 * - Probes: ping and a TCP connect to one port, from every guest interface
 *   to every other VM's. Every guest has a host route to every other probed
 *   address on its interface, so what is measured is the L2 path plus the
 *   policies, whatever the IP plans.
 *
 * What this kernel lacks, and the stand-ins (printed with every run):
 * - no 802.1Q and no bridge VLAN filtering: the bridge plugin runs without
 *   `vlan`/`vlanTrunk`, and where the real bridge would filter VLANs
 *   (nmstate turns filtering on when a port has VLAN config; the bridge
 *   plugin when it creates the bridge for a VLAN NAD) an nftables bridge
 *   filter keeps each VLAN's frames on its ports; frames are untagged on the
 *   wire, so a frame from a trunk is placed in its VLAN by its source MAC
 *   (every guest's MAC and VLAN are known). A bridge that would not filter
 *   gets no filter: it forwards across VLANs, as the kernel does;
 * - no dummy driver: KubeVirt's nmstate driver runs with an adapter whose
 *   LinkAdd makes the dummy a veth end of the same name (the rest of
 *   NetConf.Setup is KubeVirt's; a kernel with the driver runs it unchanged);
 * - the control plane listens on this host's loopback: the whereabouts
 *   plugin enters the host network namespace to reach it (a node reaches
 *   its API server over its own network);
 * - SR-IOV and other plugins without a binary here are not attached (listed).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cniArgs, launcherPod, LauncherPod } from './apiserver';
import { WhereaboutsIpam } from './ipam';
import { cleanupKubevirtPods, dhcpLease, guestNic, KubevirtPod, NETPOD_TOOL, netpodProblems } from './kubevirt-pod';
import {
  buildModel, ClusterModel, Endpoint, intended, loadManifests, Nad, podInterfaceName, Probe, PROBE_PORT, segmentOf, Vm,
} from './model';
import { CNI_PATH, hostLocalFromWhereabouts, pluginEnv } from '../conformance/cni/cni-runner';
import { DesiredState, haveNmstate, HostSandbox, standInNames, usesUnsupported, verify, withoutUnsupported } from '../conformance/nmstate/nmstate-runner';

const NODE_COUNT = 2;
const TAG = `dp${process.pid % 100000}`;
const REPO = path.resolve(__dirname, '..', '..');
const RULE_TOOL = process.env.DATAPLANE_NETPOLICY_RULES ?? path.join(REPO, '.cluster', 'bin', 'netpolicy-rules');

const namespaces: string[] = [];
const children: ChildProcess[] = [];
const tmpDirs: string[] = [];
const notes: string[] = [];

function sh(cmd: string, args: string[], input?: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf-8', input, timeout: 60_000 });
  return { ok: !r.error && r.status === 0, out: r.stdout ?? '', err: (r.error?.message ?? r.stderr ?? '').trim() };
}

function must(cmd: string, args: string[], input?: string): string {
  const r = sh(cmd, args, input);
  if (!r.ok) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.err || r.out}`);
  return r.out;
}

function addNs(name: string): string {
  must('ip', ['netns', 'add', name]);
  namespaces.push(name);
  must('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

function cleanup(): void {
  cleanupKubevirtPods();
  whereabouts?.stop();
  for (const c of children.splice(0)) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const ns of namespaces.splice(0).reverse()) spawnSync('ip', ['netns', 'del', ns]);
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

function requireTools(): void {
  const problems: string[] = [];
  for (const [tool, args, pkg] of [
    ['ip', ['netns', 'list'], 'iproute2 (and run as root)'],
    ['nft', ['--version'], 'nftables'],
    ['iptables-restore', ['--version'], 'iptables'],
    ['nc', ['-h'], 'netcat-openbsd'],
    ['ping', ['-V'], 'iputils-ping'],
  ] as Array<[string, string[], string]>) {
    const r = spawnSync(tool, args, { encoding: 'utf-8', timeout: 5000 });
    if (r.error) problems.push(`'${tool}' is missing; install the Debian package ${pkg}`);
  }
  for (const plugin of ['bridge', 'macvlan', 'host-local', 'static']) {
    if (!fs.existsSync(path.join(CNI_PATH, plugin))) problems.push(`${path.join(CNI_PATH, plugin)} is missing; install containernetworking-plugins`);
  }
  problems.push(...netpodProblems());
  if (problems.length > 0) throw new Error(`the data-plane pass cannot run on this host:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------
// Nodes

interface BridgePort {
  /** VLANs the port carries (empty: none). */
  readonly vlans: Set<number>;
  readonly trunk: boolean;
}

interface Node {
  readonly index: number;
  readonly ns: string;
  /** Whether each bridge would filter VLANs on a real node. */
  readonly filtering: Map<string, boolean>;
  /** Bridge -> port -> VLAN membership. */
  readonly ports: Map<string, Map<string, BridgePort>>;
  /** host-local stores of this node (host-local is per node). */
  readonly hostLocalDirs: Map<string, string>;
}

function trunkVlans(vlan: any): Set<number> {
  const out = new Set<number>();
  if (vlan?.mode === 'access' && typeof vlan.tag === 'number') out.add(vlan.tag);
  if (vlan?.mode === 'trunk') {
    for (const t of vlan['trunk-tags'] ?? []) {
      if (typeof t.id === 'number') out.add(t.id);
      if (t['id-range']) for (let v = t['id-range'].min; v <= t['id-range'].max; v++) out.add(v);
    }
    // the native VLAN: the given tag, else the kernel's default PVID 1 stays on the port
    out.add(typeof vlan.tag === 'number' ? vlan.tag : 1);
  }
  return out;
}

function nicNames(model: ClusterModel): string[] {
  const names = new Set<string>();
  for (const p of model.nncps) for (const n of standInNames(p.spec?.desiredState ?? { interfaces: [] })) names.add(n);
  for (const nad of model.nads.values()) {
    for (const p of nad.conflist.plugins as any[]) {
      if ((p.type === 'macvlan' || p.type === 'ipvlan') && typeof p.master === 'string') names.add(p.master);
    }
  }
  return [...names].sort();
}

function vxlanBases(model: ClusterModel): Set<string> {
  const out = new Set<string>();
  for (const p of model.nncps) {
    for (const i of p.spec?.desiredState?.interfaces ?? []) if (i.type === 'vxlan' && i.vxlan?.['base-iface']) out.add(i.vxlan['base-iface']);
  }
  return out;
}

function buildNodes(model: ClusterModel): Node[] {
  const underlay = addNs(`${TAG}u`);
  const nics = nicNames(model);
  const bases = vxlanBases(model);
  const nodes: Node[] = [];
  for (let n = 0; n < NODE_COUNT; n++) {
    nodes.push({ index: n, ns: addNs(`${TAG}n${n}`), filtering: new Map(), ports: new Map(), hostLocalDirs: new Map() });
  }
  nics.forEach((nic, s) => {
    const sw = `sw${s}`;
    must('ip', ['-n', underlay, 'link', 'add', sw, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0']);
    must('ip', ['-n', underlay, 'link', 'set', sw, 'up']);
    for (const node of nodes) {
      const peer = `s${s}n${node.index}`;
      must('ip', ['-n', underlay, 'link', 'add', peer, 'mtu', '9000', 'type', 'veth', 'peer', 'name', nic, 'netns', node.ns, 'mtu', '9000']);
      must('ip', ['-n', underlay, 'link', 'set', peer, 'master', sw, 'up']);
      must('ip', ['-n', node.ns, 'link', 'set', nic, 'mtu', '1500', 'up']);
      if (bases.has(nic)) must('ip', ['-n', node.ns, 'addr', 'add', `192.0.2.${10 + node.index}/24`, 'dev', nic]);
    }
  });
  notes.push(`nodes: ${nodes.map(n => n.ns).join(', ')}; NICs ${nics.join(', ') || '(none)'} each on one switch shared by all nodes${bases.size ? `; node addresses 192.0.2.1x on ${[...bases].join(', ')} (VXLAN bases)` : ''}`);
  for (const node of nodes) {
    const sandbox = new HostSandbox([], node.ns);
    model.nncps.forEach(p => {
      const state: DesiredState = p.spec?.desiredState ?? { interfaces: [] };
      let applied = state;
      if (usesUnsupported(state)) {
        applied = withoutUnsupported(state);
        if (node.index === 0) notes.push(`nncp ${p.metadata.name}: applied without port VLAN config, VLAN and bond interfaces (this kernel has neither 802.1Q nor bridge VLAN filtering); VLAN filtering is emulated below`);
      }
      let err: string | undefined;
      if (haveNmstate()) {
        err = sandbox.prepareForKernelMode(applied) ?? sandbox.applyWithNmstate(applied);
      } else {
        err = sandbox.replay(applied);
        if (node.index === 0) notes.push(`nncp ${p.metadata.name}: the nmstate binary is not built, replayed with iproute2 (the test task builds it with cargo)`);
      }
      if (err !== undefined) throw new Error(`nncp ${p.metadata.name} on ${node.ns}: ${err}`);
      const problems = verify(applied, sandbox.links());
      if (problems.length > 0) throw new Error(`nncp ${p.metadata.name} on ${node.ns}: ${problems.join('; ')}`);
      for (const i of state.interfaces) {
        if (i.type !== 'linux-bridge') continue;
        const ports: any[] = i.bridge?.port ?? [];
        // nmstate 2.2 turns VLAN filtering on when some port has VLAN config
        // (ifaces/linux_bridge.rs vlan_filtering_is_enabled, nm/settings/bridge.rs)
        node.filtering.set(i.name, ports.some(x => x.vlan !== undefined && Object.keys(x.vlan).length > 0));
        const map = node.ports.get(i.name) ?? new Map<string, BridgePort>();
        for (const x of ports) map.set(x.name, { vlans: x.vlan ? trunkVlans(x.vlan) : new Set([1]), trunk: x.vlan?.mode !== 'access' });
        node.ports.set(i.name, map);
      }
    });
  }
  return nodes;
}

// ---------------------------------------------------------------------------
// VMs

interface Attached {
  readonly endpoint: Endpoint;
  readonly node: Node;
  readonly podNs: string;
  readonly guestNs: string;
  readonly guestMac: string;
  /** Bridge NADs: the bridge and the VLAN the port would carry. */
  readonly bridge?: { name: string; vlan: number; hostPort: string };
  readonly status: any;
}

function place(model: ClusterModel, nodes: Node[]): Map<Vm, Node> {
  const where = new Map<Vm, Node>();
  const seen = new Map<string, Set<number>>();
  for (const vm of model.vms) {
    const nads = vm.interfaces.map(i => i.nad).filter((n): n is string => n !== undefined);
    // a NAD seen only on the first node so far sends the VM to the second
    const spread = nads.some(n => seen.has(n) && !seen.get(n)!.has(1) && seen.get(n)!.has(0));
    const node = nodes[spread ? 1 : 0];
    where.set(vm, node);
    for (const n of nads) seen.set(n, new Set([...(seen.get(n) ?? []), node.index]));
  }
  return where;
}

function dataDir(key: string, store: Map<string, string>): string {
  let d = store.get(key);
  if (!d) {
    d = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-ipam-'));
    tmpDirs.push(d);
    store.set(key, d);
  }
  return d;
}

const clusterPools = new Map<string, string>();
/** whereabouts against the control plane, when the model uses it and the tools are built. */
let whereabouts: WhereaboutsIpam | undefined;

/** The chain to run here and what was rewritten, or a reason to skip. */
function prepareChain(nad: Nad, node: Node): { plugins?: any[]; vlan?: number; skip?: string; rewrites: string[] } {
  const rewrites: string[] = [];
  const plugins = JSON.parse(JSON.stringify(nad.conflist.plugins)) as any[];
  let vlan: number | undefined;
  for (const p of plugins) {
    if (!fs.existsSync(path.join(CNI_PATH, p.type))) return { skip: `no '${p.type}' plugin binary here`, rewrites };
    if (p.ipam?.type === 'whereabouts' && whereabouts) {
      p.ipam = whereabouts.config(p.ipam);
    } else if (p.ipam?.type === 'whereabouts') {
      const key = `${p.ipam.network_name ?? ''}|${p.ipam.range}`;
      p.ipam = { ...hostLocalFromWhereabouts(p.ipam, rewrites), dataDir: dataDir(key, clusterPools) };
    } else if (p.ipam?.type === 'host-local') {
      p.ipam = { ...p.ipam, dataDir: dataDir(nad.conflist.name, node.hostLocalDirs) };
    } else if (p.ipam?.type === 'dhcp') {
      return { skip: 'dhcp IPAM needs a DHCP server on the network', rewrites };
    }
    if (p.type === 'bridge' && (p.vlan !== undefined || p.vlanTrunk !== undefined)) {
      vlan = typeof p.vlan === 'number' ? p.vlan : undefined;
      if (p.vlanTrunk !== undefined) rewrites.push('bridge vlanTrunk dropped (no VLAN filtering here): the port carries no VLAN');
      delete p.vlan;
      delete p.vlanTrunk;
    }
  }
  return { plugins, vlan, rewrites };
}

function runPlugin(node: Node, command: string, conf: any, containerId: string, podNs: string, ifName: string, pod?: LauncherPod): any {
  const r = spawnSync('ip', ['netns', 'exec', node.ns, path.join(CNI_PATH, conf.type)], {
    input: JSON.stringify(conf),
    encoding: 'utf-8',
    timeout: 60_000,
    env: pluginEnv(command, containerId, podNs, ifName, { ...pod ? { CNI_ARGS: cniArgs(pod) } : {}, ...whereabouts?.env() }),
  });
  if (command === 'ADD' && pod) whereabouts?.record({ node: node.ns, conf, containerId, podNs, ifName, pod });
  if (r.error || r.status !== 0) throw new Error(`${conf.type} ${command} failed: ${(r.stdout || r.stderr || r.error?.message || '').trim()}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}

function linkInfo(ns: string, name: string): any {
  return JSON.parse(must('ip', ['-n', ns, '-j', 'addr', 'show', 'dev', name]))[0];
}

/** A Multus interface the NAD's CNI chain has plugged into the pod, before KubeVirt binds it. */
interface Plugged {
  readonly iface: Vm['interfaces'][number];
  readonly nad: Nad;
  readonly label: string;
  readonly origMac: string;
  readonly mtu: number;
  readonly ips: string[];
  readonly bridge?: Attached['bridge'];
  readonly status: any;
}

let dhcpGuests = 0;
let plannedGuests = 0;

async function attachVm(vm: Vm, node: Node, model: ClusterModel, k: number): Promise<{ attached: Attached[]; skipped: string[] }> {
  const podNs = addNs(`${TAG}p${k}`);
  const skipped: string[] = [];
  const plugged: Plugged[] = [];
  const containerId = crypto.createHash('sha256').update(`${vm.namespace}/${vm.name}`).digest('hex').slice(0, 32);
  for (const iface of vm.interfaces) {
    const label = `${vm.namespace}/${vm.name}:${iface.network}`;
    if (iface.nad === undefined) {
      skipped.push(`${label}: the pod network (${iface.binding}) is not a secondary network, not probed`);
      continue;
    }
    const nad = model.nads.get(iface.nad);
    if (!nad) {
      skipped.push(`${label}: NAD ${iface.nad} is not in the manifests`);
      continue;
    }
    if (iface.binding !== 'bridge') {
      skipped.push(`${label}: ${iface.binding} binding on ${nad.key}${iface.binding === 'sriov' ? ' (a VF passed to the guest, outside the pod namespace; no VF here)' : ' (not set up)'}`);
      continue;
    }
    const prepared = prepareChain(nad, node);
    if (prepared.skip) {
      skipped.push(`${label}: ${prepared.skip}`);
      continue;
    }
    const podIf = podInterfaceName(iface);
    const first = prepared.plugins![0];
    const bridgeExisted = first.type === 'bridge' && sh('ip', ['-n', node.ns, 'link', 'show', first.bridge ?? 'cni0']).ok;
    let result: any;
    for (const p of prepared.plugins!) {
      const conf = { ...p, cniVersion: nad.conflist.cniVersion, name: nad.conflist.name, ...(result ? { prevResult: result } : {}) };
      result = runPlugin(node, 'ADD', conf, containerId, podNs, podIf, launcherPod(vm.namespace, vm.name, containerId)) ?? result;
    }
    // what the pod interface looks like before KubeVirt touches it
    const before = linkInfo(podNs, podIf);
    const origMac: string = before.address;
    const ips: string[] = (before.addr_info ?? []).filter((a: any) => a.family === 'inet' && a.scope === 'global').map((a: any) => `${a.local}/${a.prefixlen}`);
    for (const r of prepared.rewrites) if (!notes.includes(`${nad.key}: ${r}`)) notes.push(`${nad.key}: ${r}`);

    let bridge: Attached['bridge'];
    if (first.type === 'bridge') {
      const brName = first.bridge ?? 'cni0';
      if (!bridgeExisted && !node.filtering.has(brName)) {
        // the bridge plugin creates a missing bridge with VLAN filtering when the NAD has a VLAN
        // (plugins/main/bridge/bridge.go ensureBridge), and keeps an existing one as it is
        node.filtering.set(brName, prepared.vlan !== undefined);
      }
      const hostPort = (result?.interfaces ?? []).find((x: any) => x.sandbox === undefined && x.name !== brName)?.name;
      bridge = { name: brName, vlan: prepared.vlan ?? 1, hostPort };
    }
    const status = {
      name: nad.key,
      interface: iface.multusDefault ? 'eth0' : podIf,
      ips: ips.map(ip => ip.split('/')[0]),
      mac: origMac,
      dns: {},
      ...(iface.multusDefault ? { default: true } : {}),
    };
    plugged.push({ iface, nad, label, origMac, mtu: before.mtu, ips, bridge, status });
  }
  if (plugged.length === 0) return { attached: [], skipped };
  return { attached: await bindWithKubevirt(vm, node, podNs, k, containerId, plugged, skipped), skipped };
}

/**
 * KubeVirt's own setup of the pod's interfaces (kubevirt-pod.ts): the
 * handler's NetConf.Setup, the launcher's DHCP servers and taps, and a guest
 * namespace behind each tap whose NIC takes its address from cloud-init
 * network data (AddressPlan) or else from KubeVirt's DHCP server.
 */
async function bindWithKubevirt(
  vm: Vm, node: Node, podNs: string, k: number, containerId: string, plugged: Plugged[], skipped: string[],
): Promise<Attached[]> {
  const uid = `${containerId.slice(0, 8)}-${containerId.slice(8, 12)}-${containerId.slice(12, 16)}-${containerId.slice(16, 20)}-${containerId.slice(20, 32)}`;
  const pod = await KubevirtPod.start(podNs, vm, uid, plugged.map(p => p.iface.network), plugged.map(p => p.status));
  const bound = pod.handler();
  for (const n of bound.notes) if (!notes.includes(n)) notes.push(n);
  const guests = new Map<string, string>();
  for (const p of plugged) {
    const guestNs = addNs(`${TAG}g${k}i${p.iface.index}`);
    guestNic(guestNs, p.mtu, (cmd, args) => must(cmd, args));
    guests.set(p.iface.network, guestNs);
  }
  const domain = await pod.phase2(guests);
  const out = await Promise.all(plugged.map(async (p): Promise<Attached | undefined> => {
    const guestNs = guests.get(p.iface.network)!;
    const nic = domain.find(d => d.network === p.iface.network);
    const kv = bound.interfaces.find(b => b.network === p.iface.network);
    if (!nic || !kv) throw new Error(`${p.label}: KubeVirt set up no tap for this interface`);
    must('ip', ['-n', guestNs, 'link', 'set', 'eth0', 'address', nic.mac]);
    must('ip', ['-n', guestNs, 'link', 'set', 'eth0', 'up']);
    let address: string | undefined;
    if (p.iface.plannedAddress) {
      // cloud-init's network data gives the NIC its address (AddressPlan)
      address = p.iface.plannedAddress;
      must('ip', ['-n', guestNs, 'addr', 'add', address, 'dev', 'eth0']);
      plannedGuests++;
    } else if (kv.dhcp) {
      address = await dhcpLease(guestNs);
      if (!address) throw new Error(`${p.label}: the guest got no DHCP lease from KubeVirt's DHCP server on ${kv.bridge} (it serves ${kv.dhcp.address} to ${kv.dhcp.mac})`);
      if (address !== kv.dhcp.address) throw new Error(`${p.label}: the guest leased ${address}, KubeVirt cached ${kv.dhcp.address} for it`);
      dhcpGuests++;
    } else {
      skipped.push(`${p.label}: no address (layer-2 only network without an AddressPlan; KubeVirt serves no DHCP there)`);
      return undefined;
    }
    const endpoint = { vm, iface: p.iface, nad: p.nad, address, label: p.label, node: node.ns };
    return { endpoint, node, podNs, guestNs, guestMac: nic.mac, bridge: p.bridge, status: p.status };
  }));
  return out.filter((a): a is Attached => a !== undefined);
}

/** nftables bridge filter standing in for VLAN filtering (see the file comment). */
function emulateVlanFiltering(nodes: Node[], attached: Attached[]): void {
  const macVlan = new Map<string, number>();
  for (const a of attached) if (a.bridge) macVlan.set(a.guestMac.toLowerCase(), a.bridge.vlan);
  for (const node of nodes) {
    const rules: string[] = [];
    for (const [bridge, filtering] of node.filtering) {
      if (!filtering) continue;
      const ports = new Map<string, BridgePort>(node.ports.get(bridge) ?? []);
      for (const a of attached) {
        if (a.node !== node || a.bridge?.name !== bridge || !a.bridge.hostPort) continue;
        ports.set(a.bridge.hostPort, { vlans: new Set([a.bridge.vlan]), trunk: false });
      }
      const list = [...ports.entries()];
      for (const [inName, inPort] of list) {
        for (const [outName, outPort] of list) {
          if (inName === outName) continue;
          if (!inPort.trunk) {
            const v = [...inPort.vlans][0];
            if (!outPort.vlans.has(v)) rules.push(`add rule bridge ${TAG} fw iifname "${inName}" oifname "${outName}" drop`);
          } else if (!outPort.trunk) {
            const v = [...outPort.vlans][0];
            const macs = [...macVlan.entries()].filter(([, vl]) => vl === v).map(([m]) => m);
            if (!inPort.vlans.has(v) || macs.length === 0) {
              rules.push(`add rule bridge ${TAG} fw iifname "${inName}" oifname "${outName}" drop`);
            } else {
              rules.push(`add rule bridge ${TAG} fw iifname "${inName}" oifname "${outName}" ether saddr != { ${macs.join(', ')} } drop`);
            }
          }
        }
      }
    }
    if (rules.length === 0) continue;
    const script = [`add table bridge ${TAG}`, `add chain bridge ${TAG} fw { type filter hook forward priority 0; policy accept; }`, ...rules].join('\n');
    must('ip', ['netns', 'exec', node.ns, 'nft', '-f', '-'], `${script}\n`);
  }
  const lines = nodes.map(n => `${n.ns}: ${[...n.filtering.entries()].map(([b, f]) => `${b} ${f ? 'filters VLANs' : 'does not filter VLANs'}`).join(', ') || '(no bridges)'}`);
  notes.push(`VLAN filtering as a real node would have it (emulated with nftables where on): ${lines.join('; ')}`);
}

// ---------------------------------------------------------------------------
// Policies

/** The enforcer's rules for one pod; one retry, since the enforcer's first sync can race its informers. */
function ruleText(dir: string, vm: string, statusFile: string): string {
  const args = ['--manifests', dir, '--pod', vm, '--network-status', statusFile];
  let r = sh(RULE_TOOL, args);
  if (!r.ok) r = sh(RULE_TOOL, args);
  if (!r.ok) {
    const tail = r.err.split('\n').filter(l => !/^[IW]\d{4} /.test(l)).slice(-6).join('\n  ');
    throw new Error(`the enforcer rule tool failed for ${vm}:\n  ${tail}`);
  }
  return r.out;
}

function applyPolicies(dir: string, attached: Attached[], model: ClusterModel): { applied: boolean; text: string } {
  if (!fs.existsSync(RULE_TOOL)) {
    return { applied: false, text: `policies: NOT APPLIED (no enforcer rule tool at ${path.relative(REPO, RULE_TOOL)}); the measured matrix has no MultiNetworkPolicy in force` };
  }
  // every pod's network-status, so that the enforcer resolves peers to their addresses
  const byVm = new Map<string, Attached[]>();
  for (const a of attached) {
    const key = `${a.endpoint.vm.namespace}/${a.endpoint.vm.name}`;
    byVm.set(key, [...(byVm.get(key) ?? []), a]);
  }
  const statusDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-status-'));
  tmpDirs.push(statusDir);
  const file = path.join(statusDir, 'network-status.json');
  fs.writeFileSync(file, JSON.stringify(Object.fromEntries([...byVm.entries()].map(([k, list]) => [k, list.map(a => a.status)]))));
  let withRules = 0;
  const summary: string[] = [];
  for (const [vm, list] of byVm) {
    const rules = ruleText(dir, vm, file);
    if (!rules.trim()) continue;
    must('ip', ['netns', 'exec', list[0].podNs, 'iptables-restore'], rules);
    const appended = rules.split('\n').filter(l => l.startsWith('-A '));
    const hooks = [...new Set(appended.map(l => /^-A (INPUT|OUTPUT) (-[io] \S+)/.exec(l)).filter(Boolean).map(m => `${m![1]} ${m![2]}`))];
    summary.push(`${vm}: ${appended.length} rules${hooks.length ? `, hooked at ${hooks.join(', ')}` : ''}`);
    if (process.env.DATAPLANE_SHOW_RULES) process.stdout.write(`rules for ${vm}:\n${rules}`);
    if (appended.length > 0) withRules++;
  }
  for (const line of summary) notes.push(`enforcer rules for ${line}`);
  const args = model.enforcerArgs ? ` (enforcer arguments from the platform: ${model.enforcerArgs.join(' ')})` : '';
  return { applied: true, text: `policies: applied with the enforcer's own rules (${path.relative(REPO, RULE_TOOL)}): rules for ${withRules} of ${byVm.size} pods${args}` };
}

// ---------------------------------------------------------------------------
// Probes

function runAsync(args: string[], timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const c = spawn('ip', args, { stdio: 'ignore' });
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.on('exit', code => {
      clearTimeout(timer);
      resolve(code === 0);
    });
    c.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function measure(attached: Attached[]): Promise<Map<string, { icmp: boolean; tcp: boolean } | 'clash'>> {
  const ipOf = (a: Attached) => a.endpoint.address.split('/')[0];
  const uses = new Map<string, number>();
  for (const a of attached) uses.set(ipOf(a), (uses.get(ipOf(a)) ?? 0) + 1);
  for (const a of attached) {
    const routes = attached.filter(b => b !== a && ipOf(b) !== ipOf(a) && uses.get(ipOf(b)) === 1).map(b => `route replace ${ipOf(b)}/32 dev eth0`);
    if (routes.length > 0) must('ip', ['-n', a.guestNs, '-batch', '-'], `${routes.join('\n')}\n`);
    const l = spawn('ip', ['netns', 'exec', a.guestNs, 'nc', '-lkn', String(PROBE_PORT)], { stdio: 'ignore' });
    children.push(l);
  }
  await new Promise(r => setTimeout(r, 300));
  const results = new Map<string, { icmp: boolean; tcp: boolean } | 'clash'>();
  const pairs: Array<[Attached, Attached]> = [];
  for (const a of attached) for (const b of attached) if (a.endpoint.vm !== b.endpoint.vm) pairs.push([a, b]);
  await pool(pairs, 24, async ([a, b]) => {
    const key = `${a.endpoint.label} -> ${b.endpoint.label}`;
    if (uses.get(ipOf(b))! > 1 || ipOf(a) === ipOf(b)) {
      results.set(key, 'clash');
      return;
    }
    const icmp = await runAsync(['netns', 'exec', a.guestNs, 'ping', '-n', '-q', '-c', '2', '-i', '0.2', '-W', '1', ipOf(b)], 5000);
    const tcp = await runAsync(['netns', 'exec', a.guestNs, 'nc', '-zn', '-w', '1', ipOf(b), String(PROBE_PORT)], 5000);
    results.set(key, { icmp, tcp });
  });
  return results;
}

// ---------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const dir = argv[0];
  if (!dir || !fs.existsSync(dir)) {
    process.stderr.write('usage: check-dataplane <dir of synthesized manifests>\n');
    return 2;
  }
  requireTools();
  const model = buildModel(loadManifests(dir));
  // the control plane starts while the nodes are built
  const wb = WhereaboutsIpam.start(model);
  whereabouts = wb.ipam;
  if (wb.note) notes.push(wb.note);
  const nodes = buildNodes(model);
  if (whereabouts) notes.push(await whereabouts.ready());
  const where = place(model, nodes);
  const skipped: string[] = [];
  const attached: Attached[] = [];
  const perVm = await Promise.all(model.vms.map((vm, k) => attachVm(vm, where.get(vm)!, model, k)));
  for (const r of perVm) {
    attached.push(...r.attached);
    skipped.push(...r.skipped);
  }
  if (attached.length > 0) {
    notes.push(`bridge binding: KubeVirt v1.9.0's own code (${path.relative(REPO, NETPOD_TOOL)}): virt-handler's NetConf.Setup against the pod's launcher PID, taps created by virt-chroot, virt-launcher's DHCP servers; each tap opened by the launcher (TUNSETIFF) and pumped to the guest's veth; guest addresses: ${dhcpGuests} by dhclient from KubeVirt's DHCP server, ${plannedGuests} from cloud-init network data (AddressPlan)`);
  }
  emulateVlanFiltering(nodes, attached);
  const policies = applyPolicies(dir, attached, model);
  const ipamCheck = whereabouts ? await whereabouts.check(attached) : undefined;

  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  for (const a of attached) process.stdout.write(`vm: ${a.endpoint.label} on ${a.node.ns}, ${a.endpoint.address} mac ${a.guestMac}, ${segmentOf(a.endpoint.nad, model, a.node.ns)}\n`);
  for (const s of skipped) process.stdout.write(`not probed: ${s}\n`);
  process.stdout.write(`${policies.text}\n`);
  if (ipamCheck) process.stdout.write(`${ipamCheck.line}\n`);

  if (process.env.DATAPLANE_HOLD) {
    process.stdout.write(`holding the namespaces for ${process.env.DATAPLANE_HOLD}s\n`);
    await new Promise(r => setTimeout(r, Number(process.env.DATAPLANE_HOLD) * 1000));
  }
  const measured = await measure(attached);
  const mismatches: string[] = [...ipamCheck?.problems ?? []];
  const released = whereabouts
    ? await whereabouts.release(c => runPlugin(nodes.find(n => n.ns === c.node)!, 'DEL', c.conf, c.containerId, c.podNs, c.ifName, c.pod))
    : undefined;
  let reachable = 0;
  let blocked = 0;
  let clashes = 0;
  for (const a of attached) {
    for (const b of attached) {
      if (a.endpoint.vm === b.endpoint.vm) continue;
      const key = `${a.endpoint.label} -> ${b.endpoint.label}`;
      const m = measured.get(key)!;
      if (m === 'clash') {
        clashes++;
        process.stdout.write(`${key} unmeasured (address ${b.endpoint.address} is not unique)\n`);
        mismatches.push(`MISMATCH ${key}: two interfaces got the same address, the pair cannot be measured`);
        continue;
      }
      const ok = m.icmp && m.tcp;
      if (ok) reachable++; else blocked++;
      const partial = m.icmp !== m.tcp
        ? ` (icmp ${m.icmp ? 'passes' : 'blocked'}, tcp/${PROBE_PORT} ${m.tcp ? 'passes' : 'blocked'})`
        : '';
      process.stdout.write(`${key} ${ok ? 'reachable' : 'blocked'}${partial}\n`);
      for (const probe of ['icmp', 'tcp'] as Probe[]) {
        const want = intended(a.endpoint, b.endpoint, probe, model);
        const got = m[probe];
        if (got !== want.reachable) {
          mismatches.push(`MISMATCH ${key} ${probe === 'tcp' ? `tcp/${PROBE_PORT}` : 'icmp'}: measured ${got ? 'reachable' : 'blocked'}, intended ${want.reachable ? 'reachable' : 'blocked'} (${want.why})`);
        }
      }
    }
  }
  process.stdout.write(`${reachable + blocked + clashes} pairs: ${reachable} reachable, ${blocked} blocked${clashes ? `, ${clashes} unmeasured` : ''}\n`);
  if (released) {
    process.stdout.write(`${released.line}\n`);
    mismatches.push(...released.problems);
  }
  for (const m of mismatches) process.stdout.write(`${m}\n`);
  if (!policies.applied && model.policies.length > 0) process.stdout.write(`${model.policies.length} MultiNetworkPolicies were not in force\n`);
  process.stdout.write(mismatches.length === 0 ? 'the data plane agrees with the intended matrix\n' : `${mismatches.length} mismatches\n`);
  return mismatches.length === 0 ? 0 : 1;
}

if (require.main === module) {
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  process.on('SIGTERM', () => {
    cleanup();
    process.exit(143);
  });
  main(process.argv.slice(2)).then(code => {
    cleanup();
    process.exit(code);
  }, (e: Error) => {
    cleanup();
    process.stderr.write(`check-dataplane: ${e.message}\n`);
    process.exit(2);
  });
}
