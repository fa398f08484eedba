export * from './network-attachment-definition';
export * from './cni-plugin';
export * from './ipam';
export * from './storage-network';
export * from './host';
