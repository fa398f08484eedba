/**
 * One measurement in a fresh process, so peak memory (maxRSS) belongs to that
 * measurement alone. Usage: run-one <variant> <vms> <docs.json> [pool]
 *   library  builds the cluster with cdk8s-kubevirt and synthesizes YAML
 *   cdk8s    the same documents as plain cdk8s ApiObjects in an App (floor)
 *   yaml     `yaml` stringify of the same documents (floor)
 * Prints one JSON line: { variant, vms, ms, cpuMs, maxRssMiB, liveHeapMiB, bytes, docs }:
 * wall and CPU (user + system, all threads) time of the measured part, and
 * the process's peak resident memory, and the live heap after a full
 * garbage collection while the model (the app, or the documents) and the
 * output are still held.
 */
import * as fs from 'fs';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { buildCluster } from './cluster';

interface FloorChart { id: string; dependsOn: string[]; docs: any[] }

const [variant, vmsText, docsFile, layout] = process.argv.slice(2);
const vms = Number(vmsText);
const usePool = layout === 'pool';

let cpu0 = process.cpuUsage();
function report(ms: number, yaml: string, docs: number, model: unknown): void {
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  // what stays alive once the output exists (run with --expose-gc): unlike
  // the peak, it does not depend on when the garbage collector ran
  (globalThis as any).keptModel = model; // the app (or documents) stays reachable
  (globalThis as any).gc?.();
  const liveHeapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  process.stdout.write(JSON.stringify({ variant, vms, ms, cpuMs, maxRssMiB, liveHeapMiB, bytes: Buffer.byteLength(yaml), docs }) + '\n');
}

function countDocs(yaml: string): number {
  return yaml.split(/^---$/m).filter(d => d.trim().length > 0).length;
}

if (variant === 'library' || variant === 'prepare') {
  cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir: '/nonexistent' });
  buildCluster(app, vms, { pool: usePool });
  const yaml = app.synthYaml();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (variant === 'prepare') {
    // the documents in output order, chart by chart, with the chart
    // dependencies, so the cdk8s floor has the same shape as the library's app
    const charts: FloorChart[] = app.charts.map(c => ({
      id: c.node.id,
      dependsOn: c.node.dependencies.map(d => d.node.id),
      docs: c.toJson(),
    }));
    fs.writeFileSync(docsFile, JSON.stringify(charts));
  }
  report(ms, yaml, countDocs(yaml), app);
} else {
  // A hand-written cdk8s program for this cluster imports the Kubernetes L1
  // classes too (cdk8s import or cdk8s-plus' k8s); loading them here, before
  // the measured part, gives the floors the same loaded code, whose size the
  // garbage collector pays for in every process alike.
  void k8s.KubeNamespace;
  const charts: FloorChart[] = JSON.parse(fs.readFileSync(docsFile, 'utf-8'));
  const docs = charts.flatMap(c => c.docs);
  cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let yaml: string;
  let model: unknown = docs;
  if (variant === 'cdk8s') {
    const app = new App({ outdir: '/nonexistent' });
    model = app;
    const byId = new Map<string, Chart>();
    for (const c of charts) {
      const chart = new Chart(app, c.id);
      byId.set(c.id, chart);
      c.docs.forEach((doc, i) => new ApiObject(chart, `o${i}`, doc));
    }
    for (const c of charts) {
      for (const d of c.dependsOn) byId.get(c.id)!.addDependency(byId.get(d)!);
    }
    yaml = app.synthYaml();
  } else if (variant === 'yaml') {
    yaml = Yaml.stringify(...docs);
  } else {
    throw new Error(`unknown variant '${variant}'`);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  report(ms, yaml, docs.length, model);
}
