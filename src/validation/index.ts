export * from './errors';
export * from './names';
export * from './ip';
export * from './vlan';
export * from './checks';
export * from './image';
export * from './mac';
export * from './ssh';
