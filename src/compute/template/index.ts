export * from './template-parameter';
export * from './virtual-machine-template';
