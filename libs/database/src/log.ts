/** The little the database library says; pino loggers and the console both fit. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLog: Log = { info: () => {}, warn: () => {}, debug: () => {} };
