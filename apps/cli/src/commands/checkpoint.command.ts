import { CheckpointSigner, listCheckpoints, loadSigningKey, PostgresTree } from '@mel/application';
import { openEventStore } from '@mel/event-store';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Pool } from 'pg';
import { withDatabase } from '../database-session';
import { ledgerDataDir } from './keygen.command';

export function registerCheckpoint(program: Command): void {
  program
    .command('checkpoint')
    .description(
      'extend the Merkle tree to the head of the log and sign a checkpoint of it now (reason "manual"), with the key the API uses ' +
        '(LEDGER_SIGNING_KEY, LEDGER_SIGNING_KEY_FILE or .data/ledger-signing.key); print the signed note (C2SP tlog-checkpoint)',
    )
    .action(async () => {
      const verbose = Boolean(program.opts().verbose);
      const key = loadSigningKey({ dataDir: ledgerDataDir(), warn: (message) => process.stderr.write(`warning: ${message}\n`) });
      if (verbose) process.stderr.write(`checkpoint: signing as ${key.name} with the key from ${key.source}\n`);
      await withDatabase(verbose, async (database) => {
        const pool = new Pool({ connectionString: database.appUrl, max: 2 });
        pool.on('error', () => undefined); // a dropped idle connection is retried by the next query
        // The leaves come from the log's store: event_store.events, or EventStoreDB (LEDGER_EVENT_STORE, ADR 11).
        const store = openEventStore({ appUrl: database.appUrl, poolSize: 1 });
        const bar = new SingleBar({ format: 'checkpoint: extending the tree [{bar}] {value}/{total} leaves', stream: process.stderr, hideCursor: true });
        let started = false;
        try {
          const tree = new PostgresTree(pool, store);
          const from = await tree.size();
          const size = await tree.extend({
            onBatch: (at, head) => {
              if (!started) bar.start(head, from);
              started = true;
              bar.update(at);
            },
          });
          bar.stop();
          if (size > from) process.stderr.write(`checkpoint: the tree now covers ${size} leaves (was ${from})\n`);
          const [previous] = await listCheckpoints(pool, { limit: 1 });
          const checkpoint = await new CheckpointSigner(pool, tree, key).sign('manual');
          process.stderr.write(
            !previous || checkpoint.size > previous.size
              ? `checkpoint: signed size ${checkpoint.size}\n`
              : `checkpoint: size ${checkpoint.size} was signed already (${checkpoint.reason}, ${checkpoint.signedAt}); nothing new to sign\n`,
          );
          process.stdout.write(checkpoint.note);
        } finally {
          bar.stop();
          await store.close();
          await pool.end();
        }
      });
    });
}
