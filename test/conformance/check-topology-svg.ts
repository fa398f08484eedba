/**
 * CI check of the rendered picture: dist/topology.svg (drawn by Graphviz)
 * must name every network and every VM group of the synthesized example.
 *   npx ts-node -P examples/tsconfig.json test/conformance/check-topology-svg.ts dist
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const FLEET_LABEL = 'kubevirt.cdk8s.io/fleet';
const dir = process.argv[2] ?? 'dist';
const svgFile = path.join(dir, 'topology.svg');
if (!fs.existsSync(svgFile)) {
  throw new Error(`${svgFile} is missing: is Graphviz 'dot' installed?`);
}

// the words of the picture, with Graphviz's character references decoded
const texts = [...fs.readFileSync(svgFile, 'utf-8').matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
  .map(m => m[1]
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
const words = new Set(texts.flatMap(t => t.split(/[\s·×]+/)).filter(w => w.length > 0));

const expected = new Set<string>();
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort()) {
  for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf-8'))) {
    const o = doc.toJS();
    if (!o) continue;
    if (o.kind === 'NetworkAttachmentDefinition') expected.add(o.metadata.name);
    if (o.kind === 'VirtualMachinePool') expected.add(o.metadata.name);
    if (o.kind === 'VirtualMachine') expected.add(o.metadata.labels?.[FLEET_LABEL] ?? o.metadata.name);
  }
}

const missing = [...expected].filter(name => !words.has(name));
if (expected.size === 0 || missing.length > 0) {
  throw new Error(`topology.svg does not name ${missing.length} of ${expected.size} networks and VM groups: ${missing.join(', ')}`);
}
process.stdout.write(`topology.svg names all ${expected.size} networks and VM groups: ${[...expected].sort().join(', ')}\n`);
