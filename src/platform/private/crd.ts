import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';

/** A version of a CRD the project writes. */
export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly schema: { [key: string]: any };
  readonly statusSubresource?: boolean;
  readonly deprecated?: boolean;
  /** Columns `kubectl get` shows besides the name. */
  readonly printerColumns?: k8s.CustomResourceColumnDefinition[];
}

/** The Age and Phase columns KubeVirt's and CDI's CRDs show. */
export const AGE_AND_PHASE: k8s.CustomResourceColumnDefinition[] = [
  { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' },
  { jsonPath: '.status.phase', name: 'Phase', type: 'string' },
];

/** What a CRD the project writes consists of. */
export interface CrdSpec {
  readonly group: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind?: string;
  readonly shortNames?: string[];
  readonly categories?: string[];
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: CrdVersion[];
  readonly annotations?: { [key: string]: string };
  readonly labels?: { [key: string]: string };
}

/** Object schema whose unmodelled fields are kept as they are. */
export function open(properties: { [key: string]: any } = {}, extra: { [key: string]: any } = {}): { [key: string]: any } {
  return { 'type': 'object', ...(Object.keys(properties).length > 0 ? { properties } : {}), 'x-kubernetes-preserve-unknown-fields': true, ...extra };
}

/** Object schema with only the listed fields. */
export function closed(properties: { [key: string]: any }, extra: { [key: string]: any } = {}): { [key: string]: any } {
  return { type: 'object', properties, ...extra };
}

export const STRING = { type: 'string' };
export const INTEGER = { type: 'integer' };
export const BOOLEAN = { type: 'boolean' };
export const INT_OR_STRING = { 'x-kubernetes-int-or-string': true, 'anyOf': [{ type: 'integer' }, { type: 'string' }] };
export const STRING_LIST = { type: 'array', items: { type: 'string' } };
export const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };

/** Top-level schema of a kind: apiVersion, kind, metadata plus the given fields. */
export function kindSchema(properties: { [key: string]: any }, required?: string[]): { [key: string]: any } {
  return {
    type: 'object',
    properties: { apiVersion: STRING, kind: STRING, metadata: { type: 'object' }, ...properties },
    ...(required ? { required } : {}),
  };
}

const TYPED_KEYS: { [key: string]: string } = {
  'x-kubernetes-preserve-unknown-fields': 'xKubernetesPreserveUnknownFields',
  'x-kubernetes-int-or-string': 'xKubernetesIntOrString',
  'x-kubernetes-embedded-resource': 'xKubernetesEmbeddedResource',
  'x-kubernetes-map-type': 'xKubernetesMapType',
  'x-kubernetes-list-type': 'xKubernetesListType',
  'x-kubernetes-validations': 'xKubernetesValidations',
};

/**
 * Turns a JSON schema into the typed form the L1 class renders back: keys of
 * nested schemas under `properties` and `anyOf` are renamed, while `items` and
 * `additionalProperties` are passed through as raw JSON by the L1 class.
 */
function typed(schema: { [key: string]: any }): k8s.JsonSchemaProps {
  const out: { [key: string]: any } = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, typed(v)]));
    } else if (key === 'anyOf') {
      out.anyOf = (value as any[]).map(typed);
    } else {
      out[TYPED_KEYS[key] ?? key] = value;
    }
  }
  return out as k8s.JsonSchemaProps;
}

/** Emits a CRD from a compact description. */
export function createCrd(scope: Construct, id: string, spec: CrdSpec): k8s.KubeCustomResourceDefinition {
  return new k8s.KubeCustomResourceDefinition(scope, id, {
    metadata: {
      name: `${spec.plural}.${spec.group}`,
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
      ...(spec.labels ? { labels: spec.labels } : {}),
    },
    spec: {
      group: spec.group,
      names: {
        kind: spec.kind,
        listKind: spec.listKind,
        plural: spec.plural,
        singular: spec.singular,
        shortNames: spec.shortNames,
        categories: spec.categories,
      },
      scope: spec.scope,
      versions: spec.versions.map(v => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
        deprecated: v.deprecated,
        schema: { openApiv3Schema: typed(v.schema) },
        subresources: v.statusSubresource ? { status: {} } : undefined,
        additionalPrinterColumns: v.printerColumns,
      })),
    },
  });
}
