import { type StoredEvent, PostgresEventStore } from '@mel/event-store';
import { Pool } from 'pg';
import { LogCopyError, type LogImportTarget } from './copy-log';

/**
 * The PostgreSQL log as the target of a copy (`ledger migrate --from-eventstore`): the events' canonical
 * bytes go through event_store.append_batch, the one writer of event_store.events (ADR 1), which checks
 * that the seqs continue the log and the versions continue each stream, and computes the leaf hashes
 * itself; every column is read from the bytes, so seq, recordedAt and the rest are the source's.
 * Connects as the application role (appUrl), like the API.
 */
export class PostgresLogImport implements LogImportTarget {
  private readonly pool: Pool;
  private readonly store: PostgresEventStore;

  constructor(appUrl: string) {
    this.pool = new Pool({ connectionString: appUrl, max: 1 });
    this.pool.on('error', () => undefined); // a dropped idle connection is retried by the next query
    this.store = new PostgresEventStore({ connectionString: appUrl, poolSize: 2 });
  }

  head(): Promise<number> {
    return this.store.head();
  }

  readAll(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return this.store.readAll(afterSeq, limit);
  }

  async importStored(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const expectedHead = events[0].seq - 1;
    const entries = events.map((event) => {
      const text = event.canonical.toString('utf8');
      if (text.includes('\n')) throw new LogCopyError(`event ${event.eventId} (seq ${event.seq}) holds a raw line break: it is not canonical JSON`, event.seq);
      return text;
    });
    const { rows } = await this.pool.query<{ head: string }>('SELECT event_store.append_batch($1, $2) AS head', [expectedHead, entries.join('\n')]);
    if (Number(rows[0].head) !== expectedHead) {
      throw new LogCopyError(
        `event_store.events ends at seq ${rows[0].head}: the copy must continue it at seq ${Number(rows[0].head) + 1}, and these events start at seq ${events[0].seq}. ` +
          'Copy into an empty database with every writer stopped',
        events[0].seq,
      );
    }
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}
