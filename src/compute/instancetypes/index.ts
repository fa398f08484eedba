export * from './settings';
export * from './instancetype';
export * from './preference';
export * from './common-instancetype';
export * from './kinds';
export * from './selection';
