import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { PostgresEventStore } from './postgres-event-store';

describe('PostgreSQL event store: group commit', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  const actor = { subject: 'user-1', role: 'signatory-representative' };
  const event = { type: 'ProgressReported', occurredAt: '2025-01-15T09:00:00Z', actor, data: {} };

  it('writes concurrent appends of one process in a few transactions, not one each', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => store.append(`commitment-${i % 50}`, [event], { expectedVersion: 'any' })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    // Rows written by one transaction share its id (xmin).
    const { rows } = await admin.query('SELECT count(DISTINCT xmin::text)::int AS transactions, count(*)::int AS events FROM event_store.events');
    await admin.end();
    expect(rows[0].events).toBe(200);
    expect(rows[0].transactions).toBeLessThanOrEqual(5);
  });

  it('fails a conflicting append alone, while the rest of its batch commits', async () => {
    await store.append('commitment-hot', [event], { expectedVersion: 'no-stream' });
    const [stale, fresh, other] = await Promise.allSettled([
      store.append('commitment-hot', [event], { expectedVersion: 0 }),
      store.append('commitment-hot', [event], { expectedVersion: 1 }),
      store.append('commitment-other', [event], { expectedVersion: 'no-stream' }),
    ]);
    expect(stale).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', actualVersion: 1 } });
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { streamVersion: 2 } });
    expect(other).toMatchObject({ status: 'fulfilled', value: { streamVersion: 1 } });
    expect(await store.head()).toBe(3);
  });
});
