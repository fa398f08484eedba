import { Testing } from 'cdk8s';
import { CniPlugin, Ipam, NetworkAttachmentDefinition, Route } from '../../src';
import { findOne, synthValid } from '../util';

/** Synthesizes one bridge network with the given IPAM and returns its ipam object. */
function ipamOf(ipam: Ipam): any {
  const chart = Testing.chart();
  new NetworkAttachmentDefinition(chart, 'net', { name: 'net', namespace: 'ns', plugins: [CniPlugin.bridge({ bridge: 'br1', ipam })] });
  const doc = findOne(synthValid(chart), 'NetworkAttachmentDefinition', 'net');
  return JSON.parse(doc.spec.config).plugins[0].ipam;
}

/** Builds a network with the IPAM, for tests that expect it to throw. */
function build(ipam: Ipam): void {
  const chart = Testing.chart();
  new NetworkAttachmentDefinition(chart, 'net', { name: 'net', namespace: 'ns', plugins: [CniPlugin.bridge({ bridge: 'br1', ipam })] });
}

describe('Route', () => {
  test('defaultVia picks the default destination of the gateway\'s IP version', () => {
    expect(Route.defaultVia('10.0.0.1').destination).toBe('0.0.0.0/0');
    expect(Route.defaultVia('fd00::1').destination).toBe('::/0');
  });

  test('to keeps the destination and the optional gateway', () => {
    const r = Route.to('192.168.0.0/16', '10.0.0.1');
    expect(r.destination).toBe('192.168.0.0/16');
    expect(r.gateway).toBe('10.0.0.1');
    expect(Route.to('192.168.0.0/16').gateway).toBeUndefined();
  });

  test('renders dst and gw, leaving gw out when not given', () => {
    const ipam = ipamOf(Ipam.whereabouts({
      range: '10.0.0.0/24',
      routes: [Route.defaultVia('10.0.0.1'), Route.to('192.168.0.0/16')],
    }));
    expect(ipam.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.0.0.1' }, { dst: '192.168.0.0/16' }]);
  });

  test('throws when the default gateway is not an address', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', routes: [Route.defaultVia('10.0.0')] })))
      .toThrow(/^\[test\/net\] 'plugins\[0\]\.ipam\.routes\[0\]\.gateway' must be an IPv4 or IPv6 address .*, got '10\.0\.0'; write a single address/);
  });

  test('throws when the destination is not a CIDR block', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', routes: [Route.to('192.168.0.0')] })))
      .toThrow(/'plugins\[0\]\.ipam\.routes\[0\]\.destination' must be a CIDR block .*, got '192\.168\.0\.0'/);
  });

  test('throws when gateway and destination differ in IP version', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', routes: [Route.to('fd00::/64', '10.0.0.1')] })))
      .toThrow(/'plugins\[0\]\.ipam\.routes\[0\]\.gateway' must be an IPv6 address like its destination fd00::\/64, got '10\.0\.0\.1'/);
  });

  test('throws when the gateway is outside the network\'s subnet', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', routes: [Route.defaultVia('10.0.1.1')] })))
      .toThrow(/'plugins\[0\]\.ipam\.routes\[0\]\.gateway' must lie inside the network's subnet \(10\.0\.0\.0\/24\) to be reachable, got '10\.0\.1\.1'; use a next hop on the attached network/);
  });

  test('refuses a route through a gateway of an IP version the network gives no address of', () => {
    expect(() => build(Ipam.hostLocal({ subnet: '10.0.0.0/24', routes: [Route.to('fd99::/48', 'fd00::1')] }))).toThrow(
      /'plugins\[0\]\.ipam\.routes\[0\]\.gateway' is unreachable: the network gives no IPv6 address \(its subnets are 10\.0\.0\.0\/24\), got 'fd00::1'; add an IPv6 range to the network, or drop the route/);
  });
});

describe('Ipam.whereabouts', () => {
  test('renders every field with whereabouts names in a fixed order', () => {
    const ipam = ipamOf(Ipam.whereabouts({
      networkName: 'pool-a',
      gateway: '10.123.124.1',
      exclude: ['10.123.124.0/28', '10.123.124.200/32'],
      rangeEnd: '10.123.124.250',
      rangeStart: '10.123.124.10',
      range: '10.123.124.0/24',
      routes: [Route.defaultVia('10.123.124.1')],
    }));
    expect(Object.keys(ipam)).toEqual(['type', 'range', 'range_start', 'range_end', 'exclude', 'gateway', 'routes', 'network_name']);
    expect(ipam).toEqual({
      type: 'whereabouts',
      range: '10.123.124.0/24',
      range_start: '10.123.124.10',
      range_end: '10.123.124.250',
      exclude: ['10.123.124.0/28', '10.123.124.200/32'],
      gateway: '10.123.124.1',
      routes: [{ dst: '0.0.0.0/0', gw: '10.123.124.1' }],
      network_name: 'pool-a',
    });
  });

  test('renders only type and range by default', () => {
    expect(ipamOf(Ipam.whereabouts({ range: 'fd00:10::/64' }))).toEqual({ type: 'whereabouts', range: 'fd00:10::/64' });
  });

  test('exposes its type', () => {
    expect(Ipam.whereabouts({ range: '10.0.0.0/24' }).type).toBe('whereabouts');
  });

  test('throws on a malformed range', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/33' })))
      .toThrow(/^\[test\/net\] 'plugins\[0\]\.ipam\.range' must be a CIDR block such as 10\.0\.0\.0\/24 or fd00::\/64, got '10\.0\.0\.0\/33'; write/);
  });

  test('throws on the range-end syntax and points to rangeEnd', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.5-10.0.0.9/24' })))
      .toThrow(/'plugins\[0\]\.ipam\.range' must be a CIDR block .*give the last address as rangeEnd/);
  });

  test('throws when rangeStart is outside the range', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', rangeStart: '10.0.1.5' })))
      .toThrow(/'plugins\[0\]\.ipam\.rangeStart' must lie inside the range 10\.0\.0\.0\/24, got '10\.0\.1\.5'; pick an address between 10\.0\.0\.0 and 10\.0\.0\.255/);
  });

  test('throws when rangeEnd is outside the range or of the other IP version', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', rangeEnd: '10.0.2.5' })))
      .toThrow(/'plugins\[0\]\.ipam\.rangeEnd' must lie inside the range/);
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', rangeEnd: 'fd00::5' })))
      .toThrow(/'plugins\[0\]\.ipam\.rangeEnd' must lie inside the range/);
  });

  test('throws when rangeStart comes after rangeEnd', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', rangeStart: '10.0.0.50', rangeEnd: '10.0.0.10' })))
      .toThrow(/'plugins\[0\]\.ipam\.rangeStart' must not come after rangeEnd 10\.0\.0\.10, got '10\.0\.0\.50'; swap rangeStart and rangeEnd/);
  });

  test('throws when an exclude block is malformed', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', exclude: ['10.0.0.300/32'] })))
      .toThrow(/'plugins\[0\]\.ipam\.exclude\[0\]' must be a CIDR block/);
  });

  test('throws when an exclude block is outside the range', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', exclude: ['10.0.0.0/28', '10.0.0.0/16'] })))
      .toThrow(/'plugins\[0\]\.ipam\.exclude\[1\]' must lie inside the range 10\.0\.0\.0\/24, got '10\.0\.0\.0\/16'; exclude only blocks of the range/);
  });

  test('throws when the exclusions leave nothing to allocate', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', rangeStart: '10.0.0.10', rangeEnd: '10.0.0.20', exclude: ['10.0.0.0/27'] })))
      .toThrow(/'plugins\[0\]\.ipam\.exclude' leaves no address to allocate in 10\.0\.0\.10-10\.0\.0\.20 \(whereabouts never hands out the network and broadcast addresses\), got \["10\.0\.0\.0\/27"\]; exclude fewer addresses or widen the range/);
  });

  test('keeps the gateway and in-range next hops out of the pool, after the user\'s own excludes', () => {
    // whereabouts v0.9.4 hands out the lowest free address first and never skips the gateway on its own
    const ipam = ipamOf(Ipam.whereabouts({
      range: '10.123.124.0/24',
      gateway: '10.123.124.1',
      exclude: ['10.123.124.128/25'],
      routes: [Route.defaultVia('10.123.124.1'), Route.to('192.168.0.0/16', '10.123.124.2'), Route.to('172.16.0.0/12', '10.123.124.200')],
    }));
    // .200 lies in an excluded block already
    expect(ipam.exclude).toEqual(['10.123.124.128/25', '10.123.124.1/32', '10.123.124.2/32']);
    const v6 = ipamOf(Ipam.whereabouts({ range: 'fd00:10::/64', routes: [Route.defaultVia('fd00:10::1')] }));
    expect(v6.exclude).toEqual(['fd00:10::1/128']);
  });

  test('leaves a gateway outside rangeStart..rangeEnd alone', () => {
    const ipam = ipamOf(Ipam.whereabouts({ range: '10.0.0.0/24', rangeStart: '10.0.0.10', gateway: '10.0.0.1' }));
    expect(ipam.exclude).toBeUndefined();
  });

  test.each(['10.0.0.0/31', '10.0.0.4/32', 'fd00::/127', 'fd00::1/128'])('refuses the block %p, which has no address whereabouts can hand out', (range) => {
    expect(() => build(Ipam.whereabouts({ range })))
      .toThrow(/'plugins\[0\]\.ipam\.range' has no address whereabouts can hand out: a \/(31|32|127|128) block has no host addresses besides its network and broadcast address/);
  });

  test('refuses excludes that leave only the network and broadcast addresses, which whereabouts never hands out', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/29', exclude: ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32'] })))
      .toThrow(/'plugins\[0\]\.ipam\.exclude' leaves no address to allocate in 10\.0\.0\.1-10\.0\.0\.6/);
    // the gateway counts too: a /30 whose other usable address is excluded
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/30', gateway: '10.0.0.1', exclude: ['10.0.0.2/32'] })))
      .toThrow(/leaves no address to allocate in 10\.0\.0\.1-10\.0\.0\.2 \(whereabouts never hands out the network and broadcast addresses or the gateway\)/);
    expect(ipamOf(Ipam.whereabouts({ range: '10.0.0.0/30', gateway: '10.0.0.1' })).exclude).toEqual(['10.0.0.1/32']);
  });

  test('throws when the gateway is outside the range', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.123.124.0/24', gateway: '10.123.125.1' })))
      .toThrow(/^\[test\/net\] 'plugins\[0\]\.ipam\.gateway' must lie inside the range 10\.123\.124\.0\/24, got '10\.123\.125\.1'/);
  });

  test('throws when networkName is not a DNS-1123 label', () => {
    expect(() => build(Ipam.whereabouts({ range: '10.0.0.0/24', networkName: 'Pool_A' })))
      .toThrow(/'plugins\[0\]\.ipam\.networkName' must be a DNS-1123 label.*got 'Pool_A'; use a short lowercase name/);
  });
});

describe('Ipam.hostLocal', () => {
  test('renders a single subnet as one range set', () => {
    expect(ipamOf(Ipam.hostLocal({ subnet: '10.10.0.0/24', rangeStart: '10.10.0.10', rangeEnd: '10.10.0.20', gateway: '10.10.0.1', routes: [Route.defaultVia('10.10.0.1')] })))
      .toEqual({
        type: 'host-local',
        ranges: [[{ subnet: '10.10.0.0/24', rangeStart: '10.10.0.10', rangeEnd: '10.10.0.20', gateway: '10.10.0.1' }]],
        routes: [{ dst: '0.0.0.0/0', gw: '10.10.0.1' }],
      });
  });

  test('renders range sets as given (dual stack)', () => {
    expect(ipamOf(Ipam.hostLocal({ ranges: [[{ subnet: '10.10.0.0/24' }, { subnet: '10.20.0.0/24' }], [{ subnet: 'fd00:10::/64', gateway: 'fd00:10::1' }]] })))
      .toEqual({
        type: 'host-local',
        ranges: [[{ subnet: '10.10.0.0/24' }, { subnet: '10.20.0.0/24' }], [{ subnet: 'fd00:10::/64', gateway: 'fd00:10::1' }]],
      });
  });

  test('throws without subnet or ranges', () => {
    expect(() => build(Ipam.hostLocal({}))).toThrow(/'plugins\[0\]\.ipam\.subnet' is required when ranges is not given, got undefined; set subnet/);
  });

  test('throws when subnet and ranges are both given', () => {
    expect(() => build(Ipam.hostLocal({ subnet: '10.0.0.0/24', ranges: [[{ subnet: '10.1.0.0/24' }]] })))
      .toThrow(/'plugins\[0\]\.ipam\.ranges' cannot be combined with subnet/);
  });

  test('throws on empty range lists', () => {
    expect(() => build(Ipam.hostLocal({ ranges: [] }))).toThrow(/'plugins\[0\]\.ipam\.ranges' must hold at least one range set/);
    expect(() => build(Ipam.hostLocal({ ranges: [[]] }))).toThrow(/'plugins\[0\]\.ipam\.ranges\[0\]' must hold at least one range/);
  });

  test('throws on a malformed subnet inside a range set', () => {
    expect(() => build(Ipam.hostLocal({ ranges: [[{ subnet: '10.0.0.0/24' }, { subnet: 'nope' }]] })))
      .toThrow(/'plugins\[0\]\.ipam\.ranges\[0\]\[1\]\.subnet' must be a CIDR block/);
  });

  test('throws when range start, end or gateway are outside the subnet', () => {
    expect(() => build(Ipam.hostLocal({ subnet: '10.0.0.0/24', rangeStart: '10.0.9.1' }))).toThrow(/'plugins\[0\]\.ipam\.rangeStart' must lie inside the subnet 10\.0\.0\.0\/24/);
    expect(() => build(Ipam.hostLocal({ subnet: '10.0.0.0/24', rangeEnd: '10.0.9.1' }))).toThrow(/'plugins\[0\]\.ipam\.rangeEnd' must lie inside the subnet/);
    expect(() => build(Ipam.hostLocal({ ranges: [[{ subnet: '10.0.0.0/24', gateway: '10.0.9.1' }]] }))).toThrow(/'plugins\[0\]\.ipam\.ranges\[0\]\[0\]\.gateway' must lie inside the subnet/);
  });

  test('refuses a route next hop that host-local could hand to a VM, and accepts one outside the range or its gateway', () => {
    expect(() => build(Ipam.hostLocal({ subnet: '10.0.0.0/24', routes: [Route.to('192.168.0.0/16', '10.0.0.5')] })))
      .toThrow(/'plugins\[0\]\.ipam\.routes\[0\]\.gateway' lies in the addresses host-local hands out \(plugins\[0\]\.ipam\.subnet\), so a VM could get the router's address, got '10\.0\.0\.5'; set rangeStart or rangeEnd/);
    expect(ipamOf(Ipam.hostLocal({ subnet: '10.0.0.0/24', rangeStart: '10.0.0.10', routes: [Route.to('192.168.0.0/16', '10.0.0.5')] })).routes)
      .toEqual([{ dst: '192.168.0.0/16', gw: '10.0.0.5' }]);
    // host-local skips its own gateway (default: the first address)
    expect(ipamOf(Ipam.hostLocal({ subnet: '10.0.0.0/24', routes: [Route.defaultVia('10.0.0.1')] })).routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.0.0.1' }]);
  });

  test('throws when range start comes after range end', () => {
    expect(() => build(Ipam.hostLocal({ subnet: '10.0.0.0/24', rangeStart: '10.0.0.9', rangeEnd: '10.0.0.2' })))
      .toThrow(/'plugins\[0\]\.ipam\.rangeStart' must not come after rangeEnd 10\.0\.0\.2/);
  });
});

describe('Ipam.staticAddresses', () => {
  test('renders addresses and routes', () => {
    expect(ipamOf(Ipam.staticAddresses({ addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }, { address: 'fd00::5/64' }], routes: [Route.to('192.168.0.0/16', '10.10.0.1')] })))
      .toEqual({
        type: 'static',
        addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }, { address: 'fd00::5/64' }],
        routes: [{ dst: '192.168.0.0/16', gw: '10.10.0.1' }],
      });
  });

  test('throws without addresses', () => {
    expect(() => build(Ipam.staticAddresses({ addresses: [] }))).toThrow(/'plugins\[0\]\.ipam\.addresses' must hold at least one address/);
  });

  test('throws on an address without prefix length', () => {
    expect(() => build(Ipam.staticAddresses({ addresses: [{ address: '10.10.0.5' }] })))
      .toThrow(/'plugins\[0\]\.ipam\.addresses\[0\]\.address' must be a CIDR block .*, got '10\.10\.0\.5'/);
  });

  test('throws on the network or broadcast address of the subnet', () => {
    expect(() => build(Ipam.staticAddresses({ addresses: [{ address: '10.10.0.0/24' }] })))
      .toThrow(/'plugins\[0\]\.ipam\.addresses\[0\]\.address' must be a host address of its subnet 10\.10\.0\.0\/24, not its network address, got '10\.10\.0\.0\/24'; pick an address between 10\.10\.0\.1 and 10\.10\.0\.254/);
    expect(() => build(Ipam.staticAddresses({ addresses: [{ address: '10.10.0.255/24' }] })))
      .toThrow(/not its broadcast address/);
  });

  test('throws when the gateway is outside the address\'s subnet', () => {
    expect(() => build(Ipam.staticAddresses({ addresses: [{ address: '10.10.0.5/24', gateway: '10.10.1.1' }] })))
      .toThrow(/'plugins\[0\]\.ipam\.addresses\[0\]\.gateway' must lie inside the subnet of the address 10\.10\.0\.0\/24, got '10\.10\.1\.1'/);
  });
});

describe('Ipam.dhcp and Ipam.none', () => {
  test('dhcp renders only its type', () => {
    expect(ipamOf(Ipam.dhcp())).toEqual({ type: 'dhcp' });
  });

  test('none leaves the ipam key out', () => {
    expect(ipamOf(Ipam.none())).toBeUndefined();
    expect(Ipam.none().type).toBeUndefined();
  });
});
