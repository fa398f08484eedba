import { optionalAnnotations, optionalLabels } from './metadata';
import { propPath } from './prop-path';
import {
  ClassOf, ErrorScope, optionalArray, optionalBoolean, optionalDuration, optionalEnum, optionalInstance, optionalSize, optionalString,
  optionalStringMap, requireArray, requireConstruct, requireEnum, requireInstance, requireInterface, requireNumber, requireSize,
  requireString, requireStruct,
} from './types';

/**
 * A check of one typed value (a prop, an argument), throwing the library's
 * error for a wrong shape. Rules compose into a whole props struct with
 * {@link requireShape}, so an entry point states its shapes in one place.
 */
export type ShapeRule = (scope: ErrorScope, prop: string, value: unknown) => void;

/** The rules of the fields of a props struct, by field name. */
export type ShapeRules = Readonly<Record<string, ShapeRule>>;

function numberRule(scope: ErrorScope, prop: string, value: unknown): void {
  if (typeof value !== 'number') requireNumber(scope, prop, value);
}

const optional = (rule: ShapeRule): ShapeRule => (scope, prop, value) => {
  if (value !== undefined) rule(scope, prop, value);
};

const optStringRule: ShapeRule = (scope, prop, value) => optionalString(scope, prop, value);

/** Building blocks of shape rules. */
export const Shape = {
  string: ((scope, prop, value) => requireString(scope, prop, value)) as ShapeRule,
  optString: ((scope, prop, value) => optionalString(scope, prop, value)) as ShapeRule,
  /** A number (its range, NaN included, is left to the prop's own rule). */
  number: numberRule,
  optNumber: optional(numberRule),
  optBoolean: ((scope, prop, value) => optionalBoolean(scope, prop, value)) as ShapeRule,
  size: ((scope, prop, value) => requireSize(scope, prop, value)) as ShapeRule,
  optSize: ((scope, prop, value) => optionalSize(scope, prop, value)) as ShapeRule,
  optDuration: ((scope, prop, value) => optionalDuration(scope, prop, value)) as ShapeRule,
  optStringMap: ((scope, prop, value) => optionalStringMap(scope, prop, value)) as ShapeRule,
  optLabels: ((scope, prop, value) => optionalLabels(scope, prop, value)) as ShapeRule,
  optAnnotations: ((scope, prop, value) => optionalAnnotations(scope, prop, value)) as ShapeRule,
  optObject: optional((scope, prop, value) => requireStruct(scope, prop, value)),
  /** Undefined, or an image override (`{ registry, repository, tag, digest }`, all strings). */
  optImageOverride: optional((scope, prop, value) => requireShape(scope, prop, value, {
    registry: optStringRule, repository: optStringRule, tag: optStringRule, digest: optStringRule,
  })),
  /** A construct (a chart, an app, or a construct in one). */
  construct: ((scope, prop, value) => requireConstruct(scope, prop, value)) as ShapeRule,

  /** A member of a string enum. */
  enum<E extends Record<string, string>>(enumType: E, enumName: string): ShapeRule {
    return (scope, prop, value) => requireEnum(scope, prop, value, enumType, enumName);
  },
  /** Undefined, or a member of a string enum. */
  optEnum<E extends Record<string, string>>(enumType: E, enumName: string): ShapeRule {
    return (scope, prop, value) => optionalEnum(scope, prop, value, enumType, enumName);
  },
  /** An instance of a value class; `factories` names what builds one. */
  instance<T>(type: ClassOf<T>, factories: string): ShapeRule {
    return (scope, prop, value) => requireInstance(scope, prop, value, type, factories);
  },
  /** Undefined, or an instance of a value class. */
  optInstance<T>(type: ClassOf<T>, factories: string): ShapeRule {
    return (scope, prop, value) => optionalInstance(scope, prop, value, type, factories);
  },
  /** A reference recognised by the members it must have. */
  ref(interfaceName: string, members: string[], fix: string): ShapeRule {
    return (scope, prop, value) => requireInterface(scope, prop, value, interfaceName, ['node', ...members], fix);
  },
  /** Undefined, or a reference recognised by its members. */
  optRef(interfaceName: string, members: string[], fix: string): ShapeRule {
    return optional((scope, prop, value) => requireInterface(scope, prop, value, interfaceName, ['node', ...members], fix));
  },
  /** A list whose entries all follow `each`. */
  array(each: ShapeRule): ShapeRule {
    return (scope, prop, value) => { requireArray(scope, prop, value, (e, p) => each(scope, p, e)); };
  },
  /** Undefined, or a list whose entries all follow `each`. */
  optArray(each: ShapeRule): ShapeRule {
    return (scope, prop, value) => { optionalArray(scope, prop, value, (e, p) => each(scope, p, e)); };
  },
  /** A struct whose fields follow `rules`. */
  struct(rules: ShapeRules): ShapeRule {
    return (scope, prop, value) => requireShape(scope, prop, value, rules);
  },
  /** Undefined, or a struct whose fields follow `rules`. */
  optStruct(rules: ShapeRules): ShapeRule {
    return (scope, prop, value) => optionalShape(scope, prop, value, rules);
  },
};

/**
 * Throws the library error unless `value` is a struct whose fields follow
 * `rules` (fields without a rule are not looked at). Field errors name the
 * field alone for the top-level props (`size`), and `options.size` below.
 */
export function requireShape(scope: ErrorScope, prop: string, value: unknown, rules: ShapeRules): void {
  const struct = requireStruct<Record<string, unknown>>(scope, prop, value as Record<string, unknown>);
  const parent = prop === 'props' ? '' : prop;
  for (const [field, rule] of Object.entries(rules)) rule(scope, propPath(parent, field), struct[field]);
}

/** Like {@link requireShape}, but `undefined` (an omitted optional struct) passes. */
export function optionalShape(scope: ErrorScope, prop: string, value: unknown, rules: ShapeRules): void {
  if (value !== undefined) requireShape(scope, prop, value, rules);
}
