import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { requireDns1123Label } from '../validation/checks';
import { propError } from '../validation/errors';

/**
 * The namespace an object lands in: the given one, else its chart's.
 * Throws when there is none, for objects that others reference by namespace.
 */
export function resolveNamespace(scope: IConstruct, namespace: string | undefined): string {
  const resolved = namespace ?? Chart.of(scope).namespace;
  if (resolved === undefined) {
    throw propError(scope, 'namespace', namespace, 'is required because other objects reference this one by namespace',
      'set \'namespace\' here or on the chart');
  }
  requireDns1123Label(scope, 'namespace', resolved);
  return resolved;
}

/** Like `resolveNamespace`, but undefined when neither the props nor the chart name one. */
export function optionalNamespace(scope: IConstruct, namespace: string | undefined): string | undefined {
  const resolved = namespace ?? Chart.of(scope).namespace;
  if (resolved !== undefined) {
    requireDns1123Label(scope, 'namespace', resolved);
  }
  return resolved;
}
