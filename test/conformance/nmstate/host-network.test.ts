/**
 * Host-network conformance: the desired state of every
 * NodeNetworkConfigurationPolicy the test suite synthesized (recorded by
 * `synthValid` into nmstate-policies/ of the test corpus that
 * CDK8S_KUBEVIRT_CORPUS names) and of the example cluster is
 * applied by nmstate (kernel mode) in a throwaway network namespace and
 * read back with `ip -j -d link`; the example's networks that sit on those
 * bridges are then run through the real CNI plugins in the same namespace.
 *
 * Run after `npm run corpus` (which writes .tmp/corpus) with
 * `CDK8S_KUBEVIRT_CORPUS=.tmp/corpus jest --config test/conformance/nmstate/jest.config.json`
 * (test/conformance/run.sh does); as root, with
 * iproute2, the CNI plugins and the nmstate-apply binary built
 * (`cargo build --release --manifest-path test/conformance/nmstate/apply/Cargo.toml`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import {
  APPLY_BINARY, DesiredState, haveNmstate, HostSandbox, NOT_SUPPORTED, parseWithNmstate, replayCommands, standInNames,
  usesUnsupported, verify, withoutUnsupported,
} from './nmstate-runner';
import { buildExampleCluster } from '../../../examples/main';
import { HostInterface, NodeNetworkConfigurationPolicy, VlanTrunk, VxlanBridge } from '../../../src';
import { corpusPart, synthValid } from '../../util';
import { prepare, requireHostTools, runChain, usesVlan, withoutVlan } from '../cni/cni-runner';

interface Entry {
  readonly source: string;
  readonly desiredState: DesiredState;
}

const NMSTATE_POLICY_DIR = corpusPart('nmstate-policies');
const recorded: Entry[] = fs.existsSync(NMSTATE_POLICY_DIR)
  ? fs.readdirSync(NMSTATE_POLICY_DIR).filter(f => f.endsWith('.json')).sort()
    .map(f => JSON.parse(fs.readFileSync(path.join(NMSTATE_POLICY_DIR, f), 'utf-8')) as Entry)
  : [];

function representative(): Entry[] {
  const chart = Testing.chart();
  new VxlanBridge(chart, 'mcast', { vni: 4242, underlay: 'eth0', group: '239.1.1.42', bridgeName: 'br-mc', underlayMtu: 9000, trunkVlans: [VlanTrunk.range(100, 199)] });
  new VxlanBridge(chart, 'p2p', { vni: 7, underlay: 'ens5', bridgeName: 'br-p2p', peers: [{ node: 'a', address: '192.0.2.1' }, { node: 'b', address: '192.0.2.200' }] });
  new NodeNetworkConfigurationPolicy(chart, 'plain', {
    name: 'plain',
    interfaces: [
      HostInterface.ethernet({ name: 'eth1', mtu: 9000, disableIpv4: true, disableIpv6: true }),
      // no stp: with STP on, the bridge has no carrier for its 30 s of listening and learning, longer than nmstate's verification waits
      HostInterface.linuxBridge({ name: 'br-jumbo', ports: ['eth1'], mtu: 9000 }),
      HostInterface.linuxBridge({ name: 'br-local' }),
    ],
  });
  new NodeNetworkConfigurationPolicy(chart, 'vlans', {
    name: 'vlans',
    interfaces: [
      HostInterface.vlan({ name: 'eth2.300', base: 'eth2', id: 300 }),
      HostInterface.linuxBridge({ name: 'br300', ports: ['eth2.300'] }),
    ],
  });
  return synthValid(chart).filter(d => d.kind === 'NodeNetworkConfigurationPolicy')
    .map(d => ({ source: `representative ${d.metadata.name}`, desiredState: d.spec.desiredState }));
}

const summary = { applied: 0, replayed: 0, degraded: 0, nads: 0, nadVlanFallback: 0, skipped: new Map<string, number>() };

function requireNmstate(): void {
  requireHostTools();
  if (!haveNmstate()) {
    throw new Error(`${APPLY_BINARY} is missing: build it with cargo build --release --manifest-path test/conformance/nmstate/apply/Cargo.toml`);
  }
}

/** Builds `state` with nmstate in the box and checks it with `ip -j -d link`; returns nmstate's error, if any. */
function buildIn(box: HostSandbox, state: DesiredState, source: string): string | undefined {
  const error = box.prepareForKernelMode(state) ?? box.applyWithNmstate(state);
  if (error !== undefined) return error;
  const problems = verify(state, box.links());
  if (problems.length > 0) throw new Error(`${source}: the kernel state differs from the desired state: ${problems.join('; ')}`);
  return undefined;
}

/**
 * Applies a desired state with nmstate in a throwaway namespace (falling
 * back to the state without what this kernel lacks, only on the kernel's
 * "not supported"), checks it with `ip -j -d link`, and returns the state
 * that applied.
 */
function applyAndVerify(state: DesiredState, source: string): DesiredState {
  const attempt = (s: DesiredState): string | undefined => {
    const box = new HostSandbox(standInNames(s));
    try {
      return buildIn(box, s, source);
    } finally {
      box.dispose();
    }
  };
  const error = attempt(state);
  if (error === undefined) {
    summary.applied++;
    return state;
  }
  if (!usesUnsupported(state)) throw new Error(`${source}: nmstate refused the desired state: ${error}\n  ${JSON.stringify(state)}`);
  if (!NOT_SUPPORTED.test(error)) throw new Error(`${source}: nmstate failed for another reason than missing 802.1Q/bonding/VLAN filtering: ${error}`);
  const reduced = withoutUnsupported(state);
  const again = attempt(reduced);
  if (again !== undefined) throw new Error(`${source}: without VLANs, bonds and trunks nmstate still fails: ${again}\n  ${JSON.stringify(reduced)}`);
  summary.applied++;
  summary.degraded++;
  return reduced;
}

function conform(entry: Entry): void {
  requireNmstate();
  const state = entry.desiredState;
  if (state.interfaces.some(i => i.type === 'ovs-bridge')) {
    summary.skipped.set('needs Open vSwitch', (summary.skipped.get('needs Open vSwitch') ?? 0) + 1);
    return;
  }
  const parseError = parseWithNmstate(state);
  if (parseError !== undefined) throw new Error(`${entry.source}: nmstate does not parse the desired state: ${parseError}`);
  if (state.interfaces.some(i => !['linux-bridge', 'vxlan', 'vlan', 'bond', 'ethernet'].includes(i.type))) {
    summary.skipped.set('custom interface type', (summary.skipped.get('custom interface type') ?? 0) + 1);
    return;
  }
  const applied = applyAndVerify(state, entry.source);
  // a second, independent applier: iproute2 must build the same from what nmstate applied
  const replayBox = new HostSandbox(standInNames(applied));
  try {
    const error = replayBox.replay(applied);
    if (error !== undefined) throw new Error(`${entry.source}: iproute2 could not build what nmstate applied: ${error}`);
    const problems = verify(applied, replayBox.links());
    if (problems.length > 0) throw new Error(`${entry.source}: the iproute2 replay differs from the desired state: ${problems.join('; ')}`);
    summary.replayed++;
  } finally {
    replayBox.dispose();
  }
}

describe('host-network conformance', () => {
  afterAll(() => {
    process.stdout.write(`\nhost-network conformance: ${summary.applied} desired states applied by nmstate and matched by ip -j -d link `
      + `(${summary.degraded} only without VLAN/bond/trunk: not in this kernel), ${summary.replayed} rebuilt the same by iproute2, (VXLANs, MTUs and bridge options built by iproute2 first: nmstate's kernel mode leaves them to NetworkManager), ${summary.nads} networks on those bridges passed the CNI plugins `
      + `(${summary.nadVlanFallback} only without vlan), skipped: ${[...summary.skipped].map(([k, v]) => `${v} (${k})`).join(', ') || 'none'}\n`);
  });

  describe('the runner', () => {
    const state: DesiredState = {
      interfaces: [
        { name: 'eth1', type: 'ethernet', state: 'up', mtu: 9000 },
        { 'name': 'bond0', 'type': 'bond', 'state': 'up', 'link-aggregation': { mode: 'active-backup', port: ['eth2', 'eth3'] } },
        { name: 'bond0.5', type: 'vlan', state: 'up', vlan: { 'base-iface': 'bond0', 'id': 5 } },
        { name: 'br1', type: 'linux-bridge', state: 'up', bridge: { options: { stp: { enabled: false } }, port: [{ name: 'eth1', vlan: { 'mode': 'trunk', 'trunk-tags': [{ id: 5 }] } }, { name: 'bond0.5' }] } },
      ],
    };

    test('stands in for the NICs a policy names or describes', () => {
      expect(standInNames(state)).toEqual(['eth1', 'eth2', 'eth3']);
    });

    test('drops only VLANs, bonds and trunks for the fallback', () => {
      expect(usesUnsupported(state)).toBe(true);
      const reduced = withoutUnsupported(state);
      expect(reduced.interfaces.map(i => i.name)).toEqual(['eth1', 'br1']);
      expect(reduced.interfaces[1].bridge.port).toEqual([{ name: 'eth1' }]);
      expect(usesUnsupported(reduced)).toBe(false);
    });

    test('replays interfaces lower ones first', () => {
      const cmds = replayCommands(withoutUnsupported(state)).map(c => c.join(' '));
      expect(cmds).toEqual(['link set eth1 mtu 9000', 'link add br1 type bridge stp_state 0', 'link set eth1 master br1', 'link set eth1 up', 'link set br1 up']);
    });

    test('sets a bridge\'s MTU after creating it, so the kernel keeps it when ports join', () => {
      const bridge = (mtu: number) => ({ interfaces: [{ name: 'br1', type: 'linux-bridge', state: 'up', mtu, bridge: { port: [{ name: 'eth1' }] } }] });
      expect(replayCommands(bridge(1400)).map(c => c.join(' ')).slice(0, 3))
        .toEqual(['link add br1 type bridge stp_state 0', 'link set br1 mtu 1400', 'link set eth1 master br1']);
      // the new bridge has 1500 already: a change away and back marks it set by hand
      expect(replayCommands(bridge(1500)).map(c => c.join(' ')).slice(1, 3)).toEqual(['link set br1 mtu 1499', 'link set br1 mtu 1500']);
    });

    test('the ip -j -d link check reports every difference', () => {
      const links = new Map<string, any>([
        ['eth1', { ifname: 'eth1', flags: ['UP'], mtu: 1500, master: 'br9' }],
        ['br1', { ifname: 'br1', flags: [], mtu: 1500, linkinfo: { info_kind: 'bridge', info_data: { stp_state: 0 } } }],
      ]);
      expect(verify(withoutUnsupported(state), links)).toEqual(['eth1: mtu 1500, wanted 9000', 'br1: not up', 'eth1: not a port of br1 (master br9)']);
    });
  });

  test('the host has ip netns, the CNI plugins and the nmstate-apply binary', () => {
    requireNmstate();
  });

  describe('nmstate refuses bad desired states', () => {
    test('a field nmstate does not know', () => {
      requireNmstate();
      expect(parseWithNmstate({ interfaces: [{ name: 'br1', type: 'linux-bridge', bridge: { 'vlan-filtering': true } }] })).toMatch(/unknown field `vlan-filtering`/);
    });

    test('a bridge port that does not exist', () => {
      requireNmstate();
      const box = new HostSandbox([]);
      try {
        const error = box.applyWithNmstate({ interfaces: [{ name: 'br1', type: 'linux-bridge', state: 'up', bridge: { port: [{ name: 'nosuch0' }] } }] });
        expect(error).toMatch(/nosuch0/);
      } finally {
        box.dispose();
      }
    });

    test('a VNI that is not a number', () => {
      requireNmstate();
      expect(parseWithNmstate({ interfaces: [{ name: 'vx1', type: 'vxlan', vxlan: { 'base-iface': 'eth0', 'id': 'ten', 'remote': '192.0.2.9' } }] })).toMatch(/invalid digit/);
    });

    test('a VXLAN that differs from the one the kernel has', () => {
      requireNmstate();
      const box = new HostSandbox(['eth0']);
      try {
        expect(box.prepareForKernelMode({ interfaces: [{ name: 'vx1', type: 'vxlan', vxlan: { 'base-iface': 'eth0', 'id': 1, 'remote': '192.0.2.9' } }] })).toBeUndefined();
        const error = box.applyWithNmstate({ interfaces: [{ name: 'vx1', type: 'vxlan', state: 'up', vxlan: { 'base-iface': 'eth0', 'id': 2, 'remote': '192.0.2.9' } }] });
        expect(error).toMatch(/vx1/);
      } finally {
        box.dispose();
      }
    });
  });

  describe('representative policies', () => {
    test.each(representative().map(e => [e.source, e] as const))('%s', (_s, entry) => conform(entry));
  });

  if (recorded.length > 0) {
    describe('recorded policies', () => {
      test.each(recorded.map(e => [`recorded ${e.source}`, e] as const))('%s', (_s, entry) => conform(entry));
    });
  }

  test('the example cluster: each policy applied, then the networks on its bridges run through the CNI plugins there', () => {
    requireNmstate();
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'hostnet-example-')) });
    buildExampleCluster(app);
    const docs = app.charts.flatMap(c => c.toJson());
    const policies = docs.filter(d => d.kind === 'NodeNetworkConfigurationPolicy');
    expect(policies.length).toBeGreaterThanOrEqual(2);
    const nads = docs.filter(d => d.kind === 'NetworkAttachmentDefinition').map(d => JSON.parse(d.spec.config));
    let onBridges = 0;
    for (const policy of policies) {
      const state: DesiredState = policy.spec.desiredState;
      const names = new Set(state.interfaces.map(i => i.name));
      for (const conflist of nads) {
        const first = conflist.plugins[0];
        const host = first.type === 'macvlan' ? first.master : first.bridge;
        if (!names.has(host)) continue;
        onBridges++;
        const prepared = prepare(JSON.stringify(conflist));
        if (prepared.skipReason) continue;
        // the policy's NIC is the master, not the runner's stand-in
        if (first.type === 'macvlan') prepared.conflist.plugins[0].master = first.master;
        // what nmstate can build here, then built again in the plugins' namespace
        const applied = applyAndVerify(state, `${policy.metadata.name} under ${conflist.name}`);
        const buildHost = (ns: string) => {
          const error = buildIn(new HostSandbox(standInNames(applied), ns), applied, `${policy.metadata.name} in ${ns}`);
          if (error !== undefined) throw new Error(`${policy.metadata.name}: nmstate failed in the CNI namespace: ${error}`);
        };
        let result = runChain(prepared.conflist, buildHost);
        if (!result.ok && usesVlan(prepared.conflist)) {
          // no bridge VLAN filtering here: a vlan may fail only with the kernel's answer, and must pass without it
          expect(result.error).toMatch(/operation not supported/i);
          result = runChain(withoutVlan(prepared.conflist), buildHost);
          summary.nadVlanFallback++;
        }
        if (!result.ok) throw new Error(`${conflist.name} on ${host} (policy ${policy.metadata.name}): ${result.error}`);
        summary.nads++;
      }
    }
    // br-tenants (2 tenants), br1, br-sep (2), br-golden (3 fleets), eth1 (storage)
    expect(onBridges).toBeGreaterThanOrEqual(8);
  });
});
