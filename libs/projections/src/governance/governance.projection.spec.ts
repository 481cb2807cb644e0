import { resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import type { Actor, MeetingEvent } from '@mel/domain';
import { PostgresEventStore, type StoredEvent } from '@mel/event-store';
import type { DataSource } from 'typeorm';
import type { Tables } from '../tables';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { Projection } from '../projection';
import { ProjectionRunner } from '../projection-runner';
import { createVersion, ensureLiveVersion, readModelDataSource } from '../read-model-versions';
import { digestVersion } from '../rebuild';
import { GOVERNANCE_ENTITIES, GovernanceMembershipRow, MeetingAttendanceRow, MeetingRow, MotionRow, VoteRow, governanceProjection } from './governance.projection';

const projectRoot = resolve(__dirname, '../../../..');
const secretary: Actor = { subject: 'user-secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' } as Actor;
const roster = ['etat', 'mel', 'caf-nord'].map((p) => ({ memberId: `copil-cvs-${p}`, partyId: `party-${p}`, votingRight: true }));
const body = { bodyId: 'copil-cvs', function: 'pilotage' as const, quorum: { kind: 'count' as const, minimum: 2 }, members: roster };

/** A meeting written straight to the store: postponed and rescheduled, attendance changed, a vote recorded twice. */
const meetingEvents: (MeetingEvent & { occurredAt: string })[] = [
  { type: 'MeetingScheduled', occurredAt: '2025-01-10T09:00:00Z', data: { meetingId: 'copil-x', title: 'Comité', date: '2025-02-01', body } },
  { type: 'AgendaItemAdded', occurredAt: '2025-01-10T09:01:00Z', data: { meetingId: 'copil-x', itemId: 'odj-1', position: 1, title: 'Point' } },
  { type: 'MeetingConvened', occurredAt: '2025-01-11T09:00:00Z', data: { meetingId: 'copil-x' } },
  { type: 'SessionOpened', occurredAt: '2025-02-01T14:00:00Z', data: { meetingId: 'copil-x', session: 1 } },
  { type: 'AttendanceRecorded', occurredAt: '2025-02-01T14:01:00Z', data: { meetingId: 'copil-x', attendance: [{ memberId: 'copil-cvs-etat', status: 'present', proxyMemberId: null }] } },
  { type: 'MeetingPostponed', occurredAt: '2025-02-01T14:30:00Z', data: { meetingId: 'copil-x', reason: 'salle indisponible' } },
  { type: 'MeetingRescheduled', occurredAt: '2025-02-02T09:00:00Z', data: { meetingId: 'copil-x', date: '2025-03-01', body } },
  { type: 'MeetingConvened', occurredAt: '2025-02-02T09:01:00Z', data: { meetingId: 'copil-x' } },
  { type: 'SessionOpened', occurredAt: '2025-03-01T14:00:00Z', data: { meetingId: 'copil-x', session: 2 } },
  {
    type: 'AttendanceRecorded', occurredAt: '2025-03-01T14:01:00Z',
    data: { meetingId: 'copil-x', attendance: [{ memberId: 'copil-cvs-etat', status: 'absent', proxyMemberId: null }, { memberId: 'copil-cvs-mel', status: 'present', proxyMemberId: null }] },
  },
  { type: 'AttendanceRecorded', occurredAt: '2025-03-01T14:02:00Z', data: { meetingId: 'copil-x', attendance: [{ memberId: 'copil-cvs-etat', status: 'represented', proxyMemberId: 'copil-cvs-mel' }, { memberId: 'copil-cvs-caf-nord', status: 'present', proxyMemberId: null }] } },
  { type: 'QuorumChecked', occurredAt: '2025-03-01T14:03:00Z', data: { meetingId: 'copil-x', session: 2, rule: body.quorum, votingMembers: 3, present: 2, represented: 1, counted: 3, required: 2, reached: true } },
  { type: 'MotionTabled', occurredAt: '2025-03-01T14:04:00Z', data: { meetingId: 'copil-x', motionId: 'm-1', text: 'Motion', target: { kind: 'other', id: null }, agendaItemId: 'odj-1' } },
  { type: 'VoteRecorded', occurredAt: '2025-03-01T14:05:00Z', data: { meetingId: 'copil-x', motionId: 'm-1', votes: [{ memberId: 'copil-cvs-mel', option: 'no', proxyMemberId: null }], counts: [{ option: 'no', value: 1 }] } },
  {
    type: 'VoteRecorded', occurredAt: '2025-03-01T14:06:00Z',
    data: {
      meetingId: 'copil-x', motionId: 'm-1',
      votes: [{ memberId: 'copil-cvs-mel', option: 'yes', proxyMemberId: null }, { memberId: 'copil-cvs-etat', option: 'yes', proxyMemberId: 'copil-cvs-mel' }, { memberId: 'copil-cvs-caf-nord', option: 'abstain', proxyMemberId: null }],
      counts: [{ option: 'yes', value: 2 }, { option: 'abstain', value: 1 }],
    },
  },
  {
    type: 'DecisionRecorded', occurredAt: '2025-03-01T14:07:00Z',
    data: { meetingId: 'copil-x', decisionId: 'd-1', motionId: 'm-1', bodyId: 'copil-cvs', bodyFunction: 'pilotage', outcome: 'approved', quorumReached: true, yes: 2, no: 0, target: { kind: 'other', id: null } },
  },
  { type: 'MeetingClosed', occurredAt: '2025-03-01T16:00:00Z', data: { meetingId: 'copil-x' } },
  { type: 'MinutesApproved', occurredAt: '2025-03-20T10:00:00Z', data: { meetingId: 'copil-x', minutesSha256: 'a'.repeat(64) } },
];

describe('governance projection', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const sources: DataSource[] = [];

  const dataSource = async (version: number) => {
    const source = readModelDataSource(db.appUrl, version);
    await source.initialize();
    sources.push(source);
    return source;
  };
  /** Every governance table, in primary-key order. */
  const tables = async (source: DataSource) => {
    const all: Record<string, unknown[]> = {};
    for (const entity of GOVERNANCE_ENTITIES) {
      const metadata = source.getMetadata(entity);
      const order = Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, 'ASC' as const]));
      all[metadata.tableName] = await source.getRepository(entity).find({ order });
    }
    return all;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(projectRoot));
    let version = 0;
    for (const event of meetingEvents) {
      await store.append('meeting-copil-x', [{ type: event.type, occurredAt: event.occurredAt, actor: secretary, data: event.data }], { expectedVersion: version++ });
    }
  });
  afterAll(async () => {
    for (const source of sources) await source.destroy();
    await store?.close();
    await db?.drop();
  });

  it('projects the seeded bodies and a meeting through postponement, new attendance and a second vote', async () => {
    const version = await ensureLiveVersion(db.adminUrl);
    const source = await dataSource(version);
    await new ProjectionRunner(store, source, version, [governanceProjection], { batchSize: 50 }).catchUp();
    expect(await source.getRepository(GovernanceMembershipRow).countBy({ bodyId: 'copil-cvs' })).toBe(10);
    const meeting = await source.getRepository(MeetingRow).findOneByOrFail({ meetingId: 'copil-x' });
    expect(meeting).toMatchObject({ status: 'minutes_approved', date: '2025-03-01', session: 2, reason: null, quorumCounted: 3, quorumReached: true, minutesSha256: 'a'.repeat(64), streamVersion: meetingEvents.length });
    const attendance = await source.getRepository(MeetingAttendanceRow).find({ where: { meetingId: 'copil-x' }, order: { memberId: 'ASC' } });
    expect(attendance.map(({ memberId, status, proxyMemberId }) => [memberId, status, proxyMemberId])).toEqual([
      ['copil-cvs-caf-nord', 'present', null],
      ['copil-cvs-etat', 'represented', 'copil-cvs-mel'],
      ['copil-cvs-mel', 'present', null],
    ]);
    expect(await source.getRepository(VoteRow).countBy({ meetingId: 'copil-x', motionId: 'm-1' })).toBe(3);
    expect(await source.getRepository(MotionRow).findOneByOrFail({ meetingId: 'copil-x', motionId: 'm-1' })).toMatchObject({ decisionId: 'd-1', targetKind: 'other', targetId: null });
  });

  it('loses nothing and doubles nothing when it crashes between batches, and resumes', async () => {
    const reference = await dataSource(await ensureLiveVersion(db.adminUrl));
    const crashVersion = await createVersion(db.adminUrl);
    const crashing = await dataSource(crashVersion);
    let applied = 0;
    const dying: Projection = {
      ...governanceProjection,
      async apply(event: StoredEvent, tables: Tables) {
        if (++applied === 70) throw new Error('killed');
        await governanceProjection.apply(event, tables);
      },
    };
    await expect(new ProjectionRunner(store, crashing, crashVersion, [dying], { batchSize: 25 }).catchUp()).rejects.toThrow('killed');
    await new ProjectionRunner(store, crashing, crashVersion, [governanceProjection], { batchSize: 7 }).catchUp();
    expect(await tables(crashing)).toEqual(await tables(reference));
  });

  it('gives its tables the same digests whatever the batch size (what `ledger rebuild --check` compares)', async () => {
    const names = GOVERNANCE_ENTITIES.map((e) => sources[0].getMetadata(e).tableName);
    const digests = [];
    for (const batchSize of [1, 500]) {
      const version = await createVersion(db.adminUrl);
      const source = await dataSource(version);
      await new ProjectionRunner(store, source, version, [governanceProjection], { batchSize }).catchUp();
      digests.push((await digestVersion(source, version)).tables.filter((t) => names.includes(t.table)));
    }
    expect(digests[0].map((t) => [t.table, t.rows > 0])).toEqual([...names].sort().map((n) => [n, true]));
    expect(digests[1]).toEqual(digests[0]);
  });
});
