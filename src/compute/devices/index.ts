export * from './host-devices';
export * from './guest-devices';
export * from './hyperv';
