import { cidrContains, formatCidrNetwork, formatIp, parseCidr, parseIp, rangesOverlap } from '../../src/validation';

describe('parseIp', () => {
  test.each([
    ['10.123.124.1', 4, 0x0a7b7c01n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::1', 6, 1n],
    ['::', 6, 0n],
    ['fd00:10::5', 6, 0xfd000010000000000000000000000005n],
    ['::ffff:10.0.0.1', 6, 0xffff0a000001n],
    ['2001:db8:0:0:0:0:0:1', 6, 0x20010db8000000000000000000000001n],
  ])('parses %s', (text, version, value) => {
    expect(parseIp(text)).toEqual({ version, value });
  });

  test.each([
    '10.0.0', '10.0.0.256', '10.0.0.01', '10.0.0.1.2', '', 'a.b.c.d', '1::2::3',
    '1:2:3:4:5:6:7:8:9', '12345::', 'fe80::1%eth0', ' 10.0.0.1', '1:2:3:4:5:6:7::8',
  ])('rejects %p', text => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('parseCidr', () => {
  test('computes the block of an IPv4 network', () => {
    const c = parseCidr('10.123.124.0/24')!;
    expect(c.version).toBe(4);
    expect(formatIp(4, c.first)).toBe('10.123.124.0');
    expect(formatIp(4, c.last)).toBe('10.123.124.255');
    expect(c.hostBitsSet).toBe(false);
  });

  test('flags host bits and reports the network address', () => {
    const c = parseCidr('10.0.0.5/24')!;
    expect(c.hostBitsSet).toBe(true);
    expect(formatCidrNetwork(c)).toBe('10.0.0.0/24');
  });

  test('handles IPv6 prefixes', () => {
    const c = parseCidr('fd00:10::/64')!;
    expect(formatIp(6, c.first)).toBe('fd00:10::');
    expect(formatIp(6, c.last)).toBe('fd00:10::ffff:ffff:ffff:ffff');
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/08', 'fd00::/129', '10.0.0.0/24/1', 'x/24', '10.0.0.0/'])(
    'rejects %p', text => {
      expect(parseCidr(text)).toBeUndefined();
    });
});

describe('containment and overlap', () => {
  test('an address is inside its block and outside others', () => {
    const c = parseCidr('10.123.124.0/24')!;
    expect(cidrContains(c, parseIp('10.123.124.1')!)).toBe(true);
    expect(cidrContains(c, parseIp('10.123.125.1')!)).toBe(false);
  });

  test('versions never contain each other', () => {
    expect(cidrContains(parseCidr('::/0')!, parseIp('10.0.0.1')!)).toBe(false);
  });

  test('ranges overlap when they share an address', () => {
    expect(rangesOverlap(1n, 10n, 10n, 20n)).toBe(true);
    expect(rangesOverlap(1n, 9n, 10n, 20n)).toBe(false);
  });
});

describe('formatIp', () => {
  test.each(['::1', '::', 'fd00:10::5', '2001:db8::1:0:0:1', '1:2:3:4:5:6:7:8'])('round-trips %s', text => {
    expect(formatIp(6, parseIp(text)!.value)).toBe(text);
  });
});
