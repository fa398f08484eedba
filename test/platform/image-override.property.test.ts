import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { SnapshotController } from '../../src/platform';
import { isPinned } from '../../src/platform/private/image';
import { assertProperty } from '../property';
import { synthValid } from '../util';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const registry = fc.tuple(label, label, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), label)
  .map(([host, tld, port, path]) => `${host}.${tld}${port ? `:${port}` : ''}/${path}`);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/).filter(t => t.toLowerCase() !== 'latest');
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map(h => `sha256:${h}`);
const override = fc.record({
  registry: fc.option(registry, { nil: undefined }),
  tag: fc.option(tag, { nil: undefined }),
  digest: fc.option(digest, { nil: undefined }),
}).filter(o => !(o.tag && o.digest));

describe('image overrides (property)', () => {
  test('any valid override synthesizes a pinned, schema-valid image', () => {
    assertProperty(fc.property(override, o => {
      const chart = Testing.chart();
      const s = new SnapshotController(chart, 'snap', { image: o });
      const image = synthValid(chart).find(d => d.kind === 'Deployment').spec.template.spec.containers[0].image;
      expect(image).toBe(s.image);
      expect(isPinned(image)).toBe(true);
      if (o.registry) expect(image.startsWith(`${o.registry}/snapshot-controller`)).toBe(true);
      if (o.digest) expect(image.endsWith(`@${o.digest}`)).toBe(true);
    }), { numRuns: 60 });
  });

  test('any tag is either rejected with the library error or pinned', () => {
    assertProperty(fc.property(fc.string({ maxLength: 30 }), t => {
      let image: string | undefined;
      try {
        image = new SnapshotController(Testing.chart(), 'snap', { image: { tag: t } }).image;
      } catch (e) {
        expect((e as Error).message).toMatch(/^\[test\/snap\] 'image\.tag' /);
        return;
      }
      expect(isPinned(image)).toBe(true);
    }), { numRuns: 200 });
  });
});
