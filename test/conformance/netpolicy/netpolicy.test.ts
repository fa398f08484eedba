/**
 * MultiNetworkPolicy conformance with the real enforcer and real traffic.
 * VMs are stood in for by network namespaces on shared Linux bridges (a
 * tenant bridge and a storage bridge, as the seed scenario lays them out).
 * The rules in each "VM" are the ones multi-networkpolicy-iptables, at the
 * commit the library pins, writes for it: `netpolicy-rules` (Go, in
 * test/cluster/netpolicy) runs the enforcer's own server on the synthesized
 * manifests and the pods' network-status, and its iptables-save output is
 * restored in the namespace. Ping and nc then show what passes. A tenant-b
 * VM plugged into the tenant-a bridge is the outsider the tenant policy must
 * keep out.
 *
 * Run after the main test run with
 * `jest --config test/conformance/netpolicy/jest.config.json`; as root, with
 * iproute2, iptables, netcat-openbsd, iputils-ping and the Go tools built
 * (`npm run cluster:build -- netpolicy`). Every address is private to the
 * namespaces this test creates and deletes.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Size, Testing } from 'cdk8s';
import { CniPlugin, Ipam, MultiNetworkPolicy, NetworkAttachmentDefinition, PolicyPeer, StorageNetwork } from '../../../src';
import { BootDisk, IsolatedVm, Network, VirtualMachine } from '../../../src/compute';

const TAG = `mnp${process.pid % 100000}`;
const SWITCH = `${TAG}-sw`;
const RULES_TOOL = path.join(__dirname, '..', '..', '..', '.cluster', 'bin', 'netpolicy-rules');
/** The enforcer's arguments as `MultiNetworkPolicyController` passes them today. */
const PLATFORM_ARGS = ['--host-prefix=/host', '--container-runtime-endpoint=/run/containerd/containerd.sock'];
const WITH_BRIDGE = [...PLATFORM_ARGS, '--network-plugins=bridge,macvlan'];
const listeners: ChildProcess[] = [];
const created: string[] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpolicy-'));

function run(cmd: string, args: string[], input?: string): { ok: boolean; out: string; stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf-8', timeout: 60_000, input });
  return { ok: !r.error && r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`, stdout: r.stdout ?? '' };
}

function must(cmd: string, args: string[], input?: string): string {
  const r = run(cmd, args, input);
  if (!r.ok) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.out.trim()}`);
  return r.stdout;
}

function requireTools(): void {
  const problems: string[] = [];
  for (const [tool, args, pkg] of [
    ['ip', ['netns', 'list'], 'iproute2 (and run as root)'],
    ['iptables', ['--version'], 'iptables'],
    ['nc', ['-h'], 'netcat-openbsd'],
    ['ping', ['-V'], 'iputils-ping'],
  ] as Array<[string, string[], string]>) {
    const r = spawnSync(tool, args, { encoding: 'utf-8', timeout: 5000 });
    if (r.error) problems.push(`'${tool}' is missing; install the Debian package ${pkg}`);
  }
  if (!fs.existsSync(RULES_TOOL)) {
    problems.push(`${path.relative(process.cwd(), RULES_TOOL)} is missing: build it with 'npm run cluster:build -- netpolicy' (Go 1.26+ and the Go module proxy serving github.com/k8snetworkplumbingwg/multi-networkpolicy-iptables at the pinned commit)`);
  }
  if (problems.length > 0) throw new Error(`the MultiNetworkPolicy traffic test cannot run on this host:\n  ${problems.join('\n  ')}`);
}

const ns = (pod: string) => `${TAG}-${pod}`;

interface PodIface { readonly nad: string; readonly ifName: string; readonly ip: string; readonly isDefault?: boolean }
interface ModelPod { readonly key: string; readonly name: string; readonly interfaces: PodIface[] }

/**
 * The seed scenario in constructs: two tenants' bridge networks, a shared
 * Ceph storage network (macvlan), three VMs, two policies. `isolated` puts
 * each VM's tenant network as its only (default) Multus network, as
 * IsolatedVm does; otherwise each VM keeps the pod network and joins its
 * tenant's network as a secondary one.
 */
function scenario(isolated: boolean, tenantMembers?: (c: Chart) => PolicyPeer[]) {
  const c = new Chart(Testing.app(), 'netpolicy');
  const disk = BootDisk.containerDisk('quay.io/containerdisks/fedora:41');
  const storage = new StorageNetwork(c, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', bridge: 'br-storage', range: '10.231.2.0/24' });
  const nets: { [tenant: string]: NetworkAttachmentDefinition } = {};
  for (const [tenant, vlan] of [['tenant-a', 100], ['tenant-b', 200]] as Array<[string, number]>) {
    nets[tenant] = new NetworkAttachmentDefinition(c, `${tenant}-net`, {
      name: `${tenant}-net`,
      namespace: tenant,
      plugins: [CniPlugin.bridge({ bridge: 'br-tenants', vlan, ipam: Ipam.whereabouts({ range: '10.231.1.0/24' }) })],
      shared: true,
    });
  }
  // the VMs in an app of their own: the library refuses, in one app, policies aimed at VMs the
  // enforcer cannot filter (bridge-bound, isolated), and this model only needs the policies
  const vmApp = new Chart(Testing.app(), 'vms');
  const vm = (name: string, tenant: string) => {
    if (isolated) {
      const v = new IsolatedVm(vmApp, name, { name, namespace: tenant, network: nets[tenant], bootDisk: disk, memory: Size.gibibytes(1) });
      v.addNetwork('storage', Network.multus(storage));
      return v;
    }
    const v = new VirtualMachine(vmApp, name, { name, namespace: tenant, bootDisk: disk, memory: Size.gibibytes(1) });
    v.addNetwork('tenant', Network.multus(nets[tenant]));
    v.addNetwork('storage', Network.multus(storage));
    return v;
  };
  vm('a1', 'tenant-a');
  vm('a2', 'tenant-a');
  vm('b1', 'tenant-b');
  MultiNetworkPolicy.tenantNetwork(c, 'tenant-a-only', { network: nets['tenant-a'], members: tenantMembers?.(c) });
  MultiNetworkPolicy.storageNetwork(c, 'tenant-a-ceph', { network: storage, namespace: 'tenant-a' });
  // the schemas are checked elsewhere (the schema tests, check:cluster): this test is about the enforcer,
  // which sees the policies and the VMs together, as the cluster would
  const docs = [...Testing.synth(c), ...Testing.synth(vmApp)];
  // Ceph's monitor, a plain pod on the storage network
  docs.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'ceph',
      namespace: 'rook-ceph',
      labels: { app: 'rook-ceph-mon' },
      annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify([{ name: 'ceph-public', namespace: 'rook-ceph', interface: 'net1' }]) },
    },
    spec: { containers: [{ name: 'mon', image: 'quay.io/ceph/ceph:v19' }] },
  });

  // Interface names as Multus reports them: the default network is eth0.
  const tenantIf = isolated ? 'eth0' : 'net1';
  const vmPod = (name: string, tenant: string, tenantIp: string, storageIp: string): ModelPod => ({
    key: `${tenant}/${name}`,
    name,
    interfaces: [
      { nad: nets[tenant].networkName, ifName: tenantIf, ip: tenantIp, isDefault: isolated },
      { nad: storage.networkName, ifName: 'net2', ip: storageIp },
    ],
  });
  const pods: ModelPod[] = [
    vmPod('a1', 'tenant-a', '10.231.1.11', '10.231.2.11'),
    vmPod('a2', 'tenant-a', '10.231.1.12', '10.231.2.12'),
    // tenant-b's VM, plugged into the same bridge: only the policy keeps it out
    vmPod('b1', 'tenant-b', '10.231.1.21', '10.231.2.21'),
    { key: 'rook-ceph/ceph', name: 'ceph', interfaces: [{ nad: storage.networkName, ifName: 'net1', ip: '10.231.2.50' }] },
  ];
  return { docs, pods };
}

type Scenario = ReturnType<typeof scenario>;

/** The network-status annotations, as Multus thick writes them, of every pod. */
function networkStatus(pods: ModelPod[]): string {
  const out: { [key: string]: unknown[] } = {};
  for (const p of pods) {
    out[p.key] = p.interfaces.map(i => ({ name: i.nad, interface: i.ifName, ips: [i.ip], ...(i.isDefault ? { default: true } : {}) }));
  }
  return JSON.stringify(out, undefined, 2);
}

/** What the enforcer writes into each pod's namespace (iptables-save), by pod name. */
function enforcerRules(s: Scenario, args: string[], policies?: any[]): Map<string, string> {
  const dir = fs.mkdtempSync(path.join(work, 'case-'));
  const docs = policies ? [...s.docs.filter(d => d.kind !== 'MultiNetworkPolicy'), ...policies] : s.docs;
  fs.writeFileSync(path.join(dir, 'manifests.yaml'), docs.map(d => JSON.stringify(d)).join('\n---\n'));
  fs.writeFileSync(path.join(dir, 'network-status.json'), networkStatus(s.pods));
  const rules = new Map<string, string>();
  for (const pod of s.pods) {
    rules.set(pod.name, must(RULES_TOOL, ['--manifests', path.join(dir, 'manifests.yaml'), '--pod', pod.key, '--network-status', path.join(dir, 'network-status.json'), '--', ...args]));
  }
  return rules;
}

/** Interface names in each namespace now, by pod name and position. */
const ifNames = new Map<string, string[]>();

function buildTopology(pods: ModelPod[]): void {
  must('ip', ['netns', 'add', SWITCH]);
  created.push(SWITCH);
  for (const br of ['br-t', 'br-s']) {
    must('ip', ['-n', SWITCH, 'link', 'add', br, 'type', 'bridge']);
    must('ip', ['-n', SWITCH, 'link', 'set', br, 'up']);
  }
  pods.forEach((pod, i) => {
    must('ip', ['netns', 'add', ns(pod.name)]);
    created.push(ns(pod.name));
    must('ip', ['-n', ns(pod.name), 'link', 'set', 'lo', 'up']);
    pod.interfaces.forEach((iface, j) => {
      const outer = `p${i}x${j}`;
      must('ip', ['-n', SWITCH, 'link', 'add', outer, 'type', 'veth', 'peer', 'name', iface.ifName, 'netns', ns(pod.name)]);
      must('ip', ['-n', SWITCH, 'link', 'set', outer, 'master', iface.ip.startsWith('10.231.2.') ? 'br-s' : 'br-t', 'up']);
      must('ip', ['-n', ns(pod.name), 'addr', 'add', `${iface.ip}/24`, 'dev', iface.ifName]);
      must('ip', ['-n', ns(pod.name), 'link', 'set', iface.ifName, 'up']);
    });
    ifNames.set(pod.name, pod.interfaces.map(x => x.ifName));
  });
}

/** Names each namespace's interfaces as the scenario's network-status does, then restores the enforcer's rules in it. */
function applyRules(s: Scenario, rules: Map<string, string> | undefined): void {
  for (const pod of s.pods) {
    const now = ifNames.get(pod.name)!;
    pod.interfaces.forEach((iface, j) => {
      if (now[j] === iface.ifName) return;
      must('ip', ['-n', ns(pod.name), 'link', 'set', now[j], 'down']);
      must('ip', ['-n', ns(pod.name), 'link', 'set', now[j], 'name', iface.ifName]);
      must('ip', ['-n', ns(pod.name), 'link', 'set', iface.ifName, 'up']);
      now[j] = iface.ifName;
    });
    const text = rules?.get(pod.name) ?? '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
    must('ip', ['netns', 'exec', ns(pod.name), 'iptables-restore'], text);
  }
}

function listen(pod: string, port: number): void {
  const child = spawn('ip', ['netns', 'exec', ns(pod), 'nc', '-l', '-k', '-n', String(port)], { stdio: 'ignore' });
  listeners.push(child);
}

const canPing = (from: string, ip: string) => run('ip', ['netns', 'exec', ns(from), 'ping', '-c', '1', '-W', '1', '-n', '-q', ip]).ok;
const canConnect = (from: string, ip: string, port: number) => run('ip', ['netns', 'exec', ns(from), 'nc', '-z', '-n', '-w', '2', ip, String(port)]).ok;

/** Polls (bounded) until the listeners answer, so a slow start is not read as a drop. */
function waitForListeners(): void {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (canConnect('a2', '10.231.1.11', 22) && canConnect('a1', '10.231.2.50', 8080)) return;
    spawnSync('sleep', ['0.2']);
  }
  throw new Error('the nc listeners did not come up within 10 s');
}

function teardown(): void {
  for (const l of listeners.splice(0)) l.kill('SIGKILL');
  for (const n of created.splice(0).reverse()) run('ip', ['netns', 'del', n]);
  fs.rmSync(work, { recursive: true, force: true });
}

/** The tenant-network checks: a1 accepts its tenant and refuses the outsider on the shared bridge. */
function tenantIsolated(): { peer: boolean; outsider: boolean } {
  return {
    peer: canPing('a2', '10.231.1.11') && canConnect('a2', '10.231.1.11', 22),
    outsider: canPing('b1', '10.231.1.11') || canConnect('b1', '10.231.1.11', 22),
  };
}

describe('MultiNetworkPolicy enforced by multi-networkpolicy-iptables, with real traffic', () => {
  const isolated = scenario(true);
  const secondary = scenario(false);

  beforeAll(() => {
    requireTools();
    buildTopology(isolated.pods);
    for (const pod of ['a1', 'a2', 'b1']) listen(pod, 22);
    for (const port of [3300, 6789, 6800, 7300, 8080]) listen('ceph', port);
    waitForListeners();
  });
  afterAll(teardown);

  test('without rules the shared bridge lets everything through (the check can fail)', () => {
    applyRules(isolated, undefined);
    expect(canPing('b1', '10.231.1.11')).toBe(true);
    expect(canConnect('b1', '10.231.1.11', 22)).toBe(true);
    expect(canConnect('a1', '10.231.2.50', 8080)).toBe(true);
    expect(canConnect('a1', '10.231.2.12', 22)).toBe(true);
  });

  describe('with the arguments the platform passes (no --network-plugins: macvlan only)', () => {
    let rules: Map<string, string>;
    beforeAll(() => {
      rules = enforcerRules(secondary, PLATFORM_ARGS);
      applyRules(secondary, rules);
    });

    test('the enforcer writes no rule for the tenant bridge NAD, so the outsider reaches a1', () => {
      expect(rules.get('a1')).not.toMatch(/-i net1 /);
      expect(rules.get('a1')).toMatch(/-A INPUT -i net2 -j MULTI-INGRESS/);
      expect(tenantIsolated()).toEqual({ peer: true, outsider: true });
    });

    test('the storage network (macvlan) is fenced: Ceph\'s ports only', () => {
      for (const port of [3300, 6789, 6800, 7300]) expect([port, canConnect('a1', '10.231.2.50', port)]).toEqual([port, true]);
      expect(canConnect('a1', '10.231.2.50', 8080)).toBe(false);
      expect(canConnect('a1', '10.231.2.12', 22)).toBe(false);
      // tenant-b has no storage policy: the policy of tenant-a does not reach it
      expect(canConnect('b1', '10.231.2.50', 8080)).toBe(true);
    });
  });

  describe('with --network-plugins=bridge,macvlan', () => {
    test('a VM\'s secondary tenant network accepts traffic only from the tenant\'s own VMs', () => {
      const tenantOnly = secondary.docs.filter(d => d.kind === 'MultiNetworkPolicy' && d.metadata.name === 'tenant-a-net-tenant-only');
      const rules = enforcerRules(secondary, WITH_BRIDGE, tenantOnly);
      expect(rules.get('a1')).toMatch(/-A INPUT -i net1 -j MULTI-INGRESS/);
      expect([...rules.entries()].filter(([, r]) => /-j MULTI-0-INGRESS/.test(r)).map(([p]) => p).sort()).toEqual(['a1', 'a2']);
      applyRules(secondary, rules);
      expect(tenantIsolated()).toEqual({ peer: true, outsider: false });
    });

    test('an Egress policy on the storage network also cuts new connections out of the tenant network', () => {
      // the enforcer ends MULTI-EGRESS, which every hooked interface jumps to, in one DROP
      // as soon as any policy selecting the pod has Egress: the tenant network's egress is
      // default-deny too, so a2 cannot open a connection to a1 (replies still pass)
      const rules = enforcerRules(secondary, WITH_BRIDGE);
      expect(rules.get('a2')).toMatch(/-A OUTPUT -o net1 -j MULTI-EGRESS/);
      expect(rules.get('a2')).toMatch(/-A MULTI-EGRESS -j DROP/);
      expect(rules.get('a2')).not.toMatch(/-A MULTI-EGRESS -o net1 /);
      applyRules(secondary, rules);
      expect(tenantIsolated()).toEqual({ peer: false, outsider: false });
      for (const port of [3300, 6789, 6800, 7300]) expect([port, canConnect('a1', '10.231.2.50', port)]).toEqual([port, true]);
      expect(canConnect('a1', '10.231.2.50', 8080)).toBe(false);
    });

    test('an IsolatedVm\'s network is still not filtered: it is the default network, which the enforcer does not read', () => {
      const rules = enforcerRules(isolated, WITH_BRIDGE);
      expect(rules.get('a1')).not.toMatch(/-i eth0 /);
      applyRules(isolated, rules);
      expect(tenantIsolated()).toEqual({ peer: true, outsider: true });
    });

    test('a widened policy lets the outsider in, and naming it as a peer does not (it is on another network)', () => {
      // admitting tenant-b's VMs as peers adds no address: b1's interface on the bridge belongs to
      // tenant-b's network, not to the one the policy is for; the warning rule says so at synthesis
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      let loose: Scenario;
      try {
        loose = scenario(false, () => [PolicyPeer.vmsOfNamespace('tenant-a'), PolicyPeer.vmsOfNamespace('tenant-b')]);
        expect(warn).toHaveBeenCalledWith(expect.stringMatching(/peer \(VMs of namespace tenant-b\) matches no VM of namespace 'tenant-b' on tenant-a\/tenant-a-net/));
      } finally {
        warn.mockRestore();
      }
      applyRules(loose, enforcerRules(loose, WITH_BRIDGE));
      expect(canPing('b1', '10.231.1.11')).toBe(false);
      // an address block covering the bridge's subnet does admit it
      const widened = secondary.docs.filter(d => d.kind === 'MultiNetworkPolicy').map(p => (p.metadata.name === 'tenant-a-net-tenant-only'
        ? { ...p, spec: { ...p.spec, ingress: [{ from: [{ ipBlock: { cidr: '10.231.1.0/24' } }] }] } } : p));
      applyRules(secondary, enforcerRules(secondary, WITH_BRIDGE, widened));
      expect(canPing('b1', '10.231.1.11')).toBe(true);
      expect(canConnect('b1', '10.231.1.11', 22)).toBe(true);
    });
  });
});
