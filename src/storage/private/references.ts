import {
  ErrorScope, optionalArray, optionalBoolean, optionalInstance, optionalSize, optionalString, optionalStringMap, requireInterface,
  propPath, requireSize, requireString, requireStruct,
} from '../../validation';
import { DataVolumeStorageOptions } from '../data-volume-options';
import { DataVolumeSource } from '../data-volume-source';
import { IGoldenImage } from '../golden-image-options';

/** Throws the library error unless `value` is a golden image reference. */
export function requireGoldenImage(scope: ErrorScope, prop: string, value: unknown): asserts value is IGoldenImage {
  requireInterface(scope, prop, value, 'IGoldenImage', ['node', 'name', 'namespace', 'size', 'dataVolume', 'sourceKind'],
    'pass a GoldenImage construct');
  requireSize(scope, propPath(prop, 'size'), (value as IGoldenImage).size);
}

/** Throws the library error unless the typed DataVolume storage options have their declared shapes. */
export function requireDataVolumeStorageShapes(
  scope: ErrorScope, options: DataVolumeStorageOptions & { labels?: unknown; annotations?: unknown },
): void {
  requireStruct(scope, 'props', options);
  optionalInstance(scope, 'source', options.source, DataVolumeSource, 'DataVolumeSource.http(url), registry(url), blank() or another DataVolumeSource factory');
  if (options.sourceRef !== undefined) {
    requireInterface(scope, 'sourceRef', options.sourceRef, 'IDataSource', ['node', 'name', 'namespace'],
      'pass a DataSource construct, or DataSource.fromDataSourceName() for an existing one');
  }
  optionalSize(scope, 'size', options.size);
  optionalString(scope, 'storageClass', options.storageClass);
  optionalArray(scope, 'accessModes', options.accessModes, (m, p) => requireString(scope, p, m, 'use PersistentVolumeAccessMode values'));
  optionalString(scope, 'volumeMode', options.volumeMode, 'use PersistentVolumeMode.BLOCK or PersistentVolumeMode.FILE_SYSTEM');
  optionalBoolean(scope, 'preallocation', options.preallocation);
  optionalString(scope, 'contentType', options.contentType, 'use DataVolumeContentType.KUBEVIRT or ARCHIVE');
  optionalStringMap(scope, 'labels', options.labels);
  optionalStringMap(scope, 'annotations', options.annotations);
}
