/**
 * Validates synthesized manifests against the upstream API schemas kept
 * beside the repository (../shared/schemas). Schemas are read from there at
 * test time and never copied into this repository.
 *
 * The validator behaves like an API server with strict field validation
 * (the kubectl default): unknown fields are errors, except where the schema
 * says `x-kubernetes-preserve-unknown-fields`. CEL rules
 * (`x-kubernetes-validations`) are not evaluated.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';

export const SCHEMA_DIR = process.env.KUBEVIRT_SCHEMA_DIR
  ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'schemas');
if (!fs.existsSync(SCHEMA_DIR)) {
  // one line per suite instead of an ENOENT stack trace per schema and test
  const missing = new Error(`no upstream schemas at ${SCHEMA_DIR}: set KUBEVIRT_SCHEMA_DIR to the folder that holds them`);
  missing.stack = missing.message;
  throw missing;
}

type Json = any;

function readYaml(rel: string): Json {
  return YAML.parse(fs.readFileSync(path.join(SCHEMA_DIR, rel), 'utf-8'));
}

function crdVersionSchema(rel: string, version: string): Json {
  const crd = readYaml(rel);
  const v = crd.spec.versions.find((x: Json) => x.name === version);
  if (!v) throw new Error(`${rel} has no version ${version}`);
  return v.schema.openAPIV3Schema;
}

/** Kubernetes object metadata as the API server checks it for every kind. */
const METADATA_SCHEMA = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
    namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

/**
 * Makes an openAPIV3 schema strict the way the API server prunes/rejects:
 * every object with declared properties rejects undeclared ones.
 */
export function strictify(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(strictify);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, strictify(pv)]));
    } else if (k === 'description' || k === 'x-kubernetes-validations') {
      continue;
    } else {
      out[k] = strictify(v);
    }
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * RBAC objects are named by path segment rules, not DNS-1123: anything but
 * '.', '..', '/' and '%' (so `kubevirt.io:operator` is a valid ClusterRole).
 */
const PATH_SEGMENT_NAME = { type: 'string', pattern: '^(?!\\.{1,2}$)[^/%]+$' };

function withMetadata(schema: Json, namespaced: boolean, pathSegmentName = false): Json {
  const base = pathSegmentName
    ? { ...METADATA_SCHEMA, properties: { ...METADATA_SCHEMA.properties, name: PATH_SEGMENT_NAME } }
    : METADATA_SCHEMA;
  const meta = namespaced ? base : {
    ...base,
    properties: Object.fromEntries(Object.entries(base.properties).filter(([k]) => k !== 'namespace')),
  };
  return {
    ...schema,
    required: Array.from(new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])),
    properties: { ...schema.properties, metadata: meta },
  };
}

interface SchemaSource {
  readonly load: () => Json;
  readonly namespaced: boolean;
}

const crd = (rel: string, version: string, namespaced = true): SchemaSource => ({
  load: () => crdVersionSchema(rel, version), namespaced,
});
const kvValidation = (name: string): SchemaSource => ({
  load: () => readYaml(`kubevirt/crd-validation/${name}.openapiv3.yaml`).openAPIV3Schema, namespaced: true,
});

/**
 * A kind that only KubeVirt's OpenAPI (swagger.json) describes: its
 * definition, with every definition it refers to.
 */
const kvSwagger = (definition: string, namespaced: boolean): SchemaSource => ({
  load: () => {
    const swagger = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'kubevirt/swagger.json'), 'utf-8'));
    return { ...swagger.definitions[definition], definitions: swagger.definitions };
  },
  namespaced,
});

/** apiVersion/kind → where its upstream schema lives. */
const SOURCES: Record<string, SchemaSource> = {
  'kubevirt.io/v1/VirtualMachine': kvValidation('virtualmachine'),
  'kubevirt.io/v1/VirtualMachineInstance': kvValidation('virtualmachineinstance'),
  'pool.kubevirt.io/v1beta1/VirtualMachinePool': kvValidation('virtualmachinepool'),
  'instancetype.kubevirt.io/v1beta1/VirtualMachineInstancetype': kvValidation('virtualmachineinstancetype'),
  'instancetype.kubevirt.io/v1beta1/VirtualMachinePreference': kvValidation('virtualmachinepreference'),
  'instancetype.kubevirt.io/v1beta1/VirtualMachineClusterInstancetype': { ...kvValidation('virtualmachineclusterinstancetype'), namespaced: false },
  'instancetype.kubevirt.io/v1beta1/VirtualMachineClusterPreference': { ...kvValidation('virtualmachineclusterpreference'), namespaced: false },
  'migrations.kubevirt.io/v1alpha1/MigrationPolicy': kvSwagger('v1alpha1.MigrationPolicy', false),
  'kubevirt.io/v1/KubeVirt': crd('kubevirt/kubevirts.kubevirt.io-crd.yaml', 'v1'),
  'cdi.kubevirt.io/v1beta1/CDI': crd('cdi/crds/cdis.cdi.kubevirt.io.yaml', 'v1beta1', false),
  'cdi.kubevirt.io/v1beta1/DataVolume': crd('cdi/crds/datavolumes.cdi.kubevirt.io.yaml', 'v1beta1'),
  'cdi.kubevirt.io/v1beta1/DataSource': crd('cdi/crds/datasources.cdi.kubevirt.io.yaml', 'v1beta1'),
  'cdi.kubevirt.io/v1beta1/DataImportCron': crd('cdi/crds/dataimportcrons.cdi.kubevirt.io.yaml', 'v1beta1'),
  'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition': crd('multus/network-attachment-definitions.k8s.cni.cncf.io.multus-v4.3.0.yaml', 'v1'),
  'snapshot.storage.k8s.io/v1/VolumeSnapshot': crd('external-snapshotter/snapshot.storage.k8s.io_volumesnapshots.yaml', 'v1'),
  'snapshot.storage.k8s.io/v1/VolumeSnapshotClass': crd('external-snapshotter/snapshot.storage.k8s.io_volumesnapshotclasses.yaml', 'v1', false),
  'snapshot.storage.k8s.io/v1/VolumeSnapshotContent': crd('external-snapshotter/snapshot.storage.k8s.io_volumesnapshotcontents.yaml', 'v1', false),
  'whereabouts.cni.cncf.io/v1alpha1/IPPool': crd('whereabouts/whereabouts.cni.cncf.io_ippools.yaml', 'v1alpha1'),
};

/**
 * Core Kubernetes kinds, whose OpenAPI is not kept beside the repository:
 * they are built from the typed cdk8s-plus-33 L1 classes and checked here for
 * metadata only; targeted tests cover their fields.
 */
export const CORE_KINDS = new Set([
  'v1/Namespace', 'v1/Secret', 'v1/ConfigMap', 'v1/ServiceAccount', 'v1/Service',
  'apps/v1/Deployment', 'apps/v1/DaemonSet',
  'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'scheduling.k8s.io/v1/PriorityClass', 'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'networking.k8s.io/v1/NetworkPolicy', 'k8s.cni.cncf.io/v1beta1/MultiNetworkPolicy',
  // no upstream schema beside the repository yet: metadata here, the desired state by nmstate itself (test/conformance/nmstate)
  'nmstate.io/v1/NodeNetworkConfigurationPolicy',
]);
const CLUSTER_SCOPED_CORE = new Set([
  'v1/Namespace', 'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'scheduling.k8s.io/v1/PriorityClass', 'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'nmstate.io/v1/NodeNetworkConfigurationPolicy',
]);

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(key: string): ValidateFunction | undefined {
  let fn = compiled.get(key);
  if (fn) return fn;
  const source = SOURCES[key];
  if (source) {
    fn = ajv.compile(withMetadata(strictify(source.load()), source.namespaced));
  } else if (CORE_KINDS.has(key)) {
    const namespaced = !CLUSTER_SCOPED_CORE.has(key);
    fn = ajv.compile(withMetadata({ type: 'object', properties: {} }, namespaced, key.startsWith('rbac.authorization.k8s.io/')));
  } else {
    return undefined;
  }
  compiled.set(key, fn);
  return fn;
}

/** Whether an upstream schema (not just the metadata check) covers the kind. */
export function hasUpstreamSchema(apiVersion: string, kind: string): boolean {
  return SOURCES[`${apiVersion}/${kind}`] !== undefined;
}

/** Validates one manifest; returns readable errors (empty when valid). */
export function validateManifest(doc: Json): string[] {
  const key = `${doc?.apiVersion}/${doc?.kind}`;
  const fn = validatorFor(key);
  const name = `${key} ${doc?.metadata?.namespace ? doc.metadata.namespace + '/' : ''}${doc?.metadata?.name}`;
  if (!fn) return [`${name}: no schema known for this kind`];
  if (fn(doc)) return [];
  return (fn.errors ?? []).map(e => `${name}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${(e.params as any).additionalProperty}'` : ''}`);
}

/** Loads the raw (not strictified) openAPIV3 schema of a kind, for tests that inspect it. */
export function upstreamSchema(apiVersion: string, kind: string): Json {
  const source = SOURCES[`${apiVersion}/${kind}`];
  if (!source) throw new Error(`no upstream schema for ${apiVersion}/${kind}`);
  return source.load();
}

export function readSchemaFile(rel: string): Json {
  return readYaml(rel);
}
