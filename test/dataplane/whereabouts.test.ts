/**
 * whereabouts v0.9.4 against a real kube-apiserver (apiserver.ts): what
 * becomes of a VM's address on a dynamic pool when the VM live-migrates, the
 * case the library warns about (src/compute/vm/rules/ip-persistence.ts,
 * kubevirt#13709). whereabouts keys an allocation by pod and interface and
 * frees it by container ID (pkg/allocate/allocate.go AssignIP, DeallocateIP
 * at v0.9.4); a migration target is a new launcher pod.
 *
 * The plugin runs as the IPAM of the bridge plugin (Debian's
 * containernetworking-plugins) in network namespaces, with the pod named in
 * CNI_ARGS as Multus names it. Root only; skipped with the reason when the
 * tools are not built or not root, unless REQUIRE_CLUSTER_TOOLS=1.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { allocationSummary, cniArgs, ControlPlane, launcherPod, LauncherPod, whereaboutsMissing } from './apiserver';
import { CNI_PATH, pluginEnv } from '../conformance/cni/cni-runner';

const REQUIRED = process.env.REQUIRE_CLUSTER_TOOLS === '1';
const TAG = `wbt${process.pid % 100000}`;

function why(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  if (!fs.existsSync(path.join(CNI_PATH, 'bridge'))) return `${path.join(CNI_PATH, 'bridge')} is missing (containernetworking-plugins)`;
  return whereaboutsMissing();
}

const reason = why();
const suite = reason && !REQUIRED ? describe.skip : describe;
if (reason && !REQUIRED) {
  // eslint-disable-next-line no-console
  console.log(`whereabouts against kube-apiserver: skipped: ${reason}`);
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

suite('whereabouts v0.9.4 on a real kube-apiserver: a live-migrated VM on a dynamic pool (kubevirt#13709)', () => {
  let plane: ControlPlane;
  const namespaces: string[] = [];
  const node = `${TAG}node`;
  const netconf = { cniVersion: '1.0.0', name: 'lan', type: 'bridge', bridge: 'br-wb' };

  // the default pool, a /29: six addresses, 10.77.0.1 to .6
  function cni(command: 'ADD' | 'DEL', pod: LauncherPod, range = '10.77.0.0/29'): { ok: boolean; ip?: string; out: string } {
    // one sandbox (network namespace) per container
    const podNs = `${TAG}-${pod.containerId.slice(-4)}`;
    if (command === 'ADD' && !namespaces.includes(podNs)) {
      ip(['netns', 'add', podNs]);
      namespaces.push(podNs);
    }
    const conf = { ...netconf, ipam: plane.ipam({ type: 'whereabouts', range }) };
    const r = spawnSync('ip', ['netns', 'exec', node, path.join(CNI_PATH, 'bridge')], {
      input: JSON.stringify(conf),
      encoding: 'utf-8',
      timeout: 60_000,
      env: pluginEnv(command, pod.containerId, podNs, 'net1', { CNI_ARGS: cniArgs(pod), CNI_PATH: `${CNI_PATH}:${plane.pluginDir}` }),
    });
    const out = `${r.stdout}${r.stderr}`.trim();
    if (r.status !== 0) return { ok: false, out };
    const address = command === 'ADD' ? JSON.parse(r.stdout).ips?.[0]?.address?.split('/')[0] : undefined;
    return { ok: true, ip: address, out };
  }

  function mustAdd(pod: LauncherPod): string {
    const r = cni('ADD', pod);
    if (!r.ok || !r.ip) throw new Error(`ADD for ${pod.name} failed: ${r.out}`);
    return r.ip;
  }

  const source = launcherPod('apps', 'db', 'c0ffee00000000000000000000000001', 0);
  let target = launcherPod('apps', 'db', 'c0ffee00000000000000000000000002', 1);
  const other = launcherPod('apps', 'web', 'c0ffee00000000000000000000000003', 0);
  let sourceIp: string;
  let targetIp: string;

  beforeAll(async () => {
    plane = ControlPlane.start();
    const ms = await plane.ready();
    // eslint-disable-next-line no-console
    console.log(`control plane (etcd, kube-apiserver, whereabouts CRDs) up in ${(ms / 1000).toFixed(1)}s`);
    ip(['netns', 'add', node]);
    namespaces.push(node);
  }, 120_000);

  afterAll(async () => {
    for (const ns of namespaces.reverse()) spawnSync('ip', ['netns', 'del', ns]);
    await plane?.stopAndWait();
  }, 60_000);

  test('the source pod gets an address, kept in an IPPool under its pod and interface', async () => {
    sourceIp = mustAdd(source);
    const list = await plane.allocations();
    expect(list).toEqual([{ pool: '10.77.0.0-29', ip: sourceIp, containerId: source.containerId, podRef: `apps/${source.name}`, ifName: 'net1' }]);
    expect(await plane.reservations()).toEqual([sourceIp]);
  });

  test('the migration target, a new launcher pod, gets another address while the guest keeps the first', async () => {
    targetIp = mustAdd(target);
    expect(targetIp).not.toBe(sourceIp);
    const list = await plane.allocations();
    // eslint-disable-next-line no-console
    console.log(`after the target's ADD: ${allocationSummary(list)}`);
    expect(list.map(a => [a.ip, a.podRef])).toEqual([[sourceIp, `apps/${source.name}`], [targetIp, `apps/${target.name}`]]);
  });

  test('the same pod and interface in a new sandbox keeps its address (allocations are keyed by pod), and DEL of the old sandbox frees nothing', async () => {
    const again = { ...target, containerId: 'c0ffee00000000000000000000000004' };
    expect(mustAdd(again)).toBe(targetIp);
    expect((await plane.allocations()).find(a => a.ip === targetIp)?.containerId).toBe(again.containerId);
    expect(cni('DEL', target).ok).toBe(true);
    expect((await plane.allocations()).map(a => [a.ip, a.containerId])).toEqual([[sourceIp, source.containerId], [targetIp, again.containerId]]);
    target = again;
  });

  test('deleting the source pod frees the address the migrated guest still uses, and the next pod gets it', async () => {
    expect(cni('DEL', source).ok).toBe(true);
    expect((await plane.allocations()).map(a => a.ip)).toEqual([targetIp]);
    const next = mustAdd(other);
    // the guest of apps/db kept sourceIp across the migration: two VMs now answer for one address
    expect(next).toBe(sourceIp);
    const list = await plane.allocations();
    // eslint-disable-next-line no-console
    console.log(`after the source's DEL and another VM's ADD: ${allocationSummary(list)}; apps/db's guest still uses ${sourceIp}`);
    expect(list.find(a => a.ip === sourceIp)?.podRef).toBe(`apps/${other.name}`);
  });

  test('whereabouts refuses a pod when the pool is used up', async () => {
    const range = '10.78.0.0/30';
    const pods = [0, 1, 2].map(i => launcherPod('apps', `full${i}`, `c0ffee000000000000000000000001${i}0`, 0));
    expect(cni('ADD', pods[0], range).ok).toBe(true);
    expect(cni('ADD', pods[1], range).ok).toBe(true);
    const third = cni('ADD', pods[2], range);
    expect(third.ok).toBe(false);
    expect(third.out).toMatch(/Could not allocate IP in range/);
  });

  test('DEL by container ID frees each address', async () => {
    for (const pod of [target, other]) expect(cni('DEL', pod).ok).toBe(true);
    expect((await plane.allocations()).filter(a => a.pool === '10.77.0.0-29')).toEqual([]);
  });
});
