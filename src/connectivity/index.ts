export * from './policy';
export * from './address-plan';
