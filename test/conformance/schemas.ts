/**
 * Validates synthesized manifests against the upstream API schemas: the
 * openAPIV3Schema of each upstream CRD, as committed under test/upstream-crds
 * (`npm run cluster:crds` regenerates them from the pinned Go modules under
 * test/cluster; CI fails when the committed copy differs).
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

export const CRD_DIR = path.resolve(__dirname, '..', 'upstream-crds');

type Json = any;

function readYaml(rel: string): Json {
  const file = path.join(CRD_DIR, rel);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run 'npm run cluster:crds' (needs Go) to regenerate the upstream CRDs and commit them`);
  }
  return YAML.parse(fs.readFileSync(file, 'utf-8'));
}

function crdVersionSchema(rel: string, version: string): Json {
  const crd = readYaml(rel);
  const v = crd.spec.versions.find((x: Json) => x.name === version);
  if (!v) throw new Error(`${rel} has no version ${version}`);
  const schema = v.schema.openAPIV3Schema;
  // the API server accepts apiVersion, kind and metadata on every object,
  // whether or not the CRD's schema declares them (some upstream CRDs do not)
  return {
    ...schema,
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties },
  };
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
/**
 * Where each upstream CRD is kept under test/upstream-crds, by CRD name.
 * KubeVirt's come from its operator's install code, CDI's from
 * controller-gen on its API module, the others from the files their Go
 * modules ship (nmstate's: deploy/crds of kubernetes-nmstate).
 */
export const UPSTREAM_CRDS: Record<string, string> = {
  'virtualmachines.kubevirt.io': 'kubevirt/virtualmachines.kubevirt.io.yaml',
  'virtualmachineinstances.kubevirt.io': 'kubevirt/virtualmachineinstances.kubevirt.io.yaml',
  'virtualmachinepools.pool.kubevirt.io': 'kubevirt/virtualmachinepools.pool.kubevirt.io.yaml',
  'virtualmachineinstancetypes.instancetype.kubevirt.io': 'kubevirt/virtualmachineinstancetypes.instancetype.kubevirt.io.yaml',
  'virtualmachinepreferences.instancetype.kubevirt.io': 'kubevirt/virtualmachinepreferences.instancetype.kubevirt.io.yaml',
  'kubevirts.kubevirt.io': 'kubevirt/kubevirts.kubevirt.io.yaml',
  'cdis.cdi.kubevirt.io': 'cdi/cdi.kubevirt.io_cdis.yaml',
  'datavolumes.cdi.kubevirt.io': 'cdi/cdi.kubevirt.io_datavolumes.yaml',
  'datasources.cdi.kubevirt.io': 'cdi/cdi.kubevirt.io_datasources.yaml',
  'dataimportcrons.cdi.kubevirt.io': 'cdi/cdi.kubevirt.io_dataimportcrons.yaml',
  'network-attachment-definitions.k8s.cni.cncf.io': 'multus/network-attachment-definitions.k8s.cni.cncf.io.yaml',
  'multi-networkpolicies.k8s.cni.cncf.io': 'multi-networkpolicy/multi-networkpolicies.k8s.cni.cncf.io.yaml',
  'ippools.whereabouts.cni.cncf.io': 'whereabouts/ippools.whereabouts.cni.cncf.io.yaml',
  'overlappingrangeipreservations.whereabouts.cni.cncf.io': 'whereabouts/overlappingrangeipreservations.whereabouts.cni.cncf.io.yaml',
  'nodeslicepools.whereabouts.cni.cncf.io': 'whereabouts/nodeslicepools.whereabouts.cni.cncf.io.yaml',
  'volumesnapshots.snapshot.storage.k8s.io': 'external-snapshotter/volumesnapshots.snapshot.storage.k8s.io.yaml',
  'volumesnapshotclasses.snapshot.storage.k8s.io': 'external-snapshotter/volumesnapshotclasses.snapshot.storage.k8s.io.yaml',
  'volumesnapshotcontents.snapshot.storage.k8s.io': 'external-snapshotter/volumesnapshotcontents.snapshot.storage.k8s.io.yaml',
  'virtualmachineclusterinstancetypes.instancetype.kubevirt.io': 'kubevirt/virtualmachineclusterinstancetypes.instancetype.kubevirt.io.yaml',
  'virtualmachineclusterpreferences.instancetype.kubevirt.io': 'kubevirt/virtualmachineclusterpreferences.instancetype.kubevirt.io.yaml',
  'migrationpolicies.migrations.kubevirt.io': 'kubevirt/migrationpolicies.migrations.kubevirt.io.yaml',
  'virtualmachinesnapshots.snapshot.kubevirt.io': 'kubevirt/virtualmachinesnapshots.snapshot.kubevirt.io.yaml',
  'virtualmachinerestores.snapshot.kubevirt.io': 'kubevirt/virtualmachinerestores.snapshot.kubevirt.io.yaml',
  'virtualmachineclones.clone.kubevirt.io': 'kubevirt/virtualmachineclones.clone.kubevirt.io.yaml',
  'virtualmachineexports.export.kubevirt.io': 'kubevirt/virtualmachineexports.export.kubevirt.io.yaml',
  'nmstates.nmstate.io': 'nmstate/nmstates.nmstate.io.yaml',
  'nodenetworkconfigurationpolicies.nmstate.io': 'nmstate/nodenetworkconfigurationpolicies.nmstate.io.yaml',
  'nodenetworkconfigurationenactments.nmstate.io': 'nmstate/nodenetworkconfigurationenactments.nmstate.io.yaml',
  'nodenetworkstates.nmstate.io': 'nmstate/nodenetworkstates.nmstate.io.yaml',
  'schedules.velero.io': 'velero/schedules.velero.io.yaml',
  'backupstoragelocations.velero.io': 'velero/backupstoragelocations.velero.io.yaml',
  'volumesnapshotlocations.velero.io': 'velero/volumesnapshotlocations.velero.io.yaml',
  'virtualmachinetemplates.template.kubevirt.io': 'kubevirt/virtualmachinetemplates.template.kubevirt.io.yaml',
};

const upstream = (name: string, version: string, namespaced = true): SchemaSource => crd(UPSTREAM_CRDS[name], version, namespaced);

/** apiVersion/kind → where its upstream schema lives. */
const SOURCES: Record<string, SchemaSource> = {
  'kubevirt.io/v1/VirtualMachine': upstream('virtualmachines.kubevirt.io', 'v1'),
  'kubevirt.io/v1/VirtualMachineInstance': upstream('virtualmachineinstances.kubevirt.io', 'v1'),
  'pool.kubevirt.io/v1beta1/VirtualMachinePool': upstream('virtualmachinepools.pool.kubevirt.io', 'v1beta1'),
  'instancetype.kubevirt.io/v1beta1/VirtualMachineInstancetype': upstream('virtualmachineinstancetypes.instancetype.kubevirt.io', 'v1beta1'),
  'instancetype.kubevirt.io/v1beta1/VirtualMachinePreference': upstream('virtualmachinepreferences.instancetype.kubevirt.io', 'v1beta1'),
  'kubevirt.io/v1/KubeVirt': upstream('kubevirts.kubevirt.io', 'v1'),
  'cdi.kubevirt.io/v1beta1/CDI': upstream('cdis.cdi.kubevirt.io', 'v1beta1', false),
  'cdi.kubevirt.io/v1beta1/DataVolume': upstream('datavolumes.cdi.kubevirt.io', 'v1beta1'),
  'cdi.kubevirt.io/v1beta1/DataSource': upstream('datasources.cdi.kubevirt.io', 'v1beta1'),
  'cdi.kubevirt.io/v1beta1/DataImportCron': upstream('dataimportcrons.cdi.kubevirt.io', 'v1beta1'),
  'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition': upstream('network-attachment-definitions.k8s.cni.cncf.io', 'v1'),
  'k8s.cni.cncf.io/v1beta1/MultiNetworkPolicy': upstream('multi-networkpolicies.k8s.cni.cncf.io', 'v1beta1'),
  'snapshot.storage.k8s.io/v1/VolumeSnapshot': upstream('volumesnapshots.snapshot.storage.k8s.io', 'v1'),
  'snapshot.storage.k8s.io/v1/VolumeSnapshotClass': upstream('volumesnapshotclasses.snapshot.storage.k8s.io', 'v1', false),
  'snapshot.storage.k8s.io/v1/VolumeSnapshotContent': upstream('volumesnapshotcontents.snapshot.storage.k8s.io', 'v1', false),
  'whereabouts.cni.cncf.io/v1alpha1/IPPool': upstream('ippools.whereabouts.cni.cncf.io', 'v1alpha1'),
  'instancetype.kubevirt.io/v1beta1/VirtualMachineClusterInstancetype': upstream('virtualmachineclusterinstancetypes.instancetype.kubevirt.io', 'v1beta1', false),
  'instancetype.kubevirt.io/v1beta1/VirtualMachineClusterPreference': upstream('virtualmachineclusterpreferences.instancetype.kubevirt.io', 'v1beta1', false),
  'migrations.kubevirt.io/v1alpha1/MigrationPolicy': upstream('migrationpolicies.migrations.kubevirt.io', 'v1alpha1', false),
  'nmstate.io/v1/NodeNetworkConfigurationPolicy': upstream('nodenetworkconfigurationpolicies.nmstate.io', 'v1', false),
  'nmstate.io/v1beta1/NodeNetworkConfigurationPolicy': upstream('nodenetworkconfigurationpolicies.nmstate.io', 'v1beta1', false),
  'nmstate.io/v1beta1/NodeNetworkConfigurationEnactment': upstream('nodenetworkconfigurationenactments.nmstate.io', 'v1beta1', false),
  'nmstate.io/v1beta1/NodeNetworkState': upstream('nodenetworkstates.nmstate.io', 'v1beta1', false),
  'nmstate.io/v1/NMState': upstream('nmstates.nmstate.io', 'v1', false),
  'nmstate.io/v1beta1/NMState': upstream('nmstates.nmstate.io', 'v1beta1', false),
  'velero.io/v1/Schedule': upstream('schedules.velero.io', 'v1'),
  'velero.io/v1/BackupStorageLocation': upstream('backupstoragelocations.velero.io', 'v1'),
  'velero.io/v1/VolumeSnapshotLocation': upstream('volumesnapshotlocations.velero.io', 'v1'),
  'template.kubevirt.io/v1beta1/VirtualMachineTemplate': upstream('virtualmachinetemplates.template.kubevirt.io', 'v1beta1'),
  'snapshot.kubevirt.io/v1beta1/VirtualMachineSnapshot': upstream('virtualmachinesnapshots.snapshot.kubevirt.io', 'v1beta1'),
  'snapshot.kubevirt.io/v1beta1/VirtualMachineRestore': upstream('virtualmachinerestores.snapshot.kubevirt.io', 'v1beta1'),
  'clone.kubevirt.io/v1beta1/VirtualMachineClone': upstream('virtualmachineclones.clone.kubevirt.io', 'v1beta1'),
  'export.kubevirt.io/v1/VirtualMachineExport': upstream('virtualmachineexports.export.kubevirt.io', 'v1'),
};

/**
 * Core Kubernetes kinds: they are built from the typed cdk8s-plus-33 L1
 * classes and checked here for metadata only; targeted tests cover their
 * fields, and the real API server checks them in the cluster tier.
 */
export const CORE_KINDS = new Set([
  'v1/Namespace', 'v1/Secret', 'v1/ConfigMap', 'v1/ServiceAccount', 'v1/Service',
  'apps/v1/Deployment', 'apps/v1/DaemonSet',
  'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'scheduling.k8s.io/v1/PriorityClass', 'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'networking.k8s.io/v1/NetworkPolicy',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
]);
const CLUSTER_SCOPED_CORE = new Set([
  'v1/Namespace', 'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'scheduling.k8s.io/v1/PriorityClass', 'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
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

/** Loads the upstream CRD of the given name (e.g. `kubevirts.kubevirt.io`). */
export function upstreamCrd(name: string): Json {
  const rel = UPSTREAM_CRDS[name];
  if (!rel) throw new Error(`no upstream CRD named ${name}`);
  return readYaml(rel);
}
