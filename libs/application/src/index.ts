export * from './command-executor';
export * from './deterministic-event-id';
