export * from './entry-lines';
export * from './log-entry';
export * from './log-failure';
export * from './verify-log';
