import { resolve } from 'node:path';
import { deciderOfStream, fold } from '@mel/domain';
import { type EventEnvelope, PostgresEventStore } from '@mel/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { toRecorded } from '../command-executor';
import { loadMelSeed } from '../seed/run-seed';
import { generateHistory, type HistoryReport } from './generate-history';

const projectRoot = resolve(__dirname, '../../../..');
const EVENTS = 5000;

async function readAll(store: PostgresEventStore): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let page = await store.readAll(0, 10_000); page.length > 0; page = await store.readAll(page[page.length - 1].seq, 10_000)) events.push(...page);
  return events;
}

/** What a history is, whatever the interleaving of its streams: each stream's events, in order, without positions in the log. */
function byStream(events: EventEnvelope[]) {
  return events
    .map(({ streamId, streamVersion, eventId, type, schemaVersion, occurredAt, actor, data }) => ({ streamId, streamVersion, eventId, type, schemaVersion, occurredAt, actor, data }))
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion));
}

describe('generateHistory', () => {
  const dbs: TestDatabase[] = [];
  const stores: PostgresEventStore[] = [];
  const reports: HistoryReport[] = [];
  const histories: EventEnvelope[][] = [];

  beforeAll(async () => {
    for (const [concurrency, maxInFlightEvents] of [[64, 10_000], [7, 50]]) {
      const db = await createTestDatabase();
      const store = new PostgresEventStore({ connectionString: db.appUrl });
      dbs.push(db);
      stores.push(store);
      const progress: number[] = [];
      reports.push(await generateHistory(store, { events: EVENTS, seed: 7, seedSteps: loadMelSeed(projectRoot), concurrency, maxInFlightEvents, onProgress: (written) => progress.push(written) }));
      expect(progress.at(-1)).toBe(EVENTS);
      histories.push(await readAll(store));
    }
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const db of dbs) await db.drop();
  });

  it('writes exactly the number of events asked, the MEL seed first', async () => {
    const [report] = reports;
    expect(await stores[0].head()).toBe(EVENTS);
    expect(report.events).toBe(EVENTS);
    expect(report.seedEvents + report.generated).toBe(EVENTS);
    expect(Object.values(report.byType).reduce((a, b) => a + b, 0)).toBe(report.generated);
    expect(histories[0][0].type).toBe('PartyRegistered');
    expect(histories[0].slice(0, report.seedEvents).some((e) => e.type === 'ContractEnteredIntoForce')).toBe(true);
  });

  it('is deterministic: the same seed gives the same streams, event by event, however many streams and appends are in flight', () => {
    const [a, b] = histories.map(byStream);
    expect(a.length).toBe(EVENTS);
    expect(b).toEqual(a);
    expect(reports[1].byType).toEqual(reports[0].byType);
  });

  it('gives only events the domain accepts: every stream folds with its decider into an existing aggregate', () => {
    const streams = new Map<string, EventEnvelope[]>();
    for (const event of histories[0]) {
      const list = streams.get(event.streamId);
      if (list) list.push(event);
      else streams.set(event.streamId, [event]);
    }
    expect(streams.size).toBeGreaterThan(100);
    for (const [streamId, events] of streams) {
      const decider = deciderOfStream(streamId);
      expect({ streamId, decider: decider?.aggregate }).toEqual({ streamId, decider: expect.any(String) });
      expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
      const state = fold(decider!, events.map(toRecorded)) as { exists: boolean };
      expect({ streamId, exists: state.exists }).toEqual({ streamId, exists: true });
    }
  });

  it('tells the contract’s life: every year from 2024 to 2030, every kind of event, corrections recorded after the fact', () => {
    const events = histories[0];
    const years = new Set(events.map((e) => Number(e.occurredAt.slice(0, 4))));
    expect([...years].sort()).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030]);
    expect(events.every((e) => e.occurredAt >= '2024-04-19' && e.occurredAt <= '2031-01-01')).toBe(true);
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'PartyRegistered', 'CommitmentDrafted', 'CommitmentProposed', 'CommitmentAdopted', 'CommitmentStarted', 'MilestoneScheduled',
      'MilestoneStatusRecorded', 'FundingRecorded', 'ProgressReported', 'CommitmentCorrected', 'CommitmentSuspended', 'CommitmentCompleted',
      'CommitmentWithdrawn', 'IndicatorDefined', 'TargetSet', 'ActualRecorded', 'GovernanceBodyCreated', 'MemberAdded', 'MeetingScheduled',
      'AgendaItemAdded', 'MeetingConvened', 'SessionOpened', 'AttendanceRecorded', 'QuorumChecked', 'MotionTabled', 'VoteRecorded',
      'DecisionRecorded', 'MeetingClosed', 'MinutesApproved', 'AmendmentProposed', 'ContractClosed',
    ]) {
      expect({ type, present: types.has(type) }).toEqual({ type, present: true });
    }
    const transactions = new Set(events.filter((e) => e.type === 'FundingRecorded').map((e) => (e.data as { transaction: string }).transaction));
    expect([...transactions].sort()).toEqual(['commitment', 'disbursement', 'expenditure']);
    // A correction takes effect before events recorded ahead of it in its stream.
    const corrected = events.filter((e) => e.type === 'CommitmentCorrected');
    expect(corrected.length).toBeGreaterThan(0);
    for (const correction of corrected) {
      const before = events.filter((e) => e.streamId === correction.streamId && e.streamVersion < correction.streamVersion);
      expect(before.some((e) => e.occurredAt > correction.occurredAt)).toBe(true);
    }
    // Adoptions refer to decisions of the steering committee recorded before them.
    const decisions = new Map(events.filter((e) => e.type === 'DecisionRecorded').map((e) => [(e.data as { decisionId: string }).decisionId, e.seq]));
    for (const adopted of events.filter((e) => e.type === 'CommitmentAdopted' && (e.data as { decisionId: string | null }).decisionId)) {
      const decided = decisions.get((adopted.data as { decisionId: string }).decisionId);
      expect(decided).toBeLessThan(adopted.seq);
    }
  });
});
