import { checkPinnedImage, parseImageReference } from '../../src/validation';

describe('image references', () => {
  test('splits registry, repository, tag and digest', () => {
    expect(parseImageReference('quay.io/containerdisks/fedora:41')).toEqual({
      registry: 'quay.io', repository: 'containerdisks/fedora', tag: '41', digest: undefined,
    });
    expect(parseImageReference('localhost:5000/disk@sha256:' + 'a'.repeat(64))).toEqual({
      registry: 'localhost:5000', repository: 'disk', tag: undefined, digest: 'sha256:' + 'a'.repeat(64),
    });
    expect(parseImageReference('fedora:41')?.registry).toBeUndefined();
  });

  test.each([
    'quay.io/containerdisks/fedora:41',
    'registry.example:5000/vm/disk:v1.2.3',
    'quay.io/containerdisks/fedora@sha256:' + '0'.repeat(64),
    'quay.io/containerdisks/fedora:41@sha256:' + 'f'.repeat(64),
    'fedora:41',
  ])('accepts pinned %p', image => {
    expect(checkPinnedImage(image)).toBeUndefined();
  });

  test('rejects an image without tag', () => {
    expect(checkPinnedImage('quay.io/containerdisks/fedora')).toMatch(/must be pinned to a tag or digest/);
  });

  test('rejects the latest tag', () => {
    expect(checkPinnedImage('quay.io/containerdisks/fedora:latest')).toMatch(/not 'latest'/);
  });

  test.each(['', 'Quay.io/x:1 ', 'quay.io/UPPER/x:1', 'x@sha256:short', 'x:bad/tag', 'x:'])('rejects malformed %p', image => {
    expect(checkPinnedImage(image)).toMatch(/must be a container image reference/);
  });
});
