import { Chart, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CloneStrategy, SmartCloneFleet } from '../../../src/compute';
import { DataVolumeSource, GoldenImage } from '../../../src/storage';
import { assertProperty } from '../../property';
import { synthValid } from '../../util';

const label = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([a-z0-9-]{0,${max - 2}}[a-z0-9])?$`));

/**
 * Random valid fleets: names that fit with their index, disks of the image's
 * size or larger than its Filesystem padding (CDI's 6 %, rounded up to 7 % of
 * whole GiB here).
 */
const validFleet = fc.record({
  name: label(20),
  replicas: fc.integer({ min: 1, max: 50 }),
  imageGi: fc.integer({ min: 1, max: 100 }),
  extraGi: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  strategy: fc.constantFrom(CloneStrategy.SNAPSHOT, CloneStrategy.HOST_ASSISTED),
  crossNamespace: fc.boolean(),
  pool: fc.boolean(),
  withSnapshot: fc.boolean(),
});

/** One broken prop at a time. */
const invalidFleet = fc.oneof(
  fc.record({ kind: fc.constant('replicas' as const), replicas: fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0.1, max: 50, noInteger: true }), fc.constant(NaN)) }),
  fc.record({ kind: fc.constant('name' as const), nameLength: fc.integer({ min: 62, max: 63 }), replicas: fc.integer({ min: 10, max: 50 }) }),
  fc.record({ kind: fc.constant('diskSize' as const), imageGi: fc.integer({ min: 2, max: 100 }), lessMi: fc.integer({ min: 1, max: 1024 }) }),
);

function imageIn(chart: Chart, sizeGi: number, snapshot: boolean): GoldenImage {
  return new GoldenImage(chart, 'image', {
    name: 'base',
    namespace: 'golden',
    source: DataVolumeSource.http('https://example.org/base.qcow2'),
    size: Size.gibibytes(sizeGi),
    storageClass: 'ceph',
    snapshotClass: snapshot ? 'snap' : undefined,
  });
}

describe('SmartCloneFleet (property)', () => {
  test('valid fleets always synthesize schema-valid output with one VM per replica', () => {
    assertProperty(fc.property(validFleet, input => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'golden' });
      const strategy = input.withSnapshot ? input.strategy : CloneStrategy.HOST_ASSISTED;
      const image = imageIn(chart, input.imageGi, input.withSnapshot);
      const fleet = new SmartCloneFleet(chart, 'fleet', {
        name: input.name,
        namespace: input.crossNamespace ? 'tenant' : undefined,
        image,
        replicas: input.replicas,
        strategy,
        diskSize: input.extraGi === undefined ? undefined
          : Size.gibibytes(input.imageGi + (input.extraGi === 0 ? 0 : Math.max(input.extraGi, Math.ceil(input.imageGi * 0.07)))),
        pool: input.pool,
      });
      const docs = synthValid(chart);
      const vms = docs.filter(d => d.kind === 'VirtualMachine');
      const pools = docs.filter(d => d.kind === 'VirtualMachinePool');
      if (input.pool) {
        expect(vms).toHaveLength(0);
        expect(pools.map(p => p.spec.replicas)).toEqual([input.replicas]);
      } else {
        expect(vms.map(v => v.metadata.name)).toEqual(fleet.vmNames);
        expect(new Set(vms.map(v => v.spec.dataVolumeTemplates[0].metadata.name)).size).toBe(input.replicas);
      }
      expect(fleet.plan.vms).toBe(input.replicas);
      // one clone per VM, also across namespaces (CDI restores the image's snapshot there itself)
      expect(fleet.plan.fullCopies + fleet.plan.copyOnWriteClones).toBe(input.replicas);
      // a disk of the image's size is left to CDI, which sizes it from its source
      const template = (input.pool ? pools[0].spec.virtualMachineTemplate.spec : vms[0].spec).dataVolumeTemplates[0];
      if (!input.extraGi) expect(template.spec.storage.resources).toBeUndefined();
    }), { numRuns: 60 });
  });

  test('invalid fleets always throw the library error naming the construct and prop', () => {
    assertProperty(fc.property(invalidFleet, input => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'golden' });
      const imageGi = input.kind === 'diskSize' ? input.imageGi : 10;
      const image = imageIn(chart, imageGi, true);
      const make = () => new SmartCloneFleet(chart, 'fleet', {
        image,
        replicas: input.kind === 'diskSize' ? 1 : input.replicas,
        name: input.kind === 'name' ? 'a'.repeat(input.nameLength) : undefined,
        diskSize: input.kind === 'diskSize' ? Size.mebibytes(imageGi * 1024 - input.lessMi) : undefined,
      });
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(new RegExp(`^\\[test/fleet\\] '${input.kind}' `));
    }), { numRuns: 100 });
  });
});
