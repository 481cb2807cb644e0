import { resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { commitmentDecider, indicatorDecider, deciderOfStream } from '@mel/domain';
import { type Clock, PostgresEventStore } from '@mel/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { effectiveHistory, entityHistory, recordedHistory, stateAsOf, UNAPPLIED_REASON } from './entity-history';

const rep = { subject: 'user-mel', role: 'signatory-representative', partyId: 'party-mel' };
const admin = { subject: 'user-admin', role: 'administrator' };
const terms = {
  title: 'Titre initial',
  description: 'Un engagement pour les tests',
  ownerPartyId: 'party-mel',
  coFunderPartyIds: [],
  priority: 2,
  ambition: 'lever les freins à la mobilité',
  component: 'contrat-de-ville',
  horizon: 2030,
  scope: { qpv: ['QN05972M'], communes: ['59350'] },
  means: { droitCommunCents: 100_00, creditsSpecifiquesCents: 50_00 },
  budget: [{ year: 2024, amountCents: 150_00, status: 'committed' }],
};
const pause = () => new Promise((r) => setTimeout(r, 20));
const ms = (iso: string) => Date.parse(iso);
const before = (iso: string) => new Date(ms(iso) - 1).toISOString();

/** An entity's successive states on both clocks, folded from its own stream on a real store. */
describe('entity history', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /** The recorded instant just before the correction was appended. */
  let beforeCorrection: string;
  let draftedId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    const first = await store.append('commitment-c-1', [
      { type: 'CommitmentDrafted', occurredAt: '2024-05-07T10:00:00Z', actor: rep, data: { commitmentId: 'c-1', ...terms } },
      { type: 'CommitmentProposed', occurredAt: '2024-05-07T10:00:00Z', actor: rep, data: { commitmentId: 'c-1' } },
    ], { expectedVersion: 'no-stream' });
    draftedId = first.events[0].eventId;
    await store.append('commitment-c-1', [{ type: 'CommitmentAdopted', occurredAt: '2024-06-15T10:00:00+02:00', actor: admin, data: { commitmentId: 'c-1', decisionId: null } }], { expectedVersion: 2 });
    await store.append('commitment-c-1', [{ type: 'CommitmentStarted', occurredAt: '2024-09-01T08:00:00Z', actor: rep, data: { commitmentId: 'c-1' } }], { expectedVersion: 3 });
    await pause();
    beforeCorrection = new Date().toISOString();
    await pause();
    // A clerical correction recorded now, effective since 1 June 2024: before the adoption and the start.
    await store.append('commitment-c-1', [{
      type: 'CommitmentCorrected', occurredAt: '2024-06-01T00:00:00Z', actor: rep,
      data: { commitmentId: 'c-1', correctsEventId: draftedId, field: 'title', value: 'Titre corrigé', reason: 'coquille' },
    }], { expectedVersion: 4 });
    // Funding at schema version 1 (no currency): upcast on read like every fold.
    await store.append('commitment-c-1', [{
      type: 'FundingRecorded', schemaVersion: 1, occurredAt: '2025-01-15T09:00:00Z', actor: rep,
      data: { commitmentId: 'c-1', transaction: 'commitment', year: 2024, amountCents: 42_00, partyId: 'party-mel' },
    }], { expectedVersion: 5 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  describe('on the recorded clock', () => {
    it('has one entry per event in seq order, each the fold up to and including it', async () => {
      const history = await entityHistory(store, commitmentDecider, 'commitment-c-1', 'recorded');
      expect(history).toMatchObject({ streamId: 'commitment-c-1', clock: 'recorded', streamVersion: 6 });
      const entries = history.entries;
      expect(entries.map((e) => [e.streamVersion, e.type, e.state.status, e.state.terms?.title])).toEqual([
        [1, 'CommitmentDrafted', 'draft', 'Titre initial'],
        [2, 'CommitmentProposed', 'proposed', 'Titre initial'],
        [3, 'CommitmentAdopted', 'adopted', 'Titre initial'],
        [4, 'CommitmentStarted', 'in_progress', 'Titre initial'],
        [5, 'CommitmentCorrected', 'in_progress', 'Titre corrigé'],
        [6, 'FundingRecorded', 'in_progress', 'Titre corrigé'],
      ]);
      const stream = await store.readStream('commitment-c-1');
      expect(entries.map((e) => [e.seq, e.eventId, e.effectiveAt, e.recordedAt])).toEqual(stream.map((e) => [e.seq, e.eventId, e.occurredAt, e.recordedAt]));
      expect(entries[0].seq).toBeLessThan(entries[5].seq);
      expect(entries[4]).toMatchObject({ effectiveAt: '2024-06-01T00:00:00.000Z' });
      expect(entries[5].state.funding).toEqual({ commitment: 42_00, disbursement: 0, expenditure: 0 });
      expect(entries.every((e) => !('unapplied' in e))).toBe(true);
    });

    it('stops at asOf: what the ledger said before the correction was recorded', async () => {
      const { entries } = await entityHistory(store, commitmentDecider, 'commitment-c-1', 'recorded', { asOf: beforeCorrection });
      expect(entries.map((e) => e.type)).toEqual(['CommitmentDrafted', 'CommitmentProposed', 'CommitmentAdopted', 'CommitmentStarted']);
      expect(entries.at(-1)!.state.terms!.title).toBe('Titre initial');
      // Inclusive: an asOf equal to an event's recordedAt includes it.
      const all = (await entityHistory(store, commitmentDecider, 'commitment-c-1', 'recorded')).entries;
      const upToCorrection = await entityHistory(store, commitmentDecider, 'commitment-c-1', 'recorded', { asOf: all[4].recordedAt });
      expect(upToCorrection.entries.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    });
  });

  describe('on the effective clock', () => {
    it('has one entry per effective instant, the correction in force from its effective date', async () => {
      const history = await entityHistory(store, commitmentDecider, 'commitment-c-1', 'effective');
      expect(history).toMatchObject({ clock: 'effective', streamVersion: 6 });
      expect(history.entries.map((e) => [e.effectiveAt, e.events.map((x) => x.type), e.state.status, e.state.terms?.title])).toEqual([
        ['2024-05-07T10:00:00.000Z', ['CommitmentDrafted', 'CommitmentProposed'], 'proposed', 'Titre initial'],
        ['2024-06-01T00:00:00.000Z', ['CommitmentCorrected'], 'proposed', 'Titre corrigé'],
        ['2024-06-15T08:00:00.000Z', ['CommitmentAdopted'], 'adopted', 'Titre corrigé'],
        ['2024-09-01T08:00:00.000Z', ['CommitmentStarted'], 'in_progress', 'Titre corrigé'],
        ['2025-01-15T09:00:00.000Z', ['FundingRecorded'], 'in_progress', 'Titre corrigé'],
      ]);
      const recorded = (await entityHistory(store, commitmentDecider, 'commitment-c-1', 'recorded')).entries;
      const correction = recorded[4];
      expect(history.entries[1].events).toEqual([{ seq: correction.seq, streamVersion: 5, eventId: correction.eventId, type: 'CommitmentCorrected', recordedAt: correction.recordedAt }]);
      // The state of affairs of the first instant was said when it was recorded; from the correction's
      // effective date on, only since the correction was recorded.
      expect(history.entries.map((e) => e.knownSince)).toEqual([
        recorded[1].recordedAt, correction.recordedAt, correction.recordedAt, correction.recordedAt, recorded[5].recordedAt,
      ]);
    });

    it('stops at asOf on the effective clock, with the states as the ledger knows them now', async () => {
      const { entries, streamVersion } = await entityHistory(store, commitmentDecider, 'commitment-c-1', 'effective', { asOf: '2024-06-15T09:59:59+02:00' });
      expect(streamVersion).toBe(6);
      expect(entries.map((e) => e.effectiveAt)).toEqual(['2024-05-07T10:00:00.000Z', '2024-06-01T00:00:00.000Z']);
      expect(entries[1].state.terms!.title).toBe('Titre corrigé');
      const atAdoption = await entityHistory(store, commitmentDecider, 'commitment-c-1', 'effective', { asOf: new Date('2024-06-15T08:00:00Z') });
      expect(atAdoption.entries.at(-1)!.state.status).toBe('adopted');
    });

    it('is empty before the entity exists, and for an unknown stream (streamVersion 0)', async () => {
      for (const clock of ['effective', 'recorded'] as const) {
        expect(await entityHistory(store, commitmentDecider, 'commitment-c-1', clock, { asOf: '2000-01-01T00:00:00Z' })).toMatchObject({ streamVersion: 6, entries: [] });
        expect(await entityHistory(store, commitmentDecider, 'commitment-nobody', clock)).toMatchObject({ streamVersion: 0, entries: [] });
      }
    });

    it('refuses a clock or an asOf it cannot read', async () => {
      await expect(entityHistory(store, commitmentDecider, 'commitment-c-1', 'tomorrow' as Clock)).rejects.toThrow(RangeError);
      await expect(entityHistory(store, commitmentDecider, 'commitment-c-1', 'recorded', { asOf: 'yesterday' })).rejects.toThrow(RangeError);
    });
  });

  describe('stateAsOf', () => {
    it('equals, at every instant of either history, the state of the last entry at or before it', async () => {
      for (const clock of ['effective', 'recorded'] as const) {
        const { entries } = await entityHistory(store, commitmentDecider, 'commitment-c-1', clock);
        const at = (e: (typeof entries)[number]) => ('seq' in e ? e.recordedAt : e.effectiveAt);
        for (const entry of entries) {
          const expected = entries.filter((e) => ms(at(e)) <= ms(at(entry))).at(-1)!;
          expect((await stateAsOf(store, commitmentDecider, 'commitment-c-1', clock, at(entry))).state).toEqual(expected.state);
          const previous = entries.filter((e) => ms(at(e)) < ms(at(entry))).at(-1);
          expect((await stateAsOf(store, commitmentDecider, 'commitment-c-1', clock, before(at(entry)))).state).toEqual(previous?.state ?? commitmentDecider.initialState);
        }
      }
    });

    it('answers the version of the last event folded in', async () => {
      expect(await stateAsOf(store, commitmentDecider, 'commitment-c-1', 'effective', '2024-06-10T00:00:00Z')).toMatchObject({ streamVersion: 5, events: 3, state: { status: 'proposed', terms: { title: 'Titre corrigé' } } });
      expect(await stateAsOf(store, commitmentDecider, 'commitment-c-1', 'recorded', beforeCorrection)).toMatchObject({ streamVersion: 4, events: 4, state: { terms: { title: 'Titre initial' } } });
      expect(await stateAsOf(store, commitmentDecider, 'commitment-c-1', 'effective', '2000-01-01T00:00:00Z')).toEqual({ state: commitmentDecider.initialState, streamVersion: 0, events: 0 });
    });
  });

  it('reports, instead of failing, an event the fold cannot apply as of its effective date', async () => {
    // A target corrected with an effective date before the target it corrects: on the effective clock,
    // as of the correction's date the target is not there yet, and the indicator's evolve cannot apply it.
    const period = { start: '2025-01-01', end: '2025-12-31' };
    const defined = await store.append('indicator-i-1', [{
      type: 'IndicatorDefined', occurredAt: '2025-01-01T00:00:00Z', actor: rep,
      data: { indicatorId: 'i-1', title: 'Jeunes accompagnés', description: null, level: 'local', measure: 'unit', unit: 'jeunes', scale: null, ascending: true, ownerPartyId: 'party-mel', commitmentId: null, priority: 2 },
    }], { expectedVersion: 'no-stream' });
    const target = await store.append('indicator-i-1', [{ type: 'TargetSet', occurredAt: '2025-01-10T00:00:00Z', actor: rep, data: { indicatorId: 'i-1', period, value: 30, upperValue: null, comment: null } }], { expectedVersion: defined.streamVersion });
    const correction = await store.append('indicator-i-1', [{
      type: 'TargetCorrected', occurredAt: '2025-01-05T00:00:00Z', actor: rep,
      data: { indicatorId: 'i-1', correctsEventId: target.events[0].eventId, period, value: 40, upperValue: null, reason: 'erreur de saisie' },
    }], { expectedVersion: target.streamVersion });

    const { entries } = await entityHistory(store, indicatorDecider, 'indicator-i-1', 'effective');
    expect(entries.map((e) => e.effectiveAt)).toEqual(['2025-01-01T00:00:00.000Z', '2025-01-05T00:00:00.000Z', '2025-01-10T00:00:00.000Z']);
    expect(entries[0].unapplied).toBeUndefined();
    expect(entries[1].unapplied).toEqual([{ seq: correction.seq, eventId: correction.events[0].eventId, type: 'TargetCorrected', reason: UNAPPLIED_REASON }]);
    expect(entries[1].state.periods).toEqual({});
    // From the target's own date, the fold is whole again: the target, corrected.
    expect(entries[2].unapplied).toBeUndefined();
    expect(entries[2].state.periods['2025-01-01/2025-12-31'].target).toMatchObject({ original: { value: 30 }, current: { value: 40 } });
    // The recorded clock folds in seq order, as the decider did: nothing is left out.
    const recorded = await entityHistory(store, indicatorDecider, 'indicator-i-1', 'recorded');
    expect(recorded.entries.every((e) => !('unapplied' in e))).toBe(true);
    expect(await stateAsOf(store, indicatorDecider, 'indicator-i-1', 'recorded', new Date())).not.toHaveProperty('unapplied');
    expect(recorded.entries.at(-1)!.state.periods['2025-01-01/2025-12-31'].target!.current.value).toBe(40);
    expect(await stateAsOf(store, indicatorDecider, 'indicator-i-1', 'effective', '2025-01-06T00:00:00Z')).toMatchObject({ streamVersion: 3, events: 2, unapplied: [{ type: 'TargetCorrected' }] });
  });

  it('works from envelopes alone, whatever order they come in', async () => {
    const stream = await store.readStream('commitment-c-1');
    const shuffled = [stream[3], stream[0], stream[5], stream[1], stream[4], stream[2]];
    expect(recordedHistory(commitmentDecider, shuffled)).toEqual(recordedHistory(commitmentDecider, stream));
    expect(effectiveHistory(commitmentDecider, shuffled)).toEqual(effectiveHistory(commitmentDecider, stream));
    expect(recordedHistory(commitmentDecider, stream)).toHaveLength(6);
  });
});

/** Every stream of the MEL seed: JSON-friendly states, and stateAsOf agreeing with the history on both clocks. */
describe('entity history of the seeded contract', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../../../..')));
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('gives plain JSON states that the last entry of each clock and stateAsOf agree on, for every stream', async () => {
    const events = await store.readAll(0, 100_000);
    const streamIds = [...new Set(events.map((e) => e.streamId))];
    expect(streamIds.length).toBeGreaterThan(10);
    const kinds = new Set<string>();
    for (const streamId of streamIds) {
      const decider = deciderOfStream(streamId);
      expect({ streamId, decider: decider?.aggregate }).toEqual({ streamId, decider: expect.any(String) });
      kinds.add(decider!.aggregate);
      const recorded = await entityHistory(store, decider!, streamId, 'recorded');
      const effective = await entityHistory(store, decider!, streamId, 'effective');
      const now = (await stateAsOf(store, decider!, streamId, 'recorded', new Date())).state;
      expect(recorded.entries).toHaveLength(recorded.streamVersion);
      expect(recorded.entries.at(-1)!.state).toEqual(now);
      // The last effective instant folds every event, in seq order, as the recorded clock's last entry does.
      expect(effective.entries.at(-1)!.state).toEqual(now);
      for (const entry of [...recorded.entries, ...effective.entries]) {
        expect(entry).not.toHaveProperty('unapplied');
        // A Map, a Set or a Date would not come back equal from JSON.
        expect(JSON.parse(JSON.stringify(entry.state))).toEqual(entry.state);
      }
      const last = effective.entries.at(-1)!;
      expect((await stateAsOf(store, decider!, streamId, 'effective', last.effectiveAt)).state).toEqual(last.state);
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['commitment', 'contract', 'governance-body', 'party']));
  });
});
