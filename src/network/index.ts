export * from './network-attachment-definition';
export * from './cni-plugin';
export * from './ipam';
export * from './storage-network';
export * from './policy';
export * from './address-plan';
export * from './host';
