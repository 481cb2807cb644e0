export * from './shared/acting';
export * from './shared/decider';
export * from './shared/rules';
export * from './shared/values';
export * from './commitment/commitment';
export * from './governance-body/governance-body';
export * from './meeting/meeting';
