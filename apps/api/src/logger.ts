import pino, { type LoggerOptions } from 'pino';

/** Structured JSON logs on stdout; LOG_LEVEL sets the level (info by default). No secrets in them. */
export function loggerOptions(): LoggerOptions & { redact: string[] } {
  return {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'ledger-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  };
}

/**
 * Whether each request is logged (pino-http, at info). Above info (LOG_LEVEL=warn, as under load)
 * nothing per request is written, so pino-http is not installed: it would still bind a serialised,
 * redacted copy of every request to a child logger and run the handling in an AsyncLocalStorage, about
 * a tenth of a cheap request's CPU, for lines never written. The ProblemDetailsFilter names the request
 * of a 5xx itself.
 */
export function logsEachRequest(level: string = loggerOptions().level ?? 'info'): boolean {
  const value = pino.levels.values[level];
  return value !== undefined && value <= pino.levels.values.info;
}

export function bootstrapLogger() {
  return pino(loggerOptions());
}
