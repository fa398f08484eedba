import { Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import { DataVolume, DataVolumeSource, GoldenImage } from '../../src/storage';
import { sizeToBytes, sizeToQuantity } from '../../src/validation/quantity';
import { assertProperty } from '../property';
import { findOne, synthValid } from '../util';

const UNITS: Record<string, bigint> = { '': 1n, 'Ki': 1024n, 'Mi': 1024n ** 2n, 'Gi': 1024n ** 3n, 'Ti': 1024n ** 4n, 'Pi': 1024n ** 5n, 'Ei': 1024n ** 6n };

function parseQuantity(q: string): bigint {
  const m = /^(\d+)(Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q);
  if (!m) throw new Error(`not a binary quantity: ${q}`);
  return BigInt(m[1]) * UNITS[m[2] ?? ''];
}

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);

const source = fc.oneof(
  fc.constant(DataVolumeSource.blank()),
  fc.constant(DataVolumeSource.upload()),
  label.map(l => DataVolumeSource.http(`https://${l}.example.org/disk.qcow2`)),
  label.map(l => DataVolumeSource.registry(`docker://quay.io/${l}/disk:1`)),
  label.map(l => DataVolumeSource.s3(`https://s3.example.org/${l}/disk.img`)),
  label.map(l => DataVolumeSource.gcs(`gs://${l}/disk.img`)),
  fc.tuple(label, label).map(([ns, n]) => DataVolumeSource.pvc(ns, n)),
  fc.tuple(label, label).map(([ns, n]) => DataVolumeSource.snapshot(ns, n)),
);

describe('properties', () => {
  test('every size renders a quantity that means the same number of bytes', () => {
    assertProperty(fc.property(fc.integer({ min: 1, max: 2 ** 42 }), (kib) => {
      const size = Size.kibibytes(kib);
      expect(parseQuantity(sizeToQuantity(size)!)).toBe(sizeToBytes(size));
      expect(sizeToBytes(size)).toBe(BigInt(kib) * 1024n);
    }), { numRuns: 200 });
  });

  test('random valid DataVolumes are accepted by the CDI schema', () => {
    assertProperty(fc.property(
      label, label, source,
      fc.integer({ min: 1, max: 4096 }),
      fc.option(label, { nil: undefined }),
      fc.option(fc.subarray(Object.values(PersistentVolumeAccessMode), { minLength: 1 }), { nil: undefined }),
      fc.option(fc.constantFrom(...Object.values(PersistentVolumeMode)), { nil: undefined }),
      fc.option(fc.boolean(), { nil: undefined }),
      fc.boolean(),
      (name, namespace, src, mib, storageClass, accessModes, volumeMode, preallocation, bindImmediately) => {
        const c = new Chart(Testing.app(), 'test');
        new DataVolume(c, 'dv', {
          name, namespace, source: src, size: Size.mebibytes(mib), storageClass, accessModes, volumeMode, preallocation, bindImmediately,
        });
        const dv = findOne(synthValid(c), 'DataVolume', name);
        expect(parseQuantity(dv.spec.storage.resources.requests.storage)).toBe(BigInt(mib) * 1024n ** 2n);
      },
    ), { numRuns: 60 });
  });

  test('random invalid names always throw a message naming the prop and the value', () => {
    const bad = fc.string({ minLength: 1, maxLength: 30 }).filter(s => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s));
    assertProperty(fc.property(bad, (name) => {
      const c = new Chart(Testing.app(), 'test');
      expect(() => new GoldenImage(c, 'img', { name, namespace: 'golden', source: DataVolumeSource.upload(), size: Size.gibibytes(1) }))
        .toThrow(/^\[test\/img\] 'name' must be a /);
    }), { numRuns: 100 });
  });
});
