import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PersonalDirectory, PersonErasure } from '@mel/application';
import type { Database } from '@mel/database';
import { EVENT_STORE, type EventStore } from '@mel/event-store';
import { PinoLogger } from 'nestjs-pino';
import { Pool } from 'pg';
import { DATABASE } from '../database.token';
import { DisplayNames } from './display-names';
import { ErasePersonController } from './erase-person/erase-person.controller';
import { ReadPersonController } from './read-person/read-person.controller';
import { RegisterPersonController } from './register-person/register-person.controller';

/** The pool of the personal directory's connections (schema `directory`, as ledger_app). */
export const DIRECTORY_POOL = Symbol('directory pool');

/**
 * The personal directory (ADR 12): people's names and contact details, outside the log and the read
 * models, erasable. One folder per use case; `DisplayNames` lets the queries show names to
 * authenticated readers at query time (global, so that the queries need not import this module).
 */
@Global()
@Module({
  controllers: [RegisterPersonController, ReadPersonController, ErasePersonController],
  providers: [
    {
      provide: DIRECTORY_POOL,
      inject: [DATABASE, PinoLogger],
      useFactory: (database: Database, logger: PinoLogger) => {
        const pool = new Pool({ connectionString: database.appUrl, max: 4 });
        // An idle connection dropped by the server is replaced by the next query; say so without any data.
        pool.on('error', (error) => logger.warn({ code: (error as { code?: string }).code }, 'directory connection error'));
        pool.on('connect', (client) => client.on('error', () => undefined)); // a dropped held connection fails its query, not the process
        return pool;
      },
    },
    {
      provide: PersonalDirectory,
      inject: [DIRECTORY_POOL, EVENT_STORE],
      useFactory: (pool: Pool, store: EventStore) => new PersonalDirectory(pool, store),
    },
    {
      provide: PersonErasure,
      inject: [EVENT_STORE, PersonalDirectory],
      useFactory: (store: EventStore, directory: PersonalDirectory) => new PersonErasure(store, directory),
    },
    DisplayNames,
  ],
  exports: [PersonalDirectory, DisplayNames],
})
export class DirectoryModule implements OnApplicationShutdown {
  constructor(@Inject(DIRECTORY_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
