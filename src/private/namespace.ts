import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { requireDns1123Label } from '../validation/checks';
import { propError } from '../validation/errors';
import { optionalString } from '../validation/types';

/** The namespace Kubernetes puts a namespaced object in when it names none. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Fallback of objects that may go without a namespace: the field stays out
 * of the manifest and the object lands where it is applied.
 */
export const NO_NAMESPACE: unique symbol = Symbol('no namespace');

/** Fallback of objects that must have a namespace: the error to throw. */
export class MissingNamespace {
  /** For objects that others reference by namespace (images, data sources, snapshots). */
  public static readonly REFERENCED = new MissingNamespace(
    'is required because other objects reference this one by namespace', 'set \'namespace\' here or on the chart');

  /** For an object whose own name for itself is `what` (`VM`, `fleet`, `instancetype`). */
  public static of(what: string): MissingNamespace {
    return new MissingNamespace('must be given (the chart has no namespace either)', `set namespace on the ${what} or on its chart`);
  }

  private constructor(public readonly problem: string, public readonly fix: string) {}
}

/** What an object gets when neither it nor its chart names a namespace. */
export type NamespaceFallback = string | MissingNamespace | typeof NO_NAMESPACE;

/** The namespace of the chart `scope` is in; undefined when the chart has none or there is no chart. */
function chartNamespaceOf(scope: IConstruct): string | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if (Chart.isChart(c)) return c.namespace;
  }
  return undefined;
}

/**
 * The library's one namespace rule, unchecked: the namespace given, else
 * the chart's, else `otherwise` (`default`, where Kubernetes puts an object
 * that names none). For callers that check the name themselves, after other
 * props; the others call `resolveNamespace`.
 */
export function pickNamespace(scope: IConstruct, given: string | undefined, otherwise: string = DEFAULT_NAMESPACE): string {
  return given ?? chartNamespaceOf(scope) ?? otherwise;
}

/**
 * The namespace an object lands in, by the library's one rule: the
 * namespace given, else its chart's, else `otherwise`: `default` unless the
 * caller says the object goes without one (`NO_NAMESPACE`) or must have one
 * (a `MissingNamespace`, thrown). Checks that `given` is a string and the
 * result a DNS-1123 label, and throws the library's error naming `namespace`.
 *
 * Outside any chart, an object without a string fallback gets cdk8s's own
 * error (no parent chart), as it cannot be synthesized anyway.
 */
export function resolveNamespace(scope: IConstruct, given: string | undefined, otherwise?: string | MissingNamespace): string;
export function resolveNamespace(scope: IConstruct, given: string | undefined, otherwise: NamespaceFallback): string | undefined;
export function resolveNamespace(scope: IConstruct, given: string | undefined, otherwise: NamespaceFallback = DEFAULT_NAMESPACE): string | undefined {
  optionalString(scope, 'namespace', given);
  let namespace = given ?? chartNamespaceOf(scope);
  if (namespace === undefined) {
    if (typeof otherwise !== 'string') Chart.of(scope);
    if (otherwise === NO_NAMESPACE) return undefined;
    if (otherwise instanceof MissingNamespace) throw propError(scope, 'namespace', given, otherwise.problem, otherwise.fix);
    namespace = otherwise;
  }
  requireDns1123Label(scope, 'namespace', namespace);
  return namespace;
}
