import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CniPlugin, Ipam, NetworkAttachmentDefinition, Route } from '../../src/network';
import { formatIp } from '../../src/validation';
import { assertProperty } from '../property';
import { findOne, synthValid } from '../util';

const validVlan = fc.integer({ min: 1, max: 4094 });
const invalidVlan = fc.oneof(
  fc.integer({ min: -100000, max: 0 }),
  fc.integer({ min: 4095, max: 100000 }),
  fc.double({ min: 1.01, max: 4093.99, noInteger: true }),
);

/** A random IPv4 /16../28 block with an ordered start/end inside it and a gateway. */
const ipv4Pool = fc.record({
  prefix: fc.integer({ min: 16, max: 28 }),
  base: fc.integer({ min: 0x0a000000, max: 0x0affffff }),
  a: fc.nat(),
  b: fc.nat(),
  g: fc.nat(),
}).map(({ prefix, base, a, b, g }) => {
  const size = 2 ** (32 - prefix);
  const first = Math.floor(base / size) * size;
  const offsets = [1 + (a % (size - 2)), 1 + (b % (size - 2))].sort((x, y) => x - y);
  const ip = (n: number) => formatIp(4, BigInt(n));
  return {
    range: `${ip(first)}/${prefix}`,
    rangeStart: ip(first + offsets[0]),
    rangeEnd: ip(first + offsets[1]),
    gateway: ip(first + 1 + (g % (size - 2))),
    outside: ip(first + size),
  };
});

describe('networks (property)', () => {
  test('valid VLANs and pools always synthesize schema-valid configs with those values', () => {
    assertProperty(fc.property(validVlan, ipv4Pool, (vlan, pool) => {
      const chart = Testing.chart();
      new NetworkAttachmentDefinition(chart, 'net', {
        name: 'net',
        namespace: 'ns',
        plugins: [CniPlugin.bridge({
          bridge: 'br1',
          vlan,
          ipam: Ipam.whereabouts({
            range: pool.range, rangeStart: pool.rangeStart, rangeEnd: pool.rangeEnd, gateway: pool.gateway, routes: [Route.defaultVia(pool.gateway)],
          }),
        })],
      });
      const config = JSON.parse(findOne(synthValid(chart), 'NetworkAttachmentDefinition').spec.config);
      expect(config.plugins[0].vlan).toBe(vlan);
      expect(config.plugins[0].ipam).toMatchObject({
        range: pool.range, range_start: pool.rangeStart, range_end: pool.rangeEnd, gateway: pool.gateway,
      });
    }), { numRuns: 15 });
  });

  test('VLANs outside 1-4094 always throw naming the prop and value', () => {
    assertProperty(fc.property(invalidVlan, vlan => {
      expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', { plugins: [CniPlugin.bridge({ vlan })] }))
        .toThrow(/^\[test\/net\] 'plugins\[0\]\.vlan' must be a whole number between 1 and 4094, got (-?[0-9.e+-]+|NaN|-?Infinity); pick a VLAN id/);
    }));
  });

  test('a gateway just outside the pool always throws', () => {
    assertProperty(fc.property(ipv4Pool, pool => {
      expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', {
        plugins: [CniPlugin.bridge({ ipam: Ipam.whereabouts({ range: pool.range, gateway: pool.outside }) })],
      })).toThrow(new RegExp(`'plugins\\[0\\]\\.ipam\\.gateway' must lie inside the range ${pool.range.replace(/\./g, '\\.')}, got '${pool.outside.replace(/\./g, '\\.')}'`));
    }));
  });

  test('swapped range bounds always throw', () => {
    assertProperty(fc.property(ipv4Pool.filter(p => p.rangeStart !== p.rangeEnd), pool => {
      expect(() => new NetworkAttachmentDefinition(Testing.chart(), 'net', {
        plugins: [CniPlugin.bridge({ ipam: Ipam.whereabouts({ range: pool.range, rangeStart: pool.rangeEnd, rangeEnd: pool.rangeStart }) })],
      })).toThrow(/'plugins\[0\]\.ipam\.rangeStart' must not come after rangeEnd/);
    }));
  });

  test('two networks on one bridge and VLAN conflict exactly when their pools share an address', () => {
    assertProperty(fc.property(validVlan, ipv4Pool, ipv4Pool, (vlan, p, q) => {
      const chart = Testing.chart();
      const make = (id: string, pool: typeof p) => new NetworkAttachmentDefinition(chart, id, {
        name: id,
        namespace: 'ns',
        plugins: [CniPlugin.bridge({ bridge: 'br1', vlan, ipam: Ipam.whereabouts({ range: pool.range, rangeStart: pool.rangeStart, rangeEnd: pool.rangeEnd, networkName: id }) })],
      });
      const a = make('a', p);
      const b = make('b', q);
      const n = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
      const overlap = n(p.rangeStart) <= n(q.rangeEnd) && n(q.rangeStart) <= n(p.rangeEnd);
      const errors = [...a.node.validate(), ...b.node.validate()];
      expect(errors.length > 0).toBe(overlap);
    }), { numRuns: 200 });
  });
});
