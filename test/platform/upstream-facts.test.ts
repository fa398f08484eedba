/**
 * The library's hand-kept tables of upstream facts against the upstream
 * code at the pinned versions, as the Go tools of test/cluster print it
 * (`npm run cluster:build` builds them into .cluster/bin):
 *
 * - `feature-gates`: KubeVirt's registered gates and stages
 *   (featuregate.GetRegisteredFeatureGates);
 * - `cdi-feature-gates`: the gate constants of CDI's feature-gates package;
 * - `kubevirt-facts`: virt-config defaults (emulated machines, machine type);
 *   the constants of the API's string types the library's enums mirror
 *   (disk bus, cache, IO, error policy, tick policies, ...); the members of
 *   one-of structs (disk devices, bindings, network sources, timers, clock
 *   offsets, Hyper-V enlightenments); the webhooks' allow-lists (interface
 *   models, CPU feature policies); the Hyper-V dependencies the webhook
 *   enforces;
 * - `cdi-facts`: CDI's default file system overhead, the block size it
 *   aligns images to, which overheads its config controller accepts and the
 *   size it pads a Filesystem import to (util.GetRequiredSpace), which http
 *   source checksums and DataImportCron schedules its webhooks take; the
 *   constants of the CDI API's string types the library's enums mirror and
 *   the members of DataVolumeSource;
 * - `net-facts`: Multus's log level names, the plugins of
 *   containernetworking/plugins at the library's pinned version, the modes
 *   its macvlan plugin accepts and its bridge plugin's default bridge, and
 *   the snapshot API's deletion policies;
 * - `kubevirt-facts --declared`, `cdi-facts --declared`: which package of
 *   KubeVirt or CDI declares each annotation or label key of their domains
 *   (and the CNI's and snapshot API's) that the library's source spells out;
 * - `kubevirt-admit`: KubeVirt's own admission of a VM that carries each
 *   annotation the library says needs a feature gate, on a KubeVirt without
 *   gates (refused) and with just that gate (admitted);
 * - `common-instancetypes`: the cluster instancetypes virt-operator deploys
 *   (the common-instancetypes bundle embedded in virt-operator), against the
 *   spec the library renders for each CommonInstancetype size;
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
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import {
  BootDisk, ClockOptions, CommonInstancetype, CpuFeaturePolicy, CpuModel, DiskBus, DiskCache, DiskDevice, DiskErrorPolicy, DiskIo, EvictionStrategy,
  HostDiskType, HypervEnlightenmentsOptions, InputBus, InterfaceBindingType, InterfaceModel, IoThreadsPolicy, MachineType, NetworkKind,
  PreferredCpuTopology, RunStrategy, TimerTickPolicy, VirtualMachine, WatchdogAction,
} from '../../src/compute';
import { renderHypervFeature } from '../../src/compute/performance/render';
import { requireHyperv } from '../../src/compute/performance/rules';
import { RESERVED_VMI_LABELS } from '../../src/compute/vm/rules/option-types';
import { DEFAULT_AMD64_EMULATED_MACHINES, GATED_ANNOTATIONS } from '../../src/compute/vm/rules/platform';
import { MacvlanMode } from '../../src/network';
import { DEFAULT_BRIDGE_NAME } from '../../src/network/cni-plugin';
import {
  CdiCloneStrategy, ControlPlanePlacement, FeatureGate, FeatureGateComponent, KubeVirt, Multus, NetworkBindingMigrationMethod, PlatformVersions,
} from '../../src/platform';
import { REFERENCE_PLUGINS } from '../../src/private/node-needs';
import {
  DataVolumeContentType, DataVolumeSource, DataVolumeSourceKind, ImportCronGarbageCollect, RegistryPullMethod, VolumeSnapshotDeletionPolicy,
} from '../../src/storage';
import { ACCESS_MODES, VOLUME_MODES } from '../../src/storage/data-volume-render';
import { CDI_ALIGN_BYTES, CDI_DEFAULT_FILESYSTEM_OVERHEAD, filesystemPaddedBytes, optionalStorageFacts } from '../../src/storage/private/storage-class-profile-rules';
import { META_PLUGINS } from '../../src/topology/cni-summary';
import { IMPORT_SOURCES } from '../../src/topology/manifest-reading';
import { checkCronSchedule } from '../../src/validation';
import { SSH_PUBLIC_KEY_TYPES } from '../../src/validation/ssh';

const BIN = process.env.CLUSTER_TOOLS_BIN ?? path.resolve(__dirname, '..', '..', '.cluster', 'bin');
const REQUIRED = process.env.REQUIRE_CLUSTER_TOOLS === '1';

/** Each tool's output, run once however many comparisons read it. */
const outputs = new Map<string, string>();

/** Runs a tool's comparison when it is built (or when it must be), and skips it otherwise. */
function withTool(tool: string, title: string, check: (output: string) => void, args: string[] = [], input?: string): void {
  const file = path.join(BIN, tool);
  const present = fs.existsSync(file);
  if (!present && !REQUIRED) {
    test.skip(`${title} (skipped: ${tool} is not built; run npm run cluster:build)`, () => undefined);
    return;
  }
  test(title, () => check(runTool(tool, args, input)), 180_000);
}

/** A tool's output (run once per argument list and input); throws when the tool is not built. */
function runTool(tool: string, args: string[] = [], input?: string): string {
  const file = path.join(BIN, tool);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run test/cluster/build.sh first`);
  const key = [tool, ...args, input ?? ''].join(' ');
  if (!outputs.has(key)) outputs.set(key, execFileSync(file, args, { encoding: 'utf-8', timeout: 120_000, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] }));
  return outputs.get(key)!;
}

/**
 * The annotation and label keys of KubeVirt's, CDI's, the CNI's and the
 * snapshot API's domains that the library's source spells out (API
 * versions left out), read from src/.
 */
function upstreamKeysInSource(): string[] {
  const key = /'((?:[a-z0-9-]+\.)*(?:kubevirt\.io|cni\.cncf\.io)|snapshot\.storage\.kubernetes\.io)\/([A-Za-z][A-Za-z0-9._-]*)'/g;
  const keys = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(file);
      } else if (e.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(file, 'utf-8').matchAll(key)) {
          if (!/^v\d+((alpha|beta)\d+)?$/.test(m[2])) keys.add(`${m[1]}/${m[2]}`);
        }
      }
    }
  };
  walk(path.resolve(__dirname, '..', '..', 'src'));
  return [...keys].sort();
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

/** A tool's "<fact> <value>" lines as fact → value (a fact may hold spaces, a value does not). */
function facts(output: string): Map<string, string> {
  return new Map(output.trim().split('\n').map(l => [l.slice(0, l.lastIndexOf(' ')), l.slice(l.lastIndexOf(' ') + 1)]));
}

/**
 * A library value list against an upstream one (comma-separated in
 * `theirs`). `notOffered` names upstream values the library leaves out on
 * purpose, each with its reason; one that upstream no longer has, or that
 * the library now offers, is a difference too, so the list cannot go stale.
 */
function listDifferences(fact: string, ours: string[], theirs: string | undefined, notOffered: Record<string, string> = {}): string[] {
  if (theirs === undefined) return [`${fact}: the tool printed no such fact`];
  const upstream = new Set(theirs.split(',').filter(v => v !== ''));
  const out: string[] = [];
  for (const v of [...upstream].sort()) {
    if (!ours.includes(v) && notOffered[v] === undefined) out.push(`${fact} ${v}: upstream has it, the library does not`);
  }
  for (const v of [...new Set(ours)].sort()) {
    if (!upstream.has(v)) out.push(`${fact} ${v}: the library has it, upstream does not`);
    if (notOffered[v] !== undefined) out.push(`${fact} ${v}: the library offers it, but is said not to (${notOffered[v]})`);
  }
  for (const v of Object.keys(notOffered).sort()) {
    if (!upstream.has(v)) out.push(`${fact} ${v}: said to be left out of the library, but upstream has no such value`);
  }
  return out;
}

/** The members of an exported interface of a source file, as declared. */
function interfaceMembers(file: string, name: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest);
  const decl = source.statements.find((st): st is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(st) && st.name.text === name);
  if (!decl) throw new Error(`no interface ${name} in ${file}`);
  return decl.members.map(m => (m.name as ts.Identifier).text);
}

const HYPERV_OPTIONS = interfaceMembers(path.resolve(__dirname, '..', '..', 'src', 'compute', 'devices', 'hyperv.ts'), 'HypervEnlightenmentsOptions');
const HYPERV_SWITCHES = HYPERV_OPTIONS.filter(o => o !== 'spinlocks' && o !== 'vendorId');

/** The `domain.clock` the library renders for a VM with these clock options. */
function renderedClock(clock: ClockOptions): any {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'ns' });
  new VirtualMachine(chart, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'), clock });
  return Testing.synth(chart).find(o => o.kind === 'VirtualMachine').spec.template.spec.domain.clock;
}

/** The tick policies the library accepts for a timer (the others it refuses at synth time). */
function acceptedTickPolicies(timer: 'pitTickPolicy' | 'rtcTickPolicy'): string[] {
  return Object.values(TimerTickPolicy).filter(p => {
    try {
      renderedClock({ [timer]: p });
      return true;
    } catch (e) {
      if (!/is not a tick policy of the/.test(String(e))) throw e;
      return false;
    }
  });
}

/** The Hyper-V dependencies the library enforces, each switch on and every other off: "feature:needs". */
function libraryHypervRequires(): string[] {
  const out: string[] = [];
  for (const on of HYPERV_SWITCHES) {
    const options = Object.fromEntries(HYPERV_SWITCHES.map(k => [k, k === on])) as HypervEnlightenmentsOptions;
    try {
      requireHyperv(Testing.chart(), options);
    } catch (e) {
      const m = /'hyperv\.(\w+)' needs the '(\w+)' enlightenment/.exec(String(e));
      if (!m) throw e;
      out.push(`${m[1]}:${m[2]}`);
    }
  }
  return out;
}

function gatedInputName(annotation: string, gate: string | undefined): string {
  return `${annotation.replace(/[^a-z0-9]+/gi, '-')}-${gate ?? 'no-gate'}.yaml`;
}

/**
 * One input per gated annotation and gate setting: a KubeVirt CR (with no
 * gates, or with just the one) and a VM whose template carries the
 * annotation; plus a control with an annotation no gate guards.
 */
function gatedAnnotationInputs(): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gated-annotations-'));
  const write = (annotation: string, gate: string | undefined) => {
    const object = (kind: string, name: string, namespace: string, spec: unknown) => ({ apiVersion: 'kubevirt.io/v1', kind, metadata: { name, namespace }, spec });
    const kubevirt = object('KubeVirt', 'kubevirt', 'kubevirt', { configuration: { developerConfiguration: { featureGates: gate ? [gate] : [] } } });
    const template = { metadata: { annotations: { [annotation]: '[]' } }, spec: { domain: { devices: {}, memory: { guest: '1Gi' } } } };
    const vm = object('VirtualMachine', 'vm', 'ns', { runStrategy: 'Always', template });
    const file = path.join(dir, gatedInputName(annotation, gate));
    fs.writeFileSync(file, [kubevirt, vm].map(o => JSON.stringify(o)).join('\n---\n'));
    return file;
  };
  return [
    ...GATED_ANNOTATIONS.flatMap(([annotation, gate]) => [write(annotation, undefined), write(annotation, gate)]),
    write('example.com/not-gated', undefined),
  ];
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
    const theirs = new Map([...facts(output)].filter(([k]) => k.startsWith('default-')));
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
  }, [], JSON.stringify({ kind: 'KubeVirt', spec: { infra: { replicas: 2 } } }));

  withTool('kubevirt-facts', 'KubeVirt API values: enums, one-of members, webhook allow-lists, Hyper-V dependencies', output => {
    const theirs = facts(output);
    const allHyperv = Object.fromEntries(HYPERV_OPTIONS.map(k => [k, k === 'spinlocks' ? 8191 : k === 'vendorId' ? 'kubevirt' : true]));
    const timezone = renderedClock({ timezone: 'Europe/Berlin' });
    const utc = renderedClock({ hpet: true, hypervTimer: true, pitTickPolicy: TimerTickPolicy.DELAY, rtcTickPolicy: TimerTickPolicy.DELAY });
    const deprecatedSpelling = 'a deprecated spelling of a topology the library offers';
    const removedBinding = 'deprecated, removed from KubeVirt in v1.3 (network binding plugins replace it: InterfaceBindingType.PLUGIN)';
    const hypervNotOffered = { evmcs: 'needs nested virtualisation (the vmx CPU feature) on the nodes; not offered' };
    const tables: Array<[string, string[], Record<string, string>?]> = [
      ['enum v1.DiskBus', Object.values(DiskBus)],
      ['enum v1.DriverCache', Object.values(DiskCache)],
      ['enum v1.DriverIO', Object.values(DiskIo)],
      ['enum v1.DiskErrorPolicy', Object.values(DiskErrorPolicy)],
      ['enum v1.HostDiskType', Object.values(HostDiskType)],
      ['enum v1.IOThreadsPolicy', Object.values(IoThreadsPolicy)],
      ['enum v1.WatchdogAction', Object.values(WatchdogAction)],
      ['enum v1.InputBus', Object.values(InputBus)],
      ['enum v1.EvictionStrategy', Object.values(EvictionStrategy)],
      ['enum v1.VirtualMachineRunStrategy', Object.values(RunStrategy),
        { WaitAsReceiver: 'set on the target VM of a cross-cluster migration, not a strategy a VM is written with' }],
      // TimerTickPolicy is one enum for every timer; the HPET takes all of it
      ['enum v1.HPETTickPolicy', Object.values(TimerTickPolicy)],
      ['enum v1.PITTickPolicy', acceptedTickPolicies('pitTickPolicy')],
      ['enum v1.RTCTickPolicy', acceptedTickPolicies('rtcTickPolicy')],
      ['enum v1.MigrationMethod', Object.values(NetworkBindingMigrationMethod)],
      ['enum v1beta1.PreferredCPUTopology', Object.values(PreferredCpuTopology),
        Object.fromEntries(['preferAny', 'preferCores', 'preferSockets', 'preferSpread', 'preferThreads'].map(v => [v, deprecatedSpelling]))],
      ['cpu-modes', [CpuModel.HOST_MODEL.value, CpuModel.HOST_PASSTHROUGH.value]],
      ['fields v1.DiskDevice', Object.values(DiskDevice)],
      ['fields v1.FeatureHyperv', Object.keys(renderHypervFeature(allHyperv)), hypervNotOffered],
      // PLUGIN renders `binding: { name }`, which is no member of this one-of
      ['fields v1.InterfaceBindingMethod', Object.values(InterfaceBindingType).filter(b => b !== InterfaceBindingType.PLUGIN), {
        ...Object.fromEntries(['macvtap', 'passt', 'slirp'].map(v => [v, removedBinding])),
        passtBinding: 'the core passt binding; the library offers passt as a network binding plugin (InterfaceBindingType.PLUGIN)',
      }],
      ['fields v1.NetworkSource', Object.values(NetworkKind), { resourceClaim: 'network devices from DRA claims (alpha, NetworkDevicesWithDRA gate); not offered' }],
      ['fields v1.Timer', Object.keys(utc.timer), { kvm: 'the KVM clock is on by default; the library offers no switch for it' }],
      ['fields v1.ClockOffset', [...Object.keys(timezone), ...Object.keys(utc)].filter(k => k !== 'timer')],
      ['admitted interface-models', Object.values(InterfaceModel)],
      ['admitted cpu-feature-policies', Object.values(CpuFeaturePolicy)],
      ['hyperv-requires', libraryHypervRequires(), { 'evmcs:vapic': hypervNotOffered.evmcs }],
      ['restricted vmi-labels', RESERVED_VMI_LABELS],
      ['enum k8s.io/api/core/v1.PersistentVolumeAccessMode', [...ACCESS_MODES]],
      ['enum k8s.io/api/core/v1.PersistentVolumeMode', [...VOLUME_MODES]],
    ];
    const diffs = tables.flatMap(([fact, ours, notOffered]) => listDifferences(fact, ours, theirs.get(fact), notOffered));
    const compared = new Set(['default-amd64-emulated-machines', 'default-amd64-machine-type', ...tables.map(([f]) => f)]);
    for (const fact of theirs.keys()) if (!compared.has(fact)) diffs.push(`${fact}: printed by the tool, compared with nothing`);
    report(diffs);
  });

  // overheads around CDI's rule (a fraction of at most three decimals, or 1)
  // and image sizes around the 1 MiB alignment and the float64 range
  const OVERHEADS = [0, 0.001, 0.05, 0.06, 0.1, 0.5, 0.999, 1, 0.0625, 0.0001, 1.5, -0.1, 2];
  const SIZES = [1, 1048575, 1048576, 1048577, 10737418240, 10737418241, 5e12, 2 ** 53 - 1];
  // DataImportCron schedules around robfig/cron's standard parser: fields,
  // names, ranges, steps, lists, descriptors, @every, time zone prefixes
  const SCHEDULES = [
    '0 3 * * 1', '*/15 * * * *', '0 0 1 1 *', '0-59/5 0-23 1-31 1-12 0-6', '5 4 * * sun', '0 0 * JAN-DEC MON', '0 0 ? * *', '7/10 * * * *',
    '1,,2 * * * *', '+5 * * * *', '0   3 * * 1', '0 0 * * mon,wed', '*/5,10 * * * *', '0 0 1-31/2 * *', '0 0 31 2 *', '0 0 * * SUN-SAT',
    '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot', '@every', '@every 1h', '@every 90s',
    '@every 1.5h', '@every 0', '@every .5m', '@every -1h', '@every 1d', '@every 1h30m', '@Daily',
    'CRON_TZ=UTC 0 3 * * *', 'TZ=America/New_York @daily', 'CRON_TZ=Local 0 3 * * *', 'CRON_TZ=Europe/Berlin 0 0 * * *',
    '', '61 25 * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 7', '0 0 * * 0-7', '0 0 * 0 *', '*/0 * * * *', '5-1 * * * *',
    '1-2-3 * * * *', '1/2/3 * * * *', 'x * * * *', '0 0 * foo *', '0 3 * *', '0 0 3 * * *', '0 0 L * *', '0 0 * * 1#2', 'H * * * *', '-1 * * * *',
    '0 0 ? ? ?', '* * * * *', '0 0 * * 1-', '0 0 * * -1', '0 0 * * */2', '0 0 * * 1/0', '0 0 * * 9999999999999999999',
  ];
  // every algorithm name CDI or a user might use, with digests of every common length
  const CHECKSUMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'crc32', 'blake2b']
    .flatMap(algorithm => [8, 32, 40, 56, 64, 96, 128].map(hex => `${algorithm}:${'0f'.repeat(hex / 2)}`));
  withTool('cdi-facts', 'CDI API values: clone strategies, content types, pull methods, garbage collection, DataVolume sources', output => {
    const theirs = facts(output);
    const notOffered = 'imports from oVirt (imageio) and VMware (vddk) are migrations, not images; not offered';
    const tables: Array<[string, string[], Record<string, string>?]> = [
      ['enum v1beta1.CDICloneStrategy', Object.values(CdiCloneStrategy)],
      ['enum v1beta1.DataImportCronGarbageCollect', Object.values(ImportCronGarbageCollect)],
      ['enum v1beta1.DataVolumeContentType', Object.values(DataVolumeContentType)],
      ['enum v1beta1.RegistryPullMethod', Object.values(RegistryPullMethod)],
      ['fields v1beta1.DataVolumeSource', Object.values(DataVolumeSourceKind), { imageio: notOffered, vddk: notOffered }],
    ];
    // the topology's sources that bring data from outside the cluster: every
    // source but the in-cluster ones
    const inCluster = ['blank', 'pvc', 'snapshot'];
    const sources = theirs.get('fields v1beta1.DataVolumeSource')?.split(',').filter(f => !inCluster.includes(f)).join(',');
    const diffs = tables.flatMap(([fact, ours, omitted]) => listDifferences(fact, ours, theirs.get(fact), omitted));
    diffs.push(...listDifferences('topology import sources', IMPORT_SOURCES, sources));
    const compared = new Set(tables.map(([f]) => f));
    for (const fact of theirs.keys()) if (/^(enum|fields) /.test(fact) && !compared.has(fact)) diffs.push(`${fact}: printed by the tool, compared with nothing`);
    report(diffs);
  });

  withTool('cdi-facts', 'CDI facts: default overhead, alignment, valid overheads, Filesystem padding, http checksums, cron schedules', output => {
    const theirs = new Map([...facts(output)].filter(([k]) => !/^(enum|fields) /.test(k)));
    const ours = new Map([
      ['default-filesystem-overhead', String(CDI_DEFAULT_FILESYSTEM_OVERHEAD)],
      ['align-block-size', String(CDI_ALIGN_BYTES)],
    ]);
    for (const o of OVERHEADS) {
      let valid = true;
      try {
        optionalStorageFacts(undefined, 'storageFacts', { filesystemOverhead: o });
      } catch (e) {
        if (!/'storageFacts.filesystemOverhead'/.test(String(e))) throw e;
        valid = false;
      }
      ours.set(`valid-overhead ${o}`, String(valid));
      if (!valid) continue;
      for (const size of SIZES) ours.set(`required-space ${o} ${size}`, String(filesystemPaddedBytes(BigInt(size), o)));
    }
    for (const schedule of SCHEDULES) ours.set(`valid-schedule ${schedule}`, String(checkCronSchedule(schedule) === undefined));
    for (const checksum of CHECKSUMS) {
      let valid = true;
      try {
        DataVolumeSource.http('https://images.example.com/disk.img', { checksum });
      } catch (e) {
        if (!/'checksum' must be/.test(String(e))) throw e;
        valid = false;
      }
      ours.set(`valid-checksum ${checksum}`, String(valid));
    }
    report(differences('CDI', ours, theirs));
  }, ['--overheads', OVERHEADS.join(','), '--sizes', SIZES.map(s => BigInt(s).toString()).join(','), '--checksums', CHECKSUMS.join(','),
    '--schedules', SCHEDULES.join('\n')]);

  withTool('net-facts', 'Network facts: Multus log levels, reference CNI plugins, macvlan modes, bridge default, snapshot deletion policies', output => {
    const theirs = facts(output);
    const upstreamLevels = (theirs.get('multus-log-levels') ?? '').split(',');
    const acceptedLevels = [...upstreamLevels, 'info', 'warning', 'trace'].filter(level => {
      try {
        new Multus(Testing.chart(), 'multus', { logLevel: level });
        return true;
      } catch (e) {
        if (!/'logLevel' must be one of/.test(String(e))) throw e;
        return false;
      }
    });
    const all = ['cni-plugins-main', 'cni-plugins-ipam', 'cni-plugins-meta'].map(f => theirs.get(f) ?? '').join(',');
    report([
      ...listDifferences('multus-log-levels', acceptedLevels, theirs.get('multus-log-levels')),
      ...listDifferences('reference CNI plugins', [...REFERENCE_PLUGINS], all),
      ...listDifferences('cni-plugins-meta', [...META_PLUGINS], theirs.get('cni-plugins-meta')),
      ...listDifferences('macvlan-modes', Object.values(MacvlanMode), theirs.get('macvlan-modes')),
      ...listDifferences('bridge-default-name', [DEFAULT_BRIDGE_NAME], theirs.get('bridge-default-name')),
      ...listDifferences('snapshot-deletion-policies', Object.values(VolumeSnapshotDeletionPolicy), theirs.get('snapshot-deletion-policies')),
    ]);
  }, ['--cni-plugins', PlatformVersions.CNI_PLUGINS]);

  withTool('kubevirt-admit', 'Gated template annotations: KubeVirt refuses each without its gate and admits it with the gate', output => {
    const verdicts = output.trim().split('\n').map(l => JSON.parse(l) as { file: string; kind: string; allowed: boolean; message: string });
    const diffs: string[] = [];
    const verdict = (file: string) => verdicts.find(v => v.kind === 'VirtualMachine' && path.basename(v.file) === file);
    for (const [annotation, gate] of GATED_ANNOTATIONS) {
      const without = verdict(gatedInputName(annotation, undefined));
      const withGate = verdict(gatedInputName(annotation, gate));
      if (!without || without.allowed || !without.message.includes(annotation)) {
        diffs.push(`gated annotation ${annotation}: KubeVirt admits it without feature gate ${gate} (${without?.message ?? 'no verdict'})`);
      }
      if (!withGate || !withGate.allowed) {
        diffs.push(`gated annotation ${annotation}: KubeVirt refuses it with feature gate ${gate} on (${withGate?.message ?? 'no verdict'})`);
      }
    }
    const control = verdict(gatedInputName('example.com/not-gated', undefined));
    if (!control || !control.allowed) diffs.push(`an ungated annotation is refused too, so the check tells nothing (${control?.message ?? 'no verdict'})`);
    report(diffs);
  }, ['--each-file', ...gatedAnnotationInputs()]);

  const KEYS = upstreamKeysInSource();
  withTool('kubevirt-facts', 'Annotation and label keys of KubeVirt, CDI and the CNI the library writes are upstream constants', output => {
    const declared = (out: string) => new Map([...facts(out)].filter(([k]) => k.startsWith('declared ')).map(([k, v]) => [k.slice('declared '.length), v]));
    const kubevirt = declared(output);
    const cdi = declared(runTool('cdi-facts', ['--declared', KEYS.join(',')]));
    const notDeclared: Record<string, string> = {
      'k8s.v1.cni.cncf.io/policy-for': 'declared by the MultiNetworkPolicy enforcer (multi-networkpolicy-iptables), whose module the Go module proxy does not serve; '
        + 'multi-networkpolicy v1.0.1 documents it in its README only',
    };
    expect(KEYS.length).toBeGreaterThan(10);
    const diffs: string[] = [];
    for (const key of KEYS) {
      const where = [kubevirt.get(key), cdi.get(key)].filter(w => w !== undefined && w !== '-');
      if (where.length === 0 && notDeclared[key] === undefined) diffs.push(`key ${key}: no string constant of KubeVirt or CDI declares it`);
      if (where.length > 0 && notDeclared[key] !== undefined) diffs.push(`key ${key}: said to be declared nowhere (${notDeclared[key]}), but ${where.join(' and ')} declares it`);
    }
    for (const key of Object.keys(notDeclared)) if (!KEYS.includes(key)) diffs.push(`key ${key}: listed as declared nowhere, but the library no longer writes it`);
    report(diffs);
  }, ['--declared', KEYS.join(',')]);

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

  // OpenSSH itself lists the plain (not certificate) key types it takes
  const ssh = spawnSync('ssh', ['-Q', 'key-plain'], { encoding: 'utf-8' });
  (ssh.status === 0 || REQUIRED ? test : test.skip)('SSH key types equal the plain key types the installed OpenSSH takes', () => {
    expect(ssh.error ?? ssh.stderr.trim()).toBeFalsy();
    report(listDifferences('ssh -Q key-plain', [...SSH_PUBLIC_KEY_TYPES], ssh.stdout.trim().split('\n').join(','), {
      'ssh-dss': 'DSA keys, which OpenSSH refuses by default since 7.0 and dropped in 10.0',
    }));
  });

  test('the comparison notices a wrong stage, a missing and an extra gate (it is not blind)', () => {
    const theirs = new Map([['A', 'Beta'], ['B', 'Alpha']]);
    expect(differences('gate', new Map([['A', 'Alpha'], ['C', 'GA']]), theirs)).toEqual([
      'gate A: library says Alpha, upstream says Beta',
      'gate B: upstream has it (Alpha), the library does not',
      'gate C: the library has it (GA), upstream does not',
    ]);
  });

  test('a value list compared with upstream names the missing, the extra and a stale omission', () => {
    expect(listDifferences('enum T', ['a', 'x'], 'a,b,c', { c: 'on purpose', d: 'gone upstream' })).toEqual([
      'enum T b: upstream has it, the library does not',
      'enum T x: the library has it, upstream does not',
      'enum T d: said to be left out of the library, but upstream has no such value',
    ]);
    expect(listDifferences('enum T', ['a', 'c'], 'a,c', { c: 'on purpose' })).toEqual(['enum T c: the library offers it, but is said not to (on purpose)']);
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
