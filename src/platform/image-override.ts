/**
 * Replaces where a component's image comes from, for mirrors in air-gapped
 * clusters or to pin by digest. Every field is optional; unset fields keep
 * the default from `DefaultImages`. The result is always pinned: `latest`,
 * empty tags and tags inside `repository` are rejected.
 */
export interface ImageOverride {
  /**
   * Registry (with any path prefix) that replaces the default one, keeping
   * the image name: `mirror.example.com/kubevirt` turns
   * `quay.io/kubevirt/virt-operator:v1.9.0` into
   * `mirror.example.com/kubevirt/virt-operator:v1.9.0`. Operators that pull
   * further images (KubeVirt, CDI) pull those from the same registry.
   *
   * @default - the upstream registry
   */
  readonly registry?: string;

  /**
   * Full repository (registry, path and name, without tag or digest) that
   * replaces the default one. Give either this or `registry`.
   *
   * @default - the default registry and image name
   */
  readonly repository?: string;

  /**
   * Tag to pull instead of the pinned release tag. Must not be `latest`.
   *
   * @default - the release tag from `PlatformVersions`
   */
  readonly tag?: string;

  /**
   * Content digest (`sha256:` and 64 hex digits) to pin the image by; the
   * image is then rendered as `repository@sha256:...` without a tag. Give
   * either this or `tag`. For KubeVirt and CDI the digest pins the operator
   * image only; the images the operator deploys keep the release tag.
   *
   * @default - pinned by tag
   */
  readonly digest?: string;
}
