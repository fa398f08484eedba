import { checkLabelValue, checkMetadataKey } from '../../src/validation';

describe('label and annotation keys', () => {
  test.each(['app', 'app.kubernetes.io/name', 'kubevirt.io/allow-pod-bridge-network-live-migration', 'a_b.c-d', 'example.org/X'])('accepts %p', key => {
    expect(checkMetadataKey(key)).toBeUndefined();
  });

  test.each(['', '/name', 'Example.org/name', 'a/b/c', '-app', 'app-', 'x'.repeat(64), 'example.org/'])('rejects %p', key => {
    expect(checkMetadataKey(key)).toBeDefined();
  });
});

describe('label values', () => {
  test.each(['', 'web', 'v1.2.3', 'a_b-c', 'x'.repeat(63)])('accepts %p', value => {
    expect(checkLabelValue(value)).toBeUndefined();
  });

  test.each(['-web', 'web-', 'a b', 'a/b'])('rejects %p', value => {
    expect(checkLabelValue(value)).toMatch(/letters, digits/);
  });

  test('reports the length of a value that is too long', () => {
    expect(checkLabelValue('x'.repeat(64))).toBe('must be at most 63 characters (it is 64)');
  });
});
