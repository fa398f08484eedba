import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DNS1123_LABEL_MAX, propError, requireDns1123Label } from '../validation';
import { optionalString } from '../validation/types';

/**
 * cdk8s copies the chart's namespace into every object it holds; for a
 * cluster-scoped object (`namespace` undefined) that field must go, or the
 * API server refuses the object.
 */
export function dropChartNamespace(resource: ApiObject, namespace: string | undefined): void {
  if (namespace === undefined && resource.metadata.namespace !== undefined) {
    resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

/**
 * The namespace of a namespaced object: the one given, else its chart's;
 * throws the library error when neither is set or it is not a DNS-1123 label.
 */
export function resolveNamespace(scope: IConstruct, given: string | undefined, what: string): string {
  optionalString(scope, 'namespace', given);
  const namespace = given ?? Chart.of(scope).namespace;
  if (namespace === undefined) {
    throw propError(scope, 'namespace', namespace, 'must be given (the chart has no namespace either)', `set namespace on the ${what} or on its chart`);
  }
  requireDns1123Label(scope, 'namespace', namespace, DNS1123_LABEL_MAX);
  return namespace;
}
