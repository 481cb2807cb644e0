import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { EventStoreHealthIndicator } from './event-store.health';
import { Public } from '../auth/access.decorators';
import { SkipThrottle } from '@nestjs/throttler';
import { DATABASE_RETRY_AFTER_SECONDS } from '../shared/problem-details';

@Public()
@SkipThrottle() // probes
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  /** 200 when the database answers and the store's head can be read; 503 with Retry-After otherwise. */
  @Get()
  @HealthCheck()
  async check(@Res({ passthrough: true }) response: Response) {
    try {
      return await this.health.check([() => this.database.check('database'), () => this.eventStore.check('eventStore')]);
    } catch (error) {
      // Terminus's own report, not problem details: health probes read it as it is.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503).setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return error.getResponse();
    }
  }
}
