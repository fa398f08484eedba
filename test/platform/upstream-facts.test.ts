/**
 * The library's hand-kept tables of upstream facts against the upstream
 * code at the pinned versions, as the Go tools of test/cluster print it
 * (`npm run cluster:build` builds them into .cluster/bin):
 *
 * - `feature-gates`: KubeVirt's registered gates and stages
 *   (featuregate.GetRegisteredFeatureGates);
 * - `cdi-feature-gates`: the gate constants of CDI's feature-gates package;
 * - `kubevirt-facts`: virt-config defaults (emulated machines, machine type);
 * - `kubevirt-operator-install`: virt-operator's placement
 *   (placement.RequireControlPlanePreferNonWorker) against
 *   `ControlPlanePlacement.REQUIRE`;
 * - `kubevirt-infra-placement`: where virt-operator puts virt-api and
 *   virt-controller for the library's KubeVirt CR.
 *
 * Without the tools the comparisons are skipped, saying so; with
 * REQUIRE_CLUSTER_TOOLS=1 (CI, after the tools are built) a missing tool
 * fails. Every difference is printed, one per line.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MachineType } from '../../src/compute';
import { DEFAULT_AMD64_EMULATED_MACHINES } from '../../src/compute/platform-rules';
import { ControlPlanePlacement, FeatureGate, FeatureGateComponent, KubeVirt } from '../../src/platform';

const BIN = process.env.CLUSTER_TOOLS_BIN ?? path.resolve(__dirname, '..', '..', '.cluster', 'bin');
const REQUIRED = process.env.REQUIRE_CLUSTER_TOOLS === '1';

/** Runs a tool's comparison when it is built (or when it must be), and skips it otherwise. */
function withTool(tool: string, title: string, check: (output: string) => void, input?: string): void {
  const file = path.join(BIN, tool);
  const present = fs.existsSync(file);
  if (!present && !REQUIRED) {
    test.skip(`${title} (skipped: ${tool} is not built; run npm run cluster:build)`, () => undefined);
    return;
  }
  test(title, () => {
    if (!present) throw new Error(`${file} is missing: run test/cluster/build.sh first`);
    check(execFileSync(file, [], { encoding: 'utf-8', timeout: 120_000, input }));
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

  withTool('kubevirt-operator-install', 'virt-operator\'s placement: REQUIRE is KubeVirt\'s own; the default PREFER only prefers control-plane nodes', output => {
    const pick = (spec: any) => ({ nodeSelector: spec.nodeSelector, tolerations: spec.tolerations, affinity: spec.affinity });
    const upstream = pick(output.trim().split('\n').map(l => JSON.parse(l)).find(o => o.kind === 'Deployment').spec.template.spec);
    const ours = (controlPlanePlacement?: ControlPlanePlacement) => {
      const chart = Testing.chart();
      new KubeVirt(chart, 'kv', { controlPlanePlacement });
      return pick(Testing.synth(chart).find(o => o.kind === 'Deployment' && o.metadata.name === 'virt-operator').spec.template.spec);
    };
    expect(ours(ControlPlanePlacement.REQUIRE)).toEqual(upstream);
    // the default: no required node affinity, so no Pending operator where no control-plane node takes pods
    const preferred = ours();
    expect(preferred).not.toEqual(upstream);
    expect(preferred.affinity.nodeAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] } }],
    });
    expect(preferred.tolerations).toEqual(upstream.tolerations.filter((t: any) => t.key !== 'node-role.kubernetes.io/master'));
    const any = ours(ControlPlanePlacement.ANY_NODE);
    expect(any.affinity.nodeAffinity).toBeUndefined();
    expect(any.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
  });

  withTool('kubevirt-infra-placement', 'virt-api and virt-controller\'s placement as virt-operator derives it from the library\'s KubeVirt CR', output => {
    const derive = (cr: any) => JSON.parse(execFileSync(path.join(BIN, 'kubevirt-infra-placement'), { input: JSON.stringify(cr), encoding: 'utf-8' }));
    const crOf = (props: any) => {
      const chart = Testing.chart();
      new KubeVirt(chart, 'kv', props);
      return Testing.synth(chart).find(o => o.kind === 'KubeVirt');
    };
    const required = (p: any) => p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    // a CR without spec.infra.nodePlacement (the tool's input below): KubeVirt requires control-plane nodes (the pods stay Pending without them)
    const bare = JSON.parse(output);
    expect(required(bare).nodeSelectorTerms.map((t: any) => t.matchExpressions[0].key)).toEqual(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']);
    // the default: control-plane nodes preferred, never required
    const preferred = derive(crOf({}));
    process.stdout.write(`virt-api placement for the default KubeVirt CR: ${JSON.stringify(preferred)}\n`);
    expect(required(preferred)).toBeUndefined();
    expect(preferred.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key).toBe('node-role.kubernetes.io/control-plane');
    expect(preferred.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(preferred.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(derive(crOf({ controlPlanePlacement: ControlPlanePlacement.REQUIRE }))).toEqual(derive({ kind: 'KubeVirt', spec: {} }));
    expect(derive(crOf({ controlPlanePlacement: ControlPlanePlacement.ANY_NODE }))).toEqual({ affinity: null, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: null });
    expect(derive(crOf({ infraPlacement: { nodeSelector: { pool: 'infra' } } }))).toEqual({ affinity: null, nodeSelector: { 'kubernetes.io/os': 'linux', 'pool': 'infra' }, tolerations: null });
  }, JSON.stringify({ kind: 'KubeVirt', spec: { infra: { replicas: 2 } } }));

  test('the comparison notices a wrong stage, a missing and an extra gate (it is not blind)', () => {
    const theirs = new Map([['A', 'Beta'], ['B', 'Alpha']]);
    expect(differences('gate', new Map([['A', 'Alpha'], ['C', 'GA']]), theirs)).toEqual([
      'gate A: library says Alpha, upstream says Beta',
      'gate B: upstream has it (Alpha), the library does not',
      'gate C: the library has it (GA), upstream does not',
    ]);
  });
});
