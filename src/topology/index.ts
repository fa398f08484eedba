export * from './topology-types';
export * from './topology';
