/**
 * Reading synthesized manifests as plain JSON for the topology model: safe
 * accessors, references, and the words that describe a disk's source.
 */

/** DataVolume sources that bring data from outside the cluster. */
export const IMPORT_SOURCES = ['http', 's3', 'gcs', 'registry', 'imageio', 'vddk', 'upload'];

export const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);

export const obj = (x: unknown): Record<string, any> => (isObject(x) ? x : {});

export const arr = (x: unknown): any[] => (Array.isArray(x) ? x : []);

export const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x : undefined);

/** Plain code-point order, so output never depends on the locale. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Splits a `namespace/name` or `name` reference; a bare name is relative to `namespace`. */
export function splitRef(ref: string, namespace: string): [string, string] {
  const slash = ref.indexOf('/');
  return slash < 0 ? [namespace, ref] : [ref.slice(0, slash), ref.slice(slash + 1)];
}

/** Short description of an import source for a label, e.g. `http fedora.qcow2`. */
export function describeImport(source: Record<string, any>): string | undefined {
  const kind = IMPORT_SOURCES.find(k => source[k] !== undefined);
  if (kind === undefined) return undefined;
  const url = str(obj(source[kind]).url);
  if (url === undefined) return `${kind} import`;
  if (kind === 'registry') return `registry ${url.replace(/^docker:\/\//, '')}`;
  const file = url.replace(/[?#].*$/, '').split('/').filter(s => s.length > 0).pop();
  return `${kind} ${file ?? url}`;
}

/**
 * The boot disk of a VM spec: the disk with the lowest boot order, else the
 * first disk (what the guest firmware tries first).
 */
export function bootDiskName(disks: Record<string, any>[]): string | undefined {
  const ordered = disks.filter(d => Number.isInteger(d.bootOrder));
  if (ordered.length > 0) return str(ordered.reduce((a, b) => (b.bootOrder < a.bootOrder ? b : a)).name);
  return str(disks[0]?.name);
}

/**
 * A data disk for a label: its name, where its data comes from and, for a
 * CD-ROM, LUN or virtiofs share, how the guest sees it. E.g.
 * `data (blank · 100Gi)`, `install (containerDisk fedora:41 · cdrom)`.
 */
export function describeDataDisk(volume: Record<string, any>, templates: Map<string, Record<string, any>>, device: string | undefined): string {
  const parts: string[] = [];
  const dv = str(obj(volume.dataVolume).name);
  const template = dv !== undefined ? templates.get(dv) : undefined;
  if (template !== undefined) {
    const source = obj(template.source);
    const kind = isObject(source.snapshot) ? 'snapshot clone' : isObject(source.pvc) ? 'PVC clone'
      : isObject(template.sourceRef) ? 'DataSource clone' : describeImport(source) ?? Object.keys(source)[0] ?? 'DataVolume';
    parts.push(kind);
    const size = storageSize(template);
    // a clone without a size gets its source's (a snapshot's restore size, a PVC's size)
    if (size) parts.push(size);
    else if (kind.endsWith(' clone')) parts.push('size of its source');
  } else if (dv !== undefined) {
    parts.push(`DataVolume ${dv}`);
  } else if (isObject(volume.persistentVolumeClaim)) {
    parts.push(`PVC ${str(volume.persistentVolumeClaim.claimName) ?? ''}`.trim());
  } else if (isObject(volume.emptyDisk)) {
    parts.push(`emptyDisk ${str(volume.emptyDisk.capacity) ?? ''}`.trim());
  } else if (isObject(volume.containerDisk)) {
    parts.push(`containerDisk ${(str(volume.containerDisk.image) ?? '').split('/').pop()}`.trim());
  } else if (isObject(volume.hostDisk)) {
    parts.push(`hostDisk ${str(volume.hostDisk.path) ?? ''}`.trim());
  } else if (isObject(volume.configMap)) {
    parts.push(`ConfigMap ${str(volume.configMap.name) ?? ''}`.trim());
  } else if (isObject(volume.secret)) {
    parts.push(`Secret ${str(volume.secret.secretName) ?? ''}`.trim());
  } else {
    const kind = Object.keys(volume).filter(k => k !== 'name').sort(byCodePoint)[0];
    if (kind !== undefined) parts.push(kind);
  }
  if (device !== undefined && device !== 'disk') parts.push(device);
  return `${str(volume.name) ?? '?'} (${parts.join(' · ')})`;
}

export function storageSize(dvSpec: Record<string, any>): string | undefined {
  const storage = isObject(dvSpec.storage) ? dvSpec.storage : obj(dvSpec.pvc);
  return str(obj(obj(storage.resources).requests).storage);
}
