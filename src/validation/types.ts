import { Duration, Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { propError } from './errors';
import { propPath } from './prop-path';

/**
 * Runtime checks of the shapes that jsii callers hand to public entry points.
 *
 * TypeScript checks these at compile time, but Python, Java, Go and plain
 * JavaScript callers can pass anything. Each helper throws the library's own
 * `[path] 'prop' ...; fix` error for a wrong shape, so no caller ever sees a
 * raw TypeError from deep inside the library. `undefined` is accepted by the
 * `optional*` variants only.
 */

/** Where an error is reported: a construct, a construct path, or nowhere (factories). */
export type ErrorScope = IConstruct | string | undefined;

/** A class as `instanceof` takes it, whatever its constructor's visibility (value classes have private ones). */
export type ClassOf<T> = Function & { prototype: T };

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

/** Whether `value` is a plain object (`{ ... }`), as structs arrive from every jsii language, not a class instance. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Throws unless `value` is a plain object (a props struct); returns it typed. */
export function requireStruct<T>(scope: ErrorScope, prop: string, value: T | undefined, optional: boolean = false): T {
  if (value === undefined && optional) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !isPlainObject(value)) {
    throw propError(scope, prop, value, `must be an object of named settings, not ${kindOf(value)}`, `pass '${prop}' as an object such as { name: ... }`);
  }
  return value;
}

/** Throws unless `value` is a string. */
export function requireString(scope: ErrorScope, prop: string, value: unknown, fix?: string): asserts value is string {
  if (typeof value !== 'string') {
    throw propError(scope, prop, value, `must be a string, not ${kindOf(value)}`, fix ?? `set '${prop}' to a string`);
  }
}

/** Throws unless `value` is undefined or a string. */
export function optionalString(scope: ErrorScope, prop: string, value: unknown, fix?: string): asserts value is string | undefined {
  if (value !== undefined) requireString(scope, prop, value, fix);
}

/** Throws unless `value` is undefined or a boolean. */
export function optionalBoolean(scope: ErrorScope, prop: string, value: unknown): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw propError(scope, prop, value, `must be true or false, not ${kindOf(value)}`, `set '${prop}' to true or false, or leave it out`);
  }
}

/** Throws unless `value` is a finite number. */
export function requireNumber(scope: ErrorScope, prop: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw propError(scope, prop, value, typeof value === 'number' ? 'must be a finite number' : `must be a number, not ${kindOf(value)}`, `set '${prop}' to a number`);
  }
}

/** Throws unless `value` is undefined or a finite number. */
export function optionalNumber(scope: ErrorScope, prop: string, value: unknown): asserts value is number | undefined {
  if (value !== undefined) requireNumber(scope, prop, value);
}

/**
 * Throws unless `value` is an instance of `type`. `factories` names what builds
 * one (`BootDisk.containerDisk()`), for the fix.
 */
export function requireInstance<T>(scope: ErrorScope, prop: string, value: unknown, type: ClassOf<T>, factories: string): asserts value is T {
  if (!(value instanceof type)) {
    const article = /^[AEIOU]/.test(type.name) ? 'an' : 'a';
    throw propError(scope, prop, value, `must be ${article} ${type.name}, not ${kindOf(value)}`, `build it with ${factories}`);
  }
}

/** Throws unless `value` is undefined or an instance of `type`. */
export function optionalInstance<T>(
  scope: ErrorScope, prop: string, value: unknown, type: ClassOf<T>, factories: string,
): asserts value is T | undefined {
  if (value !== undefined) requireInstance(scope, prop, value, type, factories);
}

/** Throws unless `value` is undefined or a cdk8s `Size`. */
export function optionalSize(scope: ErrorScope, prop: string, value: unknown): asserts value is Size | undefined {
  optionalInstance(scope, prop, value, Size, 'Size.gibibytes(n) or Size.mebibytes(n) from cdk8s');
}

/** Throws unless `value` is a cdk8s `Size`. */
export function requireSize(scope: ErrorScope, prop: string, value: unknown): asserts value is Size {
  requireInstance(scope, prop, value, Size, 'Size.gibibytes(n) or Size.mebibytes(n) from cdk8s');
}

/** Throws unless `value` is undefined or a cdk8s `Duration`. */
export function optionalDuration(scope: ErrorScope, prop: string, value: unknown): asserts value is Duration | undefined {
  optionalInstance(scope, prop, value, Duration, 'Duration.seconds(n) or Duration.minutes(n) from cdk8s');
}

/**
 * Throws unless `value` is one of the values of a string enum. jsii passes
 * enum members as their string values, so a Python or Java caller can also
 * hand in any other string; this refuses it and lists the members.
 */
export function requireEnum<E extends Record<string, string>>(
  scope: ErrorScope, prop: string, value: unknown, enumType: E, enumName: string,
): asserts value is E[keyof E] {
  const members = Object.values(enumType);
  if (typeof value !== 'string' || !members.includes(value)) {
    const names = Object.keys(enumType).map(k => `${enumName}.${k}`).join(', ');
    throw propError(scope, prop, value, `must be a member of ${enumName}`, `use one of ${names}`);
  }
}

/** Throws unless `value` is undefined or a member of the string enum. */
export function optionalEnum<E extends Record<string, string>>(
  scope: ErrorScope, prop: string, value: unknown, enumType: E, enumName: string,
): asserts value is E[keyof E] | undefined {
  if (value !== undefined) requireEnum(scope, prop, value, enumType, enumName);
}

/**
 * Throws unless `value` is an array; checks each entry with `each` (given the
 * entry's own prop path, `disks[2]`). Returns a copy.
 */
export function requireArray<T>(scope: ErrorScope, prop: string, value: unknown, each?: (entry: unknown, entryProp: string) => void): T[] {
  if (!Array.isArray(value)) {
    throw propError(scope, prop, value, `must be a list, not ${kindOf(value)}`, `pass '${prop}' as a list, e.g. [ ... ]`);
  }
  if (each) value.forEach((entry, i) => each(entry, propPath(prop, i)));
  return [...value];
}

/** Like `requireArray`, but `undefined` gives an empty list. */
export function optionalArray<T>(scope: ErrorScope, prop: string, value: unknown, each?: (entry: unknown, entryProp: string) => void): T[] {
  return value === undefined ? [] : requireArray<T>(scope, prop, value, each);
}

/** Throws unless `value` is undefined or an object whose values are all strings (labels, annotations). */
export function optionalStringMap(scope: ErrorScope, prop: string, value: unknown): asserts value is Record<string, string> | undefined {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw propError(scope, prop, value, `must be an object of string keys and values, not ${kindOf(value)}`, `pass '${prop}' as { key: 'value' }`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw propError(scope, propPath(prop, k), v, `must be a string, not ${kindOf(v)}`, 'quote the value: labels and annotations are strings');
    }
  }
}

/**
 * Throws unless `value` implements an interface by the members it must have
 * (`['networkName', 'namespace']`), which is how a reference such as
 * `INetworkAttachmentDefinition` is recognised at run time.
 */
export function requireInterface<T>(
  scope: ErrorScope, prop: string, value: unknown, interfaceName: string, members: string[], fix: string,
): asserts value is T {
  const ok = value !== null && typeof value === 'object' && members.every(m => (value as any)[m] !== undefined);
  if (!ok) {
    throw propError(scope, prop, value, `must be an ${interfaceName}`, fix);
  }
}

/**
 * Throws unless `value` is a construct (a chart, an app or a construct in
 * one), as the `scope` argument of a method that adds constructs.
 */
export function requireConstruct(scope: ErrorScope, prop: string, value: unknown): asserts value is IConstruct {
  if (!Construct.isConstruct(value)) {
    throw propError(scope, prop, value, `must be a construct, not ${kindOf(value)}`, `pass the chart (or another construct) to add to as '${prop}'`);
  }
}
