import { createHash } from 'node:crypto';
import { canonicalize } from '@mel/ledger';
import { v7 as uuidv7 } from 'uuid';
import type { ExpectedVersion, NewEvent, StoredEvent } from '../event-envelope';
import type { EventStore } from '../event-store';
import { EventIdConflictError, InvalidAppendError, WrongExpectedVersionError } from '../errors';

/**
 * A store under test: empty when handed over. `connect()` gives another client of the same store, as
 * another process would have (its own connections, its own group commit).
 */
export interface StoreUnderTest {
  store: EventStore;
  connect(): Promise<EventStore>;
  dispose(): Promise<void>;
}

const actor = { subject: 'user-7f3a', role: 'body-secretary', partyId: 'party-mel' };

function event(type = 'CommitmentProposed', data: Record<string, unknown> = { title: 'Cité éducative' }, extra: Partial<NewEvent> = {}): NewEvent {
  return { type, occurredAt: '2024-05-07T10:00:00.000Z', actor, data, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, the promise resolved');
}

/**
 * The contract every EventStore adapter passes (DESIGN §3): written once, run against each adapter by
 * its own spec file.
 */
export function describeEventStoreContract(adapter: string, open: () => Promise<StoreUnderTest>): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let sut: StoreUnderTest;
    let store: EventStore;

    beforeEach(async () => {
      sut = await open();
      store = sut.store;
    });
    afterEach(async () => {
      await sut.dispose();
    });

    describe('append', () => {
      it('writes a new stream from version 1 and seq 1, with the whole envelope', async () => {
        const result = await store.append('commitment-a1', [event(), event('CommitmentAdopted', { on: '2024-05-07' })], {
          expectedVersion: 'no-stream',
        });
        expect(result).toMatchObject({ streamId: 'commitment-a1', streamVersion: 2, seq: 2, replayed: false });
        expect(result.events.map((e) => [e.seq, e.streamVersion])).toEqual([[1, 1], [2, 2]]);

        const [first, second] = await store.readStream('commitment-a1');
        expect(first).toEqual({
          eventId: result.events[0].eventId,
          type: 'CommitmentProposed',
          schemaVersion: 1,
          streamId: 'commitment-a1',
          streamVersion: 1,
          seq: 1,
          occurredAt: '2024-05-07T10:00:00.000Z',
          recordedAt: result.recordedAt,
          actor,
          correlationId: result.events[0].eventId,
          causationId: null,
          data: { title: 'Cité éducative' },
        });
        expect(first.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(second).toMatchObject({ type: 'CommitmentAdopted', streamVersion: 2, seq: 2, correlationId: first.eventId });
        expect(Date.parse(result.recordedAt)).toBeGreaterThan(Date.parse('2024-01-01'));
      });

      it('normalises occurredAt to UTC with milliseconds and keeps the given ids', async () => {
        const eventId = uuidv7();
        await store.append(
          'meeting-m1',
          [event('MeetingHeld', {}, { eventId, occurredAt: '2024-05-07T12:30:00+02:00', correlationId: 'corr-1', causationId: 'cmd-9', schemaVersion: 2 })],
          { expectedVersion: 'any' },
        );
        const [stored] = await store.readStream('meeting-m1');
        expect(stored).toMatchObject({ eventId, occurredAt: '2024-05-07T10:30:00.000Z', correlationId: 'corr-1', causationId: 'cmd-9', schemaVersion: 2 });
      });

      describe.each<[string, ExpectedVersion, number, boolean]>([
        ["'no-stream' on no stream", 'no-stream', 0, true],
        ["'no-stream' on a stream", 'no-stream', 2, false],
        ["'exists' on no stream", 'exists', 0, false],
        ["'exists' on a stream", 'exists', 2, true],
        ["'any' on no stream", 'any', 0, true],
        ["'any' on a stream", 'any', 2, true],
        ['0 on no stream', 0, 0, true],
        ['0 on a stream', 0, 2, false],
        ['the current version', 2, 2, true],
        ['a past version', 1, 2, false],
        ['a future version', 3, 2, false],
        ['a version on no stream', 1, 0, false],
      ])('expected version %s', (_label, expectedVersion, current, accepted) => {
        beforeEach(async () => {
          if (current > 0) await store.append('body-b1', [event(), event()], { expectedVersion: 'no-stream' });
        });

        it(accepted ? 'is accepted' : 'is refused with the actual version, and nothing is written', async () => {
          const before = await store.head();
          const attempt = store.append('body-b1', [event('BodyRenamed')], { expectedVersion });
          if (accepted) {
            await expect(attempt).resolves.toMatchObject({ streamVersion: current + 1, seq: before + 1 });
          } else {
            const error = await rejection(attempt);
            expect(error).toBeInstanceOf(WrongExpectedVersionError);
            expect(error).toMatchObject({ streamId: 'body-b1', expectedVersion, actualVersion: current });
            expect(await store.head()).toBe(before);
            expect(await store.streamVersion('body-b1')).toBe(current);
          }
        });
      });

      it('answers a retry of stored events with their original positions and writes nothing', async () => {
        const events = [event('PartyRegistered', { siren: '200093201' }, { eventId: uuidv7() }), event('PartySigned', {}, { eventId: uuidv7() })];
        const first = await store.append('party-mel', events, { expectedVersion: 'no-stream' });
        await store.append('party-other', [event()], { expectedVersion: 'no-stream' });
        // The retry carries the expected version of the first attempt, now stale: still a replay.
        const retry = await store.append('party-mel', events, { expectedVersion: 'no-stream' });
        expect(retry).toEqual({ ...first, replayed: true });
        expect(await store.head()).toBe(3);
        expect(await store.readStream('party-mel')).toHaveLength(2);
      });

      it('treats concurrent copies of one append as one', async () => {
        const events = [event('PartyRegistered', {}, { eventId: uuidv7() })];
        const results = await Promise.all([1, 2, 3].map(() => store.append('party-x', events, { expectedVersion: 'no-stream' })));
        expect(new Set(results.map((r) => r.seq)).size).toBe(1);
        expect(results.filter((r) => !r.replayed)).toHaveLength(1);
        expect(await store.head()).toBe(1);
      });

      it.each([
        ['other content', 'party-mel', { siren: '000000000' }],
        ['another stream', 'party-other', { siren: '200093201' }],
      ])('refuses a stored eventId with %s', async (_label, streamId, data) => {
        const eventId = uuidv7();
        await store.append('party-mel', [event('PartyRegistered', { siren: '200093201' }, { eventId })], { expectedVersion: 'any' });
        const error = await rejection(store.append(streamId, [event('PartyRegistered', data, { eventId })], { expectedVersion: 'any' }));
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(error).toMatchObject({ eventId });
        expect(await store.head()).toBe(1);
      });

      it('refuses an append of which only some events are stored', async () => {
        const stored = event('PartyRegistered', {}, { eventId: uuidv7() });
        await store.append('party-mel', [stored], { expectedVersion: 'any' });
        const error = await rejection(store.append('party-mel', [stored, event('PartySigned', {}, { eventId: uuidv7() })], { expectedVersion: 'any' }));
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(await store.head()).toBe(1);
      });

      it.each<[string, string, unknown[], unknown]>([
        ['streamId', 'Commitment A', [event()], 'any'],
        ['streamId', 'commitment', [event()], 'any'],
        ['expectedVersion', 'commitment-a1', [event()], -1],
        ['expectedVersion', 'commitment-a1', [event()], 'latest'],
        ['events', 'commitment-a1', [], 'any'],
        ['events[0].type', 'commitment-a1', [{ ...event(), type: 'commitment proposed' }], 'any'],
        ['events[0].eventId', 'commitment-a1', [{ ...event(), eventId: 'not-a-uuid' }], 'any'],
        ['events[0].eventId', 'commitment-a1', [{ ...event(), eventId: '0b3c4a56-1f9e-4d7a-9c1e-2f3a4b5c6d7e' }], 'any'],
        ['events[1].eventId', 'commitment-a1', [{ ...event(), eventId: '0190f5a2-0000-7000-8000-000000000001' }, { ...event(), eventId: '0190f5a2-0000-7000-8000-000000000001' }], 'any'],
        ['events[0].occurredAt', 'commitment-a1', [{ ...event(), occurredAt: '7 mai 2024' }], 'any'],
        ['events[0].occurredAt', 'commitment-a1', [{ ...event(), occurredAt: '2024-05-07' }], 'any'],
        ['events[0].occurredAt', 'commitment-a1', [{ ...event(), occurredAt: '2024-02-30T10:00:00Z' }], 'any'],
        ['events[0].actor.subject', 'commitment-a1', [{ ...event(), actor: { role: 'auditor' } }], 'any'],
        ['events[0].actor.name', 'commitment-a1', [{ ...event(), actor: { ...actor, name: 'Jeanne Martin' } }], 'any'],
        ['events[0].data', 'commitment-a1', [{ ...event(), data: [1, 2] }], 'any'],
        ['events[0].data', 'commitment-a1', [{ ...event(), data: { amount: Number.NaN } }], 'any'],
        ['events[0].data', 'commitment-a1', [{ ...event(), data: { text: '\ud800' } }], 'any'],
        ['events[0].data', 'commitment-a1', [{ ...event(), data: { blob: 'x'.repeat(300 * 1024) } }], 'any'],
        ['events[0].schemaVersion', 'commitment-a1', [{ ...event(), schemaVersion: 0 }], 'any'],
      ])('refuses a malformed %s (%s) and writes nothing', async (field, streamId, events, expectedVersion) => {
        const error = await rejection(store.append(streamId, events as NewEvent[], { expectedVersion: expectedVersion as ExpectedVersion }));
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect(error).toMatchObject({ field });
        expect(await store.head()).toBe(0);
      });

      it('answers each of many concurrent appends on its own: one winner per version, conflicts with the actual version', async () => {
        const hot = Array.from({ length: 40 }, () => store.append('commitment-hot', [event()], { expectedVersion: 0 }));
        const distinct = Array.from({ length: 40 }, (_, i) => store.append(`commitment-d${i}`, [event()], { expectedVersion: 'no-stream' }));
        const hotResults = await Promise.allSettled(hot);
        const distinctResults = await Promise.allSettled(distinct);
        expect(hotResults.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of hotResults.filter((r) => r.status === 'rejected')) {
          expect((r as PromiseRejectedResult).reason).toMatchObject({ name: 'WrongExpectedVersionError', actualVersion: 1 });
        }
        expect(distinctResults.every((r) => r.status === 'fulfilled')).toBe(true);
        expect(await store.head()).toBe(41);
      });
    });

    describe('with another client of the same store', () => {
      it('checks expected versions against what the other client appended', async () => {
        const other = await sut.connect();
        await store.append('commitment-shared', [event()], { expectedVersion: 'no-stream' });
        await other.append('commitment-shared', [event()], { expectedVersion: 1 });
        // This client wrote version 1 last; the stream is at 2 now.
        await expect(store.append('commitment-shared', [event()], { expectedVersion: 2 })).resolves.toMatchObject({ streamVersion: 3, seq: 3 });
        await other.append('commitment-shared', [event()], { expectedVersion: 3 });
        const stale = await rejection(store.append('commitment-shared', [event()], { expectedVersion: 3 }));
        expect(stale).toMatchObject({ name: 'WrongExpectedVersionError', actualVersion: 4 });
        await other.append('commitment-elsewhere', [event()], { expectedVersion: 'no-stream' });
        await expect(store.append('commitment-shared', [event()], { expectedVersion: 'exists' })).resolves.toMatchObject({ streamVersion: 5, seq: 6 });
        expect((await store.readAll(0, 10)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      });
    });

    describe('readStream', () => {
      beforeEach(async () => {
        for (const [i, day] of ['2024-05-07', '2024-06-01', '2024-09-15', '2024-03-01'].entries()) {
          await store.append('indicator-i1', [event('ActualRecorded', { n: i + 1 }, { occurredAt: `${day}T09:00:00Z` })], { expectedVersion: i });
        }
      });

      it('reads a version range in stream order', async () => {
        expect((await store.readStream('indicator-i1', { fromVersion: 2, toVersion: 3 })).map((e) => e.streamVersion)).toEqual([2, 3]);
        expect((await store.readStream('indicator-i1', { fromVersion: 3 })).map((e) => e.streamVersion)).toEqual([3, 4]);
        expect(await store.readStream('indicator-none')).toEqual([]);
      });

      it('reads as of a date on the effective clock, including what was recorded later with an earlier date', async () => {
        const asOf = await store.readStream('indicator-i1', { asOf: { clock: 'effective', at: '2024-06-01T09:00:00Z' } });
        expect(asOf.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 4]);
      });

      it('reads as of a date on the recorded clock', async () => {
        const all = await store.readStream('indicator-i1');
        const cut = all[1].recordedAt;
        await new Promise((r) => setTimeout(r, 5));
        await store.append('indicator-i1', [event('ActualCorrected', { n: 5 })], { expectedVersion: 4 });
        const asOf = await store.readStream('indicator-i1', { asOf: { clock: 'recorded', at: cut } });
        const expected = all.filter((e) => e.recordedAt <= cut).map((e) => e.streamVersion);
        expect(asOf.map((e) => e.streamVersion)).toEqual(expected);
        expect(expected).toContain(2);
        expect(expected).not.toContain(5);
      });
    });

    describe('readAll and the stored bytes', () => {
      it('reads after a seq, in seq order, with the canonical bytes and their RFC 6962 leaf hash', async () => {
        await store.append('party-a', [event(), event()], { expectedVersion: 'no-stream' });
        await store.append('party-b', [event('PartyRegistered', { nom: 'Roubaix', émoji: '🏙️', n: 1.5 })], { expectedVersion: 'no-stream' });
        const all = await store.readAll(0, 100);
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect((await store.readAll(1, 1)).map((e) => e.seq)).toEqual([2]);
        expect(await store.readAll(3, 10)).toEqual([]);
        for (const stored of all) {
          const { canonical, leafHash, ...envelope } = stored;
          expect(canonical.toString('utf8')).toBe(canonicalize(envelope));
          expect(leafHash.toString('hex')).toBe(createHash('sha256').update(Buffer.from([0])).update(canonical).digest('hex'));
        }
      });

      it('never lets recordedAt go back along seq', async () => {
        for (let i = 0; i < 20; i++) await store.append(`party-${i % 3}`, [event()], { expectedVersion: 'any' });
        const times = (await store.readAll(0, 100)).map((e) => e.recordedAt);
        expect([...times].sort()).toEqual(times);
      });
    });

    describe('subscribe', () => {
      it('yields what is stored, then what is appended, from the given seq', async () => {
        await store.append('party-a', [event(), event(), event()], { expectedVersion: 'no-stream' });
        const controller = new AbortController();
        const seen: number[] = [];
        const reading = (async () => {
          for await (const e of store.subscribe(1, { signal: controller.signal, batchSize: 2 })) {
            seen.push(e.seq);
            if (e.seq === 6) controller.abort();
          }
        })();
        await store.append('party-b', [event()], { expectedVersion: 'no-stream' });
        await store.append('party-c', [event(), event()], { expectedVersion: 'no-stream' });
        await reading;
        expect(seen).toEqual([2, 3, 4, 5, 6]);
      });
    });

    it('race: 16 writers on one hot stream and many others while a subscriber reads from 0', async () => {
      const clients = [store, ...(await Promise.all([1, 2, 3].map(() => sut.connect())))];
      const acknowledged: { eventId: string; seq: number; streamId: string; streamVersion: number }[] = [];
      const conflicts: WrongExpectedVersionError[] = [];
      const subscriberSaw: StoredEvent[] = [];
      const controller = new AbortController();
      let target = Number.POSITIVE_INFINITY;
      const subscriber = (async () => {
        for await (const e of store.subscribe(0, { signal: controller.signal, batchSize: 50 })) {
          subscriberSaw.push(e);
          if (e.seq >= target) break;
        }
      })();

      const writer = async (w: number) => {
        const client = clients[w % clients.length];
        for (let op = 0; op < 30; op++) {
          const hot = op % 2 === 0;
          const streamId = hot ? 'commitment-hot' : `commitment-w${w}-${op % 4}`;
          const expectedVersion = await client.streamVersion(streamId);
          const e = event('ProgressReported', { w, op }, { eventId: uuidv7() });
          try {
            const result = await client.append(streamId, [e], { expectedVersion });
            acknowledged.push({ eventId: e.eventId!, seq: result.seq, streamId, streamVersion: result.streamVersion });
          } catch (error) {
            if (!(error instanceof WrongExpectedVersionError)) throw error;
            conflicts.push(error);
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)));
      const head = await store.head();
      target = head;
      if ((subscriberSaw.at(-1)?.seq ?? 0) >= head) controller.abort();
      const giveUp = setTimeout(() => controller.abort(), 30_000);
      await subscriber;
      clearTimeout(giveUp);
      await Promise.all(clients.slice(1).map((c) => c.close()));

      // Every acknowledged append is stored exactly once, where it was acknowledged.
      const all = await store.readAll(0, 100_000);
      expect(all).toHaveLength(acknowledged.length);
      const bySeq = new Map(all.map((e) => [e.seq, e]));
      for (const ack of acknowledged) {
        expect(bySeq.get(ack.seq)).toMatchObject({ eventId: ack.eventId, streamId: ack.streamId, streamVersion: ack.streamVersion });
      }
      expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);

      // Exactly one winner per (stream, version), and versions without holes.
      const hotVersions = acknowledged.filter((a) => a.streamId === 'commitment-hot').map((a) => a.streamVersion).sort((a, b) => a - b);
      expect(hotVersions).toEqual(Array.from({ length: hotVersions.length }, (_, i) => i + 1));
      const keys = all.map((e) => `${e.streamId}#${e.streamVersion}`);
      expect(new Set(keys).size).toBe(keys.length);

      // Conflicts happened, and each reported a real, later version of the stream.
      expect(conflicts.length).toBeGreaterThan(0);
      const finalHot = await store.streamVersion('commitment-hot');
      for (const conflict of conflicts) {
        expect(conflict.actualVersion).toBeGreaterThan(conflict.expectedVersion as number);
        expect(conflict.actualVersion).toBeLessThanOrEqual(finalHot);
      }

      // The subscriber saw every seq from 1 to the head, in order, once.
      expect(subscriberSaw.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      expect(subscriberSaw.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    });
  });
}

