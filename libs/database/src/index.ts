export * from './connection-url';
export * from './database';
export * from './embedded-postgres';
export * from './log';
export * from './migrations';
export * from './project-root';
