export * from './backup-schedule-options';
export * from './backup-schedule';
