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

  const append = (streamId: string) =>
    writer.append(streamId, [{ type: 'MeetingConvened', occurredAt: '2025-02-03T14:00:00Z', actor: { subject: 's', role: 'body-secretary' }, data: {} }], {
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
});
