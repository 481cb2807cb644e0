import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { MeetingAttendanceRow, MotionRow, VoteRow } from './governance/governance.entities';
import { createVersion, readModelDataSource, schemaOf } from './read-model-versions';
import { Tables } from './tables';

const vote = (motionId: string, memberId: string, option: string): VoteRow => ({ meetingId: 'm', motionId, memberId, option, proxyMemberId: null });

describe('Tables (a read model’s rows in memory, written once per batch)', () => {
  let db: TestDatabase;
  let source: DataSource;
  let schema: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const version = await createVersion(db.adminUrl);
    schema = schemaOf(version);
    source = readModelDataSource(db.appUrl, version);
    await source.initialize();
  });
  afterAll(async () => {
    await source?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    for (const table of ['votes', 'meeting_attendance', 'motions']) await source.query(`DELETE FROM "${schema}".${table}`);
  });

  const votes = async () => (await source.getRepository(VoteRow).find({ order: { motionId: 'ASC', memberId: 'ASC' } })).map((v) => `${v.motionId}/${v.memberId}=${v.option}`);

  it('writes inserts, updates and deletions in one flush, and nothing before it', async () => {
    await source.getRepository(VoteRow).insert([vote('a', 'x', 'yes'), vote('a', 'y', 'no'), vote('b', 'x', 'yes')]);
    const tables = new Tables(false, source.manager);
    expect(await tables.update(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'x' }, { option: 'abstain' })).toBe(true);
    expect(await tables.update(VoteRow, { meetingId: 'm', motionId: 'z', memberId: 'x' }, { option: 'abstain' })).toBe(false);
    tables.put(VoteRow, vote('c', 'x', 'no'));
    tables.deleteWhere(VoteRow, { meetingId: 'm', motionId: 'b', memberId: 'x' });
    expect(await votes()).toEqual(['a/x=yes', 'a/y=no', 'b/x=yes']);
    await tables.flush(source.manager, schema);
    expect(await votes()).toEqual(['a/x=abstain', 'a/y=no', 'c/x=no']);
  });

  it('treats rows deleted by part of their key as gone before the flush, and keeps those written after', async () => {
    await source.getRepository(VoteRow).insert([vote('a', 'x', 'yes'), vote('a', 'y', 'no'), vote('b', 'x', 'yes')]);
    const tables = new Tables(false, source.manager);
    await tables.get(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'x' }); // one of them in memory, one not
    tables.deleteWhere(VoteRow, { meetingId: 'm', motionId: 'a' });
    expect(await tables.get(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'x' })).toBeUndefined();
    expect(await tables.get(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'y' })).toBeUndefined();
    tables.put(VoteRow, vote('a', 'y', 'abstain'));
    expect(await tables.get(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'y' })).toMatchObject({ option: 'abstain' });
    await tables.flush(source.manager, schema);
    expect(await votes()).toEqual(['a/y=abstain', 'b/x=yes']);
  });

  it('never reads the database when it holds every row (tables built from empty)', async () => {
    await source.getRepository(VoteRow).insert([vote('a', 'x', 'yes')]);
    const complete = new Tables(true, source.manager);
    expect(await complete.get(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'x' })).toBeUndefined();
    const reading = new Tables(false, source.manager);
    expect(await reading.get(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'x' })).toMatchObject({ option: 'yes' });
  });

  it('round-trips every column type: arrays, jsonb, bigint, timestamps and nulls', async () => {
    const tables = new Tables(true);
    const tabledAt = new Date('2025-03-01T14:04:00.123Z');
    tables.put(MotionRow, { meetingId: 'm', motionId: 'a', text: 'l’été « déjà »', targetKind: 'other', targetId: null, agendaItemId: null, counts: [{ option: 'yes', value: 2 }], decisionId: null, tabledAt });
    tables.put(MeetingAttendanceRow, { meetingId: 'm', memberId: 'x', status: 'represented', proxyMemberId: 'y' });
    await tables.flush(source.manager, schema);
    expect(await source.getRepository(MotionRow).findOneByOrFail({ meetingId: 'm', motionId: 'a' })).toEqual({
      meetingId: 'm', motionId: 'a', text: 'l’été « déjà »', targetKind: 'other', targetId: null, agendaItemId: null, counts: [{ option: 'yes', value: 2 }], decisionId: null, tabledAt,
    });
    expect(await source.getRepository(MeetingAttendanceRow).find()).toEqual([{ meetingId: 'm', memberId: 'x', status: 'represented', proxyMemberId: 'y' }]);
  });

  it('forgets its rows after a flush once it holds more than its bound, and reads them back', async () => {
    const tables = new Tables(true, source.manager, 2);
    for (const member of ['x', 'y', 'z']) tables.put(VoteRow, vote('a', member, 'yes'));
    await tables.flush(source.manager, schema);
    tables.committed();
    expect([...tables.rowsOf(VoteRow)]).toHaveLength(0);
    expect(await tables.get(VoteRow, { meetingId: 'm', motionId: 'a', memberId: 'z' })).toMatchObject({ option: 'yes' });
  });
});
