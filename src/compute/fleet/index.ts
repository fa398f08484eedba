export * from './smart-clone-fleet';
export * from './fleet-options';
export * from './fleet-plan';
export * from './pool-options';
