export * from './cpu';
export * from './options';
export * from './probe';
