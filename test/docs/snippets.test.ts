import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import * as lib from '../../src';
import { assertValid } from '../util';
import { docSnippets, extractSnippets, snippetProgram } from './snippets';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, '.tmp', 'snippets');
const BIN = path.join(ROOT, 'node_modules', '.bin');

describe('snippet extraction', () => {
  test('refuses a block without imports that is not marked as a fragment', () => {
    expect(() => extractSnippets('text\n\n```ts\nnew VirtualMachine(chart, "x", {});\n```\n', 'docs/x.md'))
      .toThrow(/docs\/x\.md:3: a snippet without imports must be marked with <!-- fragment -->/);
  });

  test('refuses a block that is never closed', () => {
    expect(() => extractSnippets('```ts\nimport { App } from "cdk8s";\n', 'README.md')).toThrow(/README\.md:1: the ```ts block is never closed/);
  });

  test('wraps a marked fragment in the prelude and points imports at the sources', () => {
    const [fragment, program] = extractSnippets(
      '<!-- fragment -->\n```ts\nconst x = 1;\n```\n\n```ts\nimport { Ipam } from \'cdk8s-kubevirt\';\n```\n', 'README.md');
    expect(fragment).toEqual({ where: 'README.md:2', code: 'const x = 1;', fragment: true });
    const wrapped = snippetProgram(fragment, '../../src', ['Ipam', 'Network']);
    expect(wrapped).toContain("import { Ipam, Network } from '../../src';");
    expect(wrapped).toContain("const chart = new Chart(app, 'snippet');\n{\nconst x = 1;\n}\napp.synth();");
    expect(snippetProgram(program, '../../src', [])).toBe("// README.md:6\nimport { Ipam } from '../../src';\n");
  });
});

describe('the docs', () => {
  const snippets = docSnippets(ROOT);
  const exported = Object.keys(lib).sort();
  const files = snippets.map((_, i) => path.join(WORK, `snippet-${String(i).padStart(2, '0')}.ts`));

  beforeAll(() => {
    fs.rmSync(WORK, { recursive: true, force: true });
    fs.mkdirSync(WORK, { recursive: true });
    snippets.forEach((s, i) => fs.writeFileSync(files[i], snippetProgram(s, '../../src', exported)));
    fs.writeFileSync(path.join(WORK, 'tsconfig.json'), JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '../..', noUnusedLocals: false, types: ['node'] },
      include: ['./*.ts'],
    }));
  });

  test('have TypeScript snippets', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(3);
  });

  test('every snippet compiles', () => {
    let output = '';
    try {
      execFileSync(path.join(BIN, 'tsc'), ['-p', WORK], { encoding: 'utf-8' });
    } catch (e: any) {
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    // name the markdown file and line of each failing snippet
    const failing = files.flatMap((f, i) => output.includes(path.basename(f)) ? [snippets[i].where] : []);
    expect({ failing, output }).toEqual({ failing: [], output: '' });
  }, 300_000);

  test('every snippet synthesizes objects the upstream schemas accept', () => {
    for (const [i, file] of files.entries()) {
      const outdir = path.join(WORK, 'out', String(i));
      try {
        execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', file], {
          cwd: ROOT, encoding: 'utf-8', stdio: 'pipe', env: { ...process.env, CDK8S_OUTDIR: outdir },
        });
      } catch (e: any) {
        throw new Error(`${snippets[i].where}: the snippet failed:\n${e.stderr ?? e.message}`);
      }
      const docs = fs.existsSync(outdir) ? fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).flatMap(f =>
        parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf-8')).map(d => d.toJS()).filter(d => d)) : [];
      expect({ where: snippets[i].where, synthesized: docs.length > 0 }).toEqual({ where: snippets[i].where, synthesized: true });
      assertValid(docs);
    }
  }, 600_000);
});
