export * from './network-attachment-definition';
export * from './network-attachment-definition-ref';
export * from './cni-plugin';
export * from './ipam';
export * from './storage-network';
export * from './host';
