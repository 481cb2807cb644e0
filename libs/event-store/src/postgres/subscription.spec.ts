import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { StoredEvent } from '../event-envelope';
import { PostgresEventStore } from './postgres-event-store';

describe('PostgreSQL event store: subscription wake-ups', () => {
  let db: TestDatabase;
  let reader: PostgresEventStore;
  let writer: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestDatabase();
    writer = new PostgresEventStore({ connectionString: db.appUrl });
  });
  afterEach(async () => {
    await reader?.close();
    await writer.close();
    await db.drop();
  });

  const append = (streamId: string, store: PostgresEventStore = writer) =>
    store.append(streamId, [{ type: 'MeetingConvened', occurredAt: '2025-02-03T14:00:00Z', actor: { subject: 's', role: 'body-secretary' }, data: {} }], {
      expectedVersion: 'any',
    });

  async function firstEvents(store: PostgresEventStore, count: number, during: () => Promise<void>): Promise<{ seqs: number[]; ms: number }> {
    const controller = new AbortController();
    const seen: StoredEvent[] = [];
    const started = Date.now();
    const reading = (async () => {
      for await (const event of store.subscribe(0, { signal: controller.signal })) {
        seen.push(event);
        if (seen.length === count) controller.abort();
      }
    })();
    await during();
    await reading;
    return { seqs: seen.map((e) => e.seq), ms: Date.now() - started };
  }

  it('is woken by NOTIFY long before its polling interval', async () => {
    reader = new PostgresEventStore({ connectionString: db.appUrl, pollIntervalMs: 60_000 });
    const { seqs } = await firstEvents(reader, 2, async () => {
      await new Promise((r) => setTimeout(r, 200)); // the subscriber is caught up and waiting
      await append('meeting-1');
      await append('meeting-2');
    });
    // With a one-minute poll, only a notification can have delivered these within the test's timeout.
    expect(seqs).toEqual([1, 2]);
  });

  it('still delivers every event by polling when its LISTEN connection is killed', async () => {
    reader = new PostgresEventStore({ connectionString: db.appUrl, pollIntervalMs: 100 });
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      const { seqs } = await firstEvents(reader, 3, async () => {
        await append('meeting-1');
        await new Promise((r) => setTimeout(r, 300));
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
        );
        expect(killed.rowCount).toBeGreaterThan(0);
        await append('meeting-2');
        await append('meeting-3');
      });
      expect(seqs).toEqual([1, 2, 3]);
    } finally {
      await admin.end();
    }
  });

  /** Counts the reads of the log (readAll's statement) that `store` sends from now on. */
  function countLogReads(store: PostgresEventStore): { count: number } {
    const pool = (store as unknown as { pool: { query: (...args: unknown[]) => unknown } }).pool;
    const query = pool.query.bind(pool);
    const counter = { count: 0 };
    jest.spyOn(pool, 'query').mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('SELECT canonical, leaf_hash FROM event_store.events')) counter.count++;
      return query(...args);
    });
    return counter;
  }

  /** Resolves once the store's listener is connected and its subscriber has read the table after that. */
  async function listening(store: PostgresEventStore): Promise<void> {
    const notifier = (store as unknown as { notifier: { epoch: number } }).notifier;
    for (let waited = 0; notifier.epoch === 0; waited += 20) {
      if (waited > 10_000) throw new Error('the listener did not connect in 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  /** The events as the table holds them, for comparison with what a subscriber was given. */
  const fromTable = async (count: number) => (await writer.readAll(0, count)).map((e) => ({ ...e, canonical: Buffer.from(e.canonical), leafHash: Buffer.from(e.leafHash) }));

  it("gives a subscriber its own store's appends from memory: the same events as the table, without reading it", async () => {
    // One store that appends and subscribes, as the API does; a one-minute poll, so only its own appends can deliver.
    reader = new PostgresEventStore({ connectionString: db.appUrl, pollIntervalMs: 60_000 });
    let reads: { count: number } | undefined;
    const delivered: StoredEvent[] = [];
    const controller = new AbortController();
    const reading = (async () => {
      for await (const event of reader.subscribe(0, { signal: controller.signal, batchSize: 2 })) {
        delivered.push(event);
        if (delivered.length === 5) controller.abort();
      }
    })();
    await listening(reader); // caught up: the table was read at first, and again once the listener connected
    reads = countLogReads(reader);
    for (let i = 1; i <= 3; i++) await append(`meeting-${i}`, reader);
    await Promise.all([append('meeting-4', reader), append('meeting-5', reader)]); // one batch of two
    await reading;
    await new Promise((r) => setTimeout(r, 300)); // the notifications of those appends come back, and read nothing
    expect(delivered.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(reads.count).toBe(0);
    // Byte for byte what the table holds: canonical bytes, leaf hash and the envelope parsed from them.
    expect(delivered.map((e) => ({ ...e, canonical: Buffer.from(e.canonical), leafHash: Buffer.from(e.leafHash) }))).toEqual(await fromTable(5));
  });

  it("reads the table for another writer's events between its own, and delivers all in seq order", async () => {
    reader = new PostgresEventStore({ connectionString: db.appUrl, pollIntervalMs: 60_000 });
    let reads = { count: 0 };
    const { seqs } = await firstEvents(reader, 6, async () => {
      await listening(reader);
      reads = countLogReads(reader);
      await append('meeting-1', reader);
      await append('meeting-2'); // another process
      await append('meeting-3', reader);
      await append('meeting-4', reader);
      await append('meeting-5');
      await append('meeting-6', reader);
    });
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    // The reads that the other writer's events need (2 and 5 are not this store's; one read may bring both), not one per event.
    expect(reads.count).toBeGreaterThanOrEqual(1);
    expect(reads.count).toBeLessThanOrEqual(3);
  });
});
