/**
 * Reads which virtualization controllers a set of manifests runs, and at
 * which version, from the images of their Deployments and DaemonSets. Used
 * to draw the platform as one box in the topology picture.
 */

/** Image repository (last path segment) → the controller it runs, in drawing order. */
const CONTROLLERS: Array<[string, string]> = [
  ['virt-operator', 'KubeVirt'],
  ['cdi-operator', 'CDI'],
  ['multus-cni', 'Multus'],
  ['whereabouts', 'whereabouts'],
  ['snapshot-controller', 'snapshot controller'],
];

/** The version part of an image reference: its tag, else a short digest, else `untagged`. */
function imageVersion(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1).replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1');
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : 'untagged';
}

function repository(image: string): string {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return (colon >= 0 ? noDigest.slice(0, colon) : noDigest).slice(lastSlash + 1);
}

/**
 * One line per controller found, e.g. `KubeVirt v1.9.0`, in a fixed order;
 * empty when the manifests run none of them.
 */
export function summarizePlatform(workloads: any[]): string[] {
  const found = new Map<string, Set<string>>();
  for (const w of workloads) {
    const containers = w?.spec?.template?.spec?.containers;
    if (!Array.isArray(containers)) continue;
    for (const c of containers) {
      if (typeof c?.image !== 'string') continue;
      const controller = CONTROLLERS.find(([repo]) => repo === repository(c.image));
      if (!controller) continue;
      let versions = found.get(controller[1]);
      if (!versions) found.set(controller[1], versions = new Set());
      versions.add(imageVersion(c.image));
    }
  }
  return CONTROLLERS.filter(([, name]) => found.has(name))
    .map(([, name]) => `${name} ${[...found.get(name)!].sort().join(', ')}`);
}
