import { IConstruct } from 'constructs';
import { propError } from './errors';
import { checkDns1123Label, checkDns1123Subdomain, DNS1123_LABEL_MAX, suggestDns1123Label } from './names';
import { requireString } from './types';

/**
 * Throws the library's error unless `value` is a DNS-1123 label of at most
 * `max` characters (namespaces, VM names, network and interface names).
 */
export function requireDns1123Label(scope: IConstruct, prop: string, value: string, max: number = DNS1123_LABEL_MAX): void {
  requireString(scope, prop, value);
  const problem = checkDns1123Label(value, max);
  if (problem) {
    throw propError(scope, prop, value, problem, `use a name such as '${suggestDns1123Label(value, max)}'`);
  }
}

/** Throws the library's error unless `value` is a DNS-1123 subdomain (most object names). */
export function requireDns1123Subdomain(scope: IConstruct, prop: string, value: string): void {
  requireString(scope, prop, value);
  const problem = checkDns1123Subdomain(value);
  if (problem) {
    throw propError(scope, prop, value, problem, `use a name such as '${suggestDns1123Label(value)}'`);
  }
}

/** Throws the library's error unless `value` is a whole number of at least `min`. */
export function requireIntegerAtLeast(scope: IConstruct, prop: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw propError(scope, prop, value, `must be a whole number of at least ${min}`, `set '${prop}' to ${min} or more`);
  }
}
