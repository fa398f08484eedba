import { IConstruct } from 'constructs';

/**
 * Renders a user-given value for an error message: strings are quoted,
 * everything else is shown as JSON, and long values are shortened.
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'string') {
    text = `'${value}'`;
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Builds the one error format of this library, without the construct path:
 * `'vlan' must be between 1 and 4094, got 5000; pick a VLAN id in that range`.
 *
 * Used directly by `node.addValidation` checks, which cdk8s prefixes with the
 * path of the construct.
 */
export function formatPropError(prop: string, value: unknown, problem: string, fix: string): string {
  return `'${prop}' ${problem}, got ${describeValue(value)}; ${fix}`;
}

/**
 * Builds the error thrown for bad input seen eagerly, prefixed with the path
 * of the construct it belongs to, the way cdk8s prefixes validation errors.
 */
export function propError(scope: IConstruct | string | undefined, prop: string, value: unknown, problem: string, fix: string): Error {
  const path = scope === undefined ? undefined : typeof scope === 'string' ? scope : scope.node.path;
  const where = path ? `[${path}] ` : '';
  return new Error(`${where}${formatPropError(prop, value, problem, fix)}`);
}
