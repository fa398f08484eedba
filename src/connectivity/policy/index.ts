export * from './policy-peer';
export * from './multi-network-policy';
