import fc from 'fast-check';
import { given } from '../testing/given-when-then';
import type { Actor } from '../shared/decider';
import { DomainRuleError } from '../shared/rules';
import { governanceBodyDecider, type GovernanceBodyEvent, membersOn } from '../governance-body/governance-body';
import { decisionFacts, type MeetingBodyFacts, type MeetingCommand, meetingDecider as meeting, type MeetingEvent } from './meeting';

const at = '2025-06-12T14:00:00.000Z';
const BODY = 'copil-cvs-mel';
const MEETING = 'copil-2025-06-12';
const admin: Actor = { subject: 'user-admin-mel', role: 'administrator' };
const secretary: Actor = { subject: 'user-sec-copil', role: 'body-secretary', partyId: 'party-mel', mandate: BODY };
const otherSecretary: Actor = { subject: 'user-sec-roubaix', role: 'body-secretary', partyId: 'party-mel', mandate: 'comite-suivi-roubaix' };
const caf: Actor = { subject: 'user-caf-1', role: 'signatory-representative', partyId: 'party-caf' };

/** The Comité de pilotage du contrat de ville et des solidarités on 12 June 2025: 6 voting members and an expert. */
const copil: MeetingBodyFacts = {
  bodyId: BODY,
  function: 'pilotage',
  quorum: { kind: 'fraction', numerator: 1, denominator: 2 },
  members: [
    { memberId: 'mbr-etat-01', partyId: 'party-etat', votingRight: true },
    { memberId: 'mbr-mel-01', partyId: 'party-mel', votingRight: true },
    { memberId: 'mbr-dep-01', partyId: 'party-departement-nord', votingRight: true },
    { memberId: 'mbr-caf-01', partyId: 'party-caf', votingRight: true },
    { memberId: 'mbr-cc-01', partyId: 'party-conseil-citoyen-roubaix', votingRight: true },
    { memberId: 'mbr-cc-02', partyId: 'party-conseil-citoyen-lille-sud', votingRight: true },
    { memberId: 'mbr-exp-01', partyId: 'party-mel', votingRight: false },
  ],
};

const cmd = (c: Record<string, unknown>) => ({ at, actor: secretary, meetingId: MEETING, ...c }) as MeetingCommand;
const ev = (type: string, data: Record<string, unknown> = {}) => ({ type, data: { meetingId: MEETING, ...data } }) as MeetingEvent;

const schedule = { type: 'ScheduleMeeting', title: 'Comité de pilotage — bilan 2024 et avenant n°1', date: '2025-06-12', body: copil };
const scheduled = ev('MeetingScheduled', { title: schedule.title, date: '2025-06-12', body: copil });
const agendaItem = ev('AgendaItemAdded', { itemId: 'odj-1', position: 1, title: 'Avenant n°1 au contrat de ville et des solidarités' });
const convened = [scheduled, agendaItem, ev('MeetingConvened')];
const inSession = [...convened, ev('SessionOpened', { session: 1 })];

/** État, MEL and one conseil citoyen member present; the Département represented by the État; CAF excused. */
const attendance = [
  { memberId: 'mbr-etat-01', status: 'present', proxyMemberId: null },
  { memberId: 'mbr-mel-01', status: 'present', proxyMemberId: null },
  { memberId: 'mbr-dep-01', status: 'represented', proxyMemberId: 'mbr-etat-01' },
  { memberId: 'mbr-caf-01', status: 'excused', proxyMemberId: null },
  { memberId: 'mbr-cc-01', status: 'present', proxyMemberId: null },
  { memberId: 'mbr-cc-02', status: 'absent', proxyMemberId: null },
  { memberId: 'mbr-exp-01', status: 'present', proxyMemberId: null },
];
const attended = [...inSession, ev('AttendanceRecorded', { attendance })];
const quorumReached = ev('QuorumChecked', {
  session: 1,
  rule: copil.quorum,
  votingMembers: 6,
  present: 3,
  represented: 1,
  counted: 4,
  required: 3,
  reached: true,
});
const quorate = [...attended, quorumReached];

const amendmentTarget = { kind: 'amendment', id: 'amendment-2025-01' };
const motionText = 'Le comité de pilotage approuve l’avenant n°1 au contrat de ville et des solidarités.';
const tabled = ev('MotionTabled', { motionId: 'motion-avenant-1', text: motionText, target: amendmentTarget, agendaItemId: 'odj-1' });

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
  { option: 'not voting', value: 0 },
];
const recordVote = { type: 'RecordVote', motionId: 'motion-avenant-1', votes, counts };
const voteRecorded = ev('VoteRecorded', {
  motionId: 'motion-avenant-1',
  votes: votes.map((v) => ({ ...v, proxyMemberId: v.proxyMemberId ?? null })),
  counts,
});
const voted = [...quorate, tabled, voteRecorded];
const recordDecision = { type: 'RecordDecision', decisionId: 'decision-2025-06-12-1', motionId: 'motion-avenant-1' };
const decided = ev('DecisionRecorded', {
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
const closed = [...voted, decided, ev('MeetingClosed')];
const minutesSha256 = 'd2a84f4b8b650937ec8f73cd8be2c74add5a911ba64df27458ed8229da804a26';

describe('Meeting', () => {
  describe('scheduling', () => {
    it('schedules a meeting of a body with its roster snapshot as of the meeting date', () => {
      given(meeting, []).when(cmd(schedule)).then([scheduled]);
    });

    it('takes the roster straight from membersOn, keeping only memberId, partyId and votingRight', () => {
      const bodyHistory: GovernanceBodyEvent[] = [
        {
          type: 'GovernanceBodyCreated',
          data: { bodyId: BODY, name: 'Comité de pilotage du contrat de ville et des solidarités', function: 'pilotage', quorum: copil.quorum, citizenSeats: 2 },
        },
        ...copil.members.map(
          (m): GovernanceBodyEvent => ({
            type: 'MemberAdded',
            data: { bodyId: BODY, ...m, seat: m.partyId.startsWith('party-conseil-citoyen') ? 'citizen' : m.votingRight ? 'signatory' : 'expert', startDate: '2024-06-01' },
          }),
        ),
        { type: 'GovernanceBodyConstituted', data: { bodyId: BODY, constitutedOn: '2024-06-20' } },
      ];
      const bodyState = given(governanceBodyDecider, bodyHistory).state;
      const facts = { bodyId: BODY, function: bodyState.function, quorum: bodyState.quorum, members: membersOn(bodyState, '2025-06-12') };
      given(meeting, []).when(cmd({ ...schedule, body: facts })).then([scheduled]);
    });

    it('lets an administrator schedule a meeting of any body', () => {
      given(meeting, []).when(cmd({ ...schedule, actor: admin })).then([scheduled]);
    });

    it.each([
      ['the secretary of another body', otherSecretary],
      ['a signatory representative', caf],
      ['a secretary without a mandate', { ...secretary, mandate: undefined }],
    ])('OnlyAnAdministratorMayDoThis: %s does not record meetings of the steering committee', (_label, actor) => {
      given(meeting, []).when(cmd({ ...schedule, actor })).thenRefuses('OnlyAnAdministratorMayDoThis');
      given(meeting, inSession).when(cmd({ type: 'CloseMeeting', actor })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('refuses to schedule the same meeting twice', () => {
      given(meeting, [scheduled]).when(cmd(schedule)).thenRefuses('AggregateMustNotExistYet', 'meetingId');
    });

    it('refuses a meeting outside the contract (2024–2030)', () => {
      given(meeting, []).when(cmd({ ...schedule, date: '2031-01-15' })).thenRefuses('PeriodIsWithinTheContract', 'date');
    });

    const withMember = (i: number, change: Record<string, unknown>) => ({
      ...copil,
      members: copil.members.map((m, j) => (j === i ? { ...m, ...change } : m)),
    });
    it.each([
      ['no body facts', { body: undefined }, 'body'],
      ['a roster that is not a list', { body: { ...copil, members: 'all' } }, 'body.members'],
      ['an empty roster', { body: { ...copil, members: [] } }, 'body.members'],
      ['a roster without a voting member', { body: { ...copil, members: copil.members.map((m) => ({ ...m, votingRight: false })) } }, 'body.members'],
      ['a voting right given as text', { body: withMember(1, { votingRight: 'oui' }) }, 'body.members[1].votingRight'],
      ['a member named instead of a pseudonymous id', { body: withMember(4, { memberId: 'Fatima B.' }) }, 'body.members[4].memberId'],
      ['a member listed twice', { body: withMember(2, { memberId: 'mbr-etat-01' }) }, 'body.members[2].memberId'],
      ['a roster entry that is not an object', { body: { ...copil, members: [...copil.members, 'mbr-x'] } }, 'body.members[7]'],
      ['an unknown body function', { body: { ...copil, function: 'decision' } }, 'body.function'],
      ['a bad quorum rule', { body: { ...copil, quorum: { kind: 'fraction', numerator: 2, denominator: 1 } } }, 'body.quorum.numerator'],
      ['a date that does not exist', { date: '2025-06-31' }, 'date'],
      ['a huge title', { title: 'x'.repeat(1_000_000) }, 'title'],
      ['a meeting id that is an object', { meetingId: { id: 1 } }, 'meetingId'],
    ])('refuses %s, naming the field', (_label, change, field) => {
      given(meeting, []).when(cmd({ ...schedule, ...change })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('lifecycle', () => {
    it('adds agenda items in order', () => {
      given(meeting, [scheduled, agendaItem])
        .when(cmd({ type: 'AddAgendaItem', itemId: 'odj-2', title: 'Bilan annuel 2024 des engagements' }))
        .then([ev('AgendaItemAdded', { itemId: 'odj-2', position: 2, title: 'Bilan annuel 2024 des engagements' })]);
      given(meeting, [scheduled, agendaItem]).when(cmd({ type: 'AddAgendaItem', itemId: 'odj-1', title: 'Doublon' })).thenRefuses('AggregateMustNotExistYet', 'itemId');
    });

    it('goes scheduled → convened → in session → closed → minutes approved', () => {
      given(meeting, [scheduled, agendaItem]).when(cmd({ type: 'ConveneMeeting' })).then([ev('MeetingConvened')]);
      given(meeting, convened).when(cmd({ type: 'OpenSession' })).then([ev('SessionOpened', { session: 1 })]);
      given(meeting, voted).when(cmd({ type: 'CloseMeeting' })).then([ev('MeetingClosed')]);
      const approved = given(meeting, closed).when(cmd({ type: 'ApproveMinutes', minutesSha256 })).then([ev('MinutesApproved', { minutesSha256 })]);
      expect(given(meeting, [...closed, ...approved]).state.status).toBe('minutes_approved');
    });

    it('refuses to convene a meeting without an agenda', () => {
      given(meeting, [scheduled]).when(cmd({ type: 'ConveneMeeting' })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('postpones a meeting, then reschedules it with the roster as of the new date', () => {
      given(meeting, convened).when(cmd({ type: 'PostponeMeeting', reason: 'Quorum non atteint' })).then([ev('MeetingPostponed', { reason: 'Quorum non atteint' })]);
      const postponed = [...attended, ev('MeetingPostponed', { reason: 'Quorum non atteint' })];
      const roster = { ...copil, members: copil.members.filter((m) => m.memberId !== 'mbr-caf-01') };
      const events = given(meeting, postponed)
        .when(cmd({ type: 'RescheduleMeeting', date: '2025-07-03', body: roster }))
        .then([ev('MeetingRescheduled', { date: '2025-07-03', body: roster })]);
      const state = given(meeting, [...postponed, ...events]).state;
      expect(state).toMatchObject({ status: 'scheduled', date: '2025-07-03', attendance: {} });
      expect(state.body?.members).toHaveLength(6);
    });

    it('refuses to reschedule a meeting with the roster of another body', () => {
      given(meeting, [...convened, ev('MeetingPostponed', { reason: 'r' })])
        .when(cmd({ type: 'RescheduleMeeting', date: '2025-07-03', body: { ...copil, bodyId: 'comite-suivi-roubaix' } }))
        .thenRefuses('ValueMustBeValid', 'body.bodyId');
    });

    it('cancels a scheduled meeting', () => {
      given(meeting, [scheduled]).when(cmd({ type: 'CancelMeeting', reason: 'Séance fusionnée avec celle de juillet' })).then([
        ev('MeetingCancelled', { reason: 'Séance fusionnée avec celle de juillet' }),
      ]);
    });

    it.each([
      ['open the session of a meeting not convened', [scheduled, agendaItem], { type: 'OpenSession' }],
      ['convene a meeting twice', convened, { type: 'ConveneMeeting' }],
      ['close a meeting not in session', convened, { type: 'CloseMeeting' }],
      ['approve the minutes of a meeting in session', inSession, { type: 'ApproveMinutes', minutesSha256 }],
      ['cancel a closed meeting', closed, { type: 'CancelMeeting', reason: 'r' }],
      ['postpone a meeting that has voted', voted, { type: 'PostponeMeeting', reason: 'r' }],
      ['reschedule a meeting that is not postponed', [scheduled], { type: 'RescheduleMeeting', date: '2025-07-03', body: copil }],
      ['record a vote after the meeting is closed', closed, recordVote],
      ['record attendance at a meeting only scheduled', [scheduled], { type: 'RecordAttendance', attendance }],
      ['check the quorum before the session opens', convened, { type: 'CheckQuorum' }],
      ['record a decision in a cancelled meeting', [scheduled, ev('MeetingCancelled', { reason: 'r' })], recordDecision],
      ['add an agenda item to a closed meeting', closed, { type: 'AddAgendaItem', itemId: 'odj-9', title: 'Questions diverses' }],
    ])('TransitionMustFollowLifecycle: refuses to %s', (_label, history, command) => {
      given(meeting, history).when(cmd(command)).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('refuses any command on a meeting that does not exist', () => {
      given(meeting, []).when(cmd({ type: 'ConveneMeeting' })).thenRefuses('AggregateMustExist');
    });

    it('refuses an unknown command type', () => {
      given(meeting, [scheduled]).when(cmd({ type: 'constructor' })).thenRefuses('ValueMustBeValid', 'type');
    });

    it('identifies the minutes by their SHA-256 only', () => {
      given(meeting, closed).when(cmd({ type: 'ApproveMinutes', minutesSha256: 'compte-rendu-copil.pdf' })).thenRefuses('ValueMustBeValid', 'minutesSha256');
      given(meeting, closed).when(cmd({ type: 'ApproveMinutes', minutesSha256: minutesSha256.toUpperCase() })).thenRefuses('ValueMustBeValid', 'minutesSha256');
    });
  });

  describe('attendance', () => {
    const record = (entries: unknown[]) => cmd({ type: 'RecordAttendance', attendance: entries });

    it('records present, absent, excused and represented members', () => {
      given(meeting, inSession).when(record(attendance)).then([ev('AttendanceRecorded', { attendance })]);
    });

    it('records attendance before the session opens and updates it during the session', () => {
      const late = [{ memberId: 'mbr-cc-02', status: 'present', proxyMemberId: null }];
      given(meeting, convened).when(record(attendance)).then([ev('AttendanceRecorded', { attendance })]);
      const events = given(meeting, attended).when(record([{ memberId: 'mbr-cc-02', status: 'present' }])).then([ev('AttendanceRecorded', { attendance: late })]);
      expect(given(meeting, [...attended, ...events]).state.attendance['mbr-cc-02']).toEqual({ status: 'present', proxyMemberId: null });
    });

    it('AttendanceIsOfMembers: refuses attendance of someone not on the roster', () => {
      given(meeting, inSession).when(record([...attendance, { memberId: 'mbr-inconnu', status: 'present' }])).thenRefuses('AttendanceIsOfMembers', 'attendance[7].memberId');
    });

    const represent = (proxyMemberId: string, proxyStatus = 'present') => [
      { memberId: 'mbr-caf-01', status: 'represented', proxyMemberId },
      ...attendance.filter((a) => a.memberId !== 'mbr-caf-01').map((a) => (a.memberId === proxyMemberId ? { ...a, status: proxyStatus } : a)),
    ];
    it.each([
      ['an absent member', represent('mbr-cc-02', 'absent'), 'attendance[0].proxyMemberId'],
      ['a member without a voting right', represent('mbr-exp-01'), 'attendance[0].proxyMemberId'],
      ['a member who already holds a proxy', represent('mbr-etat-01'), 'attendance[3].proxyMemberId'],
      ['someone not on the roster', represent('mbr-inconnu'), 'attendance[0].proxyMemberId'],
      ['the member themself', represent('mbr-caf-01'), 'attendance[0].proxyMemberId'],
    ])('ProxyIsAPresentMember: refuses a proxy held by %s', (_label, entries, field) => {
      given(meeting, inSession).when(record(entries)).thenRefuses('ProxyIsAPresentMember', field);
    });

    it('ProxyIsAPresentMember: a proxy holder cannot be recorded as leaving while holding the proxy', () => {
      given(meeting, attended).when(record([{ memberId: 'mbr-etat-01', status: 'excused' }])).thenRefuses('ProxyIsAPresentMember', 'attendance[0].status');
    });

    it('OnlyVotingMembersVote: a member without a voting right gives no proxy', () => {
      given(meeting, attended).when(record([{ memberId: 'mbr-exp-01', status: 'represented', proxyMemberId: 'mbr-cc-01' }])).thenRefuses('OnlyVotingMembersVote', 'attendance[0].status');
    });

    it.each([
      ['an unknown status', [...attendance.slice(0, 2), { memberId: 'mbr-dep-01', status: 'late' }], 'attendance[2].status'],
      ['a status left out', [{ memberId: 'mbr-etat-01' }], 'attendance[0].status'],
      ['a represented member without a proxy', [{ memberId: 'mbr-caf-01', status: 'represented' }], 'attendance[0].proxyMemberId'],
      ['a proxy for a present member', [{ memberId: 'mbr-caf-01', status: 'present', proxyMemberId: 'mbr-mel-01' }], 'attendance[0].proxyMemberId'],
      ['a member listed twice', [attendance[0], attendance[0]], 'attendance[1].memberId'],
      ['an entry that is not an object', [attendance[0], 42], 'attendance[1]'],
      ['an empty list', [], 'attendance'],
      ['a list too long', Array.from({ length: 501 }, () => attendance[0]), 'attendance'],
    ])('refuses %s, naming the field', (_label, entries, field) => {
      given(meeting, inSession).when(record(entries)).thenRefuses('ValueMustBeValid', field);
    });

    it('refuses attendance that is not a list', () => {
      given(meeting, inSession).when(cmd({ type: 'RecordAttendance', attendance: { 'mbr-etat-01': 'present' } })).thenRefuses('ValueMustBeValid', 'attendance');
    });
  });

  describe('quorum', () => {
    it('counts the voting members present or represented and records that the quorum is reached', () => {
      given(meeting, attended).when(cmd({ type: 'CheckQuorum' })).then([quorumReached]);
    });

    it('records that the quorum is not reached, with the counts', () => {
      const few = attendance.map((a) => (['mbr-mel-01', 'mbr-cc-01'].includes(a.memberId) ? { ...a, status: 'absent' } : a));
      given(meeting, [...inSession, ev('AttendanceRecorded', { attendance: few })])
        .when(cmd({ type: 'CheckQuorum' }))
        .then([ev('QuorumChecked', { session: 1, rule: copil.quorum, votingMembers: 6, present: 1, represented: 1, counted: 2, required: 3, reached: false })]);
    });

    it('does not count a member without a voting right, nor members whose attendance is not recorded', () => {
      const onlyExpert = [{ memberId: 'mbr-exp-01', status: 'present', proxyMemberId: null }];
      given(meeting, [...inSession, ev('AttendanceRecorded', { attendance: onlyExpert })])
        .when(cmd({ type: 'CheckQuorum' }))
        .then((events) => expect(events[0].data).toMatchObject({ present: 0, represented: 0, counted: 0, reached: false }));
    });

    it('applies a quorum given as a number of members', () => {
      const count = [{ ...scheduled, data: { ...(scheduled.data as object), body: { ...copil, quorum: { kind: 'count', minimum: 5 } } } } as MeetingEvent, ...attended.slice(1)];
      given(meeting, count)
        .when(cmd({ type: 'CheckQuorum' }))
        .then((events) => expect(events[0].data).toMatchObject({ counted: 4, required: 5, reached: false }));
    });
  });

  describe('motions and votes', () => {
    it('tables a motion about an amendment, under an agenda item', () => {
      given(meeting, quorate)
        .when(cmd({ type: 'TableMotion', motionId: 'motion-avenant-1', text: motionText, target: amendmentTarget, agendaItemId: 'odj-1' }))
        .then([tabled]);
    });

    it('tables a motion on another subject without an id nor an agenda item', () => {
      given(meeting, [scheduled])
        .when(cmd({ type: 'TableMotion', motionId: 'motion-calendrier', text: 'Calendrier des séances 2026', target: { kind: 'other' } }))
        .then([ev('MotionTabled', { motionId: 'motion-calendrier', text: 'Calendrier des séances 2026', target: { kind: 'other', id: null }, agendaItemId: null })]);
    });

    it.each([
      ['a motion id already used', [...quorate, tabled], {}, 'AggregateMustNotExistYet', 'motionId'],
      ['an unknown target kind', quorate, { target: { kind: 'budget', id: 'x' } }, 'ValueMustBeValid', 'target.kind'],
      ['an amendment without its id', quorate, { target: { kind: 'amendment' } }, 'ValueMustBeValid', 'target.id'],
      ['no target', quorate, { target: undefined }, 'ValueMustBeValid', 'target'],
      ['no text', quorate, { text: '   ' }, 'ValueMustBeValid', 'text'],
      ['an agenda item not on the agenda', quorate, { agendaItemId: 'odj-9' }, 'AggregateMustExist', 'agendaItemId'],
    ])('refuses a motion with %s', (_label, history, change, rule, field) => {
      given(meeting, history as MeetingEvent[])
        .when(cmd({ type: 'TableMotion', motionId: 'motion-avenant-1', text: motionText, target: amendmentTarget, agendaItemId: 'odj-1', ...change }))
        .thenRefuses(rule as never, field);
    });

    it('records a vote; the proxy holder casts the represented member’s vote', () => {
      const events = given(meeting, [...quorate, tabled]).when(cmd(recordVote)).then([voteRecorded]);
      const dep = (events[0].data as { votes: { memberId: string; proxyMemberId: string | null }[] }).votes.find((v) => v.memberId === 'mbr-dep-01');
      expect(dep).toEqual({ memberId: 'mbr-dep-01', option: 'yes', proxyMemberId: 'mbr-etat-01' });
    });

    it('names the proxy holder even when the command leaves it out', () => {
      const withoutProxy = votes.map(({ memberId, option }) => ({ memberId, option }));
      given(meeting, [...quorate, tabled]).when(cmd({ ...recordVote, votes: withoutProxy })).then([voteRecorded]);
    });

    it('accepts counts that leave out options with no vote', () => {
      given(meeting, [...quorate, tabled])
        .when(cmd({ ...recordVote, counts: counts.filter((c) => c.value > 0) }))
        .then([voteRecorded]);
    });

    const changeVote = (i: number, change: Record<string, unknown>) => votes.map((v, j) => (j === i ? { ...v, ...change } : v));
    it.each([
      ['a member without a voting right', [...votes, { memberId: 'mbr-exp-01', option: 'yes' }], 'votes[6].memberId'],
      ['an excused member', changeVote(4, { option: 'no' }), 'votes[4].memberId'],
      ['someone not on the roster', [...votes, { memberId: 'mbr-inconnu', option: 'no' }], 'votes[6].memberId'],
      ['someone else than the proxy holder for a represented member', changeVote(2, { proxyMemberId: 'mbr-mel-01' }), 'votes[2].proxyMemberId'],
      ['a proxy for a member who is present', changeVote(1, { proxyMemberId: 'mbr-etat-01' }), 'votes[1].proxyMemberId'],
    ])('OnlyVotingMembersVote: refuses a vote by %s', (_label, ballots, field) => {
      given(meeting, [...quorate, tabled]).when(cmd({ ...recordVote, votes: ballots, counts: [] })).thenRefuses('OnlyVotingMembersVote', field);
    });

    it('OneVotePerMemberPerMotion: refuses two votes of one member on a motion', () => {
      given(meeting, [...quorate, tabled])
        .when(cmd({ ...recordVote, votes: [...votes, { memberId: 'mbr-mel-01', option: 'no' }] }))
        .thenRefuses('OneVotePerMemberPerMotion', 'votes[6].memberId');
    });

    it('VoteCountsEqualIndividualVotes: refuses declared counts that differ from the individual votes', () => {
      given(meeting, [...quorate, tabled])
        .when(cmd({ ...recordVote, counts: counts.map((c) => (c.option === 'yes' ? { ...c, value: 4 } : c)) }))
        .thenRefuses('VoteCountsEqualIndividualVotes', 'counts[0].value');
      given(meeting, [...quorate, tabled])
        .when(cmd({ ...recordVote, counts: counts.filter((c) => c.option !== 'abstain') }))
        .thenRefuses('VoteCountsEqualIndividualVotes', 'counts');
    });

    it('MotionIsDecidedOnce: refuses a second vote on a motion', () => {
      given(meeting, voted).when(cmd(recordVote)).thenRefuses('MotionIsDecidedOnce', 'motionId');
    });

    it('refuses a vote on a motion that was not tabled', () => {
      given(meeting, quorate).when(cmd(recordVote)).thenRefuses('AggregateMustExist', 'motionId');
    });

    it.each([
      ['an unknown option', changeVote(0, { option: 'pour' }), counts, 'votes[0].option'],
      ['no vote at all', [], counts, 'votes'],
      ['a negative count', votes, [{ option: 'no', value: -1 }], 'counts[0].value'],
      ['a count given as text', votes, [{ option: 'yes', value: '3' }], 'counts[0].value'],
      ['an option counted twice', votes, [counts[0], counts[0]], 'counts[1].option'],
      ['counts that are not a list', votes, { yes: 3 }, 'counts'],
    ])('refuses %s, naming the field', (_label, ballots, declared, field) => {
      given(meeting, [...quorate, tabled]).when(cmd({ ...recordVote, votes: ballots, counts: declared })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('decisions', () => {
    it('records the decision the vote gives: approved when yes > no', () => {
      given(meeting, voted).when(cmd(recordDecision)).then([decided]);
      given(meeting, voted).when(cmd({ ...recordDecision, outcome: 'approved' })).then([decided]);
    });

    it('rejects a motion on a tie', () => {
      const tie = [
        { memberId: 'mbr-etat-01', option: 'yes' },
        { memberId: 'mbr-mel-01', option: 'no' },
        { memberId: 'mbr-cc-01', option: 'abstain' },
      ];
      const tieVote = ev('VoteRecorded', {
        motionId: 'motion-avenant-1',
        votes: tie.map((v) => ({ ...v, proxyMemberId: null })),
        counts: [
          { option: 'yes', value: 1 },
          { option: 'no', value: 1 },
          { option: 'abstain', value: 1 },
          { option: 'absent', value: 0 },
          { option: 'not voting', value: 0 },
        ],
      });
      given(meeting, [...quorate, tabled, tieVote])
        .when(cmd(recordDecision))
        .then((events) => expect(events[0].data).toMatchObject({ outcome: 'rejected', yes: 1, no: 1 }));
    });

    it('VoteCountsEqualIndividualVotes: refuses an outcome the vote does not give', () => {
      given(meeting, voted).when(cmd({ ...recordDecision, outcome: 'rejected' })).thenRefuses('VoteCountsEqualIndividualVotes', 'outcome');
    });

    it('DecisionNeedsQuorateMeeting: refuses a decision when the quorum was not reached', () => {
      const notReached = ev('QuorumChecked', { ...(quorumReached.data as object), present: 1, counted: 2, reached: false });
      given(meeting, [...attended, notReached, tabled, voteRecorded]).when(cmd(recordDecision)).thenRefuses('DecisionNeedsQuorateMeeting');
    });

    it('DecisionNeedsQuorateMeeting: refuses a decision when no quorum check was recorded', () => {
      given(meeting, [...attended, tabled, voteRecorded]).when(cmd(recordDecision)).thenRefuses('DecisionNeedsQuorateMeeting');
    });

    it('DecisionNeedsQuorateMeeting: refuses a decision when attendance changed since the quorum check', () => {
      const leaves = ev('AttendanceRecorded', { attendance: [{ memberId: 'mbr-cc-01', status: 'absent', proxyMemberId: null }] });
      given(meeting, [...voted, leaves]).when(cmd(recordDecision)).thenRefuses('DecisionNeedsQuorateMeeting');
    });

    it('DecisionNeedsQuorateMeeting: a quorum check of an earlier session does not count', () => {
      const secondSession = [
        ...quorate,
        tabled,
        ev('MeetingPostponed', { reason: 'Séance suspendue' }),
        ev('MeetingRescheduled', { date: '2025-07-03', body: copil }),
        ev('MeetingConvened'),
        ev('SessionOpened', { session: 2 }),
        ev('AttendanceRecorded', { attendance }),
        voteRecorded,
      ];
      given(meeting, secondSession).when(cmd(recordDecision)).thenRefuses('DecisionNeedsQuorateMeeting');
    });

    it('MotionIsDecidedOnce: refuses a second decision on a motion', () => {
      given(meeting, [...voted, decided]).when(cmd({ ...recordDecision, decisionId: 'decision-2025-06-12-2' })).thenRefuses('MotionIsDecidedOnce', 'motionId');
    });

    it('refuses to reuse a decision id', () => {
      given(meeting, [...voted, decided]).when(cmd(recordDecision)).thenRefuses('AggregateMustNotExistYet', 'decisionId');
    });

    it('refuses a decision on a motion not put to the vote', () => {
      given(meeting, [...quorate, tabled]).when(cmd(recordDecision)).thenRefuses('TransitionMustFollowLifecycle');
    });

    it.each([
      ['an unknown outcome', { outcome: 'adopté' }, 'outcome'],
      ['a missing decision id', { decisionId: undefined }, 'decisionId'],
      ['a motion id that is a number', { motionId: 1 }, 'motionId'],
    ])('refuses %s, naming the field', (_label, change, field) => {
      given(meeting, voted).when(cmd({ ...recordDecision, ...change })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('decisionFacts', () => {
    it('gives the Amendment handler what it needs to know about a decision', () => {
      const { state } = given(meeting, closed);
      expect(decisionFacts(state, 'decision-2025-06-12-1')).toEqual({
        decisionId: 'decision-2025-06-12-1',
        meetingId: MEETING,
        bodyId: BODY,
        bodyFunction: 'pilotage',
        quorumReached: true,
        outcome: 'approved',
        target: { kind: 'amendment', id: 'amendment-2025-01' },
      });
    });

    it('refuses a decision the meeting did not take', () => {
      const { state } = given(meeting, closed);
      expect(() => decisionFacts(state, 'decision-inconnue')).toThrow(DomainRuleError);
      expect(() => decisionFacts(state, 'constructor')).toThrow(expect.objectContaining({ rule: 'AggregateMustExist' }));
      expect(() => decisionFacts(given(meeting, []).state, 'decision-2025-06-12-1')).toThrow(DomainRuleError);
    });
  });
});

describe('Meeting — any input from an HTTP body', () => {
  /** A copy of `value` with `value` at `path` replaced. */
  const withValueAt = (value: unknown, path: (string | number)[], replacement: unknown): unknown => {
    if (path.length === 0) return replacement;
    const [head, ...rest] = path;
    const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
    copy[head] = withValueAt(copy[head], rest, replacement);
    return copy;
  };
  const cases: [string, MeetingEvent[], Record<string, unknown>, (string | number)[][]][] = [
    ['ScheduleMeeting', [], schedule, [['title'], ['date'], ['body'], ['body', 'bodyId'], ['body', 'function'], ['body', 'quorum'], ['body', 'quorum', 'numerator'], ['body', 'members'], ['body', 'members', 0], ['body', 'members', 0, 'votingRight'], ['at'], ['actor']]],
    ['RecordAttendance', inSession, { type: 'RecordAttendance', attendance }, [['attendance'], ['attendance', 0], ['attendance', 2, 'proxyMemberId'], ['attendance', 1, 'status'], ['meetingId']]],
    ['TableMotion', quorate, { type: 'TableMotion', motionId: 'm-1', text: motionText, target: amendmentTarget, agendaItemId: 'odj-1' }, [['motionId'], ['text'], ['target'], ['target', 'id'], ['agendaItemId']]],
    ['RecordVote', [...quorate, tabled], recordVote, [['votes'], ['votes', 0], ['votes', 2, 'proxyMemberId'], ['votes', 1, 'option'], ['counts'], ['counts', 0], ['counts', 0, 'value']]],
    ['RecordDecision', voted, recordDecision, [['decisionId'], ['motionId'], ['outcome']]],
    ['ApproveMinutes', closed, { type: 'ApproveMinutes', minutesSha256 }, [['minutesSha256'], ['type']]],
  ];

  it.each(cases)('%s: a wrong value anywhere is refused with a DomainRuleError, never a TypeError', (_type, history, command, paths) => {
    const { state } = given(meeting, history);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything({ withNullPrototype: true, withObjectString: true }), (path, value) => {
        const input = withValueAt(cmd(command), path, value) as MeetingCommand;
        try {
          meeting.decide(input, state);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainRuleError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
