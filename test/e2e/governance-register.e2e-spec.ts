import { createHash } from 'node:crypto';
import { apiClient } from '../support/api-client';
import { seededApi } from '../support/seeded-api';

const admin = { subject: 'user-admin-mel', role: 'administrator' };
const secretary = { subject: 'user-secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The governance register: bodies and rosters over time, a meeting held through the commands and read back. */
describe('governance register', () => {
  const ledger = seededApi();
  const { get } = ledger;
  const { step } = apiClient(() => ledger);

  it('lists the three seeded bodies with their members', async () => {
    const bodies = await get(`/governance/bodies?seq=${await ledger.store.head()}`);
    expect(bodies.status).toBe(200);
    expect(bodies.body.items.map((b: { bodyId: string }) => b.bodyId)).toEqual(['comite-animation-cvs', 'comite-suivi-cvs', 'copil-cvs']);
    for (const body of bodies.body.items) expect(body).toMatchObject({ status: 'constituted', constitutedOn: '2024-05-07', currentMembers: 10, votingMembers: 10 });
    expect((await get('/governance/bodies?on=2024-05-06')).body.items.every((b: { currentMembers: number }) => b.currentMembers === 0)).toBe(true);
  });

  it('gives a body’s roster on a date, across a change of membership', async () => {
    await step('/governance-bodies/copil-cvs/members/copil-cvs-lmh/end', { endDate: '2025-01-31', effectiveAt: '2025-01-20T09:00:00+01:00' }, admin);
    const added = await step('/governance-bodies/copil-cvs/members', {
      memberId: 'copil-cvs-lmh-2', partyId: 'party-lmh', votingRight: true, seat: 'signatory', startDate: '2025-02-01', effectiveAt: '2025-01-20T09:05:00+01:00',
    }, admin);
    const ids = (body: { members: { memberId: string }[] }) => body.members.map((m) => m.memberId);

    const before = await get(`/governance/bodies/copil-cvs?on=2024-06-01&seq=${added.body.seq}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ bodyId: 'copil-cvs', function: 'pilotage', on: '2024-06-01', quorum: { kind: 'fraction', numerator: 1, denominator: 2 } });
    expect(ids(before.body)).toContain('copil-cvs-lmh');
    expect(ids(before.body)).not.toContain('copil-cvs-lmh-2');
    expect(before.body.members).toHaveLength(10);

    const lastDay = await get('/governance/bodies/copil-cvs?on=2025-01-31');
    expect(ids(lastDay.body)).toContain('copil-cvs-lmh');
    const after = await get('/governance/bodies/copil-cvs?on=2025-03-01');
    expect(ids(after.body)).toContain('copil-cvs-lmh-2');
    expect(ids(after.body)).not.toContain('copil-cvs-lmh');
    expect(after.body.members).toHaveLength(10);
    expect(after.body.memberships).toHaveLength(11);
    expect(after.body.memberships.find((m: { memberId: string }) => m.memberId === 'copil-cvs-lmh')).toMatchObject({
      startDate: '2024-05-07', endDate: '2025-01-31', partyId: 'party-lmh', votingRight: true, seat: 'signatory',
    });
  });

  it('holds a steering committee through the commands and reads it back with read-your-writes', async () => {
    const M = '/meetings/copil-2025-06-12';
    const minutes = sha256('procès-verbal du comité de pilotage du 12 juin 2025');
    await step('/meetings', { meetingId: 'copil-2025-06-12', bodyId: 'copil-cvs', title: 'Comité de pilotage', date: '2025-06-12', effectiveAt: '2025-05-22T09:00:00+02:00' }, secretary);
    await step(`${M}/agenda-items`, { itemId: 'odj-1', title: 'Bilan MobilimEL', effectiveAt: '2025-05-22T09:00:00+02:00' }, secretary);
    await step(`${M}/convene`, { effectiveAt: '2025-05-28T09:00:00+02:00' }, secretary);
    await step(`${M}/open`, { effectiveAt: '2025-06-12T14:00:00+02:00' }, secretary);
    await step(`${M}/attendance`, {
      attendance: [
        { memberId: 'copil-cvs-etat', status: 'present' },
        { memberId: 'copil-cvs-mel', status: 'present' },
        { memberId: 'copil-cvs-caf-nord', status: 'present' },
        { memberId: 'copil-cvs-departement-nord', status: 'present' },
        { memberId: 'copil-cvs-region-hdf', status: 'represented', proxyMemberId: 'copil-cvs-etat' },
        { memberId: 'copil-cvs-conseil-citoyen-1', status: 'present' },
        { memberId: 'copil-cvs-conseil-citoyen-2', status: 'excused' },
        { memberId: 'copil-cvs-banque-des-territoires', status: 'absent' },
        { memberId: 'copil-cvs-bpifrance', status: 'absent' },
        { memberId: 'copil-cvs-lmh-2', status: 'absent' },
      ],
      effectiveAt: '2025-06-12T14:05:00+02:00',
    }, secretary);
    await step(`${M}/quorum-checks`, { effectiveAt: '2025-06-12T14:06:00+02:00' }, secretary);
    await step(`${M}/motions`, { motionId: 'motion-1', text: 'Approuver le bilan de MobilimEL', target: { kind: 'commitment', id: 'mobilimel' }, agendaItemId: 'odj-1', effectiveAt: '2025-06-12T14:10:00+02:00' }, secretary);
    await step(`${M}/motions/motion-1/votes`, {
      votes: [
        { memberId: 'copil-cvs-etat', option: 'yes' },
        { memberId: 'copil-cvs-mel', option: 'yes' },
        { memberId: 'copil-cvs-caf-nord', option: 'yes' },
        { memberId: 'copil-cvs-departement-nord', option: 'no' },
        { memberId: 'copil-cvs-region-hdf', option: 'yes', proxyMemberId: 'copil-cvs-etat' },
        { memberId: 'copil-cvs-conseil-citoyen-1', option: 'abstain' },
      ],
      counts: [{ option: 'yes', value: 4 }, { option: 'no', value: 1 }, { option: 'abstain', value: 1 }],
      effectiveAt: '2025-06-12T14:15:00+02:00',
    }, secretary);
    await step(`${M}/decisions`, { decisionId: 'decision-1', motionId: 'motion-1', effectiveAt: '2025-06-12T14:20:00+02:00' }, secretary);
    await step(`${M}/close`, { effectiveAt: '2025-06-12T16:00:00+02:00' }, secretary);
    const last = await step(`${M}/minutes`, { minutesSha256: minutes, effectiveAt: '2025-07-03T10:00:00+02:00' }, secretary);

    const meeting = await get(`/governance/meetings/copil-2025-06-12?seq=${last.body.seq}`);
    expect(meeting.status).toBe(200);
    expect(meeting.body).toMatchObject({
      meetingId: 'copil-2025-06-12', bodyId: 'copil-cvs', bodyFunction: 'pilotage', title: 'Comité de pilotage', date: '2025-06-12',
      status: 'minutes_approved', session: 1, minutesSha256: minutes, lastSeq: last.body.seq,
      agenda: [{ itemId: 'odj-1', title: 'Bilan MobilimEL' }],
      quorum: { session: 1, votingMembers: 10, present: 5, represented: 1, counted: 6, required: 5, reached: true },
    });
    expect(meeting.body.roster).toHaveLength(10);
    expect(meeting.body.attendance).toHaveLength(10);
    expect(meeting.body.attendance.find((a: { memberId: string }) => a.memberId === 'copil-cvs-region-hdf')).toEqual({
      memberId: 'copil-cvs-region-hdf', status: 'represented', proxyMemberId: 'copil-cvs-etat', displayName: null,
    });
    expect(meeting.body.motions).toHaveLength(1);
    const [motion] = meeting.body.motions;
    expect(motion).toMatchObject({ motionId: 'motion-1', target: { kind: 'commitment', id: 'mobilimel' }, agendaItemId: 'odj-1', decisionId: 'decision-1' });
    expect(motion.counts).toEqual(expect.arrayContaining([{ option: 'yes', value: 4 }, { option: 'no', value: 1 }, { option: 'abstain', value: 1 }]));
    expect(motion.votes).toHaveLength(6);
    expect(motion.votes.find((v: { memberId: string }) => v.memberId === 'copil-cvs-region-hdf')).toEqual({ memberId: 'copil-cvs-region-hdf', option: 'yes', proxyMemberId: 'copil-cvs-etat', displayName: null });
    expect(motion.votes.find((v: { memberId: string }) => v.memberId === 'copil-cvs-mel')).toEqual({ memberId: 'copil-cvs-mel', option: 'yes', proxyMemberId: null, displayName: null });
    expect(meeting.body.decisions).toEqual([
      { decisionId: 'decision-1', motionId: 'motion-1', outcome: 'approved', quorumReached: true, yes: 4, no: 1, target: { kind: 'commitment', id: 'mobilimel' }, decidedAt: '2025-06-12T12:20:00.000Z' },
    ]);

    const listed = await get(`/governance/meetings?bodyId=copil-cvs&from=2025-01-01&to=2025-12-31&seq=${last.body.seq}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ meetingId: 'copil-2025-06-12', bodyId: 'copil-cvs', date: '2025-06-12', status: 'minutes_approved', quorumReached: true, minutesSha256: minutes }),
    ]);
    expect((await get('/governance/meetings?bodyId=copil-cvs&to=2025-06-11')).body.items).toEqual([]);
    expect((await get('/governance/meetings?bodyId=comite-suivi-cvs')).body.items).toEqual([]);
  });

  it('answers 404 problem details for a body or a meeting that does not exist', async () => {
    for (const path of ['/governance/bodies/no-such-body', '/governance/meetings/no-such-meeting']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ rule: 'AggregateMustExist' });
    }
  });

  it('refuses bad query parameters with 400 problem details', async () => {
    const roster = await get('/governance/bodies/copil-cvs?on=2025-02-30');
    expect(roster.status).toBe(400);
    expect(roster.body.errors.map((e: { field: string }) => e.field)).toEqual(['on']);
    const meetings = await get('/governance/meetings?from=yesterday&limit=0&seq=-1');
    expect(meetings.status).toBe(400);
    expect(meetings.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'limit', 'seq']);
    expect((await get('/governance/meetings/bad%20id')).status).toBe(400);
  });
});
