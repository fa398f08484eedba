export * from './vm';
export * from './disks';
export * from './fleet';
export * from './devices';
export * from './performance';
export * from './instancetypes';
export * from './migration-policy';
export * from './template';
