/**
 * The MultiNetworkPolicy CRD schema from the pinned upstream Go module
 * github.com/k8snetworkplumbingwg/multi-networkpolicy (v1.0.1, the version
 * multi-networkpolicy-iptables builds against; its v1beta1 has `endPort`).
 * The module is fetched with `go mod download` and read in place; nothing is
 * copied into the repository.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { strictify } from '../../conformance/schemas';

export const MULTI_NETWORKPOLICY_MODULE = 'github.com/k8snetworkplumbingwg/multi-networkpolicy@v1.0.1';

let cached: any;

/** The module's scheme.yml, parsed (js-yaml: upstream's indentation is refused by the strict `yaml` parser). */
export function upstreamCrd(): any {
  if (cached) return cached;
  const res = spawnSync('go', ['mod', 'download', '-json', MULTI_NETWORKPOLICY_MODULE], { encoding: 'utf-8', timeout: 120_000 });
  if (res.error || res.status !== 0) {
    throw new Error(`cannot download ${MULTI_NETWORKPOLICY_MODULE}: ${res.error?.message ?? (res.stderr || res.stdout)}`);
  }
  const dir = JSON.parse(res.stdout).Dir as string;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsYaml = require('js-yaml');
  cached = jsYaml.load(fs.readFileSync(path.join(dir, 'scheme.yml'), 'utf-8'));
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
