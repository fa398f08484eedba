export * from './topology-types';
export * from './topology';
export * from './node-requirements';
