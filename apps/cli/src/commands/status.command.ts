import type { Command } from 'commander';
import { redact } from '@mel/database';
import { describeEventStore, eventStoreConfig, openEventStore } from '@mel/event-store';
import { withDatabase } from '../database-session';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show which database and event store (LEDGER_EVENT_STORE) the ledger uses, and the event store's head")
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }) => {
      await withDatabase(program.opts().verbose, async (database) => {
        const config = eventStoreConfig();
        const store = openEventStore({ appUrl: database.appUrl, poolSize: 1 });
        try {
          const status = { database: redact(database.appUrl), embedded: database.embedded, eventStore: describeEventStore(config), head: await store.head() };
          if (options.json) console.log(JSON.stringify(status));
          else console.log(`database:    ${status.database}${status.embedded ? ' (embedded)' : ''}\nevent store: ${status.eventStore}\nhead:        seq ${status.head}`);
        } finally {
          await store.close();
        }
      });
    });
}
