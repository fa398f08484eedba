/**
 * The MultiNetworkPolicy CRD schema of the pinned upstream Go module
 * github.com/k8snetworkplumbingwg/multi-networkpolicy (v1.0.1, the version
 * multi-networkpolicy-iptables builds against; its v1beta1 has `endPort`):
 * the module's scheme.yml as the net-crds tool (test/cluster/netcrds) writes
 * it into test/upstream-crds, where `npm run cluster:crds` keeps it equal to
 * the module's.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { CRD_DIR, strictify, UPSTREAM_CRDS } from '../../conformance/schemas';

export const MULTI_NETWORKPOLICY_MODULE = 'github.com/k8snetworkplumbingwg/multi-networkpolicy@v1.0.1';

let cached: any;

/** The module's CRD, parsed. */
export function upstreamCrd(): any {
  if (cached) return cached;
  const file = path.join(CRD_DIR, UPSTREAM_CRDS['multi-networkpolicies.k8s.cni.cncf.io']);
  cached = YAML.parse(fs.readFileSync(file, 'utf-8'));
  return cached;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
let validator: ReturnType<typeof ajv.compile> | undefined;

/** Validates MultiNetworkPolicy documents against the served v1beta1 schema, strictly; returns the errors. */
export function validateMultiNetworkPolicies(docs: any[]): string[] {
  if (!validator) {
    const version = upstreamCrd().spec.versions.find((v: any) => v.name === 'v1beta1' && v.served);
    validator = ajv.compile(strictify(version.schema.openAPIV3Schema));
  }
  const errors: string[] = [];
  for (const d of docs.filter(x => x.kind === 'MultiNetworkPolicy')) {
    if (d.apiVersion !== 'k8s.cni.cncf.io/v1beta1') errors.push(`${d.metadata.name}: apiVersion ${d.apiVersion} is not the served v1beta1`);
    const { apiVersion: _a, kind: _k, metadata, ...rest } = d;
    if (!validator(rest)) {
      errors.push(...(validator.errors ?? []).map(e => `${metadata.name}: ${e.instancePath || '/'} ${e.message}${(e.params as any)?.additionalProperty ? ` '${(e.params as any).additionalProperty}'` : ''}`));
    }
  }
  return errors;
}
