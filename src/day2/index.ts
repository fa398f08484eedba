export * from './backup-schedule-options';
export * from './backup-schedule';
export * from './day2-options';
export * from './virtual-machine-snapshot';
export * from './virtual-machine-restore';
export * from './virtual-machine-clone';
export * from './virtual-machine-export';
