export * from './data-volume-source';
export * from './data-volume';
export * from './data-source';
export * from './volume-snapshot-class';
export * from './volume-snapshot';
export * from './golden-image';
export * from './storage-facts';
