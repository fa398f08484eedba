export * from './network';
export * from './topology';
export * from './storage';
export * from './compute';
export * from './connectivity';
export * from './platform';
export * from './day2';
export * from './gitops';
