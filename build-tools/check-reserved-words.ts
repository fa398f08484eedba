/**
 * Checks the names of the public API (.jsii) against the words the jsii
 * target languages reserve, and fails on any name that would come out
 * awkward in one of them.
 *
 * Harmless, and accepted: a property or method name reserved only in C#
 * and/or Go, because both languages capitalize member names (`Namespace`,
 * `Range()`), which are not keywords; and a parameter name reserved only in
 * C#, which jsii-pacmak writes as a verbatim identifier (`@namespace`) and
 * .NET is not a target of this package. Anything else (a Java, Python or Go
 * keyword as a parameter name, a Java or Python keyword as a member name, any
 * keyword as a type name) must be renamed. jsii's own reserved-word warning is silenced in the
 * compile task because it cannot tell these cases apart; this check replaces it.
 *
 *   npx ts-node -P build-tools/tsconfig.json build-tools/check-reserved-words.ts [.jsii]
 */
import * as fs from 'fs';
import * as path from 'path';
// jsii's own lists of reserved words, per target language
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isReservedName } = require(path.join(path.dirname(require.resolve('jsii/package.json')), 'lib', 'reserved-words.js')) as { isReservedName(name: string): string[] | undefined };

const HARMLESS_FOR_MEMBERS = new Set(['C#', 'Go']);
const HARMLESS_FOR_PARAMETERS = new Set(['C#']);

interface Callable { name?: string; parameters?: Array<{ name: string }> }
interface JsiiType {
  fqn: string;
  name: string;
  properties?: Array<{ name: string }>;
  methods?: Callable[];
  initializer?: Callable;
}

const file = process.argv[2] ?? '.jsii';
const assembly = JSON.parse(fs.readFileSync(file, 'utf-8')) as { types?: Record<string, JsiiType> };
const refused: string[] = [];
const accepted: string[] = [];

function check(where: string, name: string, harmless: Set<string>): void {
  const languages = isReservedName(name);
  if (!languages) return;
  const line = `${where}: "${name}" is reserved in ${languages.join(', ')}`;
  if (languages.every(l => harmless.has(l))) accepted.push(line);
  else refused.push(line);
}

for (const type of Object.values(assembly.types ?? {})) {
  check(type.fqn, type.name, new Set());
  for (const p of type.properties ?? []) check(`${type.fqn}.${p.name}`, p.name, HARMLESS_FOR_MEMBERS);
  const callables: Callable[] = [...(type.methods ?? []), ...(type.initializer ? [{ ...type.initializer, name: 'constructor' }] : [])];
  for (const m of callables) {
    if (m.name !== 'constructor') check(`${type.fqn}.${m.name}()`, m.name!, HARMLESS_FOR_MEMBERS);
    for (const p of m.parameters ?? []) check(`${type.fqn}.${m.name}(${p.name})`, p.name, HARMLESS_FOR_PARAMETERS);
  }
}

if (refused.length > 0) {
  process.stderr.write(`${refused.length} public names are keywords in a jsii target language; rename them:\n${refused.map(l => `  ${l}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write(`reserved words: none refused; ${accepted.length} names reserved only where they are capitalized or escaped (C# members and parameters, Go members) accepted\n`);
