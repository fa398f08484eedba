import { propError } from './errors';
import { checkLabelValue, checkMetadataKey } from './labels';
import { propPath } from './prop-path';
import { ErrorScope, optionalStringMap } from './types';

/**
 * Throws the library error unless `map` is undefined or a map of valid
 * Kubernetes label keys and values (values at most 63 characters), as the
 * API server requires of every object's labels.
 */
export function optionalLabels(scope: ErrorScope, prop: string, map: unknown): asserts map is Record<string, string> | undefined {
  optionalStringMap(scope, prop, map);
  for (const [key, value] of Object.entries(map ?? {})) {
    const keyProblem = checkMetadataKey(key);
    if (keyProblem) throw propError(scope, prop, key, `key ${keyProblem}`, 'use a key like \'app.kubernetes.io/name\'');
    const valueProblem = checkLabelValue(value);
    if (valueProblem) throw propError(scope, propPath(prop, key), value, valueProblem, 'shorten or simplify the value');
  }
}

/** Throws the library error unless `map` is undefined or a map of valid annotation keys to strings. */
export function optionalAnnotations(scope: ErrorScope, prop: string, map: unknown): asserts map is Record<string, string> | undefined {
  optionalStringMap(scope, prop, map);
  for (const key of Object.keys(map ?? {})) {
    const keyProblem = checkMetadataKey(key);
    if (keyProblem) throw propError(scope, prop, key, `key ${keyProblem}`, 'use a key like \'example.org/note\'');
  }
}
