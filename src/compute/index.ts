export * from './boot-disk';
export * from './cloud-init';
export * from './eviction-strategy';
export * from './isolated-vm';
export * from './machine';
export * from './network';
export * from './smart-clone-fleet';
export * from './virtual-machine';
