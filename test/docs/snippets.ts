/**
 * Extracts the TypeScript snippets of the docs (every ```ts block of
 * README.md and docs/*.md) and turns each into a program that compiles and
 * runs on its own.
 *
 * A block with `import` statements is a complete program: its
 * `'cdk8s-kubevirt'` import is pointed at the sources, and nothing else
 * changes. A block without imports must be marked with a
 * `<!-- fragment -->` line right before its fence: it then runs inside a
 * prelude that imports everything the library exports (and `App`, `Chart`,
 * `Size`, `Duration`, `ApiObject`, `JsonPatch` from cdk8s, `k8s` from
 * cdk8s-plus-33, `Construct`), declares `app` and `chart`, and synthesizes
 * `app` after the block.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A ```ts block of a markdown file. */
export interface Snippet {
  /** `README.md:42` (the line of the opening fence). */
  readonly where: string;
  readonly code: string;
  readonly fragment: boolean;
}

const FRAGMENT_MARK = '<!-- fragment -->';

/** The ```ts blocks of one markdown text; refuses unmarked fragments. */
export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\b/.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: the \`\`\`ts block is never closed`);
    const code = body.join('\n');
    const marked = lines[start - 1]?.trim() === FRAGMENT_MARK;
    const hasImports = /^import\s/m.test(code);
    if (!hasImports && !marked) {
      throw new Error(`${file}:${start + 1}: a snippet without imports must be marked with ${FRAGMENT_MARK} on the line before its fence (or import what it uses)`);
    }
    if (hasImports && marked) {
      throw new Error(`${file}:${start + 1}: a snippet with imports is a complete program; drop its ${FRAGMENT_MARK} mark`);
    }
    out.push({ where: `${file}:${start + 1}`, code, fragment: marked });
  }
  return out;
}

/** The snippets of README.md and every docs/*.md of a repository. */
export function docSnippets(root: string): Snippet[] {
  const docsDir = path.join(root, 'docs');
  const files = ['README.md', ...(fs.existsSync(docsDir)
    ? fs.readdirSync(docsDir).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`) : [])];
  return files.flatMap(f => extractSnippets(fs.readFileSync(path.join(root, f), 'utf-8'), f));
}

/**
 * The program of a snippet, written in a folder that sits `srcRel` away from
 * the library sources; `exported` lists the names the library exports.
 */
export function snippetProgram(snippet: Snippet, srcRel: string, exported: string[]): string {
  const header = `// ${snippet.where}\n`;
  const code = snippet.code.replace(/from 'cdk8s-kubevirt'/g, `from '${srcRel}'`);
  if (!snippet.fragment) return header + code + '\n';
  return [
    header.trimEnd(),
    "import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';",
    "import { k8s } from 'cdk8s-plus-33';",
    "import { Construct } from 'constructs';",
    `import { ${exported.join(', ')} } from '${srcRel}';`,
    '',
    'const app = new App();',
    "const chart = new Chart(app, 'snippet');",
    '{',
    code,
    '}',
    'app.synth();',
    '',
  ].join('\n');
}
