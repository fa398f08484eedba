/**
 * The library's hand-kept tables of upstream facts against the upstream
 * code at the pinned versions, as the Go tools of test/cluster print it
 * (`npm run cluster:build` builds them into .cluster/bin):
 *
 * - `feature-gates`: KubeVirt's registered gates and stages
 *   (featuregate.GetRegisteredFeatureGates);
 * - `cdi-feature-gates`: the gate constants of CDI's feature-gates package;
 * - `kubevirt-facts`: virt-config defaults (emulated machines, machine type);
 * - `common-instancetypes`: the cluster instancetypes virt-operator deploys
 *   (the common-instancetypes bundle embedded in virt-operator), against the
 *   spec the library renders for each CommonInstancetype size.
 *
 * Without the tools the comparisons are skipped, saying so; with
 * REQUIRE_CLUSTER_TOOLS=1 (CI, after the tools are built) a missing tool
 * fails. Every difference is printed, one per line.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CommonInstancetype, MachineType } from '../../src/compute';
import { DEFAULT_AMD64_EMULATED_MACHINES } from '../../src/compute/platform-rules';
import { FeatureGate, FeatureGateComponent } from '../../src/platform';

const BIN = process.env.CLUSTER_TOOLS_BIN ?? path.resolve(__dirname, '..', '..', '.cluster', 'bin');
const REQUIRED = process.env.REQUIRE_CLUSTER_TOOLS === '1';

/** Runs a tool's comparison when it is built (or when it must be), and skips it otherwise. */
function withTool(tool: string, title: string, check: (output: string) => void): void {
  const file = path.join(BIN, tool);
  const present = fs.existsSync(file);
  if (!present && !REQUIRED) {
    test.skip(`${title} (skipped: ${tool} is not built; run npm run cluster:build)`, () => undefined);
    return;
  }
  test(title, () => {
    if (!present) throw new Error(`${file} is missing: run test/cluster/build.sh first`);
    check(execFileSync(file, [], { encoding: 'utf-8', timeout: 120_000 }));
  });
}

/** Lines that differ between the library's `ours` and upstream's `theirs` (name → value). */
function differences(what: string, ours: Map<string, string>, theirs: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of [...theirs].sort()) {
    if (!ours.has(name)) out.push(`${what} ${name}: upstream has it (${value}), the library does not`);
    else if (ours.get(name) !== value) out.push(`${what} ${name}: library says ${ours.get(name)}, upstream says ${value}`);
  }
  for (const [name, value] of [...ours].sort()) {
    if (!theirs.has(name)) out.push(`${what} ${name}: the library has it (${value}), upstream does not`);
  }
  return out;
}

/** A JSON value as path → value lines (`cpu.guest` → `8`; an empty object is `{}`). */
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/** Every CommonInstancetype size the library offers (its static members). */
function commonInstancetypes(): CommonInstancetype[] {
  return Object.values(CommonInstancetype).filter((v): v is CommonInstancetype => v instanceof CommonInstancetype);
}

/** The spec the library renders for a size, as the cluster object defineCluster() writes. */
function renderedSpec(it: CommonInstancetype): unknown {
  const chart = Testing.chart();
  it.defineCluster(chart, 'it');
  return Testing.synth(chart)[0].spec;
}

function report(diffs: string[]): void {
  if (diffs.length > 0) process.stderr.write(`${diffs.join('\n')}\n${diffs.length} differences\n`);
  expect(diffs).toEqual([]);
}

describe('hand-kept upstream facts equal the pinned upstream code', () => {
  withTool('feature-gates', 'KubeVirt feature gates and stages', output => {
    const theirs = new Map(output.trim().split('\n').map(l => l.split(' ') as [string, string]));
    const ours = new Map(FeatureGate.known().filter(g => g.component === FeatureGateComponent.KUBEVIRT).map(g => [g.name, g.stage as string]));
    report(differences('KubeVirt feature gate', ours, theirs));
  });

  withTool('cdi-feature-gates', 'CDI feature gates', output => {
    const theirs = new Map(output.trim().split('\n').filter(l => !l.startsWith('#')).map(l => [l, 'gate']));
    const ours = new Map(FeatureGate.known().filter(g => g.component === FeatureGateComponent.CDI).map(g => [g.name, 'gate']));
    report(differences('CDI feature gate', ours, theirs));
  });

  withTool('kubevirt-facts', 'KubeVirt defaults: emulated machines and machine type', output => {
    const theirs = new Map(output.trim().split('\n').map(l => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
    const ours = new Map([
      ['default-amd64-emulated-machines', DEFAULT_AMD64_EMULATED_MACHINES.join(',')],
      ['default-amd64-machine-type', MachineType.Q35.value],
    ]);
    report(differences('KubeVirt default', ours, theirs));
  });

  withTool('common-instancetypes', 'CommonInstancetype sizes equal the instancetypes virt-operator deploys', output => {
    const upstream = JSON.parse(output) as { bundleVersion: string; instancetypes: Record<string, unknown> };
    const sizes = commonInstancetypes();
    expect(sizes.length).toBeGreaterThan(0);
    const diffs: string[] = [];
    for (const it of sizes) {
      const theirs = upstream.instancetypes[it.name];
      if (theirs === undefined) {
        diffs.push(`common instancetype ${it.name}: the library has it, the bundle (${upstream.bundleVersion}) does not`);
        continue;
      }
      diffs.push(...differences(`common instancetype ${it.name} spec`, flatten(renderedSpec(it)), flatten(theirs)));
    }
    report(diffs);
  });

  test('the comparison notices a wrong stage, a missing and an extra gate (it is not blind)', () => {
    const theirs = new Map([['A', 'Beta'], ['B', 'Alpha']]);
    expect(differences('gate', new Map([['A', 'Alpha'], ['C', 'GA']]), theirs)).toEqual([
      'gate A: library says Alpha, upstream says Beta',
      'gate B: upstream has it (Alpha), the library does not',
      'gate C: the library has it (GA), upstream does not',
    ]);
  });

  test('a spec compared field by field names the field that differs', () => {
    const ours = flatten({ cpu: { guest: 2, numa: { guestMappingPassthrough: {} } }, memory: { guest: '4Gi' } });
    const theirs = flatten({ cpu: { guest: 2, numa: { guestMappingPassthrough: {} } }, memory: { guest: '8Gi', hugepages: { pageSize: '2Mi' } } });
    expect(differences('it', ours, theirs)).toEqual([
      'it memory.guest: library says "4Gi", upstream says "8Gi"',
      'it memory.hugepages.pageSize: upstream has it ("2Mi"), the library does not',
    ]);
  });
});
