export * from './copy-log';
export * from './postgres-log-import';
