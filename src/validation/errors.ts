import * as nodePath from 'path';
import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The folder that holds the library's own modules (`src/` in the repository, `lib/` in the package). */
const LIBRARY_DIR = nodePath.resolve(__dirname, '..') + nodePath.sep;
/** Deep enough to reach past the library's own frames to the caller's. */
const STACK_DEPTH = 60;

/**
 * Whether a stack line is a frame of the library's own code, or a native
 * frame it called through (`Array.forEach (<anonymous>)`).
 */
function isLibraryFrame(line: string): boolean {
  if (!/:\d+:\d+\)?$/.test(line)) return true;
  return line.includes(LIBRARY_DIR) && !line.includes(`${nodePath.sep}node_modules${nodePath.sep}`);
}

/**
 * Drops the leading stack frames that belong to the library, so the first
 * frame of the error is the caller's line (the library's modules are
 * internal: pointing at them helps nobody find the bad input).
 */
export function trimLibraryFrames<E extends Error>(error: E): E {
  const stack = error.stack;
  if (stack === undefined) return error;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex(l => /^\s+at /.test(l));
  if (firstFrame < 0) return error;
  let userFrame = firstFrame;
  while (userFrame < lines.length && isLibraryFrame(lines[userFrame])) userFrame++;
  if (userFrame === lines.length) return error; // nothing but library frames: keep them all
  error.stack = [...lines.slice(0, firstFrame), ...lines.slice(userFrame)].join('\n');
  return error;
}

/** Builds an `Error` whose stack starts at the caller's line. */
export function libraryError(message: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, STACK_DEPTH);
  try {
    return trimLibraryFrames(new Error(message));
  } finally {
    Error.stackTraceLimit = limit;
  }
}

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
  } else if (value instanceof Size) {
    text = `Size ${value.asString()}`;
  } else if (value instanceof Duration) {
    text = `Duration ${value.toIsoString()}`;
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
  return libraryError(`${where}${formatPropError(prop, value, problem, fix)}`);
}
