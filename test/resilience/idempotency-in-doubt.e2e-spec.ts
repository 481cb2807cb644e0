import { resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { commitmentDecider, DomainRuleError } from '@mel/domain';
import { type EventStore, PostgresEventStore } from '@mel/event-store';
import { ExecuteDomainCommand, ExecuteDomainCommandHandler } from '../../apps/api/src/shared/execute-domain-command';
import { IdempotencyKeys } from '../../apps/api/src/shared/idempotency';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * A command whose append was committed but whose answer was lost (the connection dropped after the
 * commit): the outcome is in doubt, and the client retries with the same Idempotency-Key. The retry must
 * find the events written by the first attempt and answer from them, not write them a second time —
 * also when the database is reachable again by the time the first attempt fails.
 */
describe('Idempotency-Key when the outcome of a command is in doubt', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let keys: IdempotencyKeys;
  let commitmentId: string;
  let owner: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl, poolSize: 2 });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../..')));
    const drafted = (await store.readAll(0, 1000)).find((e) => e.type === 'CommitmentDrafted')!;
    ({ commitmentId, ownerPartyId: owner } = drafted.data as { commitmentId: string; ownerPartyId: string });
    keys = new IdempotencyKeys({ adminUrl: db.adminUrl, appUrl: db.appUrl, embedded: false, close: async () => undefined });
  });
  afterAll(async () => {
    await keys?.onApplicationShutdown();
    await store?.close();
    await db?.drop();
  });

  /** The store, with its next append committed and then reported failed, as when the connection drops before the answer. */
  const losingTheAnswerOnce = (): EventStore => {
    let armed = true;
    return new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'append') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<EventStore['append']>) => {
          const result = await target.append(...args);
          if (!armed) return result;
          armed = false;
          throw new Error('Connection terminated unexpectedly');
        };
      },
    });
  };

  const report = (reportId: string, key: string) =>
    new ExecuteDomainCommand(
      commitmentDecider as never,
      commitmentId,
      {
        type: 'ReportProgress',
        commitmentId,
        reportId,
        period: '2025',
        summary: 'Bilan 2025',
        evidence: [],
        actor: { subject: `rep-${owner}`, role: 'signatory-representative', partyId: owner },
        at: '2025-06-02T10:00:00+02:00',
      } as never,
      { idempotencyKey: key, requestSha256: `sha-of-${reportId}` },
    );

  const funding = (amountCents: number, key: string) =>
    new ExecuteDomainCommand(
      commitmentDecider as never,
      commitmentId,
      {
        type: 'RecordFunding',
        commitmentId,
        transaction: 'disbursement',
        year: 2025,
        amountCents,
        partyId: owner,
        actor: { subject: `rep-${owner}`, role: 'signatory-representative', partyId: owner },
        at: '2025-06-02T10:00:00+02:00',
      } as never,
      { idempotencyKey: key, requestSha256: `sha-of-funding-${amountCents}` },
    );

  const fundingOf = async (amountCents: number) =>
    (await store.readStream(`commitment-${commitmentId}`)).filter((e) => e.type === 'FundingRecorded' && (e.data as { amountCents: number }).amountCents === amountCents);

  const reportsNamed = async (reportId: string) =>
    (await store.readStream(`commitment-${commitmentId}`)).filter((e) => e.type === 'ProgressReported' && (e.data as { reportId: string }).reportId === reportId);

  it('a funding record retried after a commit whose answer was lost is recorded once, and answered from its events', async () => {
    const first = new ExecuteDomainCommandHandler(losingTheAnswerOnce(), keys);
    await expect(first.execute(funding(123_456_78, 'key-funding-in-doubt'))).rejects.toThrow(/Connection terminated/);
    expect(await fundingOf(123_456_78)).toHaveLength(1); // the first attempt did write

    const retry = await new ExecuteDomainCommandHandler(store, keys).execute(funding(123_456_78, 'key-funding-in-doubt'));
    const stored = await fundingOf(123_456_78);
    expect(stored).toHaveLength(1); // once, not twice
    expect(retry).toMatchObject({ replayed: true, seq: stored[0].seq, events: [{ eventId: stored[0].eventId }] });
  });

  it('a progress report retried after a commit whose answer was lost is answered as recorded, not refused as a duplicate', async () => {
    const first = new ExecuteDomainCommandHandler(losingTheAnswerOnce(), keys);
    await expect(first.execute(report('in-doubt-1', 'key-in-doubt-1'))).rejects.toThrow(/Connection terminated/);
    expect(await reportsNamed('in-doubt-1')).toHaveLength(1); // the first attempt did write

    const retry = await new ExecuteDomainCommandHandler(store, keys).execute(report('in-doubt-1', 'key-in-doubt-1'));
    const stored = await reportsNamed('in-doubt-1');
    expect(stored).toHaveLength(1); // once, not twice
    expect(retry).toMatchObject({ replayed: true, seq: stored[0].seq, events: [{ eventId: stored[0].eventId }] });
  });

  it('a refused command still frees its key: fixed, the same key goes through', async () => {
    const handler = new ExecuteDomainCommandHandler(store, keys);
    await handler.execute(report('refused-once', 'key-a'));
    // The same report id again, under another key: the domain refuses it (nothing written), and frees that
    // key, which then carries the fixed request (another body: without the release, 422 IdempotencyKeyIdentifiesOneRequest).
    await expect(handler.execute(report('refused-once', 'key-b'))).rejects.toBeInstanceOf(DomainRuleError);
    const answer = await handler.execute(report('fixed-after-refusal', 'key-b'));
    expect(answer.replayed).toBe(false);
    const rows = await store.readStream(`commitment-${commitmentId}`);
    expect(rows.filter((e) => (e.data as { reportId?: string }).reportId === 'refused-once')).toHaveLength(1);
  });
});
