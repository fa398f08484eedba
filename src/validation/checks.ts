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

/** Largest value of the API's int32 fields (replicas, counts). */
export const INT32_MAX = 2147483647;
/** Largest value of the API's uint32 fields (CPU topology, migration limits). */
export const UINT32_MAX = 4294967295;
/** Largest value of the API's uint8 fields (KubeVirt's infra replicas). */
export const UINT8_MAX = 255;

/**
 * Throws the library's error unless `value` is a whole number from `min` to
 * `max`; `field` names the API field's type for the message (`uint8`).
 */
export function requireIntegerBetween(scope: IConstruct, prop: string, value: number, min: number, max: number, field?: string): void {
  requireIntegerAtLeast(scope, prop, value, min);
  if (value > max) {
    throw propError(scope, prop, value, `must be at most ${max}${field ? `, the largest value of its ${field} API field` : ''}`, `set '${prop}' to ${max} or less`);
  }
}
