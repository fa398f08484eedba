import * as path from 'path';

/** Where a checked path points, for the wording of its problems. */
export interface PathPlace {
  /** Where the file is, after "must be an absolute path": `inside the image`. */
  readonly where: string;
  /** The filesystem whose root the path must not be: `the image`. */
  readonly root: string;
  /** Whether one trailing slash is tolerated (KubeVirt's containerDisk admission does); else it marks a directory and is refused. */
  readonly trailingSlash: boolean;
}

/** A file inside a container image (`containerDisk.path`), as KubeVirt's admission checks it. */
export const IMAGE_FILE: PathPlace = { where: 'inside the image', root: 'the image', trailingSlash: true };
/** A disk image file on the node (`hostDisk.path`). */
export const NODE_FILE: PathPlace = { where: 'on the node', root: 'the node\'s filesystem', trailingSlash: false };

/**
 * Checks the path of a file: absolute, not the root, and already clean (no
 * `.`, `..` or doubled slashes). `place` words the problems and says
 * whether one trailing slash is tolerated. Returns the problem, or undefined.
 */
export function checkCleanAbsolutePath(value: string, place: PathPlace = IMAGE_FILE): string | undefined {
  if (!value.startsWith('/')) return `must be an absolute path ${place.where}`;
  const cleaned = path.posix.normalize(value).replace(/(.)\/$/, '$1');
  if (cleaned === '/') return `must point to a file, not to the root of ${place.root}`;
  if (value.endsWith('/') && !place.trailingSlash) return `must point to a file ${place.where}, not to a directory (it ends in '/')`;
  const given = value.endsWith('/') ? value.slice(0, -1) : value;
  if (cleaned !== given) return `must be a clean path without '.', '..' or doubled slashes (it means ${cleaned})`;
  return undefined;
}
