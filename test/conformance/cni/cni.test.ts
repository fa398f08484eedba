/**
 * CNI conformance: every NetworkAttachmentDefinition config the test suite
 * synthesized (recorded by `synthValid` into cni-configs/ of the test corpus
 * that CDK8S_KUBEVIRT_CORPUS names) and a few representative ones made here
 * are run through the real CNI plugins: ADD, CHECK (CNI >= 0.4.0), DEL in
 * throwaway network namespaces, then cleanup. See cni-runner.ts for what is
 * rewritten and what is skipped.
 *
 * Run after `npm run corpus` (which writes .tmp/corpus) with
 * `CDK8S_KUBEVIRT_CORPUS=.tmp/corpus jest --config test/conformance/cni/jest.config.json`
 * (test/conformance/run.sh does); as root, with
 * iproute2 and Debian containernetworking-plugins installed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { checkWhereaboutsFields, knownCheckLimitation, prepare, requireHostTools, runChain, STAND_IN_MASTER, usesVlan, withoutVlan } from './cni-runner';
import { CniPlugin, CniVersion, Ipam, MacvlanMode, NetworkAttachmentDefinition, Route, StorageNetwork, VlanTrunk } from '../../../src';
import { corpusPart, synthValid } from '../../util';

interface Entry {
  readonly source: string;
  readonly config: string;
}

// read what the corpus run recorded before this file records anything itself
const CNI_CONFIG_DIR = corpusPart('cni-configs');
const recorded: Entry[] = fs.existsSync(CNI_CONFIG_DIR)
  ? fs.readdirSync(CNI_CONFIG_DIR).filter(f => f.endsWith('.json')).sort()
    .map(f => JSON.parse(fs.readFileSync(path.join(CNI_CONFIG_DIR, f), 'utf-8')) as Entry)
  : [];

function representative(): Entry[] {
  const chart = Testing.chart();
  const ns = 'cni-conformance';
  new NetworkAttachmentDefinition(chart, 'bridge-whereabouts', {
    name: 'bridge-whereabouts',
    namespace: ns,
    plugins: [CniPlugin.bridge({
      bridge: 'br-wb',
      mtu: 1400,
      isGateway: true,
      hairpinMode: true,
      ipam: Ipam.whereabouts({
        range: '10.123.124.0/24',
        rangeStart: '10.123.124.10',
        rangeEnd: '10.123.124.200',
        exclude: ['10.123.124.10/31', '10.123.124.100/30'],
        gateway: '10.123.124.1',
        routes: [Route.defaultVia('10.123.124.1'), Route.to('192.168.50.0/24', '10.123.124.254')],
        networkName: 'conformance',
      }),
    })],
  });
  new NetworkAttachmentDefinition(chart, 'bridge-vlan', {
    name: 'bridge-vlan',
    namespace: ns,
    plugins: [CniPlugin.bridge({ bridge: 'br-vlan', vlan: 1234, preserveDefaultVlan: false, ipam: Ipam.whereabouts({ range: '10.123.125.0/24' }) })],
  });
  new NetworkAttachmentDefinition(chart, 'bridge-trunk', {
    name: 'bridge-trunk',
    namespace: ns,
    cniVersion: CniVersion.V1_0_0,
    plugins: [CniPlugin.bridge({ bridge: 'br-trunk', vlanTrunk: [VlanTrunk.id(10), VlanTrunk.range(20, 29)] })],
  });
  new StorageNetwork(chart, 'storage', { name: 'storage', namespace: ns, master: 'eth1', mtu: 9000, range: '192.168.20.0/24' });
  new NetworkAttachmentDefinition(chart, 'macvlan-private', {
    name: 'macvlan-private',
    namespace: ns,
    cniVersion: CniVersion.V0_3_1,
    plugins: [CniPlugin.macvlan({ mode: MacvlanMode.PRIVATE, ipam: Ipam.staticAddresses({ addresses: [{ address: '10.30.0.5/24', gateway: '10.30.0.1' }] }) })],
  });
  new NetworkAttachmentDefinition(chart, 'static', {
    name: 'static',
    namespace: ns,
    plugins: [CniPlugin.bridge({
      bridge: 'br-static',
      ipam: Ipam.staticAddresses({ addresses: [{ address: '10.40.0.5/24', gateway: '10.40.0.1' }, { address: 'fd00:40::5/64' }], routes: [Route.defaultVia('10.40.0.1')] }),
    })],
  });
  new NetworkAttachmentDefinition(chart, 'host-local-ranges', {
    name: 'host-local-ranges',
    namespace: ns,
    cniVersion: CniVersion.V1_0_0,
    plugins: [CniPlugin.bridge({
      bridge: 'br-hl',
      isDefaultGateway: true,
      ipMasq: true,
      ipam: Ipam.hostLocal({ ranges: [[{ subnet: '10.50.0.0/24', rangeStart: '10.50.0.10', rangeEnd: '10.50.0.20' }, { subnet: '10.51.0.0/24' }], [{ subnet: 'fd00:50::/64' }]] }),
    })],
  });
  new NetworkAttachmentDefinition(chart, 'l2-only', { name: 'l2-only', namespace: ns, plugins: [CniPlugin.bridge({ bridge: 'br-l2', macspoofchk: true, promiscMode: true })] });
  new NetworkAttachmentDefinition(chart, 'tuning-chain', {
    name: 'tuning-chain',
    namespace: ns,
    plugins: [
      CniPlugin.bridge({ bridge: 'br-tune', ipam: Ipam.hostLocal({ subnet: '10.60.0.0/24', routes: [Route.to('10.61.0.0/16')] }) }),
      CniPlugin.tuning({ mtu: 1300, mac: '02:00:00:00:60:01', promisc: true, allmulti: true, sysctl: { 'net.ipv4.conf.IFNAME.arp_notify': '1', 'net.core.somaxconn': '512' } }),
    ],
  });
  new NetworkAttachmentDefinition(chart, 'ovs', { name: 'ovs', namespace: ns, plugins: [CniPlugin.ovs({ bridge: 'ovsbr1', vlan: 100 })] });
  new NetworkAttachmentDefinition(chart, 'dhcp', { name: 'dhcp', namespace: ns, plugins: [CniPlugin.macvlan({ master: 'eth1', ipam: Ipam.dhcp() })] });
  return synthValid(chart)
    .filter(d => d.kind === 'NetworkAttachmentDefinition')
    .map(d => ({ source: `representative ${d.metadata.namespace}/${d.metadata.name}`, config: d.spec.config }));
}

const summary = {
  ran: 0,
  passed: 0,
  rewritten: 0,
  vlanFallback: 0,
  whereaboutsChecked: 0,
  skipped: new Map<string, number>(),
  checkLimitations: new Map<string, number>(),
};

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function listCounts(map: Map<string, number>): string {
  return [...map.entries()].map(([why, n]) => `${n} (${why})`).join(', ') || 'none';
}

function conform(entry: Entry): void {
  requireHostTools();
  const conflist = JSON.parse(entry.config);
  expect(['0.3.1', '0.4.0', '1.0.0']).toContain(conflist.cniVersion);
  expect(typeof conflist.name).toBe('string');
  expect(Array.isArray(conflist.plugins) && conflist.plugins.length > 0).toBe(true);

  for (const plugin of conflist.plugins) {
    if (plugin.ipam?.type !== 'whereabouts') continue;
    summary.whereaboutsChecked++;
    const problems = checkWhereaboutsFields(plugin.ipam);
    if (problems.length > 0) throw new Error(`${entry.source}: the whereabouts ipam does not follow whereabouts' documented fields: ${problems.join('; ')}`);
  }

  const prepared = prepare(entry.config);
  if (prepared.skipReason) {
    count(summary.skipped, prepared.skipReason);
    return;
  }
  summary.ran++;
  if (prepared.rewrites.length > 0) summary.rewritten++;
  const described = () => `${entry.source}\n  config as run: ${JSON.stringify(prepared.conflist)}\n  rewrites: ${prepared.rewrites.join('; ') || 'none'}`;

  const first = runChain(prepared.conflist);
  if (first.ok) {
    summary.passed++;
    first.checkLimitations.forEach(l => count(summary.checkLimitations, l));
    return;
  }
  if (!usesVlan(prepared.conflist)) {
    throw new Error(`${first.error}\n  ${described()}`);
  }
  // no 802.1Q here: a VLAN config may fail only with "operation not supported" ...
  if (!/operation not supported/i.test(first.error ?? '')) {
    throw new Error(`a config with vlan failed for another reason than missing 802.1Q support: ${first.error}\n  ${described()}`);
  }
  // ... and must then pass without its vlan
  const second = runChain(withoutVlan(prepared.conflist));
  if (!second.ok) {
    throw new Error(`without vlan the config still fails: ${second.error}\n  ${described()}`);
  }
  summary.vlanFallback++;
  summary.passed++;
  second.checkLimitations.forEach(l => count(summary.checkLimitations, l));
}


/** Everything runs inside one describe, so the summary prints once after all configs. */
function conformanceSuite(): void {
  afterAll(() => {
    const total = [...summary.skipped.values()].reduce((a, b) => a + b, 0);
    // one line for CI logs
    process.stdout.write(`\nCNI conformance: ${summary.ran} configs ran, ${summary.passed} passed `
      + `(${summary.vlanFallback} only without vlan: no 802.1Q in this kernel), ${summary.rewritten} rewritten, `
      + `${summary.whereaboutsChecked} whereabouts ipam checked against its fields, ${total} skipped: ${listCounts(summary.skipped)}; `
      + `CHECK failures accepted as known reference-plugin limitations: ${listCounts(summary.checkLimitations)}\n`);
  });

  describe('the runner', () => {
    test('turns whereabouts into host-local on the same pool, splitting it around exclusions', () => {
      const config = JSON.stringify({
        cniVersion: '0.4.0',
        name: 'n',
        plugins: [{ type: 'macvlan', master: 'eth9', ipam: { type: 'whereabouts', range: '10.0.0.0/24', range_end: '10.0.0.100', exclude: ['10.0.0.16/28'], gateway: '10.0.0.1', routes: [{ dst: '0.0.0.0/0' }] } }],
      });
      const prepared = prepare(config);
      expect(prepared.conflist.plugins[0]).toEqual({
        type: 'macvlan',
        master: STAND_IN_MASTER,
        ipam: {
          type: 'host-local',
          ranges: [[
            { subnet: '10.0.0.0/24', rangeStart: '10.0.0.1', rangeEnd: '10.0.0.15', gateway: '10.0.0.1' },
            { subnet: '10.0.0.0/24', rangeStart: '10.0.0.32', rangeEnd: '10.0.0.100', gateway: '10.0.0.1' },
          ]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      });
      expect(prepared.rewrites).toHaveLength(2);
    });

    test('skips what has no binary here, with the reason', () => {
      expect(prepare(JSON.stringify({ cniVersion: '0.4.0', name: 'n', plugins: [{ type: 'ovs', bridge: 'b' }] })).skipReason).toMatch(/no 'ovs' plugin binary/);
      expect(prepare(JSON.stringify({ cniVersion: '0.4.0', name: 'n', plugins: [{ type: 'bridge', ipam: { type: 'dhcp' } }] })).skipReason).toMatch(/dhcp daemon/);
    });

    test('checks whereabouts fields and values', () => {
      expect(checkWhereaboutsFields({ type: 'whereabouts', range: '10.0.0.0/24', network_name: 'x', enable_overlapping_ranges: true })).toEqual([]);
      expect(checkWhereaboutsFields({ type: 'whereabouts', range: '10.0.0.0/24', rangeStart: '10.0.0.5' })).toEqual(["unknown whereabouts field 'rangeStart'"]);
      expect(checkWhereaboutsFields({ type: 'whereabouts', range: '10.0.0.0/24', range_end: '10.0.1.5', exclude: ['x'] }))
        .toEqual(['range_end 10.0.1.5 is outside 10.0.0.0/24', 'exclude entry "x" is not a CIDR block']);
    });

    test('accepts only the exact reference-plugin CHECK limitations', () => {
      expect(knownCheckLimitation({ type: 'bridge' }, 'bridge CHECK failed: no plugin name provided')).toBeDefined();
      expect(knownCheckLimitation({ type: 'bridge', ipam: { type: 'host-local' } }, 'bridge CHECK failed: no plugin name provided')).toBeUndefined();
      const routeError = 'bridge CHECK failed: Expected Route {Dst:{IP:192.168.0.0 Mask:ffff0000} GW:<nil>} not found in routing table';
      expect(knownCheckLimitation({ type: 'bridge', ipam: { routes: [{ dst: '192.168.0.0/16' }] } }, routeError)).toBeDefined();
      expect(knownCheckLimitation({ type: 'bridge', ipam: { routes: [{ dst: '192.168.0.0/16', gw: '10.0.0.1' }] } }, routeError)).toBeUndefined();
      expect(knownCheckLimitation({ type: 'bridge', ipam: { routes: [{ dst: '192.168.0.0/24' }] } }, routeError)).toBeUndefined();
    });

    test('removes only vlan and vlanTrunk for the no-802.1Q fallback', () => {
      const conflist = { cniVersion: '0.4.0', name: 'n', plugins: [{ type: 'bridge', bridge: 'b', vlan: 5, vlanTrunk: [{ id: 6 }], mtu: 1400 }] };
      expect(usesVlan(conflist)).toBe(true);
      expect(withoutVlan(conflist).plugins).toEqual([{ type: 'bridge', bridge: 'b', mtu: 1400 }]);
      expect(conflist.plugins[0].vlan).toBe(5);
    });
  });

  test('the host has ip netns and the CNI reference plugins', () => {
    requireHostTools();
  });

  test('the main test run recorded NetworkAttachmentDefinition configs', () => {
    if (recorded.length === 0) {
      throw new Error(`no NAD configs were recorded in ${CNI_CONFIG_DIR}: run 'npm run corpus' first (synthValid records every config it synthesizes)`);
    }
  });

  const own = representative();
  const ownConfigs = new Set(own.map(e => e.config));

  describe('representative configs', () => {
    test.each(own.map(e => [e.source, e] as const))('%s', (_source, entry) => conform(entry));
  });

  if (recorded.length > 0) {
    describe('recorded configs', () => {
      test.each(recorded.map(e => [`recorded ${e.source}`, e] as const))('%s', (_source, entry) => {
        // a representative config recorded by an earlier run already ran above
        if (ownConfigs.has(entry.config)) return;
        conform(entry);
      });
    });
  }
}


describe('CNI conformance', conformanceSuite);
