import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { EventStoreHealthIndicator } from './event-store.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly eventStore: EventStoreHealthIndicator,
  ) {}

  /** 200 when the database answers and the store's head can be read; 503 otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.check('database'), () => this.eventStore.check('eventStore')]);
  }
}
