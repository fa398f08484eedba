/**
 * Test helpers shared by every suite. `synthValid` is the way tests
 * synthesize: it runs cdk8s validation, then checks every object against the
 * upstream schemas. With CDK8S_KUBEVIRT_CORPUS naming a folder (`npm run
 * corpus` sets it), it also records the test corpus there: every
 * NetworkAttachmentDefinition config (cni-configs/, for the CNI conformance
 * pass), every NodeNetworkConfigurationPolicy's desired state
 * (nmstate-policies/, for the host-network pass) and every chart's documents
 * (synth-docs/, for the cloud-init corpus check and `npm run check:cluster`).
 * Without it nothing is written.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { validateManifest } from './conformance/schemas';

const ROOT = path.resolve(__dirname, '..');

/**
 * The test corpus folder named by CDK8S_KUBEVIRT_CORPUS (relative to the
 * repository root), or undefined when the run records nothing.
 */
export function corpusDir(): string | undefined {
  const dir = process.env.CDK8S_KUBEVIRT_CORPUS;
  return dir ? path.resolve(ROOT, dir) : undefined;
}

/**
 * One part of the test corpus, for the passes that read it: fails, naming
 * the variable and the command, when CDK8S_KUBEVIRT_CORPUS is not set.
 */
export function corpusPart(part: 'cni-configs' | 'synth-docs' | 'nmstate-policies'): string {
  const dir = corpusDir();
  if (dir === undefined) {
    throw new Error('CDK8S_KUBEVIRT_CORPUS is not set: record the test corpus with `npm run corpus` (it writes .tmp/corpus) and run again with CDK8S_KUBEVIRT_CORPUS=.tmp/corpus');
  }
  return path.join(dir, part);
}

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
 * Writes each distinct synthesized output once (by content hash) into the
 * corpus's synth-docs/ as the YAML stream `cdk8s synth` would write (YAML
 * 1.1, so `y`/`no` stay strings for Go and Python parsers), with the test
 * that first produced it in a leading comment.
 */
export function recordSynthDocs(docs: any[]): void {
  const corpus = corpusDir();
  if (corpus === undefined || docs.length === 0) return;
  const body = Yaml.stringify(...docs);
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
  const dir = path.join(corpus, 'synth-docs');
  const file = path.join(dir, `${hash}.yaml`);
  if (fs.existsSync(file)) return;
  const state = expect.getState();
  const from = `${path.relative(ROOT, state.testPath ?? 'unknown')}: ${state.currentTestName ?? ''}`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, `# ${from.replace(/\s+/g, ' ')}\n${body}`);
}

/** Writes each policy's desired state once (by content hash) for the host-network conformance run. */
export function recordPolicies(docs: any[]): void {
  const corpus = corpusDir();
  if (corpus === undefined) return;
  const dir = path.join(corpus, 'nmstate-policies');
  for (const d of docs) {
    if (d?.kind !== 'NodeNetworkConfigurationPolicy' || d?.spec?.desiredState === undefined) continue;
    const text = JSON.stringify(d.spec.desiredState);
    const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${hash}.json`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify({ source: d.metadata?.name, desiredState: d.spec.desiredState }));
  }
}

/** Writes each NAD config once (by content hash) for the CNI conformance run. */
export function recordCniConfigs(docs: any[]): void {
  const corpus = corpusDir();
  if (corpus === undefined) return;
  const dir = path.join(corpus, 'cni-configs');
  for (const d of docs) {
    if (d?.kind !== 'NetworkAttachmentDefinition' || typeof d?.spec?.config !== 'string') continue;
    const hash = crypto.createHash('sha256').update(d.spec.config).digest('hex').slice(0, 16);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${hash}.json`);
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
