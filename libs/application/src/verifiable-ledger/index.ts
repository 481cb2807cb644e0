export * from './checkpoint-signer';
export * from './postgres-tree';
export * from './signing-key';
