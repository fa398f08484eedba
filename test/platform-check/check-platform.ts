/**
 * npm run check:platform -- <dir or file>... [--accepted <file>]
 *
 * Compares every platform object in the synthesized output with the object of
 * the same kind and name in upstream's install at the pinned version (see
 * upstream.ts), field by field: containers (image, command, args, env, ports,
 * probes, volume mounts, securityContext), volumes, pod-level fields, RBAC
 * rules, bindings, CRD schemas with their CEL rules, ConfigMaps and Services.
 * Upstream objects the output lacks count too.
 *
 * Prints one `DIFF <kind> <ns>/<name> <path>: ours <v> upstream <v>` line per
 * difference, then `UNLISTED` lines for the differences that
 * accepted-differences.yaml does not list with a reason, a count line per
 * part and a total. Exits 1 when a difference is not listed, 2 on errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { canon, compare, Difference, Json } from './compare';
import { loadUpstream, parseYaml, Part, PARTS } from './upstream';

/** A difference that a reviewed entry of accepted-differences.yaml explains. */
interface Accepted {
  readonly part: string;
  readonly kind: string;
  readonly name: string;
  readonly path: string;
  readonly reason: string;
}

interface Found extends Difference {
  readonly part: string;
  readonly kind: string;
  readonly name: string;
}

function usage(message: string): never {
  process.stderr.write(`check:platform: ${message}\nusage: npm run check:platform -- <dir or file>... [--accepted <file>]\n`);
  process.exit(2);
}

function readOurs(inputs: string[]): Json[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (!fs.existsSync(input)) usage(`${input} does not exist`);
    if (fs.statSync(input).isDirectory()) {
      files.push(...fs.readdirSync(input).filter(f => /\.ya?ml$/.test(f)).sort().map(f => path.join(input, f)));
    } else {
      files.push(input);
    }
  }
  return files.flatMap(f => parseYaml(fs.readFileSync(f, 'utf-8')));
}

function readAccepted(file: string): Accepted[] {
  const list = YAML.parse(fs.readFileSync(file, 'utf-8')) ?? [];
  if (!Array.isArray(list)) usage(`${file} must be a list`);
  for (const a of list) {
    for (const f of ['part', 'kind', 'name', 'path', 'reason']) {
      if (typeof a?.[f] !== 'string' || a[f].trim() === '') usage(`${file}: every entry needs '${f}' (got ${JSON.stringify(a)})`);
    }
  }
  return list;
}

/** `*` in an accepted name or path stands for any text. */
function pathMatches(pattern: string, p: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(p);
}

function show(v: Json): string {
  const s = canon(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

function checkPart(part: Part, ours: Map<string, Json>, anchorNs: string | undefined, skipped: string[]): Found[] {
  const upstream = loadUpstream(part, part.movable ? anchorNs : undefined, skipped);
  const found: Found[] = [];
  for (const u of upstream) {
    const ns = u.metadata?.namespace;
    const upstreamKey = key(u.kind, ns, u.metadata.name);
    const ourName = part.renames?.[upstreamKey] ?? u.metadata.name;
    const name = `${ns ?? '-'}/${ourName}`;
    const o = ours.get(key(u.kind, ns, ourName));
    const add = (d: Difference) => found.push({ ...d, part: part.name, kind: u.kind, name });
    if (!o) {
      add({ path: '(object)', ours: undefined, upstream: 'present' });
      continue;
    }
    if (ourName !== u.metadata.name) add({ path: 'metadata.name', ours: ourName, upstream: u.metadata.name });
    for (const d of compare(o, u)) add(d);
  }
  return found;
}

function main(): void {
  const args = process.argv.slice(2);
  let acceptedFile = path.join(__dirname, 'accepted-differences.yaml');
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--accepted') acceptedFile = args[++i] ?? usage('--accepted needs a file');
    else inputs.push(args[i]);
  }
  if (inputs.length === 0) usage('give the folder or files of the synthesized output');
  const objects = readOurs(inputs);
  const ours = new Map<string, Json>(objects.map(o => [key(o.kind, o.metadata?.namespace, o.metadata?.name), o]));
  const accepted = readAccepted(acceptedFile);
  const used = new Set<Accepted>();

  const all: Found[] = [];
  const counts: string[] = [];
  for (const part of PARTS) {
    const anchor = objects.find(o => o.kind === part.anchor.kind && o.metadata?.name === part.anchor.name);
    if (!anchor) {
      counts.push(`${part.name}: not in the output, not compared`);
      continue;
    }
    if (part.notCompared) {
      counts.push(`${part.name}: in the output, not compared: ${part.notCompared}`);
      continue;
    }
    const skipped: string[] = [];
    const found = checkPart(part, ours, anchor.metadata?.namespace, skipped);
    for (const sk of skipped) counts.push(`${part.name}: ${sk}`);
    let listed = 0;
    for (const d of found) {
      const hit = accepted.find(a => a.part === d.part && a.kind === d.kind && pathMatches(a.name, d.name) && pathMatches(a.path, d.path));
      if (hit) {
        used.add(hit);
        listed++;
      } else {
        all.push(d);
      }
      process.stdout.write(`DIFF ${d.kind} ${d.name} ${d.path}: ours ${show(d.ours)} upstream ${show(d.upstream)}\n`);
    }
    counts.push(`${part.name}: ${found.length} differences, ${listed} listed, ${found.length - listed} not listed`);
  }
  for (const d of all) process.stdout.write(`UNLISTED ${d.part} ${d.kind} ${d.name} ${d.path}\n`);
  for (const a of accepted) {
    if (!used.has(a)) process.stdout.write(`UNUSED ${a.part} ${a.kind} ${a.name} ${a.path} (listed, not found in this output)\n`);
  }
  for (const c of counts) process.stdout.write(`${c}\n`);
  process.stdout.write(`${all.length} differences not listed in ${path.relative(process.cwd(), acceptedFile)}\n`);
  process.exitCode = all.length > 0 ? 1 : 0;
}

try {
  main();
} catch (e) {
  process.stderr.write(`check:platform: ${(e as Error).message}\n`);
  process.exit(2);
}
