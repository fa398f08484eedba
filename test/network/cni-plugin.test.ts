import { Testing } from 'cdk8s';
import { CniPlugin, Ipam, MacvlanMode, NetworkAttachmentDefinition, VlanTrunk } from '../../src';
import { findOne, synthValid } from '../util';

/** Synthesizes one network with the plugins and returns the parsed plugin list. */
function pluginsOf(...plugins: CniPlugin[]): any[] {
  const chart = Testing.chart();
  new NetworkAttachmentDefinition(chart, 'net', { name: 'net', namespace: 'ns', plugins });
  return JSON.parse(findOne(synthValid(chart), 'NetworkAttachmentDefinition', 'net').spec.config).plugins;
}

function build(...plugins: CniPlugin[]): void {
  new NetworkAttachmentDefinition(Testing.chart(), 'net', { name: 'net', namespace: 'ns', plugins });
}

const WB = Ipam.whereabouts({ range: '10.20.0.0/24' });

describe('CniPlugin.bridge', () => {
  test('renders every option with the plugin\'s names, type first and ipam last', () => {
    const [p] = pluginsOf(CniPlugin.bridge({
      ipam: WB,
      macspoofchk: true,
      hairpinMode: false,
      promiscMode: true,
      ipMasq: true,
      isDefaultGateway: true,
      isGateway: true,
      mtu: 9000,
      preserveDefaultVlan: false,
      vlan: 1234,
      bridge: 'br1',
    }));
    expect(Object.keys(p)).toEqual(['type', 'bridge', 'vlan', 'preserveDefaultVlan', 'mtu', 'isGateway', 'isDefaultGateway', 'ipMasq', 'promiscMode', 'hairpinMode', 'macspoofchk', 'ipam']);
    expect(p).toMatchObject({ type: 'bridge', bridge: 'br1', vlan: 1234, preserveDefaultVlan: false, mtu: 9000, isGateway: true, isDefaultGateway: true, ipMasq: true, promiscMode: true, hairpinMode: false, macspoofchk: true });
    expect(p.ipam.type).toBe('whereabouts');
  });

  test('renders only the type by default (cni0, layer 2 only)', () => {
    expect(pluginsOf(CniPlugin.bridge())).toEqual([{ type: 'bridge' }]);
  });

  test('renders a VLAN trunk of single ids and ranges', () => {
    const [p] = pluginsOf(CniPlugin.bridge({ bridge: 'br1', vlanTrunk: [VlanTrunk.id(101), VlanTrunk.range(200, 299)] }));
    expect(p.vlanTrunk).toEqual([{ id: 101 }, { minID: 200, maxID: 299 }]);
  });

  test.each([0, 4095, 5000, -1, 1.5])('throws on VLAN %p', (vlan) => {
    expect(() => build(CniPlugin.bridge({ bridge: 'br1', vlan })))
      .toThrow(new RegExp(`^\\[test/net\\] 'plugins\\[0\\]\\.vlan' must be a whole number between 1 and 4094, got ${String(vlan).replace('.', '\\.')}; pick a VLAN id in that range`));
  });

  test('accepts VLANs 1 and 4094', () => {
    expect(pluginsOf(CniPlugin.bridge({ bridge: 'br1', vlan: 1 }))[0].vlan).toBe(1);
    expect(pluginsOf(CniPlugin.bridge({ bridge: 'br2', vlan: 4094 }))[0].vlan).toBe(4094);
  });

  test('throws on bad trunk entries', () => {
    expect(() => build(CniPlugin.bridge({ vlanTrunk: [VlanTrunk.id(4095)] }))).toThrow(/'plugins\[0\]\.vlanTrunk\[0\]\.id' must be a whole number between 1 and 4094, got 4095/);
    expect(() => build(CniPlugin.bridge({ vlanTrunk: [VlanTrunk.range(300, 200)] }))).toThrow(/'plugins\[0\]\.vlanTrunk\[0\]\.minId' must not be above maxId 200, got 300; swap minId and maxId/);
    expect(() => build(CniPlugin.bridge({ vlanTrunk: [VlanTrunk.range(1, 5000)] }))).toThrow(/'plugins\[0\]\.vlanTrunk\[0\]\.maxId' must be a whole number between 1 and 4094/);
    expect(() => build(CniPlugin.bridge({ vlanTrunk: [] }))).toThrow(/'plugins\[0\]\.vlanTrunk' must list at least one VLAN/);
  });

  test('throws when vlan and vlanTrunk are combined', () => {
    expect(() => build(CniPlugin.bridge({ vlan: 10, vlanTrunk: [VlanTrunk.id(11)] })))
      .toThrow(/'plugins\[0\]\.vlanTrunk' cannot be combined with vlan, got \[\{"id":11\}\]; use vlan for an access port or vlanTrunk for a trunk port/);
  });

  test('throws on a bridge name the kernel refuses', () => {
    expect(() => build(CniPlugin.bridge({ bridge: 'a-very-long-bridge-name' })))
      .toThrow(/'plugins\[0\]\.bridge' must be at most 15 characters, the kernel limit for interface names \(it is 23\), got 'a-very-long-bridge-name'/);
  });

  test('throws when promiscMode and hairpinMode are both on', () => {
    expect(() => build(CniPlugin.bridge({ promiscMode: true, hairpinMode: true })))
      .toThrow(/^\[test\/net\] 'plugins\[0\]\.promiscMode' cannot be combined with hairpinMode: the bridge plugin refuses to set both, got true; keep only one/);
  });

  test('throws on an MTU out of range', () => {
    expect(() => build(CniPlugin.bridge({ mtu: 20 }))).toThrow(/'plugins\[0\]\.mtu' must be a whole number between 68 and 65535, got 20/);
  });

  test('reports IPAM problems under the plugin\'s prop path', () => {
    expect(() => build(CniPlugin.bridge({ ipam: Ipam.whereabouts({ range: 'x' }) }))).toThrow(/'plugins\[0\]\.ipam\.range'/);
  });
});

describe('CniPlugin.macvlan', () => {
  test('renders master, mode, mtu and ipam in order', () => {
    const [p] = pluginsOf(CniPlugin.macvlan({ ipam: WB, mtu: 1400, mode: MacvlanMode.VEPA, master: 'eth1' }));
    expect(Object.keys(p)).toEqual(['type', 'master', 'mode', 'mtu', 'ipam']);
    expect(p).toMatchObject({ type: 'macvlan', master: 'eth1', mode: 'vepa', mtu: 1400 });
  });

  test('renders every mode', () => {
    const modes = [MacvlanMode.BRIDGE, MacvlanMode.PRIVATE, MacvlanMode.VEPA, MacvlanMode.PASSTHRU];
    expect(modes.map(mode => pluginsOf(CniPlugin.macvlan({ mode }))[0].mode)).toEqual(['bridge', 'private', 'vepa', 'passthru']);
  });

  test('leaves master out by default (the node\'s default route interface)', () => {
    expect(pluginsOf(CniPlugin.macvlan())).toEqual([{ type: 'macvlan' }]);
  });

  test('throws on a bad master or mode', () => {
    expect(() => build(CniPlugin.macvlan({ master: 'eth 1' }))).toThrow(/'plugins\[0\]\.master' must be an interface name without/);
    expect(() => build(CniPlugin.macvlan({ mode: 'switch' as MacvlanMode }))).toThrow(/'plugins\[0\]\.mode' must be one of bridge, private, vepa, passthru, got 'switch'/);
  });
});

describe('CniPlugin.ovs', () => {
  test('renders bridge, vlan, trunk, mtu and ipam in order', () => {
    const [p] = pluginsOf(CniPlugin.ovs({ ipam: WB, mtu: 9000, vlan: 100, bridge: 'ovsbr1' }));
    expect(Object.keys(p)).toEqual(['type', 'bridge', 'vlan', 'mtu', 'ipam']);
    expect(pluginsOf(CniPlugin.ovs({ bridge: 'ovsbr1', trunk: [VlanTrunk.id(42), VlanTrunk.range(1000, 1010)] }))[0])
      .toEqual({ type: 'ovs', bridge: 'ovsbr1', trunk: [{ id: 42 }, { minID: 1000, maxID: 1010 }] });
  });

  test('throws on a bad VLAN or trunk', () => {
    expect(() => build(CniPlugin.ovs({ bridge: 'ovsbr1', vlan: 4095 }))).toThrow(/'plugins\[0\]\.vlan' must be a whole number between 1 and 4094, got 4095/);
    expect(() => build(CniPlugin.ovs({ bridge: 'ovsbr1', trunk: [VlanTrunk.id(0)] }))).toThrow(/'plugins\[0\]\.trunk\[0\]\.id'/);
    expect(() => build(CniPlugin.ovs({ bridge: '' }))).toThrow(/'plugins\[0\]\.bridge' must be a non-empty interface name/);
  });
});

describe('CniPlugin.tuning', () => {
  test('renders its fields after the interface plugin, sysctls sorted', () => {
    const plugins = pluginsOf(
      CniPlugin.bridge({ bridge: 'br1' }),
      CniPlugin.tuning({ sysctl: { 'net.ipv4.conf.IFNAME.arp_notify': '1', 'net.core.somaxconn': '500' }, allmulti: true, promisc: false, mtu: 1450, mac: '02:00:00:00:00:01' }),
    );
    expect(Object.keys(plugins[1])).toEqual(['type', 'mac', 'mtu', 'promisc', 'allmulti', 'sysctl']);
    expect(Object.keys(plugins[1].sysctl)).toEqual(['net.core.somaxconn', 'net.ipv4.conf.IFNAME.arp_notify']);
  });

  test('throws when it is the first plugin', () => {
    expect(() => build(CniPlugin.tuning({ mtu: 1400 })))
      .toThrow(/^\[test\/net\] 'plugins\[0\]' cannot be first: it adjusts the interface an earlier plugin creates, got 'tuning'; put an interface plugin/);
  });

  test('throws on non-network sysctls, non-string values and bad MACs', () => {
    expect(() => build(CniPlugin.bridge(), CniPlugin.tuning({ sysctl: { 'kernel.pid_max': '4' } })))
      .toThrow(/'plugins\[1\]\.sysctl\['kernel\.pid_max'\]' must be a network sysctl/);
    expect(() => build(CniPlugin.bridge(), CniPlugin.tuning({ sysctl: { 'net.core.somaxconn': 500 as any } })))
      .toThrow(/'plugins\[1\]\.sysctl\['net\.core\.somaxconn'\]' must be a string, got 500/);
    expect(() => build(CniPlugin.bridge(), CniPlugin.tuning({ mac: '02:00:00:00:01' }))).toThrow(/'plugins\[1\]\.mac' must be a MAC address/);
  });
});

describe('CniPlugin.custom', () => {
  test('renders type first and the other keys sorted at every depth, keeping array order', () => {
    const [p] = pluginsOf(CniPlugin.custom({ zeta: { b: 1, a: 2 }, type: 'vendor-cni', alpha: [{ y: 1, x: 2 }, 3] }));
    expect(JSON.stringify(p)).toBe('{"type":"vendor-cni","alpha":[{"x":2,"y":1},3],"zeta":{"a":2,"b":1}}');
  });

  test('exposes its type', () => {
    expect(CniPlugin.custom({ type: 'sbr' }).type).toBe('sbr');
  });

  test('throws without a type', () => {
    expect(() => build(CniPlugin.custom({ master: 'eth0' })))
      .toThrow(/'plugins\[0\]\.type' must be the plugin binary name, got undefined; add a type/);
  });
});
