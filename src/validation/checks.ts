import { propError } from './errors';
import { checkDns1123Label, checkDns1123Subdomain, DNS1123_LABEL_MAX, suggestDns1123Label } from './names';
import { ErrorScope, optionalNumber, requireNumber, requireString } from './types';

/**
 * Throws the library's error unless `value` is a DNS-1123 label of at most
 * `max` characters (namespaces, VM names, network and interface names). The
 * fix suggests a valid name unless `fix` says otherwise.
 */
export function requireDns1123Label(
  scope: ErrorScope, prop: string, value: unknown, max: number = DNS1123_LABEL_MAX, fix?: string,
): asserts value is string {
  requireString(scope, prop, value);
  const problem = checkDns1123Label(value, max);
  if (problem) {
    throw propError(scope, prop, value, problem, fix ?? `use a name such as '${suggestDns1123Label(value, max)}'`);
  }
}

/** Throws the library's error unless `value` is a DNS-1123 subdomain (most object names). */
export function requireDns1123Subdomain(scope: ErrorScope, prop: string, value: string): void {
  requireString(scope, prop, value);
  const problem = checkDns1123Subdomain(value);
  if (problem) {
    throw propError(scope, prop, value, problem, `use a name such as '${suggestDns1123Label(value)}'`);
  }
}

/** Throws the library's error unless `value` is a whole number of at least `min`. */
export function requireIntegerAtLeast(scope: ErrorScope, prop: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw propError(scope, prop, value, `must be a whole number of at least ${min}`, `set '${prop}' to ${min} or more`);
  }
}

/** Throws the library's error unless `value` is undefined or a number that is a whole number of at least `min`. */
export function optionalIntegerAtLeast(scope: ErrorScope, prop: string, value: unknown, min: number): asserts value is number | undefined {
  optionalNumber(scope, prop, value);
  if (value !== undefined) requireIntegerAtLeast(scope, prop, value, min);
}

/** Throws the library's error unless `value` is a whole number from `min` to `max`, a port (1-65535 unless narrowed). */
export function requirePort(scope: ErrorScope, prop: string, value: unknown, min: number = 1, max: number = 65535): asserts value is number {
  requireNumber(scope, prop, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, prop, value, `must be a whole number between ${min} and ${max}`, `pick a port in ${min}-${max}`);
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
export function requireIntegerBetween(scope: ErrorScope, prop: string, value: number, min: number, max: number, field?: string): void {
  requireIntegerAtLeast(scope, prop, value, min);
  if (value > max) {
    throw propError(scope, prop, value, `must be at most ${max}${field ? `, the largest value of its ${field} API field` : ''}`, `set '${prop}' to ${max} or less`);
  }
}
