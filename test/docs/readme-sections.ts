/**
 * README sections generated from code. `npx ts-node -P test/tsconfig.json
 * test/docs/readme-sections.ts` rewrites them; the docs test fails when one
 * differs from what the code generates.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildExampleCluster } from '../../examples/main';
import { NodeRequirements } from '../../src';

const BEGIN = '<!-- node-requirements:begin (generated from examples/main.ts; see test/docs/readme-sections.ts) -->';
const END = '<!-- node-requirements:end -->';

/** The list of what the example cluster's nodes need, as the README shows it (without the title). */
export function nodeRequirementsSection(): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'node-requirements-')) });
  buildExampleCluster(app);
  const md = NodeRequirements.of(app).toMarkdown();
  return md.slice(md.indexOf('\n\n') + 2);
}

/** The generated part of the README's "What the nodes need" section, or undefined when the markers are missing. */
export function readmeNodeRequirements(readme: string): string | undefined {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) return undefined;
  return readme.slice(begin + BEGIN.length + 1, end);
}

/** The README with its generated section replaced. */
export function withNodeRequirements(readme: string, section: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${BEGIN} ... ${END} markers`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${section}${readme.slice(end)}`;
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', '..', 'README.md');
  fs.writeFileSync(file, withNodeRequirements(fs.readFileSync(file, 'utf-8'), nodeRequirementsSection()));
  process.stdout.write(`rewrote the generated sections of ${file}\n`);
}
