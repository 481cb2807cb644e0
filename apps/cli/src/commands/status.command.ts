import type { Command } from 'commander';
import { redact } from '@mel/database';
import { PostgresEventStore } from '@mel/event-store';
import { withDatabase } from '../database-session';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show which database the ledger uses and the event store's head")
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }) => {
      await withDatabase(program.opts().verbose, async (database) => {
        const store = new PostgresEventStore({ connectionString: database.appUrl, poolSize: 1 });
        try {
          const status = { database: redact(database.appUrl), embedded: database.embedded, head: await store.head() };
          if (options.json) console.log(JSON.stringify(status));
          else console.log(`database: ${status.database}${status.embedded ? ' (embedded)' : ''}\nhead:     seq ${status.head}`);
        } finally {
          await store.close();
        }
      });
    });
}
