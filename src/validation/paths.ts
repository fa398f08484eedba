import * as path from 'path';

/**
 * Checks a file path inside a container image the way KubeVirt's admission
 * checks `containerDisk.path`: absolute, not the root, and already clean (no
 * `.`, `..` or doubled slashes; one trailing slash is tolerated). Returns the
 * problem, or undefined.
 */
export function checkCleanAbsolutePath(value: string): string | undefined {
  if (!value.startsWith('/')) return 'must be an absolute path inside the image';
  const cleaned = path.posix.normalize(value).replace(/(.)\/$/, '$1');
  if (cleaned === '/') return 'must point to a file, not to the root of the image';
  const given = value.endsWith('/') ? value.slice(0, -1) : value;
  if (cleaned !== given) return `must be a clean path without '.', '..' or doubled slashes (it means ${cleaned})`;
  return undefined;
}
