import { IConstruct } from 'constructs';
import { propError, propPath } from '../../validation';
import { ImageOverride } from '../image-override';

const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** An image reference split into its parts. */
export interface ImageParts {
  /** Registry with path prefix, e.g. `quay.io/kubevirt`. */
  readonly registry: string;
  /** Image name, e.g. `virt-operator`. */
  readonly name: string;
  /** Tag, when pinned by tag. */
  readonly tag?: string;
  /** Digest, when pinned by digest. */
  readonly digest?: string;
}

/** A resolved, pinned image. */
export interface ResolvedImage extends ImageParts {
  /** `registry/name:tag` or `registry/name@digest`. */
  readonly reference: string;
}

/** Splits a default `registry/name:tag` reference. */
export function splitReference(reference: string): ImageParts {
  const at = reference.indexOf('@');
  const base = at >= 0 ? reference.slice(0, at) : reference;
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  const hasTag = colon > slash;
  const repo = hasTag ? base.slice(0, colon) : base;
  return {
    registry: repo.slice(0, repo.lastIndexOf('/')),
    name: repo.slice(repo.lastIndexOf('/') + 1),
    tag: hasTag ? base.slice(colon + 1) : undefined,
    digest,
  };
}

function render(parts: ImageParts): string {
  const repo = `${parts.registry}/${parts.name}`;
  return parts.digest ? `${repo}@${parts.digest}` : `${repo}:${parts.tag}`;
}

/** Whether a reference is pinned: it has a digest, or a tag other than `latest`. */
export function isPinned(reference: string): boolean {
  const parts = splitReference(reference);
  if (parts.digest) return DIGEST.test(parts.digest);
  return parts.tag !== undefined && parts.tag !== '' && parts.tag.toLowerCase() !== 'latest';
}

/**
 * Applies an override to a default image and checks that the result is
 * pinned; throws the library's error naming `prop` otherwise.
 */
export function resolveImage(scope: IConstruct, prop: string, defaultReference: string, override?: ImageOverride): ResolvedImage {
  const def = splitReference(defaultReference);
  const o = override ?? {};
  if (o.registry !== undefined && o.repository !== undefined) {
    throw propError(scope, propPath(prop, 'repository'), o.repository, 'cannot be combined with \'registry\'', 'give either a registry (the image name is kept) or a full repository');
  }
  if (o.tag !== undefined && o.digest !== undefined) {
    throw propError(scope, propPath(prop, 'digest'), o.digest, 'cannot be combined with \'tag\'', 'pin the image either by tag or by digest');
  }
  let registry = def.registry;
  let name = def.name;
  if (o.registry !== undefined) {
    if (!REGISTRY.test(o.registry)) {
      throw propError(scope, propPath(prop, 'registry'), o.registry, 'must be a registry host with an optional port and path, without tag or trailing slash', 'use a value such as \'mirror.example.com:5000/kubevirt\'');
    }
    registry = o.registry;
  }
  if (o.repository !== undefined) {
    const last = o.repository.slice(o.repository.lastIndexOf('/') + 1);
    if (o.repository.includes('@') || last.includes(':')) {
      throw propError(scope, propPath(prop, 'repository'), o.repository, 'must not carry a tag or digest', 'put the tag in \'tag\' or the digest in \'digest\'');
    }
    const slash = o.repository.lastIndexOf('/');
    if (slash <= 0 || !REGISTRY.test(o.repository)) {
      throw propError(scope, propPath(prop, 'repository'), o.repository, 'must be a full repository with registry and image name', 'use a value such as \'mirror.example.com/kubevirt/virt-operator\'');
    }
    registry = o.repository.slice(0, slash);
    name = o.repository.slice(slash + 1);
  }
  let tag: string | undefined = def.tag;
  let digest: string | undefined;
  if (o.tag !== undefined) {
    if (o.tag.toLowerCase() === 'latest') {
      throw propError(scope, propPath(prop, 'tag'), o.tag, 'must pin a release, not a moving tag', `use a release tag such as '${def.tag}' or a digest`);
    }
    if (!TAG.test(o.tag)) {
      throw propError(scope, propPath(prop, 'tag'), o.tag, 'must be a non-empty image tag (letters, digits, \'_\', \'.\' and \'-\', at most 128)', `use a release tag such as '${def.tag}'`);
    }
    tag = o.tag;
  }
  if (o.digest !== undefined) {
    if (!DIGEST.test(o.digest)) {
      throw propError(scope, propPath(prop, 'digest'), o.digest, 'must be \'sha256:\' followed by 64 lowercase hex digits', 'copy the digest from \'crane digest\' or \'skopeo inspect\'');
    }
    digest = o.digest;
    tag = undefined;
  }
  const parts: ImageParts = { registry, name, tag, digest };
  return { ...parts, reference: render(parts) };
}

/**
 * The image of a further component an operator deploys: same registry as the
 * resolved operator image, the component's own name, and the operator's tag
 * (or the release tag when the operator is pinned by digest).
 */
export function siblingImage(operator: ResolvedImage, name: string, releaseTag: string): string {
  return `${operator.registry}/${name}:${operator.tag ?? releaseTag}`;
}
