import { checkInterfaceName } from '../../src/validation/interface-name';

describe('checkInterfaceName', () => {
  test('accepts ordinary names up to 15 characters', () => {
    expect(checkInterfaceName('br1')).toBeUndefined();
    expect(checkInterfaceName('eth0.100')).toBeUndefined();
    expect(checkInterfaceName('a'.repeat(15))).toBeUndefined();
  });

  test('rejects empty and overlong names', () => {
    expect(checkInterfaceName('')).toMatch(/non-empty/);
    expect(checkInterfaceName('a'.repeat(16))).toMatch(/at most 15 characters/);
  });

  test('rejects names the kernel refuses', () => {
    for (const bad of ['.', '..', 'br/1', 'br:1', 'br 1']) {
      expect(checkInterfaceName(bad)).toMatch(/without/);
    }
  });
});
