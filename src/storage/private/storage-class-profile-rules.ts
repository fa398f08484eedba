/**
 * Internal: checks and size rules of `StorageFacts`. Not exported from the
 * package.
 */
import { PersistentVolumeMode } from 'cdk8s-plus-33';
import { ErrorScope, optionalBoolean, optionalEnum, propError, propPath, requireNumber, requireStruct } from '../../validation';
import { StorageFacts } from '../storage-class-profile';

/** CDI's default file system overhead (CDIConfig `filesystemOverhead.global`). */
export const CDI_DEFAULT_FILESYSTEM_OVERHEAD = 0.06;

/**
 * The file system overheads CDIConfig accepts (its config controller
 * ignores or refuses others): CDI v1.65.0 pkg/controller/config-controller.go
 * validOverhead.
 */
const CDI_OVERHEAD = /^(0(\.\d{1,3})?|1)$/;

/** CDI aligns an image to this block size before padding it for file system overhead. */
export const CDI_ALIGN_BYTES = 1024 * 1024;

/** Throws the library error unless `facts` is undefined or a well-formed `StorageFacts`; returns a copy. */
export function optionalStorageFacts(scope: ErrorScope, prop: string, facts: unknown): StorageFacts | undefined {
  if (facts === undefined) return undefined;
  requireStruct(scope, prop, facts as StorageFacts);
  const f = facts as StorageFacts;
  optionalEnum(scope, propPath(prop, 'volumeMode'), f.volumeMode, PersistentVolumeMode, 'PersistentVolumeMode');
  optionalBoolean(scope, propPath(prop, 'allowVolumeExpansion'), f.allowVolumeExpansion);
  if (f.filesystemOverhead !== undefined) {
    requireNumber(scope, propPath(prop, 'filesystemOverhead'), f.filesystemOverhead);
    if (!CDI_OVERHEAD.test(String(f.filesystemOverhead))) {
      throw propError(scope, propPath(prop, 'filesystemOverhead'), f.filesystemOverhead,
        'must be 1 or a fraction from 0 with at most three decimals, the values CDIConfig accepts',
        'give the overhead CDIConfig states, e.g. 0.06 for 6 %');
    }
  }
  return {
    ...(f.volumeMode !== undefined && { volumeMode: f.volumeMode }),
    ...(f.allowVolumeExpansion !== undefined && { allowVolumeExpansion: f.allowVolumeExpansion }),
    ...(f.filesystemOverhead !== undefined && { filesystemOverhead: f.filesystemOverhead }),
  };
}

/**
 * The size CDI asks for when it imports `bytes` onto a Filesystem volume:
 * aligned up to 1 MiB, then grown by the overhead (rounded up to a byte).
 * A snapshot of that volume restores at least this many bytes.
 */
export function filesystemPaddedBytes(bytes: bigint, overhead: number = CDI_DEFAULT_FILESYSTEM_OVERHEAD): bigint {
  const align = BigInt(CDI_ALIGN_BYTES);
  const aligned = ((bytes + align - 1n) / align) * align;
  return BigInt(Math.ceil(Number(aligned) * (1 + overhead)));
}
