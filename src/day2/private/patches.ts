/**
 * Checks of the JSON patches a restore or a clone carries: one RFC 6902
 * operation per string, as KubeVirt v1.9.0 reads them.
 */
import { ErrorScope, propError, propPath } from '../../validation';

/** A parsed patch operation. */
export interface PatchOp {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/**
 * Parses each patch, throwing the library error for one that is not a
 * JSON object with an RFC 6902 `op` and a `path` (the clone admitter
 * refuses invalid JSON, pkg/virt-api/webhooks/validating-webhook/admitters/vmclone-admitter.go:267-281,
 * and the controller fails on a patch it cannot apply).
 */
export function requirePatches(scope: ErrorScope, prop: string, patches: readonly string[]): PatchOp[] {
  return patches.map((patch, i) => {
    const at = propPath(prop, i);
    let parsed: any;
    try {
      parsed = JSON.parse(patch);
    } catch {
      throw propError(scope, at, patch, 'must be valid JSON', 'write one operation as JSON text, e.g. \'{"op": "replace", "path": "/spec/runStrategy", "value": "Halted"}\'');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !OPS.includes(parsed.op) || typeof parsed.path !== 'string' || !parsed.path.startsWith('/')) {
      throw propError(scope, at, patch, `must be one JSON patch operation: an object with 'op' (${OPS.join(', ')}) and a 'path' starting with '/'`,
        'write one operation per string; split a list of operations into several strings');
    }
    return { op: parsed.op, path: parsed.path, ...('value' in parsed && { value: parsed.value }) };
  });
}

/**
 * The restore admitter's reading of a patch (pkg/storage/admitters/vmrestore.go:233-268
 * at v1.9.0): it strips the braces, splits at every ',' and then at every
 * ':', refuses a piece without exactly one ':', and refuses a path outside
 * `/spec/`, `/metadata/labels/` and `/metadata/annotations/`.
 */
export function requireRestorePatches(scope: ErrorScope, prop: string, patches: readonly string[]): void {
  const ops = requirePatches(scope, prop, patches);
  patches.forEach((patch, i) => {
    const at = propPath(prop, i);
    const path = ops[i].path;
    if (!path.startsWith('/spec/') && !path.startsWith('/metadata/labels/') && !path.startsWith('/metadata/annotations/')) {
      throw propError(scope, at, patch, 'patches a path KubeVirt refuses to restore: only /spec/..., /metadata/labels/... and /metadata/annotations/... may be patched',
        'patch the restored VM\'s spec, labels or annotations only');
    }
    for (const piece of patch.replace(/^[{}]+|[{}]+$/g, '').split(',')) {
      if (piece.split(':').length !== 2) {
        throw propError(scope, at, patch, 'is read by KubeVirt\'s restore admitter as \'key: value\' pieces split at every \',\' and \':\', and this patch has a piece with '
          + `${piece.split(':').length - 1} ':' (${piece.trim()})`,
        'write a patch whose value holds no \',\' or \':\' (no nested objects, lists or MAC addresses), or set the value after the restore');
      }
    }
  });
}
