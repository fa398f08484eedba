import { checkMacAddress } from '../../src/validation';

describe('MAC addresses', () => {
  test.each(['02:00:5e:10:00:01', 'DE-AD-00-00-BE-AF', 'de:ad:00:00:be:af'])('accepts %p', mac => {
    expect(checkMacAddress(mac)).toBeUndefined();
  });

  test.each(['02:00:5e:10:00', '02:00:5e:10:00:01:02', '02-00:5e:10:00:01', 'zz:00:00:00:00:01', '0200.5e10.0001', ''])('rejects malformed %p', mac => {
    expect(checkMacAddress(mac)).toMatch(/six hex pairs/);
  });

  test('rejects multicast addresses', () => {
    expect(checkMacAddress('01:00:5e:00:00:01')).toMatch(/unicast/);
  });

  test('rejects the all-zero address', () => {
    expect(checkMacAddress('00:00:00:00:00:00')).toMatch(/all-zero/);
  });
});
