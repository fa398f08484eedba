import { ApiObject, JsonPatch } from 'cdk8s';

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
