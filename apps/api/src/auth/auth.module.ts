import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TokenVerifier, tokenSettings } from '@mel/application';
import { projectRoot } from '@mel/database';
import { PinoLogger } from 'nestjs-pino';
import { join } from 'node:path';
import { AccessGuard } from './access.guard';
import { FixedWindowStorage } from './fixed-window-storage';

/** Requests a client (an IP address) may make per minute to one route: LEDGER_RATE_LIMIT_PER_MINUTE, 600 by default. */
export function rateLimitPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const limit = Number(env.LEDGER_RATE_LIMIT_PER_MINUTE ?? 600);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`LEDGER_RATE_LIMIT_PER_MINUTE must be a whole number ≥ 1, not ${JSON.stringify(env.LEDGER_RATE_LIMIT_PER_MINUTE)}`);
  return limit;
}

/**
 * Rate limits, then bearer tokens (ADR 13) and the one guard that decides access on every route: the
 * rate limit runs first, so that a flood of bad tokens costs no signature check.
 */
@Global()
@Module({
  imports: [ThrottlerModule.forRootAsync({ useFactory: () => ({ throttlers: [{ ttl: 60_000, limit: rateLimitPerMinute() }], storage: new FixedWindowStorage() }) })],
  providers: [
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    {
      provide: TokenVerifier,
      inject: [PinoLogger],
      useFactory: (logger: PinoLogger) =>
        new TokenVerifier(
          tokenSettings({
            dataDir: process.env.LEDGER_DATA_DIR || join(projectRoot(), '.data'),
            warn: (message) => logger.warn(message),
          }),
        ),
    },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokenVerifier],
})
export class AuthModule {}
