import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { TIGHT_ROUND_TRIP_MS } from './database-clock';
import { PostgresEventStore } from './postgres-event-store';

/**
 * recordedAt is the store's clock when the event was written: never before the append was asked, nor
 * after it was answered (but for the estimate's bound, TIGHT_ROUND_TRIP_MS). This
 * process may stall (garbage collection, a long synchronous task) while a snapshot query is in flight;
 * the stall must not be taken for the database's clock being behind this process's.
 */
describe('PostgreSQL event store: the recorded clock', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const actor = { subject: 'user-1', role: 'signatory-representative' };
  const event = { type: 'ProgressReported', occurredAt: '2025-01-15T09:00:00Z', actor, data: {} };
  const stall = (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end); // this process busy: the query's answer waits in the socket
  };
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('records every append between the instant it was asked and its answer, across stalls during snapshot reads', async () => {
    const late: string[] = [];
    const early: string[] = [];
    for (let round = 0; round < 5; round++) {
      const stream = `commitment-stalled-${round}`;
      // An unknown stream: the store reads a snapshot (and the database's clock) for it.
      const first = store.append(stream, [event], { expectedVersion: 'no-stream' });
      for (let i = 0; i <= round; i++) await tick(); // the query is on its way at some point of these
      stall(250);
      await first;
      // A known stream: composed from what the store remembers, with its estimate of the clock.
      for (let k = 1; k <= 3; k++) {
        const asked = Date.now();
        const result = await store.append(stream, [event], { expectedVersion: k });
        const answered = Date.now();
        if (Date.parse(result.recordedAt) < asked) late.push(`${stream}@${k}: ${result.recordedAt} < ${new Date(asked).toISOString()}`);
        // Nor later than its answer, but for the estimate's bound: the stalled sample (250 ms) is not used alone.
        if (Date.parse(result.recordedAt) > answered + TIGHT_ROUND_TRIP_MS) early.push(`${stream}@${k}: ${result.recordedAt} > ${new Date(answered).toISOString()}`);
      }
    }
    expect(late).toEqual([]);
    expect(early).toEqual([]);
  });

  it('keeps recordedAt never decreasing along the log', async () => {
    const recorded = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.append(`commitment-burst-${i % 7}`, [event], { expectedVersion: 'any' })),
    );
    const bySeq = recorded.sort((a, b) => a.seq - b.seq).map((r) => Date.parse(r.recordedAt));
    expect(bySeq.every((ms, i) => i === 0 || ms >= bySeq[i - 1])).toBe(true);
    // and not ahead of this process's clock by more than a round trip's worth
    expect(Math.max(...bySeq)).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
