/**
 * The cluster check (check-cluster's drift stage) ignores exactly the
 * fields the library declares as written by the cluster: it reads a JSON
 * copy of CLUSTER_WRITTEN_FIELDS, which must equal the list.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CLUSTER_WRITTEN_FIELDS } from '../../src/gitops/cluster-written-fields';

const COPY = path.join(__dirname, '..', 'cluster', 'kube', 'cmd', 'check-cluster', 'cluster-written-fields.json');

test('check-cluster reads the same cluster-written fields as the library declares', () => {
  const copy = JSON.parse(fs.readFileSync(COPY, 'utf-8'));
  // regenerate with: npx ts-node -T -e "require('fs').writeFileSync('<COPY>', JSON.stringify(require('./src/gitops/cluster-written-fields').CLUSTER_WRITTEN_FIELDS, null, 2) + '\n')"
  expect(copy).toEqual(CLUSTER_WRITTEN_FIELDS);
});

test('every entry says why and names valid JSON pointers', () => {
  for (const f of CLUSTER_WRITTEN_FIELDS) {
    expect(f.reason.length).toBeGreaterThan(40);
    for (const p of f.jsonPointers) expect(p).toMatch(/^(\/([^~/]|~[01])*)+$/);
  }
});

test('the firmware UUID is emitted, not left to the cluster', () => {
  const vm = CLUSTER_WRITTEN_FIELDS.filter(f => f.kind === 'VirtualMachine').flatMap(f => f.jsonPointers);
  expect(vm.some(p => p.includes('/firmware'))).toBe(false);
});

test('the README\'s Flux Kustomization ignores the same fields in its drift detection', () => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'gitops', 'flux.yaml'), 'utf-8')).map(d => d.toJSON());
  const kustomization = docs.find(d => d.kind === 'Kustomization');
  const byKind = new Map<string, { paths: string[]; target: { group: string; kind: string } }>();
  for (const f of CLUSTER_WRITTEN_FIELDS) {
    const key = `${f.group}/${f.kind}`;
    const rule = byKind.get(key) ?? { paths: [], target: { group: f.group, kind: f.kind } };
    rule.paths.push(...f.jsonPointers);
    byKind.set(key, rule);
  }
  expect(kustomization.spec.ignore).toEqual([...byKind.values()]);
});
