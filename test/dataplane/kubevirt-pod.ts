/**
 * KubeVirt v1.9.0's own pod-network code for the data-plane pass, through
 * `.cluster/bin/kubevirt-netpod` (test/cluster/kubevirt/cmd/kubevirt-netpod,
 * built by `test/cluster/build.sh kubevirt` with virt-chroot beside it):
 *
 * - the launcher, in the pod's network namespace, holds the pod's PID and
 *   its /var/run/kubevirt-private (a directory of its own), and after the
 *   handler runs virt-launcher's phase 2: KubeVirt's DHCP server on each
 *   bridge binding's `k6t-` bridge, then it attaches to each tap as the
 *   hypervisor does (TUNSETIFF) and pumps frames to a veth end in the guest
 *   namespace, whose peer `eth0` is the guest's NIC;
 * - the handler runs virt-handler's NetConf.Setup against that PID: the
 *   binding's nmstate spec applied by KubeVirt's nmstate driver, the tap
 *   created by virt-chroot, the DHCP config cached for the launcher;
 * - the guest takes its address with Debian's dhclient from that DHCP server.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { Vm } from './model';

const REPO = path.resolve(__dirname, '..', '..');
export const NETPOD_TOOL = process.env.DATAPLANE_KUBEVIRT_NETPOD ?? path.join(REPO, '.cluster', 'bin', 'kubevirt-netpod');
const DHCLIENT_SCRIPT = '/sbin/dhclient-script';

/** What the handler reports per network: KubeVirt's names and the DHCP config it cached. */
export interface BoundInterface {
  readonly network: string;
  readonly podInterface: string;
  readonly bridge: string;
  readonly tap: string;
  readonly dhcp?: { address: string; mac: string; gateway?: string };
}

/** What the launcher reports per domain interface: the NIC's MAC and MTU and its tap. */
export interface DomainInterface {
  readonly network: string;
  readonly mac: string;
  readonly mtu: string;
  readonly tap: string;
}

const launchers: ChildProcess[] = [];
const dhclientPidFiles: string[] = [];
const scratch: string[] = [];

/** What is missing on this host for KubeVirt's pod-network code and the guests' DHCP client (empty: nothing). */
export function netpodProblems(): string[] {
  const problems: string[] = [];
  if (!fs.existsSync(NETPOD_TOOL)) problems.push(`${path.relative(REPO, NETPOD_TOOL)} is missing; build it with test/cluster/build.sh kubevirt`);
  else if (!fs.existsSync(path.join(path.dirname(NETPOD_TOOL), 'virt-chroot'))) problems.push(`virt-chroot is missing beside ${path.relative(REPO, NETPOD_TOOL)}; build it with test/cluster/build.sh kubevirt`);
  if (spawnSync('unshare', ['--version']).error) problems.push("'unshare' is missing; install the Debian package util-linux");
  if (!fs.existsSync(DHCLIENT_SCRIPT) || spawnSync('dhclient', ['--version']).error) problems.push("'dhclient' is missing; install the Debian package isc-dhcp-client");
  return problems;
}

function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(d);
  return d;
}

/** A VM's pod as KubeVirt sets it up: the launcher process and the handler's run. */
export class KubevirtPod {
  /**
   * Starts the launcher in the pod namespace; resolves once it holds the
   * pod's PID. `networkStatus` is the pod's Multus network-status list, from
   * which KubeVirt fills the VMI's interface statuses as virt-controller does.
   */
  static async start(podNs: string, vm: Vm, uid: string, networks: string[], networkStatus: any[]): Promise<KubevirtPod> {
    const dir = tmp('dataplane-pod-');
    const vmiFile = path.join(dir, 'vmi.json');
    const statusFile = path.join(dir, 'network-status.json');
    fs.writeFileSync(statusFile, JSON.stringify(networkStatus));
    const virtDir = path.join(dir, 'kubevirt-private');
    fs.mkdirSync(virtDir, { mode: 0o700 });
    const vmi = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: vm.name, namespace: vm.namespace, uid }, spec: vm.spec ?? {} };
    fs.writeFileSync(vmiFile, JSON.stringify(vmi));
    const common = ['--vmi', vmiFile, '--virt-private-dir', virtDir, '--networks', networks.join(','), '--network-status', statusFile];
    const child = spawn('ip', ['netns', 'exec', podNs, 'unshare', '--uts', NETPOD_TOOL, 'launcher', ...common, '--hostname', vm.name], { stdio: ['pipe', 'pipe', 'pipe'] });
    launchers.push(child);
    const pod = new KubevirtPod(child, common, `${vm.namespace}/${vm.name}`);
    const ready = await pod.line();
    const m = /^ready (\d+)$/.exec(ready);
    if (!m) throw new Error(`the launcher of ${pod.label} did not start: ${ready}${pod.stderrTail()}`);
    pod.pid = Number(m[1]);
    return pod;
  }

  private pid = 0;
  private readonly lines: string[] = [];
  private readonly waiters: Array<(l: string) => void> = [];
  private stderr = '';
  private exited?: string;

  private constructor(
    private readonly child: ChildProcess,
    /** The arguments both roles take: the VMI, the pod's cache directory, the networks, the network-status. */
    private readonly common: string[],
    readonly label: string,
  ) {
    readline.createInterface({ input: child.stdout! }).on('line', l => this.push(l));
    child.stderr!.on('data', d => {
      this.stderr = (this.stderr + String(d)).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = `exited (${signal ?? code})`;
      this.push(`launcher ${this.exited}`);
    });
  }

  private push(l: string): void {
    const w = this.waiters.shift();
    if (w) w(l); else this.lines.push(l);
  }

  private line(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.exited) return Promise.resolve(`launcher ${this.exited}`);
    return new Promise(resolve => this.waiters.push(resolve));
  }

  private stderrTail(): string {
    const lines = this.stderr.split('\n').filter(Boolean).slice(-4);
    return lines.length ? `\n  ${lines.join('\n  ')}` : '';
  }

  /** virt-handler's NetConf.Setup against the launcher's PID. */
  handler(): { notes: string[]; interfaces: BoundInterface[] } {
    const binDir = path.dirname(NETPOD_TOOL);
    const r = spawnSync('unshare', ['-m', NETPOD_TOOL, 'handler', ...this.common, '--pid', String(this.pid)], {
      encoding: 'utf-8',
      timeout: 60_000,
      env: { PATH: `${binDir}:${process.env.PATH}` },
    });
    if (r.error || r.status !== 0) {
      const err = (r.stderr ?? '').split('\n').filter(Boolean).slice(-4).join('\n  ');
      throw new Error(`KubeVirt's pod network setup failed for ${this.label}:\n  ${err || r.error?.message}`);
    }
    return JSON.parse(r.stdout);
  }

  /**
   * virt-launcher's phase 2 (DHCP servers), then the taps attached and pumped
   * to the guests: network -> guest namespace (with `eth0` and its peer `vmm`).
   */
  async phase2(guests: Map<string, string>): Promise<DomainInterface[]> {
    const spec = [...guests.entries()].map(([net, ns]) => `${net}=/var/run/netns/${ns},vmm,eth0`).join(' ');
    this.child.stdin!.write(`phase2 ${spec}\n`);
    const out: DomainInterface[] = [];
    for (;;) {
      const l = await this.line();
      if (l === 'running') return out;
      if (!l.startsWith('{')) throw new Error(`virt-launcher's network phase 2 failed for ${this.label}: ${l}${this.stderrTail()}`);
      out.push(JSON.parse(l));
    }
  }
}

/** The guest's NIC: `eth0` in the guest namespace, its peer `vmm` (the tap pump's end) beside it. */
export function guestNic(guestNs: string, mtu: number, run: (cmd: string, args: string[]) => void): void {
  run('ip', ['-n', guestNs, 'link', 'add', 'eth0', 'mtu', String(mtu), 'type', 'veth', 'peer', 'name', 'vmm', 'mtu', String(mtu)]);
  // the pump's end carries frames only: no IPv6, and no ARP answers for the guest's addresses
  run('ip', ['netns', 'exec', guestNs, 'sysctl', '-qw', 'net.ipv6.conf.vmm.disable_ipv6=1', 'net.ipv4.conf.vmm.arp_ignore=8']);
  run('ip', ['-n', guestNs, 'link', 'set', 'vmm', 'up']);
}

/**
 * The guest's DHCP client: Debian's dhclient with its own script, in the
 * guest namespace (and a UTS namespace of its own, since the script may set
 * the host name; `ip netns exec` gives it /etc/netns/<ns>/resolv.conf).
 * Resolves to the IPv4 address it configured on eth0, or undefined.
 */
export async function dhcpLease(guestNs: string): Promise<string | undefined> {
  const dir = tmp('dataplane-dhclient-');
  const etc = path.join('/etc/netns', guestNs);
  fs.mkdirSync(etc, { recursive: true });
  scratch.push(etc);
  fs.writeFileSync(path.join(etc, 'resolv.conf'), '');
  const conf = path.join(dir, 'dhclient.conf');
  fs.writeFileSync(conf, 'timeout 20;\nretry 1;\ninitial-interval 1;\n');
  const pidFile = path.join(dir, 'dhclient.pid');
  const args = ['netns', 'exec', guestNs, 'unshare', '--uts', 'dhclient', '-1', '-4', '-cf', conf, '-lf', path.join(dir, 'leases'), '-pf', pidFile, '-sf', DHCLIENT_SCRIPT, 'eth0'];
  const ok = await new Promise<boolean>(resolve => {
    const c = spawn('ip', args, { stdio: 'ignore' });
    const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
    c.on('exit', code => {
      clearTimeout(timer);
      resolve(code === 0);
    });
    c.on('error', () => resolve(false));
  });
  if (!ok) return undefined;
  // with a lease, dhclient went to the background: stopped at cleanup
  dhclientPidFiles.push(pidFile);
  const info = JSON.parse(spawnSync('ip', ['-n', guestNs, '-j', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf-8' }).stdout)[0];
  const a = (info?.addr_info ?? []).find((x: any) => x.family === 'inet' && x.scope === 'global');
  return a ? `${a.local}/${a.prefixlen}` : undefined;
}

/** Stops the launchers and the DHCP clients and removes their files. */
export function cleanupKubevirtPods(): void {
  for (const c of launchers.splice(0)) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const f of dhclientPidFiles.splice(0)) {
    try {
      process.kill(Number(fs.readFileSync(f, 'utf-8').trim()), 'SIGKILL');
    } catch {
      // not running
    }
  }
  for (const d of scratch.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
