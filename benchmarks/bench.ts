/**
 * Synthesis benchmark: the library against two floors, at several fleet
 * sizes, in one run. Each measurement runs in its own process; medians of
 * several runs are reported. Writes benchmarks/RESULTS.md.
 *
 *   npm run bench            (N = 100, 1,000, 10,000)
 *   BENCH_SIZES=100,1000 BENCH_RUNS=3 npm run bench
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Sample { variant: string; vms: number; ms: number; cpuMs: number; maxRssMiB: number; liveHeapMiB: number; bytes: number; docs: number }

const sizes = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
// more runs where a run is short and the machine's noise is relatively larger
const runsFor = (vms: number) => Number(process.env.BENCH_RUNS ?? (vms >= 10000 ? 5 : 11));
// this file runs compiled, from benchmarks/out/js/benchmarks/
const benchDir = path.resolve(__dirname, '..', '..', '..');
const outDir = path.join(benchDir, 'out');
fs.mkdirSync(outDir, { recursive: true });

// compiled JavaScript (npm run bench compiles first), so no TypeScript
// compiler sits in the measured processes
const runner = path.join(__dirname, 'run-one.js');
function measure(variant: string, vms: number, docsFile: string, layout = 'vms'): Sample {
  const out = execFileSync(process.execPath, ['--expose-gc', runner, variant, String(vms), docsFile, layout],
    { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Row { vms: number; docs: number; bytes: number; lib: Sample[]; cdk8s: Sample[]; yaml: Sample[] }
const rows: Row[] = [];
for (const vms of sizes) {
  const docsFile = path.join(outDir, `docs-${vms}.json`);
  const prep = measure('prepare', vms, docsFile);
  const row: Row = { vms, docs: prep.docs, bytes: prep.bytes, lib: [], cdk8s: [], yaml: [] };
  for (let i = 0; i < runsFor(vms); i++) {
    // interleave the variants, in a rotating order, so drift on the machine
    // and the after-effects of one run on the next hit all of them alike
    const order = ['library', 'cdk8s', 'yaml'];
    for (let k = 0; k < i % 3; k++) order.push(order.shift()!);
    for (const variant of order) {
      const sample = measure(variant, vms, docsFile);
      (variant === 'library' ? row.lib : variant === 'cdk8s' ? row.cdk8s : row.yaml).push(sample);
    }
  }
  rows.push(row);
  process.stderr.write(`N=${vms}: library ${median(row.lib.map(s => s.ms)).toFixed(0)} ms, cdk8s floor ${median(row.cdk8s.map(s => s.ms)).toFixed(0)} ms, yaml floor ${median(row.yaml.map(s => s.ms)).toFixed(0)} ms\n`);
}

const poolSize = Math.max(...sizes);
const asVms = measure('library', poolSize, path.join(outDir, 'unused.json'), 'vms');
const asPool = measure('library', poolSize, path.join(outDir, 'unused.json'), 'pool');

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const lines: string[] = [];
lines.push('# Synthesis benchmark results', '');
lines.push(`Machine: ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node.js ${process.version}.`);
lines.push(`Each figure is the median of ${sizes.map(n => `${runsFor(n)} runs at N = ${n.toLocaleString('en-US')}`).join(', ')}, each run in its own process; the three variants were interleaved, in rotating order, in one run of \`npm run bench\`. Wall time is the elapsed time of the measured part (building the objects and writing the YAML string); CPU time adds up user and system time of all the process's threads (garbage collection included) over the same part, and is less sensitive to other load on the machine. Peak memory is the process's maximum resident set; live heap is what stays allocated after a full garbage collection with the output still held.`, '');
lines.push('The cluster: the platform (KubeVirt, CDI, Multus, whereabouts, snapshot controller), one storage network, ten tenant VLAN networks, one golden image with its snapshot, and fleets adding up to N VMs, each VM on a tenant network and the storage network, with cloud-init.', '');
lines.push('| N VMs | objects | YAML MiB | library ms | cdk8s floor ms | yaml floor ms | time ÷ cdk8s | time ÷ yaml | CPU ÷ cdk8s | CPU ÷ yaml | library peak MiB | cdk8s peak MiB | yaml peak MiB | memory ÷ cdk8s | memory ÷ yaml | live heap ÷ cdk8s |');
lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const byN = new Map<number, number>();
for (const r of rows) {
  const med = (xs: Sample[], f: (s: Sample) => number) => median(xs.map(f));
  const lt = med(r.lib, s => s.ms), ct = med(r.cdk8s, s => s.ms), yt = med(r.yaml, s => s.ms);
  const lc = med(r.lib, s => s.cpuMs), cc = med(r.cdk8s, s => s.cpuMs), yc = med(r.yaml, s => s.cpuMs);
  const lm = med(r.lib, s => s.maxRssMiB), cm = med(r.cdk8s, s => s.maxRssMiB), ym = med(r.yaml, s => s.maxRssMiB);
  const lh = med(r.lib, s => s.liveHeapMiB), ch = med(r.cdk8s, s => s.liveHeapMiB);
  byN.set(r.vms, lt);
  lines.push(`| ${r.vms.toLocaleString('en-US')} | ${r.docs} | ${f1(r.bytes / 2 ** 20)} | ${lt.toFixed(0)} | ${ct.toFixed(0)} | ${yt.toFixed(0)} | ${f2(lt / ct)} | ${f2(lt / yt)} | ${f2(lc / cc)} | ${f2(lc / yc)} | ${lm.toFixed(0)} | ${cm.toFixed(0)} | ${ym.toFixed(0)} | ${f2(lm / cm)} | ${f2(lm / ym)} | ${f2(lh / ch)} |`);
}
lines.push('');
if (byN.has(1000) && byN.has(10000)) {
  lines.push(`time(10,000) ÷ time(1,000) for the library: ${f2(byN.get(10000)! / byN.get(1000)!)} (linear scaling is 10).`, '');
}
lines.push('Targets: at most 1.10× the cdk8s floor in time and 1.2× in peak memory at every N; time(10,000) ÷ time(1,000) at most 10.5.', '');
lines.push(`## ${poolSize.toLocaleString('en-US')} VMs as VirtualMachines versus one VirtualMachinePool`, '');
lines.push('| layout | objects | YAML bytes |', '|---|---:|---:|');
lines.push(`| ${poolSize.toLocaleString('en-US')} VirtualMachines | ${asVms.docs} | ${asVms.bytes.toLocaleString('en-US')} |`);
lines.push(`| VirtualMachinePools | ${asPool.docs} | ${asPool.bytes.toLocaleString('en-US')} |`, '');
lines.push(`The pool layout emits ${f1(asVms.bytes / asPool.bytes)}× fewer bytes.`, '');
fs.writeFileSync(path.join(benchDir, 'RESULTS.md'), lines.join('\n'));
process.stdout.write(lines.join('\n') + '\n');
