/**
 * Container image references, checked for pinning: a reference must name a
 * tag other than `latest`, or a digest, so that the same manifests always run
 * the same bits.
 */

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const REGISTRY = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;

/** The parts of an image reference. */
export interface ParsedImageReference {
  /** Registry host (and port) when the reference names one. */
  readonly registry?: string;
  /** Repository path without registry, tag or digest. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits an image reference into its parts; undefined when malformed. */
export function parseImageReference(image: string): ParsedImageReference | undefined {
  if (typeof image !== 'string' || image.length === 0 || /\s/.test(image)) return undefined;
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    // a first component with a dot, a port or 'localhost' is a registry host
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')) {
      registry = first;
      rest = rest.slice(firstSlash + 1);
      if (!REGISTRY.test(registry)) return undefined;
    }
  }
  if (!REPOSITORY.test(rest)) return undefined;
  return { registry, repository: rest, tag, digest };
}

/**
 * Checks that an image reference is well formed and pinned to a tag other
 * than `latest` or to a digest.
 * @returns what is wrong, or undefined when the reference is pinned
 */
export function checkPinnedImage(image: string): string | undefined {
  const parsed = parseImageReference(image);
  if (!parsed) {
    return 'must be a container image reference such as \'registry/repository:tag\'';
  }
  if (parsed.digest) return undefined;
  if (!parsed.tag) {
    return 'must be pinned to a tag or digest (an image without a tag means \'latest\', which changes over time)';
  }
  if (parsed.tag === 'latest') {
    return 'must be pinned to a fixed tag or digest, not \'latest\'';
  }
  return undefined;
}
