export * from './host-bridge';
export * from './host-interface';
export * from './node-network-configuration-policy';
export * from './vxlan-bridge';
