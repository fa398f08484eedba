/**
 * Applies the desired state of NodeNetworkConfigurationPolicy documents in
 * throwaway network namespaces and checks what the kernel made of it.
 *
 * The applier is nmstate itself (the `nmstate` Rust crate in kernel mode, no
 * NetworkManager: the small program in ./apply, built by the test task);
 * when that binary is missing, the interfaces are replayed with iproute2
 * (`replay()`). Either way the result is read back with `ip -j -d link` and
 * compared with the desired state (`verify()`).
 *
 * Interfaces a policy only names (bridge and bond ports, the base of a VLAN
 * or VXLAN) and NICs it describes as `ethernet` stand for the node's NICs:
 * each becomes a veth end in the namespace (the kernel here has no dummy
 * driver), the same stand-in the CNI runner uses for macvlan masters.
 *
 * nmstate's kernel mode (nmstate 2.2, its nispor backend) creates bridges,
 * bonds, VLANs and veths, enslaves ports, sets addresses and states, but
 * does not create VXLANs nor set MTUs or bridge options (NetworkManager does
 * those on real nodes). So `prepareForKernelMode()` first builds with iproute2
 * exactly what the desired state says of those: VXLANs, bridges with their
 * MTU, STP and VLAN filtering, NIC MTUs. nmstate then applies the whole
 * desired state and verifies all of it against the kernel, MTUs and VXLAN
 * settings included. IPv6 is off in the sandbox: nmstate's kernel mode reads
 * an interface's IPv6 as on as soon as the kernel gives it a link-local
 * address, which only NetworkManager prevents.
 *
 * This kernel has no 802.1Q, bonding or bridge VLAN filtering: a desired
 * state that needs them may fail only with the kernel's "not supported"
 * answer, and must then apply without them (`withoutUnsupported()`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where cargo puts the program: its own target dir, or CARGO_TARGET_DIR when set (CI keeps it between runs). */
export const APPLY_BINARY = path.resolve(process.env.CARGO_TARGET_DIR ?? path.join(__dirname, 'apply', 'target'), 'release', 'nmstate-apply');

export interface DesiredState {
  interfaces: any[];
}

/** Runs a command; returns status and output. */
function sh(cmd: string, args: string[], input?: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf-8', input, timeout: 120_000 });
  return { ok: !r.error && r.status === 0, out: r.stdout ?? '', err: (r.error?.message ?? r.stderr ?? '').trim() };
}

function must(cmd: string, args: string[]): string {
  const r = sh(cmd, args);
  if (!r.ok) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.err}`);
  return r.out;
}

/** Names the desired state refers to without creating them (ports, bases), plus the NICs it describes. */
export function standInNames(state: DesiredState): string[] {
  const created = new Set(state.interfaces.filter(i => i.type !== 'ethernet').map(i => i.name));
  const named = new Set<string>();
  for (const i of state.interfaces) {
    if (i.type === 'ethernet') named.add(i.name);
    for (const p of i.bridge?.port ?? []) named.add(p.name);
    for (const p of i['link-aggregation']?.port ?? []) named.add(p);
    if (i.vlan?.['base-iface']) named.add(i.vlan['base-iface']);
    if (i.vxlan?.['base-iface']) named.add(i.vxlan['base-iface']);
  }
  return [...named].filter(n => !created.has(n)).sort();
}

let counter = 0;

/** A throwaway network namespace with stand-in NICs. */
export class HostSandbox {
  public readonly ns: string;

  public constructor(standIns: string[], ns?: string) {
    this.ns = ns ?? `hostnet${process.pid}x${counter++}`;
    const owned = ns === undefined;
    try {
      if (owned) must('ip', ['netns', 'add', this.ns]);
      must('ip', ['-n', this.ns, 'link', 'set', 'lo', 'up']);
      for (const scope of ['all', 'default']) must('ip', ['netns', 'exec', this.ns, 'sysctl', '-qw', `net.ipv6.conf.${scope}.disable_ipv6=1`]);
      standIns.forEach((name, i) => {
        // the peer is large enough for any MTU a policy sets on the NIC
        must('ip', ['-n', this.ns, 'link', 'add', name, 'mtu', '9000', 'type', 'veth', 'peer', 'name', `hnpeer${i}`, 'mtu', '9000']);
        must('ip', ['-n', this.ns, 'link', 'set', `hnpeer${i}`, 'up']);
        must('ip', ['-n', this.ns, 'link', 'set', name, 'up']);
        // a NIC's MTU is set by the policy, if at all; start from the usual 1500
        must('ip', ['-n', this.ns, 'link', 'set', name, 'mtu', '1500']);
      });
    } catch (e) {
      if (owned) this.dispose();
      throw e;
    }
  }

  /**
   * Builds with iproute2 what nmstate's kernel mode does not (VXLANs,
   * bridges with MTU, STP and VLAN filtering, NIC MTUs), leaving ports,
   * states, VLANs and bonds to nmstate. Returns the error text or undefined.
   */
  public prepareForKernelMode(state: DesiredState): string | undefined {
    const own = state.interfaces.filter(i => ['ethernet', 'vxlan', 'linux-bridge'].includes(i.type));
    this.allowIpv6Underlays(state);
    try {
      for (const cmd of replayCommands({ interfaces: own })) {
        if (cmd[1] === 'set' && (cmd[3] === 'up' || cmd[3] === 'master')) continue; // nmstate does these (a bridge's MTU stays, set by hand)
        must('ip', ['-n', this.ns, ...cmd]);
      }
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** Applies with nmstate (kernel mode); returns the error text or undefined. */
  public applyWithNmstate(state: DesiredState): string | undefined {
    const r = sh('ip', ['netns', 'exec', this.ns, APPLY_BINARY, 'apply'], JSON.stringify(state));
    return r.ok ? undefined : r.err || 'nmstate-apply failed without a message';
  }

  /** Replays the interfaces with iproute2; returns the error text or undefined. */
  public replay(state: DesiredState): string | undefined {
    this.allowIpv6Underlays(state);
    try {
      for (const args of replayCommands(state)) must('ip', ['-n', this.ns, ...args]);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /**
   * IPv6 is off in the sandbox, but the kernel refuses an IPv6 VXLAN on a
   * base without it ("IPv6 support disabled by administrator"): turn it on
   * for the stand-in NICs that carry one.
   */
  private allowIpv6Underlays(state: DesiredState): void {
    for (const i of state.interfaces) {
      const base = i.vxlan?.['base-iface'];
      if (i.type !== 'vxlan' || base === undefined || !String(i.vxlan?.remote ?? '').includes(':')) continue;
      sh('ip', ['netns', 'exec', this.ns, 'sysctl', '-qw', `net.ipv6.conf.${base}.disable_ipv6=0`]);
    }
  }

  /** `ip -j -d link` of the namespace, by interface name. */
  public links(): Map<string, any> {
    const list = JSON.parse(must('ip', ['-n', this.ns, '-j', '-d', 'link', 'show']));
    return new Map(list.map((l: any) => [l.ifname, l]));
  }

  public dispose(): void {
    spawnSync('ip', ['netns', 'del', this.ns]);
  }
}

/** The iproute2 commands that build the desired state (lower interfaces first). */
export function replayCommands(state: DesiredState): string[][] {
  const cmds: string[][] = [];
  const mtu = (i: any) => (i.mtu !== undefined ? ['mtu', String(i.mtu)] : []);
  const order = ['ethernet', 'bond', 'vlan', 'vxlan', 'linux-bridge'];
  const sorted = [...state.interfaces].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  for (const i of sorted) {
    switch (i.type) {
      case 'ethernet':
        if (i.mtu !== undefined) cmds.push(['link', 'set', i.name, ...mtu(i)]);
        break;
      case 'bond':
        cmds.push(['link', 'add', i.name, ...mtu(i), 'type', 'bond', 'mode', i['link-aggregation'].mode]);
        for (const p of i['link-aggregation'].port) cmds.push(['link', 'set', p, 'down'], ['link', 'set', p, 'master', i.name]);
        break;
      case 'vlan':
        cmds.push(['link', 'add', 'link', i.vlan['base-iface'], 'name', i.name, ...mtu(i), 'type', 'vlan', 'id', String(i.vlan.id)]);
        break;
      case 'vxlan': {
        const v = i.vxlan;
        const multicast = /^(22[4-9]|23\d)\./.test(v.remote) || /^ff/i.test(v.remote);
        cmds.push(['link', 'add', i.name, ...mtu(i), 'type', 'vxlan', 'id', String(v.id), 'dev', v['base-iface'],
          multicast ? 'group' : 'remote', v.remote, ...(v.local ? ['local', v.local] : []), 'dstport', String(v['destination-port'] ?? 4789)]);
        break;
      }
      case 'linux-bridge': {
        const ports: any[] = i.bridge?.port ?? [];
        const filtering = ports.some(p => p.vlan !== undefined);
        cmds.push(['link', 'add', i.name, 'type', 'bridge', 'stp_state', i.bridge?.options?.stp?.enabled ? '1' : '0',
          ...(filtering ? ['vlan_filtering', '1'] : [])]);
        // An MTU given at creation is not "set by hand" for the kernel, which
        // then lowers or raises the bridge to its smallest port as ports join;
        // NetworkManager sets it after, and the bridge keeps it. A change away
        // from the new bridge's 1500 marks it set by hand here too.
        if (i.mtu !== undefined) {
          if (i.mtu === 1500) cmds.push(['link', 'set', i.name, 'mtu', '1499']);
          cmds.push(['link', 'set', i.name, ...mtu(i)]);
        }
        for (const p of ports) cmds.push(['link', 'set', p.name, 'master', i.name]);
        break;
      }
      default:
        throw new Error(`the replay does not know interface type '${i.type}'`);
    }
  }
  for (const i of sorted) cmds.push(['link', 'set', i.name, 'up']);
  return cmds;
}

/** Whether the state needs what this kernel lacks (802.1Q, bonding, bridge VLAN filtering). */
export function usesUnsupported(state: DesiredState): boolean {
  return state.interfaces.some(i => i.type === 'vlan' || i.type === 'bond' || (i.bridge?.port ?? []).some((p: any) => p.vlan !== undefined));
}

/** The kernel's answers for a missing feature. */
export const NOT_SUPPORTED = /not supported|unknown device type|operation not supported|EOPNOTSUPP/i;

/** The same state without VLAN and bond interfaces (and ports on them) and without port trunks. */
export function withoutUnsupported(state: DesiredState): DesiredState {
  const dropped = new Set(state.interfaces.filter(i => i.type === 'vlan' || i.type === 'bond').map(i => i.name));
  const copy = JSON.parse(JSON.stringify(state)) as DesiredState;
  copy.interfaces = copy.interfaces.filter(i => !dropped.has(i.name));
  for (const i of copy.interfaces) {
    if (i.bridge?.port) {
      i.bridge.port = i.bridge.port.filter((p: any) => !dropped.has(p.name));
      for (const p of i.bridge.port) delete p.vlan;
    }
  }
  return copy;
}

const KIND: Record<string, string> = { 'linux-bridge': 'bridge', 'vxlan': 'vxlan', 'vlan': 'vlan', 'bond': 'bond' };

/**
 * Compares `ip -j -d link` with the desired state: every interface exists,
 * is up, has its kind, MTU, VXLAN id / remote or group / port / base, and
 * every bridge port is enslaved to its bridge. Returns the differences.
 */
export function verify(state: DesiredState, links: Map<string, any>): string[] {
  const problems: string[] = [];
  for (const i of state.interfaces) {
    const l = links.get(i.name);
    if (!l) {
      problems.push(`${i.name}: missing`);
      continue;
    }
    if (!(l.flags ?? []).includes('UP')) problems.push(`${i.name}: not up`);
    if (i.mtu !== undefined && l.mtu !== i.mtu) problems.push(`${i.name}: mtu ${l.mtu}, wanted ${i.mtu}`);
    const kind = KIND[i.type];
    if (kind && l.linkinfo?.info_kind !== kind) problems.push(`${i.name}: kind ${l.linkinfo?.info_kind}, wanted ${kind}`);
    if (i.type === 'vxlan') {
      const d = l.linkinfo?.info_data ?? {};
      const v = i.vxlan;
      if (d.id !== v.id) problems.push(`${i.name}: VNI ${d.id}, wanted ${v.id}`);
      // iproute2 reports an IPv6 peer as remote6/group6
      const peer = d.remote ?? d.group ?? d.remote6 ?? d.group6;
      if (peer !== v.remote) problems.push(`${i.name}: remote/group ${peer}, wanted ${v.remote}`);
      if (d.port !== (v['destination-port'] ?? 4789)) problems.push(`${i.name}: port ${d.port}, wanted ${v['destination-port']}`);
      if (d.link !== v['base-iface']) problems.push(`${i.name}: base ${d.link}, wanted ${v['base-iface']}`);
    }
    if (i.type === 'linux-bridge') {
      const stp = l.linkinfo?.info_data?.stp_state;
      if (stp !== (i.bridge?.options?.stp?.enabled ? 1 : 0)) problems.push(`${i.name}: stp_state ${stp}`);
      for (const p of i.bridge?.port ?? []) {
        if (links.get(p.name)?.master !== i.name) problems.push(`${p.name}: not a port of ${i.name} (master ${links.get(p.name)?.master})`);
      }
    }
  }
  return problems;
}

/** Whether the nmstate binary is there (built by the test task). */
export function haveNmstate(): boolean {
  return fs.existsSync(APPLY_BINARY);
}

/** Only parses with nmstate's own types (unknown fields and wrong types are refused); returns the error or undefined. */
export function parseWithNmstate(state: unknown): string | undefined {
  const r = sh(APPLY_BINARY, ['parse'], JSON.stringify(state));
  return r.ok ? undefined : r.err;
}
