import { summarizeCniConfig } from '../../src/topology/cni-summary';

describe('summarizeCniConfig', () => {
  test('reads a bridge conflist with VLAN and whereabouts range', () => {
    const config = JSON.stringify({
      cniVersion: '1.0.0',
      name: 'n',
      plugins: [
        { type: 'bridge', bridge: 'br1', vlan: 100, ipam: { type: 'whereabouts', range: '10.0.100.0/24', range_start: '10.0.100.10' } },
        { type: 'tuning' },
      ],
    });
    expect(summarizeCniConfig(config)).toEqual({
      type: 'bridge',
      device: 'bridge br1',
      vlan: 100,
      ranges: ['10.0.100.0/24 [10.0.100.10-last]'],
      line: 'bridge br1 · VLAN 100 · 10.0.100.0/24 [10.0.100.10-last]',
    });
  });

  test('skips plugins that only tune another plugin\'s interface', () => {
    const config = JSON.stringify({ plugins: [{ type: 'tuning' }, { type: 'macvlan', master: 'eth1', ipam: { type: 'dhcp' } }] });
    expect(summarizeCniConfig(config).line).toBe('macvlan master eth1 · dhcp');
  });

  test('reads a single plugin config and whereabouts ipRanges', () => {
    const config = JSON.stringify({
      type: 'ovs',
      bridge: 'br-ovs',
      vlan: 12,
      ipam: { type: 'whereabouts', ipRanges: [{ range: '10.1.0.0/24' }, { range: 'fd00::/64', range_end: 'fd00::ff' }] },
    });
    expect(summarizeCniConfig(config)).toMatchObject({
      type: 'ovs',
      vlan: 12,
      ranges: ['10.1.0.0/24', 'fd00::/64 [first-fd00::ff]'],
      line: 'ovs bridge br-ovs · VLAN 12 · 10.1.0.0/24 · fd00::/64 [first-fd00::ff]',
    });
  });

  test('reads host-local subnets and range sets', () => {
    const flat = { type: 'bridge', bridge: 'b', ipam: { type: 'host-local', subnet: '10.2.0.0/16', rangeStart: '10.2.0.10', rangeEnd: '10.2.0.20' } };
    expect(summarizeCniConfig(JSON.stringify(flat)).ranges).toEqual(['10.2.0.0/16 [10.2.0.10-10.2.0.20]']);
    const sets = { type: 'bridge', bridge: 'b', ipam: { type: 'host-local', ranges: [[{ subnet: '10.3.0.0/24' }], [{ subnet: 'fd03::/64' }]] } };
    expect(summarizeCniConfig(JSON.stringify(sets)).ranges).toEqual(['10.3.0.0/24', 'fd03::/64']);
  });

  test('reads static addresses', () => {
    const config = { type: 'host-device', device: 'ens5', ipam: { type: 'static', addresses: [{ address: '192.168.5.4/24' }] } };
    expect(summarizeCniConfig(JSON.stringify(config)).line).toBe('host-device device ens5 · 192.168.5.4/24');
  });

  test('says when there is no IPAM or an IPAM without ranges', () => {
    expect(summarizeCniConfig('{"type":"bridge","bridge":"br0"}').line).toBe('bridge br0 · no IPAM');
    expect(summarizeCniConfig('{"type":"bridge","bridge":"br0","ipam":{"type":"custom-ipam"}}').line).toBe('bridge br0 · custom-ipam IPAM');
  });

  test('ignores VLAN values that are not positive integers', () => {
    expect(summarizeCniConfig('{"type":"bridge","bridge":"br0","vlan":"100"}').vlan).toBeUndefined();
    expect(summarizeCniConfig('{"type":"bridge","bridge":"br0","vlan":0}').vlan).toBeUndefined();
  });

  test('never throws on configs it cannot read', () => {
    expect(summarizeCniConfig(undefined).line).toBe('config kept on the nodes');
    expect(summarizeCniConfig('{oops').line).toBe('config is not JSON');
    expect(summarizeCniConfig('[1,2]').line).toBe('config is not a JSON object');
    expect(summarizeCniConfig('{"plugins":[]}').line).toBe('unknown plugin · no IPAM');
    expect(summarizeCniConfig('{"plugins":"x","type":"bridge"}').line).toBe('bridge · no IPAM');
  });
});
