import { createHash } from 'node:crypto';
import { PostgresEventStore } from '@mel/event-store';
import { apiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const BODY = 'copil-cvs-mel';
const admin = { subject: 'user-admin-mel', role: 'administrator' };
const secretary = { subject: 'user-sec-copil', role: 'body-secretary', partyId: 'party-mel', mandate: BODY };
const otherSecretary = { subject: 'user-sec-roubaix', role: 'body-secretary', partyId: 'party-mel', mandate: 'comite-suivi-roubaix' };

const copil = {
  bodyId: BODY,
  name: 'Comité de pilotage du contrat de ville et des solidarités',
  function: 'pilotage',
  quorum: { kind: 'fraction', numerator: 1, denominator: 2 },
  citizenSeats: 2,
  effectiveAt: '2024-06-03T09:00:00+02:00',
};

/** The four main signatories, two conseil citoyen members and an expert without a voting right; pseudonymous ids. */
const members = [
  { memberId: 'mbr-etat-01', partyId: 'party-etat', seat: 'signatory', votingRight: true },
  { memberId: 'mbr-mel-01', partyId: 'party-mel', seat: 'signatory', votingRight: true },
  { memberId: 'mbr-dep-01', partyId: 'party-departement-nord', seat: 'signatory', votingRight: true },
  { memberId: 'mbr-caf-01', partyId: 'party-caf', seat: 'signatory', votingRight: true },
  { memberId: 'mbr-cc-01', partyId: 'party-conseil-citoyen-roubaix', seat: 'citizen', votingRight: true },
  { memberId: 'mbr-cc-02', partyId: 'party-conseil-citoyen-lille-sud', seat: 'citizen', votingRight: true },
  { memberId: 'mbr-exp-01', partyId: 'party-mel', seat: 'expert', votingRight: false },
].map((m) => ({ ...m, startDate: '2024-06-01' }));

const MEETING = 'copil-2025-06-12';
const at = '2025-06-12T14:00:00+02:00';
const attendance = [
  { memberId: 'mbr-etat-01', status: 'present' },
  { memberId: 'mbr-mel-01', status: 'present' },
  { memberId: 'mbr-dep-01', status: 'represented', proxyMemberId: 'mbr-etat-01' },
  { memberId: 'mbr-caf-01', status: 'excused' },
  { memberId: 'mbr-cc-01', status: 'present', proxyMemberId: null },
  { memberId: 'mbr-cc-02', status: 'absent' },
  { memberId: 'mbr-exp-01', status: 'present' },
];
const amendmentTarget = { kind: 'amendment', id: 'amendment-2025-01' };
const motion = {
  motionId: 'motion-avenant-1',
  text: 'Le comité de pilotage approuve l’avenant n°1 au contrat de ville et des solidarités.',
  target: amendmentTarget,
  agendaItemId: 'odj-1',
};
const votes = [
  { memberId: 'mbr-etat-01', option: 'yes' },
  { memberId: 'mbr-mel-01', option: 'yes' },
  { memberId: 'mbr-dep-01', option: 'yes', proxyMemberId: 'mbr-etat-01' },
  { memberId: 'mbr-cc-01', option: 'abstain' },
  { memberId: 'mbr-caf-01', option: 'absent' },
  { memberId: 'mbr-cc-02', option: 'absent' },
];
const counts = [
  { option: 'yes', value: 3 },
  { option: 'no', value: 0 },
  { option: 'abstain', value: 1 },
  { option: 'absent', value: 2 },
];
const minutesSha256 = createHash('sha256').update('Procès-verbal du comité de pilotage du 12 juin 2025').digest('hex');

describe('the command API for governance bodies and meetings', () => {
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db);
    store = new PostgresEventStore({ connectionString: db.appUrl });
  });
  afterAll(async () => {
    await store?.close();
    await api?.close();
    await db?.drop();
  });

  const { post, step, expectNothingWritten, typesOf } = apiClient(() => ({ api, store }), { actor: secretary, stepBody: { effectiveAt: at }, checkEtag: true });

  describe('governance bodies', () => {
    it('creates the steering committee, seats its members and constitutes it', async () => {
      const created = await step('/governance-bodies', copil, admin);
      expect(created.headers.get('location')).toBe(`/governance-bodies/${BODY}`);
      expect(created.body).toMatchObject({ id: BODY, streamId: `governance-body-${BODY}`, streamVersion: 1 });
      for (const member of members) await step(`/governance-bodies/${BODY}/members`, { ...member, effectiveAt: '2024-06-03T10:00:00+02:00' }, admin);
      const constituted = await step(`/governance-bodies/${BODY}/constitute`, { constitutedOn: '2024-06-20', effectiveAt: '2024-06-20T18:00:00+02:00' }, admin);
      expect(constituted.body.streamVersion).toBe(9);

      const events = await store.readStream(`governance-body-${BODY}`);
      expect(events.map((e) => e.type)).toEqual(['GovernanceBodyCreated', ...members.map(() => 'MemberAdded'), 'GovernanceBodyConstituted']);
      expect(events[0]).toMatchObject({
        actor: admin,
        occurredAt: '2024-06-03T07:00:00.000Z',
        data: { bodyId: BODY, name: copil.name, function: 'pilotage', quorum: copil.quorum, citizenSeats: 2 },
      });
      expect(events[5].data).toEqual({ bodyId: BODY, ...members[4] });
      expect(events[8].data).toEqual({ bodyId: BODY, constitutedOn: '2024-06-20' });
    });

    it('generates the id of a body when the client gives none', async () => {
      const { bodyId: _id, ...withoutId } = copil;
      const response = await step('/governance-bodies', { ...withoutId, function: 'suivi', citizenSeats: undefined, quorum: { kind: 'count', minimum: 3 } }, admin);
      expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const [event] = await store.readStream(`governance-body-${response.body.id}`);
      expect(event.data).toMatchObject({ function: 'suivi', quorum: { kind: 'count', minimum: 3 }, citizenSeats: 0 });
    });

    it.each([
      ['without citizen seats', undefined],
      ['with 0 citizen seats', 0],
    ])('422 SteeringBodyHasCitizenSeats for a pilotage body %s', async (_label, citizenSeats) => {
      const response = await expectNothingWritten(() => post('/governance-bodies', { ...copil, bodyId: 'copil-sans-citoyens', citizenSeats }, admin));
      expect(response).toMatchObject({ status: 422, body: { rule: 'SteeringBodyHasCitizenSeats', field: 'citizenSeats' } });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });

    it('403 when a body secretary changes memberships: only an administrator does', async () => {
      const response = await expectNothingWritten(() => post(`/governance-bodies/${BODY}/members`, { ...members[0], memberId: 'mbr-etat-02' }, secretary));
      expect(response).toMatchObject({ status: 403, body: { rule: 'OnlyAnAdministratorMayDoThis' } });
    });

    it('409 when a body is created twice, 404 for members of a body that does not exist', async () => {
      expect((await expectNothingWritten(() => post('/governance-bodies', copil, admin))).body).toMatchObject({ status: 409, rule: 'AggregateMustNotExistYet', field: 'bodyId' });
      expect((await expectNothingWritten(() => post('/governance-bodies/nope/members', members[0], admin))).body).toMatchObject({ status: 404, rule: 'AggregateMustExist' });
    });
  });

  describe('a meeting, from scheduling to approved minutes', () => {
    it('schedules the meeting with the body’s roster as of its date, read from the body', async () => {
      const response = await step('/meetings', { meetingId: MEETING, bodyId: BODY, title: 'Comité de pilotage — bilan 2024 et avenant n°1', date: '2025-06-12' });
      expect(response.body).toMatchObject({ id: MEETING, streamId: `meeting-${MEETING}`, streamVersion: 1 });
      expect(response.headers.get('location')).toBe(`/meetings/${MEETING}`);
      const [scheduled] = await store.readStream(`meeting-${MEETING}`);
      expect(scheduled).toMatchObject({ type: 'MeetingScheduled', actor: secretary });
      expect(scheduled.data).toEqual({
        meetingId: MEETING,
        title: 'Comité de pilotage — bilan 2024 et avenant n°1',
        date: '2025-06-12',
        body: {
          bodyId: BODY,
          function: 'pilotage',
          quorum: copil.quorum,
          members: members.map(({ memberId, partyId, votingRight }) => ({ memberId, partyId, votingRight })),
        },
      });
    });

    it('adds the agenda, convenes the meeting, opens the session and records attendance with a proxy', async () => {
      await step(`/meetings/${MEETING}/agenda-items`, { itemId: 'odj-1', title: 'Avenant n°1 au contrat de ville et des solidarités' });
      await step(`/meetings/${MEETING}/convene`, {});
      await step(`/meetings/${MEETING}/open`, {});
      await step(`/meetings/${MEETING}/attendance`, { attendance });
      const events = await store.readStream(`meeting-${MEETING}`);
      expect(events.map((e) => e.type)).toEqual(['MeetingScheduled', 'AgendaItemAdded', 'MeetingConvened', 'SessionOpened', 'AttendanceRecorded']);
      expect((events[4].data as { attendance: unknown[] }).attendance).toContainEqual({ memberId: 'mbr-dep-01', status: 'represented', proxyMemberId: 'mbr-etat-01' });
    });

    it('checks the quorum: 3 present and 1 represented of 6 voting members, 3 required', async () => {
      await step(`/meetings/${MEETING}/quorum-checks`, {});
      const events = await store.readStream(`meeting-${MEETING}`);
      expect(events.at(-1)).toMatchObject({
        type: 'QuorumChecked',
        data: { session: 1, votingMembers: 6, present: 3, represented: 1, counted: 4, required: 3, reached: true },
      });
    });

    it('tables a motion about an amendment', async () => {
      const response = await step(`/meetings/${MEETING}/motions`, motion);
      expect(response.body.streamVersion).toBe(7);
      expect((await store.readStream(`meeting-${MEETING}`)).at(-1)).toMatchObject({
        type: 'MotionTabled',
        data: { motionId: 'motion-avenant-1', target: amendmentTarget, agendaItemId: 'odj-1' },
      });
    });

    describe('refuses a vote that breaks a rule, naming the rule and the field, and writes nothing', () => {
      const path = `/meetings/${MEETING}/motions/motion-avenant-1/votes`;

      it('403 OnlyVotingMembersVote for a member without a voting right', async () => {
        const response = await expectNothingWritten(() => post(path, { votes: [{ memberId: 'mbr-exp-01', option: 'yes' }], counts: [{ option: 'yes', value: 1 }] }));
        expect(response).toMatchObject({ status: 403, body: { rule: 'OnlyVotingMembersVote', field: 'votes[0].memberId' } });
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      });

      it('409 OneVotePerMemberPerMotion for a second vote of one member', async () => {
        const twice = [{ memberId: 'mbr-etat-01', option: 'yes' }, { memberId: 'mbr-etat-01', option: 'no' }];
        const response = await expectNothingWritten(() => post(path, { votes: twice, counts: [{ option: 'yes', value: 1 }, { option: 'no', value: 1 }] }));
        expect(response).toMatchObject({ status: 409, body: { rule: 'OneVotePerMemberPerMotion', field: 'votes[1].memberId' } });
      });

      it('422 VoteCountsEqualIndividualVotes for counts that are not the tally', async () => {
        const response = await expectNothingWritten(() => post(path, { votes, counts: [{ option: 'yes', value: 4 }, ...counts.slice(1)] }));
        expect(response).toMatchObject({ status: 422, body: { rule: 'VoteCountsEqualIndividualVotes', field: 'counts[0].value' } });
      });

      it('403 for the secretary of another body', async () => {
        const response = await expectNothingWritten(() => post(path, { votes, counts }, otherSecretary));
        expect(response).toMatchObject({ status: 403, body: { rule: 'OnlyAnAdministratorMayDoThis' } });
      });

      it('412 for a stale If-Match', async () => {
        const response = await expectNothingWritten(() => post(path, { votes, counts }, secretary, { 'if-match': '"6"' }));
        expect(response).toMatchObject({ status: 412, body: { rule: 'IfMatchMustNameTheCurrentVersion', field: 'If-Match', actualVersion: 7 } });
      });
    });

    it('records the vote, with the proxy holder casting the represented member’s vote', async () => {
      const response = await step(`/meetings/${MEETING}/motions/motion-avenant-1/votes`, { votes, counts }, secretary, { 'if-match': '"7"' });
      expect(response.headers.get('etag')).toBe('"8"');
      const recorded = (await store.readStream(`meeting-${MEETING}`)).at(-1)!;
      expect(recorded.type).toBe('VoteRecorded');
      expect((recorded.data as { votes: unknown[] }).votes).toContainEqual({ memberId: 'mbr-dep-01', option: 'yes', proxyMemberId: 'mbr-etat-01' });
      expect((recorded.data as { counts: unknown[] }).counts).toContainEqual({ option: 'not voting', value: 0 });
    });

    it('409 MotionIsDecidedOnce for a second vote on the motion', async () => {
      const response = await expectNothingWritten(() => post(`/meetings/${MEETING}/motions/motion-avenant-1/votes`, { votes, counts }));
      expect(response).toMatchObject({ status: 409, body: { rule: 'MotionIsDecidedOnce', field: 'motionId' } });
    });

    it('records the decision the vote gives, closes the meeting and approves the minutes by their SHA-256', async () => {
      await step(`/meetings/${MEETING}/decisions`, { decisionId: 'decision-2025-06-12-1', motionId: 'motion-avenant-1', outcome: 'approved' });
      await step(`/meetings/${MEETING}/close`, {});
      const approved = await step(`/meetings/${MEETING}/minutes`, { minutesSha256 });
      expect(approved.body.streamVersion).toBe(11);

      const events = await store.readStream(`meeting-${MEETING}`);
      expect(events.map((e) => e.type)).toEqual([
        'MeetingScheduled',
        'AgendaItemAdded',
        'MeetingConvened',
        'SessionOpened',
        'AttendanceRecorded',
        'QuorumChecked',
        'MotionTabled',
        'VoteRecorded',
        'DecisionRecorded',
        'MeetingClosed',
        'MinutesApproved',
      ]);
      expect(events[8].data).toEqual({
        meetingId: MEETING,
        decisionId: 'decision-2025-06-12-1',
        motionId: 'motion-avenant-1',
        bodyId: BODY,
        bodyFunction: 'pilotage',
        outcome: 'approved',
        quorumReached: true,
        yes: 3,
        no: 0,
        target: amendmentTarget,
      });
      expect(events[10].data).toEqual({ meetingId: MEETING, minutesSha256 });
      expect(events.every((e) => e.actor.subject === secretary.subject)).toBe(true);
    });
  });

  describe('other meetings', () => {
    it('409 DecisionNeedsQuorateMeeting when the quorum was not reached', async () => {
      const id = 'copil-2025-09-18';
      await step('/meetings', { meetingId: id, bodyId: BODY, title: 'Comité de pilotage de septembre', date: '2025-09-18' });
      await step(`/meetings/${id}/agenda-items`, { itemId: 'odj-1', title: 'Programmation 2026' });
      await step(`/meetings/${id}/convene`, {});
      await step(`/meetings/${id}/open`, {});
      await step(`/meetings/${id}/attendance`, { attendance: [{ memberId: 'mbr-etat-01', status: 'present' }, { memberId: 'mbr-mel-01', status: 'absent' }] });
      await step(`/meetings/${id}/quorum-checks`, {});
      expect((await store.readStream(`meeting-${id}`)).at(-1)!.data).toMatchObject({ counted: 1, required: 3, reached: false });
      await step(`/meetings/${id}/motions`, { motionId: 'motion-1', text: 'Programmation 2026 des crédits spécifiques', target: { kind: 'other' } });
      await step(`/meetings/${id}/motions/motion-1/votes`, { votes: [{ memberId: 'mbr-etat-01', option: 'yes' }], counts: [{ option: 'yes', value: 1 }] });
      const response = await expectNothingWritten(() => post(`/meetings/${id}/decisions`, { decisionId: 'decision-2025-09-18-1', motionId: 'motion-1' }));
      expect(response).toMatchObject({ status: 409, body: { rule: 'DecisionNeedsQuorateMeeting' } });
    });

    it('reschedules a postponed meeting with the roster as of the new date, then cancels it', async () => {
      const id = 'copil-2025-11-20';
      await step('/meetings', { meetingId: id, bodyId: BODY, title: 'Comité de pilotage de novembre', date: '2025-11-20' });
      await step(`/meetings/${id}/postpone`, { reason: 'quorum prévisible insuffisant' });
      await step(`/governance-bodies/${BODY}/members/mbr-caf-01/end`, { endDate: '2025-10-31' }, admin);
      await step(`/meetings/${id}/reschedule`, { date: '2025-12-04' });
      await step(`/meetings/${id}/cancel`, { reason: 'ordre du jour reporté à 2026' });
      const events = await store.readStream(`meeting-${id}`);
      expect(events.map((e) => e.type)).toEqual(['MeetingScheduled', 'MeetingPostponed', 'MeetingRescheduled', 'MeetingCancelled']);
      const roster = (events[2].data as { date: string; body: { members: { memberId: string }[] } });
      expect(roster.date).toBe('2025-12-04');
      expect(roster.body.members.map((m) => m.memberId)).toEqual(['mbr-etat-01', 'mbr-mel-01', 'mbr-dep-01', 'mbr-cc-01', 'mbr-cc-02', 'mbr-exp-01']);
      expect((events[0].data as { body: { members: unknown[] } }).body.members).toHaveLength(7);
      expect(await typesOf(`governance-body-${BODY}`)).toContain('MembershipEnded');
    });

    it('404 AggregateMustExist for a meeting of a body that does not exist, or a meeting that does not exist', async () => {
      const response = await expectNothingWritten(() => post('/meetings', { meetingId: 'm-404', bodyId: 'no-such-body', title: 'Séance', date: '2025-06-12' }));
      expect(response).toMatchObject({ status: 404, body: { rule: 'AggregateMustExist' } });
      expect((await expectNothingWritten(() => post('/meetings/no-such-meeting/reschedule', { date: '2025-12-04' }))).body).toMatchObject({ status: 404, rule: 'AggregateMustExist' });
      expect((await expectNothingWritten(() => post('/meetings/no-such-meeting/convene', {}))).body).toMatchObject({ status: 404, rule: 'AggregateMustExist' });
    });

    it('403 when the secretary of another body schedules a meeting of this one', async () => {
      const response = await expectNothingWritten(() => post('/meetings', { meetingId: 'm-403', bodyId: BODY, title: 'Séance', date: '2025-06-12' }, otherSecretary));
      expect(response).toMatchObject({ status: 403, body: { rule: 'OnlyAnAdministratorMayDoThis' } });
    });

    it('401 without an actor', async () => {
      const response = await expectNothingWritten(() => post('/meetings', { bodyId: BODY, title: 'Séance', date: '2025-06-12' }, null));
      expect(response).toMatchObject({ status: 401, body: { rule: 'ActorMustBeIdentified' } });
    });
  });

  describe('malformed bodies: 400 naming the field, nothing written', () => {
    const cases: [string, unknown, string, string][] = [
      ['/governance-bodies', { ...copil, bodyId: 'b-1', quorum: { kind: 'fraction', numerator: 1.5, denominator: 2 } }, 'quorum.numerator', 'isInt'],
      ['/governance-bodies', { ...copil, bodyId: 'b-2', quorum: { kind: 'count', minimum: 3, numerator: 1 } }, 'quorum.numerator', 'belongsToKind'],
      ['/governance-bodies', { ...copil, bodyId: 'b-3', quorum: { kind: 'fraction', numerator: 1 } }, 'quorum.denominator', 'isInt'],
      ['/governance-bodies', { ...copil, bodyId: 'b-4', quorum: 'half' }, 'quorum', 'isObject'],
      ['/governance-bodies', { ...copil, bodyId: 'b-5', function: 'décider' }, 'function', 'isIn'],
      ['/governance-bodies', { ...copil, bodyId: 'b-6', name: 'x'.repeat(301) }, 'name', 'isLength'],
      [`/governance-bodies/${BODY}/members`, { ...members[0], memberId: 'mbr-x', seat: 'president' }, 'seat', 'isIn'],
      [`/governance-bodies/${BODY}/members`, { ...members[0], memberId: 'mbr-x', memberName: 'Jeanne Martin' }, 'memberName', 'whitelistValidation'],
      [`/governance-bodies/${BODY}/members`, { ...members[0], memberId: 'mbr-x', startDate: '2024-02-30' }, 'startDate', 'isIso8601'],
      [`/governance-bodies/${BODY}/members`, { ...members[0], memberId: 'mbr-x', votingRight: 'yes' }, 'votingRight', 'isBoolean'],
      [`/governance-bodies/${BODY}/members/mbr-cc-01/end`, { endDate: '31/10/2025' }, 'endDate', 'matches'],
      ['/meetings', { bodyId: BODY, title: 'Séance', date: '12/06/2025' }, 'date', 'matches'],
      ['/meetings', { title: 'Séance', date: '2025-06-12' }, 'bodyId', 'matches'],
      ['/meetings', { bodyId: BODY, title: 'Séance', date: '2025-06-12', body: { members: [] } }, 'body', 'whitelistValidation'],
      [`/meetings/${MEETING}/attendance`, { attendance: [{ memberId: 'mbr-etat-01', status: 'late' }] }, 'attendance[0].status', 'isIn'],
      [`/meetings/${MEETING}/attendance`, { attendance: [] }, 'attendance', 'arrayMinSize'],
      [`/meetings/${MEETING}/motions`, { ...motion, motionId: 'm-x', target: undefined }, 'target', 'isObject'],
      [`/meetings/${MEETING}/motions`, { ...motion, motionId: 'm-x', target: { kind: 'budget' } }, 'target.kind', 'isIn'],
      [`/meetings/${MEETING}/motions/motion-avenant-1/votes`, { votes: [{ memberId: 'mbr-etat-01', option: 'maybe' }], counts: [] }, 'votes[0].option', 'isIn'],
      [`/meetings/${MEETING}/motions/motion-avenant-1/votes`, { votes, counts: [{ option: 'yes', value: -1 }] }, 'counts[0].value', 'min'],
      [`/meetings/${MEETING}/decisions`, { decisionId: 'd x', motionId: 'motion-avenant-1' }, 'decisionId', 'matches'],
      [`/meetings/${MEETING}/decisions`, { decisionId: 'd-x', motionId: 'motion-avenant-1', outcome: 'adopted' }, 'outcome', 'isIn'],
      [`/meetings/${MEETING}/minutes`, { minutesSha256: minutesSha256.toUpperCase() }, 'minutesSha256', 'matches'],
      [`/meetings/${MEETING}/postpone`, {}, 'reason', 'isString'],
    ];
    it.each(cases.map(([path, body, field, rule]) => [field, rule, path, body] as const))('400 naming %s (%s) for POST %s', async (field, rule, path, body) => {
      const actor = path.startsWith('/governance-bodies') ? admin : secretary;
      const response = await expectNothingWritten(() => post(path, body, actor));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 400, type: expect.stringContaining('RequestMustBeValid') });
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    });

    it('400 for an id in the path that cannot be one', async () => {
      const response = await expectNothingWritten(() => post('/meetings/%20bad%20id/convene', {}));
      expect(response).toMatchObject({ status: 400, body: { field: 'meetingId', rule: 'matches' } });
      const member = await expectNothingWritten(() => post(`/governance-bodies/${BODY}/members/..%2F/end`, { endDate: '2025-10-31' }, admin));
      expect(member).toMatchObject({ status: 400, body: { field: 'memberId' } });
    });
  });

  it('publishes the governance routes in /openapi.json', async () => {
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, { post?: { tags?: string[] } }> };
    const routes = [
      '/governance-bodies',
      '/governance-bodies/{bodyId}/members',
      '/governance-bodies/{bodyId}/members/{memberId}/end',
      '/governance-bodies/{bodyId}/constitute',
      '/meetings',
      '/meetings/{meetingId}/agenda-items',
      '/meetings/{meetingId}/convene',
      '/meetings/{meetingId}/postpone',
      '/meetings/{meetingId}/reschedule',
      '/meetings/{meetingId}/cancel',
      '/meetings/{meetingId}/open',
      '/meetings/{meetingId}/attendance',
      '/meetings/{meetingId}/quorum-checks',
      '/meetings/{meetingId}/motions',
      '/meetings/{meetingId}/motions/{motionId}/votes',
      '/meetings/{meetingId}/decisions',
      '/meetings/{meetingId}/close',
      '/meetings/{meetingId}/minutes',
    ];
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(routes));
    for (const route of routes) expect(spec.paths[route].post?.tags).toContain('governance');
  });
});
