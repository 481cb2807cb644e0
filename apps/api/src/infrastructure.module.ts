import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Database } from '@mel/database';
import { describeEventStore, EVENT_STORE, type EventStore, eventStoreConfig, openEventStore } from '@mel/event-store';
import { PinoLogger } from 'nestjs-pino';
import { DATABASE } from './database.token';

/**
 * The database and the event store (PostgreSQL, or EventStoreDB when LEDGER_EVENT_STORE says so), shared
 * by every feature module; closed in that order at shutdown.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  static forRoot(database: Database): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: DATABASE, useValue: database },
        {
          provide: EVENT_STORE,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) => {
            logger.setContext('EventStore');
            // The adapter is chosen by configuration only: LEDGER_EVENT_STORE (postgres | eventstoredb), ADR 11.
            logger.info(`event store: ${describeEventStore(eventStoreConfig())}`);
            return openEventStore({
              appUrl: database.appUrl,
              onError: (error) => {
                const code = (error as { code?: string }).code;
                // 57P01: the server is shutting down, as it does when the embedded one stops with us.
                if (code === '57P01') logger.debug('event store connection closed by the server shutting down');
                else logger.warn({ code, message: error.message }, 'event store connection error');
              },
            });
          },
        },
      ],
      exports: [DATABASE, EVENT_STORE],
    };
  }

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) private readonly database: Database,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.database.close();
  }
}
