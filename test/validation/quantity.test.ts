import { Size } from 'cdk8s';
import { bytesToQuantity, checkCloneSize, sizeToBytes, sizeToQuantity } from '../../src/validation/quantity';

describe('sizeToBytes', () => {
  test('counts the bytes of every unit exactly', () => {
    expect(sizeToBytes(Size.kibibytes(1))).toBe(1024n);
    expect(sizeToBytes(Size.mebibytes(3))).toBe(3n * 1024n ** 2n);
    expect(sizeToBytes(Size.gibibytes(10))).toBe(10n * 1024n ** 3n);
    expect(sizeToBytes(Size.tebibytes(2))).toBe(2n * 1024n ** 4n);
    expect(sizeToBytes(Size.pebibyte(1))).toBe(1024n ** 5n);
  });

  test('accepts fractions that are whole bytes', () => {
    expect(sizeToBytes(Size.gibibytes(1.5))).toBe(1536n * 1024n ** 2n);
    expect(sizeToBytes(Size.kibibytes(0.5))).toBe(512n);
  });

  test('is undefined for a fraction of a byte', () => {
    expect(sizeToBytes(Size.kibibytes(0.0001))).toBeUndefined();
  });
});

describe('bytesToQuantity', () => {
  test('uses the largest binary unit that is exact', () => {
    expect(bytesToQuantity(10n * 1024n ** 3n)).toBe('10Gi');
    expect(bytesToQuantity(1536n * 1024n ** 2n)).toBe('1536Mi');
    expect(bytesToQuantity(1024n ** 4n)).toBe('1Ti');
    expect(bytesToQuantity(1024n ** 5n)).toBe('1Pi');
    expect(bytesToQuantity(1024n ** 6n)).toBe('1Ei');
    expect(bytesToQuantity(2048n)).toBe('2Ki');
    expect(bytesToQuantity(512n)).toBe('512');
    expect(bytesToQuantity(0n)).toBe('0');
  });

  test('rejects negative byte counts', () => {
    expect(() => bytesToQuantity(-1n)).toThrow(/cannot be negative/);
  });
});

describe('sizeToQuantity', () => {
  test('renders sizes as exact quantities', () => {
    expect(sizeToQuantity(Size.gibibytes(10))).toBe('10Gi');
    expect(sizeToQuantity(Size.mebibytes(1024))).toBe('1Gi');
    expect(sizeToQuantity(Size.gibibytes(0.5))).toBe('512Mi');
    expect(sizeToQuantity(Size.tebibytes(1.25))).toBe('1280Gi');
  });
});

describe('checkCloneSize', () => {
  test('accepts a target as large as or larger than its source', () => {
    expect(checkCloneSize(Size.gibibytes(10), Size.gibibytes(10))).toBeUndefined();
    expect(checkCloneSize(Size.gibibytes(10), Size.mebibytes(10240))).toBeUndefined();
    expect(checkCloneSize(Size.gibibytes(10), Size.tebibytes(1))).toBeUndefined();
  });

  test('reports a target smaller than its source, naming the source size', () => {
    expect(checkCloneSize(Size.gibibytes(10), Size.gibibytes(5))).toBe('must be at least the size of its clone source (10Gi)');
    expect(checkCloneSize(Size.gibibytes(1), Size.mebibytes(1023))).toMatch(/\(1Gi\)/);
  });

  test('reports sizes that are not whole bytes', () => {
    expect(checkCloneSize(Size.kibibytes(0.0001), Size.gibibytes(5))).toBe('must be a whole number of bytes');
  });
});
