/**
 * Property tests of the host-networking constructs: random but valid sets of
 * host interfaces always synthesize, schema-valid and the same every time,
 * and every rule holds exactly at its boundary.
 *
 * Every policy synthesized here is recorded by `synthValid` and later
 * applied by nmstate in the host-network conformance run, so the sets stay
 * inside what that run can build: VXLANs sit on NICs (it drops VLANs and
 * bonds, which its kernel lacks, and a VXLAN on one would lose its base),
 * every interface is a port of at most one bridge or bond, bridges are never
 * ports, STP stays off (an STP bridge is down there for longer than nmstate's
 * verification waits, with or without ports), VXLAN peers are IPv4 (IPv6
 * is off in its sandbox), and names end in `-N` or `-u`, so that none is an
 * iproute2 keyword's abbreviation there (`ip link add a` reads `address`).
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  BondMode, CniPlugin, HostInterface, NetworkAttachmentDefinition, NodeNetworkConfigurationPolicy, VlanTrunk, VxlanBridge,
} from '../../../src';
import { formatIp } from '../../../src/validation';
import { assertProperty } from '../../property';
import { synthValid } from '../../util';

const VNI_MAX = 16777215;
const DEFAULT_MTU = 1500;

// ---------------------------------------------------------------- generators

/** Name stems; a generated name is `stem-N` with N unique in the set, cut to 15 characters. */
const stem = fc.stringMatching(/^[a-z][a-z0-9_.]{0,13}$/);
const mtu = fc.integer({ min: 1280, max: 9000 });
/** How far below its ceiling an MTU is: often 0, the boundary itself. */
const cut = fc.oneof(fc.constant(0), fc.nat({ max: 5000 }));
const ipv4 = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map(n => formatIp(4, BigInt(n)));
/** Unicast peers in 10.0.0.0/8, groups in 239.0.0.0/8 (administratively scoped). */
const unicast = ipv4(0x0a000001, 0x0afffffe);
const group = ipv4(0xef000001, 0xeffffffe);
const trunkEntry = fc.tuple(fc.integer({ min: 1, max: 4094 }), fc.integer({ min: 1, max: 4094 }))
  .map(([a, b]) => (a === b ? [a, a] : [Math.min(a, b), Math.max(a, b)]) as [number, number]);

/** `arb` in one case of `1 + none`, undefined in the others. */
function sometimes<T>(arb: fc.Arbitrary<T>, none = 2): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: none, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

const recipe = fc.record({
  stems: fc.array(stem, { minLength: 16, maxLength: 16 }),
  nics: fc.array(fc.record({
    describe: fc.boolean(), mtu: fc.option(mtu, { nil: undefined }), v4off: fc.boolean(), v6off: fc.boolean(),
  }), { minLength: 1, maxLength: 4 }),
  // bonds, VLANs, trunks and OVS in some sets only: the conformance run applies sets with them only in part (or not at all, OVS)
  bond: sometimes(fc.record({
    mode: fc.constantFrom(...Object.values(BondMode)),
    ports: fc.integer({ min: 1, max: 2 }),
    mtu: fc.option(mtu, { nil: undefined }),
    miimon: fc.boolean(),
  })),
  vlans: fc.oneof(
    fc.constant([]),
    fc.array(fc.record({ base: fc.nat(), id: fc.integer({ min: 1, max: 4094 }), cut: fc.option(cut, { nil: undefined }) }), { maxLength: 2 }),
  ),
  vxlans: fc.array(fc.record({
    base: fc.nat(),
    vni: fc.integer({ min: 1, max: VNI_MAX }),
    peer: fc.oneof(unicast.map(a => ({ remote: a })), group.map(g => ({ group: g }))),
    cut: fc.option(cut, { nil: undefined }),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  }), { maxLength: 2 }),
  bridges: fc.array(fc.record({
    filtering: fc.boolean().chain(on => (on ? fc.boolean() : fc.constant(false))),
    trunk: fc.option(fc.array(trunkEntry, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    cut: fc.option(cut, { nil: undefined }),
    mtu,
  }), { minLength: 1, maxLength: 3 }),
  ovs: sometimes(fc.boolean(), 7),
  owners: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
});
type Recipe = typeof recipe extends fc.Arbitrary<infer R> ? R : never;

/** One interface of a generated set: how to build it, and what the test model says of it. */
interface Planned {
  readonly kind: 'ethernet' | 'bond' | 'vlan' | 'vxlan' | 'linux-bridge' | 'ovs-bridge';
  readonly options: any;
  /** Its effective MTU, as the kernel would set it up. */
  readonly mtu: number;
}

/** A valid host interface set, computed from a recipe with its own model of the MTU rules. */
interface HostSet {
  readonly interfaces: Planned[];
  /** Effective MTU of every interface the set names, described or not. */
  readonly mtus: Map<string, number>;
}

function realize(r: Recipe): HostSet {
  let n = 0;
  const name = () => {
    const suffix = `-${n}`;
    return r.stems[n++ % r.stems.length].slice(0, 15 - suffix.length) + suffix;
  };
  const out: Planned[] = [];
  const mtus = new Map<string, number>();
  const below = (ceiling: number, c: number | undefined) => (c === undefined ? undefined : ceiling - (c % (ceiling - 1000 + 1)));

  const nics = r.nics.map(nic => ({ ...nic, name: name() }));
  const bondPorts = r.bond ? nics.slice(0, Math.min(r.bond.ports, nics.length - 1)) : [];
  for (const nic of nics) {
    // a bond sets the MTU of its ports: they are only named
    if (!nic.describe || bondPorts.includes(nic)) {
      mtus.set(nic.name, DEFAULT_MTU);
      continue;
    }
    const options = { name: nic.name, mtu: nic.mtu, disableIpv4: nic.v4off || undefined, disableIpv6: nic.v6off || undefined };
    out.push({ kind: 'ethernet', options, mtu: nic.mtu ?? DEFAULT_MTU });
    mtus.set(nic.name, nic.mtu ?? DEFAULT_MTU);
  }
  const freeNics = nics.filter(nic => !bondPorts.includes(nic)).map(nic => nic.name);
  const lowers: string[] = [...freeNics];
  let bond: string | undefined;
  if (r.bond && bondPorts.length > 0) {
    bond = name();
    const options = { name: bond, mode: r.bond.mode, ports: bondPorts.map(p => p.name), mtu: r.bond.mtu, options: r.bond.miimon ? { miimon: '100' } : undefined };
    out.push({ kind: 'bond', options, mtu: r.bond.mtu ?? DEFAULT_MTU });
    mtus.set(bond, r.bond.mtu ?? DEFAULT_MTU);
    lowers.push(bond);
  }
  for (const v of r.vlans) {
    const bases = bond ? [...freeNics, bond] : freeNics;
    const base = bases[v.base % bases.length];
    const vlanMtu = below(mtus.get(base)!, v.cut);
    const options = { name: name(), base, id: v.id, mtu: vlanMtu };
    out.push({ kind: 'vlan', options, mtu: vlanMtu ?? mtus.get(base)! });
    mtus.set(options.name, vlanMtu ?? mtus.get(base)!);
    lowers.push(options.name);
  }
  const vnis = new Set<string>();
  for (const v of r.vxlans) {
    const base = freeNics[v.base % freeNics.length];
    const key = `${v.vni}/${v.port ?? 4789}`;
    if (vnis.has(key)) continue; // the kernel refuses a second VXLAN with a VNI and port (its own test below)
    vnis.add(key);
    const ceiling = mtus.get(base)! - 50;
    const vxMtu = below(ceiling, v.cut);
    const options = { name: name(), id: v.vni, base, ...v.peer, mtu: vxMtu, destinationPort: v.port };
    out.push({ kind: 'vxlan', options, mtu: vxMtu ?? ceiling });
    mtus.set(options.name, vxMtu ?? ceiling);
    lowers.push(options.name);
  }
  // each lower interface is a port of at most one bridge (or the OVS bridge), or of none
  const masters = r.bridges.length + (r.ovs ? 1 : 0) + 1;
  const portsOf = (m: number) => lowers.filter((_, j) => r.owners[j % r.owners.length] % masters === m);
  r.bridges.forEach((b, m) => {
    const ports = portsOf(m);
    const ceiling = ports.length > 0 ? Math.min(...ports.map(p => mtus.get(p)!)) : b.mtu;
    const brMtu = ports.length > 0 ? below(ceiling, b.cut) : (b.cut === undefined ? undefined : b.mtu);
    const filtering = b.filtering && ports.length > 0;
    const options = {
      name: name(),
      ports: ports.length > 0 || b.cut === undefined ? ports : undefined,
      vlanFiltering: filtering || undefined,
      trunkVlans: filtering && b.trunk ? b.trunk.map(([lo, hi]) => (lo === hi ? VlanTrunk.id(lo) : VlanTrunk.range(lo, hi))) : undefined,
      mtu: brMtu,
    };
    const effective = brMtu ?? (ports.length > 0 ? ceiling : DEFAULT_MTU);
    out.push({ kind: 'linux-bridge', options, mtu: effective });
    mtus.set(options.name, effective);
  });
  if (r.ovs) {
    const options = { name: name(), ports: portsOf(r.bridges.length), stp: r.ovs };
    out.push({ kind: 'ovs-bridge', options, mtu: DEFAULT_MTU });
  }
  return { interfaces: out, mtus };
}

const hostSet = recipe.map(realize);

function build(p: Planned): HostInterface {
  switch (p.kind) {
    case 'ethernet': return HostInterface.ethernet(p.options);
    case 'bond': return HostInterface.bond(p.options);
    case 'vlan': return HostInterface.vlan(p.options);
    case 'vxlan': return HostInterface.vxlan(p.options);
    case 'linux-bridge': return HostInterface.linuxBridge(p.options);
    case 'ovs-bridge': return HostInterface.ovsBridge(p.options);
  }
}

/** The trunk a bridge's ports carry, as the test model reads its options. */
function trunkOf(options: any): Array<[number, number]> {
  if (!options.vlanFiltering) return [];
  return options.trunkVlans ? options.trunkVlans.map((t: VlanTrunk) => t._range()) : [[2, 4094]];
}

function synthSet(set: HostSet, nodeSelector?: Record<string, string>): any[] {
  const chart = Testing.chart();
  new NodeNetworkConfigurationPolicy(chart, 'hosts', { name: 'hosts', nodeSelector, interfaces: set.interfaces.map(build) });
  return synthValid(chart);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------- properties

describe('host interfaces (property)', () => {
  test('every valid set synthesizes schema-valid, the same twice, with what was asked', () => {
    assertProperty(fc.property(hostSet, set => {
      const docs = synthSet(set);
      expect(synthSet(set)).toEqual(docs);
      const written = docs[0].spec.desiredState.interfaces;
      expect(written.map((i: any) => [i.name, i.type])).toEqual(set.interfaces.map(p => [p.options.name, p.kind]));
      set.interfaces.forEach((p, k) => {
        const w = written[k];
        expect(w.name.length).toBeLessThanOrEqual(15);
        if (p.options.mtu !== undefined) expect(w.mtu).toBe(p.options.mtu);
        if (p.kind === 'vlan') expect(w.vlan).toEqual({ 'base-iface': p.options.base, 'id': p.options.id });
        if (p.kind === 'vxlan') {
          expect(w.vxlan).toEqual({ 'base-iface': p.options.base, 'id': p.options.id, 'remote': p.options.remote ?? p.options.group, 'destination-port': p.options.destinationPort ?? 4789 });
          expect(p.mtu).toBeLessThanOrEqual(set.mtus.get(p.options.base)! - 50);
        }
        if (p.kind === 'linux-bridge') {
          const trunk = trunkOf(p.options).map(([min, max]) => (min === max ? { id: min } : { 'id-range': { min, max } }));
          expect(w.bridge.port).toEqual((p.options.ports ?? []).map((name: string) => (trunk.length > 0 ? { name, vlan: { 'mode': 'trunk', 'trunk-tags': trunk } } : { name })));
          expect(w.bridge.options.stp.enabled).toBe(p.options.stp === true);
          for (const port of p.options.ports ?? []) expect(p.mtu).toBeLessThanOrEqual(set.mtus.get(port)!);
        }
        if (p.kind === 'bond') expect(w['link-aggregation'].port).toEqual(p.options.ports);
      });
      // every interface is a port of at most one bridge or bond
      const ports = written.flatMap((i: any) => [...(i.bridge?.port ?? []).map((x: any) => x.name), ...(i['link-aggregation']?.port ?? [])]);
      expect(new Set(ports).size).toBe(ports.length);
    }), { numRuns: 150 });
  });

  test('a network on a generated bridge is refused exactly when its VLAN is outside the trunk (no ports: no trunk) or its MTU above the bridge\'s', () => {
    const arb = fc.tuple(hostSet, fc.nat(), fc.integer({ min: 1, max: 4094 }), fc.integer({ min: 1000, max: 9100 }));
    assertProperty(fc.property(arb, ([set, pick, vlan, netMtu]) => {
      const bridges = set.interfaces.filter(p => p.kind === 'linux-bridge');
      const bridge = bridges[pick % bridges.length];
      const chart = Testing.chart();
      const policy = new NodeNetworkConfigurationPolicy(chart, 'hosts', { name: 'hosts', interfaces: set.interfaces.map(build) });
      new NetworkAttachmentDefinition(chart, 'net', { name: 'net', plugins: [CniPlugin.bridge({ hostBridge: policy.bridge(bridge.options.name), vlan, mtu: netMtu })] });
      const hasPorts = (bridge.options.ports ?? []).length > 0;
      const trunk = trunkOf(bridge.options);
      const mtuTooLarge = netMtu > bridge.mtu;
      const vlanOutside = !hasPorts || !trunk.some(([lo, hi]) => vlan >= lo && vlan <= hi);
      if (mtuTooLarge) {
        // the MTU is checked first
        expect(() => synthValid(chart)).toThrow(new RegExp(`\\[test/net\\] 'plugins\\[0\\]\\.mtu' is larger than the MTU ${bridge.mtu} of '${escape(bridge.options.name)}'[^]*got ${netMtu}; lower the network's mtu to ${bridge.mtu} or less`));
      } else if (vlanOutside) {
        expect(() => synthValid(chart)).toThrow(new RegExp(`\\[test/net\\] 'plugins\\[0\\]\\.vlan' (is a VLAN that the ports of bridge '${escape(bridge.options.name)}' .* do not carry|is outside the VLANs .* that the ports of bridge '${escape(bridge.options.name)}' trunk|is a VLAN on bridge '${escape(bridge.options.name)}', which the policy at .* builds without ports)[^]*, got ${vlan};`));
      } else {
        synthValid(chart);
      }
    }), { numRuns: 100 });
  });

  test('a VXLAN\'s MTU is refused one byte above its underlay less 50 (70 over IPv6), naming the interface', () => {
    const arb = fc.record({
      under: fc.option(mtu, { nil: undefined }),
      vni: fc.integer({ min: 1, max: VNI_MAX }),
      v6: fc.boolean(),
      peer: unicast,
      over: fc.integer({ min: 0, max: 1 }),
    });
    assertProperty(fc.property(arb, ({ under, vni, v6, peer, over }) => {
      const overhead = v6 ? 70 : 50;
      const ceiling = (under ?? DEFAULT_MTU) - overhead;
      const interfaces = [
        ...(under !== undefined ? [HostInterface.ethernet({ name: 'eth0', mtu: under })] : []),
        HostInterface.vxlan({ name: 'vx', id: vni, base: 'eth0', remote: v6 ? `fd00::${peer.split('.')[3]}` : peer, mtu: ceiling + over }),
      ];
      const make = () => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', { interfaces });
      const index = interfaces.length - 1;
      if (over === 0) {
        make();
      } else {
        expect(make).toThrow(new RegExp(`^\\[test/p\\] 'interfaces\\[${index}\\]\\.mtu' leaves no room for the ${overhead}-byte VXLAN header${v6 ? ' over IPv6' : ''} on underlay 'eth0' \\(MTU ${under ?? DEFAULT_MTU}${under === undefined ? ', assumed' : '\\)'}[^]*, got ${ceiling + 1}; set the VXLAN's mtu to ${ceiling} or less`));
      }
    }), { numRuns: 60 });
  });

  test('a bridge one byte above its smallest port, or a VLAN above its base, is refused naming the interface', () => {
    assertProperty(fc.property(hostSet, fc.nat(), (set, pick) => {
      const candidates = set.interfaces.map((p, k) => ({ p, k }))
        .filter(({ p }) => (p.kind === 'linux-bridge' && (p.options.ports ?? []).length > 0) || p.kind === 'vlan');
      fc.pre(candidates.length > 0);
      const { p, k } = candidates[pick % candidates.length];
      const ceiling = p.kind === 'vlan' ? set.mtus.get(p.options.base)! : Math.min(...p.options.ports.map((x: string) => set.mtus.get(x)!));
      const interfaces = set.interfaces.map((q, j) => build(j === k ? { ...q, options: { ...q.options, mtu: ceiling + 1 } } : q));
      const what = p.kind === 'vlan' ? `of its base '${escape(p.options.base)}'` : 'of its port';
      expect(() => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', { interfaces }))
        .toThrow(new RegExp(`^\\[test/p\\] 'interfaces\\[${k}\\]\\.mtu' is larger than the MTU ${ceiling} ${what}[^]*, got ${ceiling + 1};`));
    }), { numRuns: 60 });
  });

  test('two VXLANs with one VNI are refused exactly when they also share a UDP port', () => {
    const port = fc.option(fc.integer({ min: 4780, max: 4799 }), { nil: undefined });
    const arb = fc.record({ vni: fc.integer({ min: 1, max: VNI_MAX }), a: port, b: port });
    assertProperty(fc.property(arb, ({ vni, a, b }) => {
      const make = () => new NodeNetworkConfigurationPolicy(Testing.chart(), 'p', {
        interfaces: [
          HostInterface.vxlan({ name: 'vx-a', id: vni, base: 'eth0', remote: '10.0.0.2', destinationPort: a }),
          HostInterface.vxlan({ name: 'vx-b', id: vni, base: 'eth1', group: '239.1.1.1', destinationPort: b }),
        ],
      });
      if ((a ?? 4789) === (b ?? 4789)) {
        expect(make).toThrow(new RegExp(`^\\[test/p\\] 'interfaces\\[1\\]\\.id' is also the VNI of interfaces\\[0\\] on UDP port ${a ?? 4789}[^]*, got ${vni}; give each VXLAN its own VNI`));
      } else {
        make();
      }
    }), { numRuns: 40 });
  });

  test('one interface in two policies is refused exactly when some node matches both selectors', () => {
    const selector = fc.dictionary(fc.constantFrom('rack', 'zone', 'role'), fc.constantFrom('a', 'b'), { maxKeys: 3 });
    assertProperty(fc.property(hostSet, selector, selector, fc.nat(), (set, s1, s2, pick) => {
      const shared = set.interfaces[pick % set.interfaces.length];
      const chart = Testing.chart();
      new NodeNetworkConfigurationPolicy(chart, 'first', { name: 'first', nodeSelector: s1, interfaces: set.interfaces.map(build) });
      // alone in its policy, without the MTU its ports or base had in the first
      new NodeNetworkConfigurationPolicy(chart, 'second', { name: 'second', nodeSelector: s2, interfaces: [build({ ...shared, options: { ...shared.options, mtu: undefined } })] });
      const overlap = Object.keys(s1).every(key => s2[key] === undefined || s2[key] === s1[key]);
      if (overlap) {
        expect(() => synthValid(chart)).toThrow(new RegExp(`\\[test/second\\] 'interfaces\\[0\\]' writes an interface that the policy at test/first also writes[^]*, got '${escape(shared.options.name)}'; describe each interface in one policy`));
      } else {
        synthValid(chart);
      }
    }), { numRuns: 60 });
  });

  test('VXLANs of two policies are refused exactly when they share a VNI and UDP port and some node matches both selectors', () => {
    const selector = fc.dictionary(fc.constantFrom('rack', 'zone', 'role'), fc.constantFrom('a', 'b'), { maxKeys: 3 });
    // few VNIs and ports, so that both clashes and near misses come up often
    const tunnel = fc.record({ vni: fc.integer({ min: 1, max: 2 }), port: fc.constantFrom(undefined, 4789, 4790) });
    assertProperty(fc.property(tunnel, tunnel, selector, selector, (t1, t2, s1, s2) => {
      const chart = Testing.chart();
      const vxlan = (name: string, t: { vni: number; port?: number }) =>
        HostInterface.vxlan({ name, id: t.vni, base: 'eth0', group: '239.1.1.1', destinationPort: t.port });
      new NodeNetworkConfigurationPolicy(chart, 'first', { name: 'first', nodeSelector: s1, interfaces: [vxlan('vx-1', t1)] });
      new NodeNetworkConfigurationPolicy(chart, 'second', { name: 'second', nodeSelector: s2, interfaces: [vxlan('vx-2', t2)] });
      const overlap = Object.keys(s1).every(key => s2[key] === undefined || s2[key] === s1[key]);
      const port = t1.port ?? 4789;
      if (overlap && t1.vni === t2.vni && port === (t2.port ?? 4789)) {
        expect(() => synthValid(chart)).toThrow(new RegExp(`\\[test/second\\] 'interfaces\\[0\\]\\.id' is the VNI of VXLAN 'vx-2' on UDP port ${port} over IPv4, which VXLAN 'vx-1' of the policy at test/first also uses[^]*, got ${t1.vni}; keep one VXLAN per VNI and UDP port on a node`));
      } else {
        synthValid(chart);
      }
    }), { numRuns: 80 });
  });

  test('a random VxlanBridge synthesizes, sized for the overhead, and carries a network inside its trunk and MTU', () => {
    const arb = fc.record({
      vni: fc.integer({ min: 1, max: VNI_MAX }),
      // the suffix keeps one-letter names such as 'a' or 'm' out: the conformance run's iproute2 commands would read them as keywords
      underlay: stem.map(s => `${s.slice(0, 13)}-u`),
      peers: fc.option(fc.tuple(unicast, unicast).filter(([a, b]) => a !== b), { nil: undefined }),
      group,
      underlayMtu: fc.option(mtu, { nil: undefined }),
      trunk: fc.option(fc.array(trunkEntry, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      pick: fc.nat(),
    });
    assertProperty(fc.property(arb, a => {
      fc.pre(a.underlay !== `vxlan${a.vni}` && a.underlay !== 'br-vx');
      const make = () => {
        const chart = Testing.chart();
        const vx = new VxlanBridge(chart, 'vx', {
          vni: a.vni,
          underlay: a.underlay,
          group: a.peers ? undefined : a.group,
          peers: a.peers ? [{ node: 'node-a', address: a.peers[0] }, { node: 'node-b', address: a.peers[1] }] : undefined,
          underlayMtu: a.underlayMtu,
          trunkVlans: a.trunk?.map(([lo, hi]) => VlanTrunk.range(lo, hi)),
          destinationPort: a.port,
        });
        const [lo, hi] = (a.trunk ?? [[2, 4094]])[a.pick % (a.trunk?.length ?? 1)];
        new NetworkAttachmentDefinition(chart, 'net', { name: 'net', plugins: [CniPlugin.bridge({ hostBridge: vx.bridge, vlan: lo + (a.pick % (hi - lo + 1)), mtu: vx.mtu })] });
        return { vx, docs: synthValid(chart) };
      };
      const { vx, docs } = make();
      expect(make().docs).toEqual(docs);
      expect(vx.mtu).toBe((a.underlayMtu ?? DEFAULT_MTU) - 50);
      const policies = docs.filter(d => d.kind === 'NodeNetworkConfigurationPolicy');
      expect(policies).toHaveLength(a.peers ? 2 : 1);
      policies.forEach((p, i) => {
        const vxlan = p.spec.desiredState.interfaces.find((x: any) => x.type === 'vxlan');
        expect(vxlan.mtu).toBe(vx.mtu);
        expect(vxlan.vxlan.remote).toBe(a.peers ? a.peers[1 - i] : a.group);
        expect(vxlan.vxlan['destination-port']).toBe(a.port ?? 4789);
      });
    }), { numRuns: 60 });
  });
});
