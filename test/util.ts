/**
 * Test helpers shared by every suite. `synthValid` is the way tests
 * synthesize: it runs cdk8s validation, then checks every object against the
 * upstream schemas, and records every NetworkAttachmentDefinition config so
 * the CNI conformance run can execute them with the real plugins, and every
 * chart's documents so the real-cluster check (`npm run check:cluster`) can
 * run them through kube-apiserver and the KubeVirt/CDI admission code.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { validateManifest } from './conformance/schemas';

export const CNI_CONFIG_DIR = path.resolve(__dirname, '..', '.tmp', 'cni-configs');
export const SYNTH_DOCS_DIR = path.resolve(__dirname, '..', '.tmp', 'synth-docs');
/** Where every synthesized NodeNetworkConfigurationPolicy is recorded for the host-network conformance run. */
export const NMSTATE_POLICY_DIR = path.resolve(__dirname, '..', '.tmp', 'nmstate-policies');

/** Checks documents against the schemas; throws listing every problem. */
export function assertValid(docs: any[]): void {
  const errors = docs.flatMap(d => validateManifest(d));
  if (errors.length > 0) {
    throw new Error(`synthesized output is not accepted by the upstream schemas:\n  ${errors.join('\n  ')}`);
  }
  recordCniConfigs(docs);
  recordPolicies(docs);
  recordSynthDocs(docs);
}

/**
 * Writes each distinct synthesized output once (by content hash) as the
 * YAML stream `cdk8s synth` would write (YAML 1.1, so `y`/`no` stay
 * strings for Go and Python parsers), with the test that first produced it
 * in a leading comment.
 */
export function recordSynthDocs(docs: any[]): void {
  if (docs.length === 0) return;
  const body = Yaml.stringify(...docs);
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
  const file = path.join(SYNTH_DOCS_DIR, `${hash}.yaml`);
  if (fs.existsSync(file)) return;
  const state = expect.getState();
  const from = `${path.relative(path.resolve(__dirname, '..'), state.testPath ?? 'unknown')}: ${state.currentTestName ?? ''}`;
  fs.mkdirSync(SYNTH_DOCS_DIR, { recursive: true });
  fs.writeFileSync(file, `# ${from.replace(/\s+/g, ' ')}\n${body}`);
}

/** Writes each policy's desired state once (by content hash) for the host-network conformance run. */
export function recordPolicies(docs: any[]): void {
  for (const d of docs) {
    if (d?.kind !== 'NodeNetworkConfigurationPolicy' || d?.spec?.desiredState === undefined) continue;
    const text = JSON.stringify(d.spec.desiredState);
    const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
    fs.mkdirSync(NMSTATE_POLICY_DIR, { recursive: true });
    const file = path.join(NMSTATE_POLICY_DIR, `${hash}.json`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify({ source: d.metadata?.name, desiredState: d.spec.desiredState }));
  }
}

/** Writes each NAD config once (by content hash) for the CNI conformance run. */
export function recordCniConfigs(docs: any[]): void {
  for (const d of docs) {
    if (d?.kind !== 'NetworkAttachmentDefinition' || typeof d?.spec?.config !== 'string') continue;
    const hash = crypto.createHash('sha256').update(d.spec.config).digest('hex').slice(0, 16);
    fs.mkdirSync(CNI_CONFIG_DIR, { recursive: true });
    const file = path.join(CNI_CONFIG_DIR, `${hash}.json`);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, JSON.stringify({ source: `${d.metadata?.namespace}/${d.metadata?.name}`, config: d.spec.config }));
    }
  }
}

/** Synthesizes a chart (running validations) and checks its output. */
export function synthValid(chart: Chart): any[] {
  const docs = Testing.synth(chart);
  assertValid(docs);
  return docs;
}

/** Finds the one document of a kind (and optional name); throws otherwise. */
export function findOne(docs: any[], kind: string, name?: string): any {
  const hits = docs.filter(d => d.kind === kind && (name === undefined || d.metadata?.name === name));
  if (hits.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${hits.length}`);
  }
  return hits[0];
}
