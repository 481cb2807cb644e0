import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@mel/event-store';

/** The store's head: the seq of the last committed event. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async check(key: string) {
    const indicator = this.health.check(key);
    try {
      return indicator.up({ head: await this.store.head() });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
