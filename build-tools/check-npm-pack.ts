/**
 * Checks what the npm package holds: `npm pack --dry-run` must list only the
 * library, its types, .jsii, README, LICENSE, API.md and package.json, and
 * every relative link in README.md must point at a file that ships.
 *   npx ts-node -P build-tools/tsconfig.json build-tools/check-npm-pack.ts
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';

const ALLOWED: RegExp[] = [
  /^lib\/.+\.(js|d\.ts)$/,
  /^\.jsii$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^API\.md$/,
  /^package\.json$/,
];
const REQUIRED = ['.jsii', 'README.md', 'LICENSE', 'API.md', 'package.json', 'lib/index.js', 'lib/index.d.ts'];

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf-8' })) as
  Array<{ files: Array<{ path: string }>; version: string }>;
const files = pack.files.map(f => f.path).sort();
const problems: string[] = [];
for (const f of files.filter(p => !ALLOWED.some(re => re.test(p)))) problems.push(`ships ${f}, which is not on the list`);
for (const f of REQUIRED.filter(p => !files.includes(p))) problems.push(`lacks ${f}`);
if (pack.version === '0.0.0') problems.push('has version 0.0.0');

// relative links of the shipped README must resolve inside the package
const readme = fs.readFileSync('README.md', 'utf-8');
for (const m of readme.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)[^)]*\)/g)) {
  if (!files.includes(m[1].replace(/^\.\//, ''))) problems.push(`README links to ${m[1]}, which does not ship (use an absolute link)`);
}

if (problems.length > 0) {
  process.stderr.write(`the npm package (${files.length} files):\n${problems.map(p => `  ${p}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write(`npm package ${pack.version}: ${files.length} files, all on the list; README links resolve\n`);
