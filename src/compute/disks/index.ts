export * from './disk';
export * from './disk-options';
export * from './sysprep';
export * from './boot-disk';
