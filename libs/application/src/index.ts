export * from './command-executor';
