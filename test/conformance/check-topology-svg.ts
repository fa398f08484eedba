/**
 * CI check of the rendered picture: dist/topology.svg (drawn by Graphviz)
 * must name every network, every VM group and every MultiNetworkPolicy of
 * the synthesized example;
 * rendered to dist/topology.png by a real SVG renderer (rsvg-convert), it
 * must be readable at page width; and OCR (tesseract) must read every one of
 * those names in the pixels the renderer draws for the picture's text (the
 * text layer alone, as OCR misreads words that touch box outlines).
 *   npx ts-node -P examples/tsconfig.json test/conformance/check-topology-svg.ts dist
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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
    if (o.kind === 'MultiNetworkPolicy') expected.add(o.metadata.name);
  }
}

const missing = [...expected].filter(name => !words.has(name));
if (expected.size === 0 || missing.length > 0) {
  throw new Error(`topology.svg does not name ${missing.length} of ${expected.size} networks, VM groups and policies: ${missing.join(', ')}`);
}
process.stdout.write(`topology.svg names all ${expected.size} networks, VM groups and policies: ${[...expected].sort().join(', ')}\n`);

// The pixels: render at natural size (1pt = 4/3 px), as a browser would.
const pngFile = path.join(dir, 'topology.png');
execFileSync('rsvg-convert', ['--background-color', 'white', '-o', pngFile, svgFile]);
const png = fs.readFileSync(pngFile);
if (png.toString('latin1', 1, 4) !== 'PNG') throw new Error(`${pngFile} is not a PNG`);
const width = png.readUInt32BE(16);
const height = png.readUInt32BE(20);

// Readable at page width: box labels at least 8 px high when the picture is
// shown 1000 px wide (GitHub's page is about 900 px).
const PAGE_WIDTH = 1000;
const MIN_TEXT_PX = 8;
const sizes = [...fs.readFileSync(svgFile, 'utf-8').matchAll(/font-size="([\d.]+)"/g)].map(m => Number(m[1]));
const counts = new Map<number, number>();
for (const size of sizes) counts.set(size, (counts.get(size) ?? 0) + 1);
const labelSize = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
const scale = Math.min(1, PAGE_WIDTH / width);
const labelPx = labelSize * (4 / 3) * scale;
if (width < 200 || height < 100 || labelPx < MIN_TEXT_PX) {
  throw new Error(`topology.png is ${width}×${height} px: its labels (${labelSize}pt) are ${labelPx.toFixed(1)} px high at ${PAGE_WIDTH} px page width, below ${MIN_TEXT_PX} px`);
}

// Every name must be legible in the pixels: render the text layer (shapes
// hidden) and read it back with OCR.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'topology-ocr-'));
const textSvg = path.join(work, 'text.svg');
const textPng = path.join(work, 'text.png');
fs.writeFileSync(textSvg, fs.readFileSync(svgFile, 'utf-8')
  .replace(/(<svg[^>]*>)/, '$1<style>path,polygon,polyline,ellipse{display:none}</style>'));
execFileSync('rsvg-convert', ['--background-color', 'white', '-o', textPng, textSvg]);
const ocr = execFileSync('tesseract', [textPng, '-', '--psm', '3'], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] });
fs.rmSync(work, { recursive: true, force: true });
const seen = new Set(ocr.split(/[^A-Za-z0-9-]+/).filter(w => w.length > 0));
const unreadable = [...expected].filter(name => !seen.has(name));
if (unreadable.length > 0) {
  throw new Error(`OCR of the rendered picture cannot read ${unreadable.length} of ${expected.size} names: ${unreadable.join(', ')}`);
}
process.stdout.write(`topology.png: ${width}×${height} px, labels ${labelPx.toFixed(1)} px high at ${PAGE_WIDTH} px page width; OCR reads all ${expected.size} names\n`);
