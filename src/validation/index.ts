export * from './errors';
export * from './names';
export * from './ip';
export * from './vlan';
export * from './checks';
