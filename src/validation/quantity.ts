import { Size, SizeRoundingBehavior } from 'cdk8s';
import { libraryError } from './errors';

/** Binary suffixes of Kubernetes quantities, largest first. */
const BINARY_UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['Ei', 1024n ** 6n],
  ['Pi', 1024n ** 5n],
  ['Ti', 1024n ** 4n],
  ['Gi', 1024n ** 3n],
  ['Mi', 1024n ** 2n],
  ['Ki', 1024n],
];

/**
 * The exact number of bytes of a `Size`, or undefined when it is not a whole
 * number of bytes (for example `Size.gibibytes(0.1)`) or not a number at all.
 */
export function sizeToBytes(size: Size): bigint | undefined {
  let kib: number;
  try {
    kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  } catch {
    return undefined;
  }
  if (typeof kib !== 'number' || !Number.isFinite(kib) || kib < 0) {
    return undefined;
  }
  if (Number.isInteger(kib)) {
    return BigInt(kib) * 1024n;
  }
  const bytes = kib * 1024;
  return Number.isSafeInteger(bytes) ? BigInt(bytes) : undefined;
}

/**
 * Writes a byte count as a Kubernetes quantity, in the largest binary unit
 * that holds it exactly: 10 GiB gives `10Gi`, 1.5 GiB gives `1536Mi`, 512
 * bytes give `512`.
 */
export function bytesToQuantity(bytes: bigint): string {
  if (bytes < 0n) {
    throw libraryError(`a quantity cannot be negative, got ${bytes}`);
  }
  if (bytes === 0n) {
    return '0';
  }
  for (const [suffix, factor] of BINARY_UNITS) {
    if (bytes % factor === 0n) {
      return `${bytes / factor}${suffix}`;
    }
  }
  return bytes.toString();
}

/**
 * The exact Kubernetes quantity of a `Size`, or undefined when the size is
 * not a whole number of bytes.
 */
export function sizeToQuantity(size: Size): string | undefined {
  const bytes = sizeToBytes(size);
  return bytes === undefined ? undefined : bytesToQuantity(bytes);
}

/**
 * Checks that a clone target can hold its source: CDI cannot clone into a
 * smaller volume. Sizes that are not whole bytes are reported too.
 * @returns what is wrong with the target size, or undefined when it fits
 */
export function checkCloneSize(sourceSize: Size, targetSize: Size): string | undefined {
  const source = sizeToBytes(sourceSize);
  const target = sizeToBytes(targetSize);
  if (source === undefined || target === undefined) {
    return 'must be a whole number of bytes';
  }
  if (target < source) {
    return `must be at least the size of its clone source (${bytesToQuantity(source)})`;
  }
  return undefined;
}
