import { createHash } from 'node:crypto';
import { type EventStore, PostgresEventStore, type StoredEvent } from '@mel/event-store';
import { TreeBuilder } from '@mel/ledger';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { copyLog, differenceAt, LogCopyError } from './copy-log';
import { PostgresLogImport } from './postgres-log-import';

/*
 * The copy between two real PostgreSQL logs (`ledger migrate --from-eventstore` writes into PostgreSQL
 * this way; into EventStoreDB the same function runs with EventStoreDbEventStore as the target, tested
 * by the adapter's own spec when a server is there).
 */
describe('copyLog', () => {
  let from: TestDatabase;
  let to: TestDatabase;
  let source: PostgresEventStore;
  let target: PostgresLogImport;

  beforeEach(async () => {
    [from, to] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    source = new PostgresEventStore({ connectionString: from.appUrl });
    target = new PostgresLogImport(to.appUrl);
  });
  afterEach(async () => {
    // Closed once, even when the next beforeEach fails before making new ones.
    const [closing, importing] = [source, target];
    source = target = undefined as never;
    await closing?.close();
    await importing?.close();
    await Promise.all([from?.drop(), to?.drop()]);
  });

  const actor = { subject: 'user-7f3a', role: 'body-secretary', partyId: 'party-mel' };
  const event = (type: string, data: Record<string, unknown>, eventId = uuidv7()) => ({ eventId, type, occurredAt: '2024-05-07T10:00:00+02:00', actor, data, correlationId: 'corr-1' });

  async function fill(store: EventStore): Promise<void> {
    await store.append('party-mel', [event('PartyRegistered', { nom: 'Métropole Européenne de Lille', émoji: '🏙️' }), event('PartySigned', { n: 1.5 })], { expectedVersion: 'no-stream' });
    for (let i = 0; i < 40; i++) {
      await store.append(`commitment-c${i % 7}`, [event('ProgressReported', { i, note: i % 2 ? 'Roubaix' : 'Tourcoing' })], { expectedVersion: 'any' });
    }
    // Concurrent appends: one group commit, one recordedAt for several streams.
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.append(`meeting-m${i}`, [event('MeetingHeld', { i })], { expectedVersion: 'no-stream' })));
  }

  it('copies every event with its seq, versions, recordedAt and bytes, and answers the root both sides share', async () => {
    await fill(source);
    const progress: string[] = [];
    const report = await copyLog(source, target, { batchSize: 7, onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`) });
    expect(report.events).toBe(52);

    const original = await source.readAll(0, 1000);
    const copied = await target.readAll(0, 1000);
    expect(copied.map(strip)).toEqual(original.map(strip));
    const tree = new TreeBuilder();
    for (const e of original) tree.append(e.leafHash);
    expect(report.root).toBe(tree.root().toString('base64'));
    expect(progress).toContain('copy 52/52');
    expect(progress.at(-1)).toBe('check 52/52');

    // The copy is a log like any other: appends continue it, and retries of copied events are replays.
    const copy = new PostgresEventStore({ connectionString: to.appUrl });
    try {
      const [first] = await source.readStream('party-mel');
      const retried = await copy.append('party-mel', [event('PartyRegistered', first.data as Record<string, unknown>, first.eventId)], { expectedVersion: 'no-stream' });
      expect(retried).toMatchObject({ replayed: true, seq: 1, streamVersion: 1 });
      await expect(copy.append('party-mel', [event('PartyRenamed', {})], { expectedVersion: 2 })).resolves.toMatchObject({ seq: 53, streamVersion: 3 });
    } finally {
      await copy.close();
    }
  });

  it('copies an empty log', async () => {
    await expect(copyLog(source, target)).resolves.toEqual({ events: 0, root: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' });
  });

  it('refuses a target that is not empty, and writes nothing', async () => {
    await fill(source);
    const other = new PostgresEventStore({ connectionString: to.appUrl });
    try {
      await other.append('party-x', [event('PartyRegistered', {})], { expectedVersion: 'no-stream' });
      const attempt = copyLog(source, target);
      await expect(attempt).rejects.toThrow(LogCopyError);
      await expect(attempt).rejects.toThrow(/already holds 1 events: a log is copied into an empty store only/);
      expect(await other.head()).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('names the first seq that differs when the two sides do not agree afterwards', async () => {
    await fill(source);
    let checking = false;
    // The source as it reads after the copy, had someone rewritten seq 5 in it meanwhile.
    const altered = {
      head: () => source.head(),
      readAll: async (after: number, limit: number) => {
        const events = await source.readAll(after, limit);
        return checking ? events.map((e) => (e.seq === 5 ? { ...e, canonical: Buffer.from(e.canonical.toString().replace(/Tourcoing|Roubaix/, 'Lille')) } : e)) : events;
      },
    };
    const attempt = copyLog(altered, target, { batchSize: 100, onProgress: (phase) => (checking ||= phase === 'check') });
    await expect(attempt).rejects.toMatchObject({ name: 'LogCopyError', seq: 5 });
    await expect(attempt).rejects.toThrow(/seq 5 differs after the copy: the canonical bytes of event .* differ \(data\)\. The target is not a faithful copy: do not switch to it/);
    // What was copied stays (the log is append-only): a second attempt into it is refused.
    await expect(copyLog(source, target)).rejects.toThrow(/already holds 52 events/);
  });

  it('refuses events that do not continue the PostgreSQL log (event_store.append_batch checks them)', async () => {
    await fill(source);
    const events = await source.readAll(4, 3);
    await expect(target.importStored(events)).rejects.toThrow(/ends at seq 0: the copy must continue it at seq 1, and these events start at seq 5/);
    expect(await target.head()).toBe(0);
  });
});

describe('differenceAt', () => {
  const stored = (canonical: string): StoredEvent => {
    const bytes = Buffer.from(canonical);
    const envelope = JSON.parse(canonical);
    return { ...envelope, canonical: bytes, leafHash: createHash('sha256').update(Buffer.from([0])).update(bytes).digest() };
  };
  const a = stored('{"data":{"n":1},"eventId":"e1","seq":1}');

  it('finds nothing between identical events', () => {
    expect(differenceAt(a, stored('{"data":{"n":1},"eventId":"e1","seq":1}'))).toBeUndefined();
  });

  it('names the fields whose values differ, a missing event, another id, a false leaf hash', () => {
    expect(differenceAt(a, stored('{"data":{"n":2},"eventId":"e1","seq":1}'))).toMatch(/canonical bytes of event e1 differ \(data\)/);
    expect(differenceAt(a, undefined)).toBe('the target has no event there');
    expect(differenceAt(a, stored('{"data":{"n":1},"eventId":"e2","seq":1}'))).toMatch(/e1 in the source, e2 in the target/);
    expect(differenceAt(a, { ...a, leafHash: Buffer.alloc(32) })).toMatch(/target's leaf hash/);
  });
});

function strip(e: StoredEvent) {
  return { ...e, canonical: e.canonical.toString('utf8'), leafHash: e.leafHash.toString('hex') };
}
