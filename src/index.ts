export * from './network';
export * from './storage';
export * from './topology';
