export * from './command-executor';
export * from './deterministic-event-id';
export * from './seed/mel-contract-seed';
export * from './seed/run-seed';
export * from './generate';
export * from './verifiable-ledger';
export * from './access/tokens';
export * from './directory';
