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

export function bootstrapLogger() {
  return pino(loggerOptions());
}
