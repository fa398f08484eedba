export * from './policy-peer';
export * from './multi-network-policy';
export * from './policy-target';
export * from './multi-network-policy-options';
