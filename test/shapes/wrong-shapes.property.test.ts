/**
 * Feeds wrong shapes, as a plain JavaScript caller can, to every typed input
 * of every construct, factory and method (test/shapes/entry-points.js): each
 * must be refused with the library's own `'prop' ...; fix` error, eagerly or
 * at synth, never a TypeError and never a manifest.
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { assertProperty } from '../property';

// the callers are plain JavaScript: no types reach the library
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ENTRY_POINTS } = require('./entry-points.js') as { ENTRY_POINTS: EntryPoint[] };

interface EntryPoint {
  readonly name: string;
  readonly slots: Record<string, string>;
  call(slot: string | undefined, value?: unknown): unknown;
}

const LIBRARY_ERROR = /'[^']+' [\s\S]*, got [\s\S]*; \S/;

/** What a slot of a kind must not accept: values of every other kind. */
function wrongValues(kind: string): fc.Arbitrary<unknown> {
  const base = kind.replace(/\?$/, '');
  const required = !kind.endsWith('?');
  const choices: Array<fc.Arbitrary<unknown>> = [
    fc.constant(null),
    // a list is a wrong shape for every other kind; for a list slot, only a
    // list of holes is wrong for sure (['*'] can be a valid list of strings)
    base === 'array'
      ? fc.array(fc.constant(null), { minLength: 1, maxLength: 3 })
      : fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
    fc.constantFrom<unknown>(Size.gibibytes(2), Duration.seconds(5)),
  ];
  if (base !== 'string' && base !== 'enum') choices.push(fc.constantFrom('2Gi', 'u1.medium', 'ssh-ed25519 AAAA', 'Always', ''), fc.string({ maxLength: 8 }));
  if (base === 'enum') choices.push(fc.constantFrom('Alwayss', 'Bogus', 'always', 'kubevirt'));
  if (base !== 'boolean') choices.push(fc.boolean());
  if (base !== 'number') choices.push(fc.integer({ min: -5, max: 5000 }));
  else choices.push(fc.constantFrom('3', '1e3', ''));
  if (base !== 'struct') choices.push(fc.constant({ name: 'x', namespace: 'y' }), fc.record({ a: fc.integer() }));
  if (base === 'map') choices.push(fc.constant({ key: 5 }), fc.constant({ key: ['a'] }));
  if (required) choices.push(fc.constant(undefined));
  return fc.oneof(...choices).filter(v => accepts(base, v) === false);
}

/** Values of the right shape that slip into the generators above (e.g. a Size for a Size slot). */
function accepts(kind: string, v: unknown): boolean {
  switch (kind) {
    case 'Size': return v instanceof Size;
    case 'Duration': return v instanceof Duration;
    case 'array': return Array.isArray(v) && v.length === 0;
    // a list of documents in which entries of any other shape are skipped
    case 'documents': return Array.isArray(v);
    case 'struct': return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Size) && !(v instanceof Duration);
    case 'map': return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(x => typeof x === 'string')
      && !(v instanceof Size) && !(v instanceof Duration);
    default: return false;
  }
}

/** Runs the call; returns the error it (or the synth of its app) threw. */
function errorOf(entry: EntryPoint, slot: string, value: unknown): Error | undefined {
  try {
    const result = entry.call(slot, value);
    const scope = result instanceof Chart || (result as any)?.node ? (result as any) : undefined;
    if (scope) (scope.node.root as App).synth();
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

const SLOTS = ENTRY_POINTS.flatMap(e => Object.entries(e.slots).map(([slot, kind]) => ({ entry: e, slot, kind })));

describe('every entry point refuses wrong shapes with the library error', () => {
  test('the catalogue covers every construct and factory, and each valid call works', () => {
    expect(SLOTS.length).toBeGreaterThan(250);
    for (const e of ENTRY_POINTS) expect(() => e.call(undefined)).not.toThrow();
  });

  test('a wrong shape in any slot gives the library error naming the slot, never a TypeError', () => {
    assertProperty(fc.property(fc.constantFrom(...SLOTS).chain(s => fc.tuple(fc.constant(s), wrongValues(s.kind))), ([s, value]) => {
      const error = errorOf(s.entry, s.slot, value);
      const where = `${s.entry.name} ${s.slot}=${show(value)}`;
      if (error === undefined) throw new Error(`${where}: accepted a wrong shape`);
      if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) {
        throw new Error(`${where}: threw ${String(error)}`);
      }
      if (!LIBRARY_ERROR.test(error.message)) throw new Error(`${where}: not the library error: ${error.message}`);
      if (s.slot !== 'props' && !error.message.includes(s.slot)) throw new Error(`${where}: error does not name '${s.slot}': ${error.message}`);
    }), { numRuns: 9000 });
  });
});
