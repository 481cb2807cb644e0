import type { Actor, CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertBoolean, assertContext, assertId, assertList, assertRecord, own, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertDate, assertOneOf, assertSha256, assertText, notFound } from '../shared/values';
import { BODY_FUNCTIONS, type BodyFunction, quorumRequired, type QuorumRule, validateQuorumRule } from '../governance-body/governance-body';

/**
 * Meeting (séance) of a governance body. Lifecycle (DESIGN §1):
 *
 *   scheduled → convened → in_session → closed → minutes_approved
 *   scheduled | convened | in_session (before any vote) → postponed → (rescheduled) scheduled
 *   scheduled | convened | postponed → cancelled
 *
 * The meeting is self-contained: `ScheduleMeeting` carries the body's function, quorum rule and roster as
 * of the meeting date (looked up with `membersOn`), and the roster is snapshotted into the event.
 *
 * Quorum: `CheckQuorum` counts the members with a voting right who are present or represented by a proxy
 * and records the result, reached or not, as an event. A change of attendance voids the last check.
 *
 * Majority: a motion is approved when `yes` > `no` (simple majority of the votes cast — suffrages
 * exprimés; abstentions, `not voting` and `absent` do not count); a tie or no vote cast rejects it.
 *
 * Who records: an administrator, or a `body-secretary` whose `actor.mandate` is this body's `bodyId`.
 * Anyone else is refused with OnlyAnAdministratorMayDoThis.
 */

export type MeetingStatus = 'scheduled' | 'convened' | 'in_session' | 'closed' | 'minutes_approved' | 'postponed' | 'cancelled';

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused', 'represented'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Popolo vote options. */
export const VOTE_OPTIONS = ['yes', 'no', 'abstain', 'absent', 'not voting'] as const;
export type VoteOption = (typeof VOTE_OPTIONS)[number];

export const MOTION_TARGET_KINDS = ['amendment', 'commitment', 'contract', 'other'] as const;
export type MotionTargetKind = (typeof MOTION_TARGET_KINDS)[number];
/** What a motion is about; `id` is null only for kind `other`. */
export interface MotionTarget {
  kind: MotionTargetKind;
  id: string | null;
}

export type DecisionOutcome = 'approved' | 'rejected';

/** A member of the body on the meeting's roster (pseudonymous id, never a name). */
export interface RosterMember {
  memberId: string;
  partyId: string;
  votingRight: boolean;
}

/** The body's facts as of the meeting date, looked up by the command handler. */
export interface MeetingBodyFacts {
  bodyId: string;
  function: BodyFunction;
  quorum: QuorumRule;
  members: RosterMember[];
}

export interface AttendanceEntry {
  memberId: string;
  status: AttendanceStatus;
  /** The present member with a voting right who holds the proxy; only for `represented`. */
  proxyMemberId: string | null;
}

export interface IndividualVote {
  memberId: string;
  option: VoteOption;
  /** Who cast the vote for a represented member (the proxy holder); null when the member voted in person. */
  proxyMemberId: string | null;
}

/** Popolo-style count of one option. */
export interface VoteCount {
  option: VoteOption;
  value: number;
}

export interface QuorumCheck {
  session: number;
  rule: QuorumRule;
  votingMembers: number;
  present: number;
  represented: number;
  counted: number;
  required: number;
  reached: boolean;
}

// ---- commands ---------------------------------------------------------------------------------

export type MeetingCommand = CommandContext &
  (
    | { type: 'ScheduleMeeting'; meetingId: string; title: string; date: string; body: MeetingBodyFacts }
    | { type: 'AddAgendaItem'; meetingId: string; itemId: string; title: string }
    | { type: 'ConveneMeeting'; meetingId: string }
    | { type: 'PostponeMeeting'; meetingId: string; reason: string }
    | { type: 'RescheduleMeeting'; meetingId: string; date: string; body: MeetingBodyFacts }
    | { type: 'CancelMeeting'; meetingId: string; reason: string }
    | { type: 'OpenSession'; meetingId: string }
    | {
        type: 'RecordAttendance';
        meetingId: string;
        attendance: { memberId: string; status: AttendanceStatus; proxyMemberId?: string | null }[];
      }
    | { type: 'CheckQuorum'; meetingId: string }
    | {
        type: 'TableMotion';
        meetingId: string;
        motionId: string;
        text: string;
        target: { kind: MotionTargetKind; id?: string | null };
        agendaItemId?: string | null;
      }
    | {
        type: 'RecordVote';
        meetingId: string;
        motionId: string;
        votes: { memberId: string; option: VoteOption; proxyMemberId?: string | null }[];
        counts: VoteCount[];
      }
    | { type: 'RecordDecision'; meetingId: string; decisionId: string; motionId: string; outcome?: DecisionOutcome }
    | { type: 'CloseMeeting'; meetingId: string }
    | { type: 'ApproveMinutes'; meetingId: string; minutesSha256: string }
  );

// ---- events -----------------------------------------------------------------------------------

export type MeetingEvent =
  | DomainEvent<'MeetingScheduled', { meetingId: string; title: string; date: string; body: MeetingBodyFacts }>
  | DomainEvent<'AgendaItemAdded', { meetingId: string; itemId: string; position: number; title: string }>
  | DomainEvent<'MeetingConvened', { meetingId: string }>
  | DomainEvent<'MeetingPostponed', { meetingId: string; reason: string }>
  | DomainEvent<'MeetingRescheduled', { meetingId: string; date: string; body: MeetingBodyFacts }>
  | DomainEvent<'MeetingCancelled', { meetingId: string; reason: string }>
  | DomainEvent<'SessionOpened', { meetingId: string; session: number }>
  | DomainEvent<'AttendanceRecorded', { meetingId: string; attendance: AttendanceEntry[] }>
  | DomainEvent<'QuorumChecked', { meetingId: string } & QuorumCheck>
  | DomainEvent<'MotionTabled', { meetingId: string; motionId: string; text: string; target: MotionTarget; agendaItemId: string | null }>
  | DomainEvent<'VoteRecorded', { meetingId: string; motionId: string; votes: IndividualVote[]; counts: VoteCount[] }>
  | DomainEvent<
      'DecisionRecorded',
      {
        meetingId: string;
        decisionId: string;
        motionId: string;
        bodyId: string;
        bodyFunction: BodyFunction;
        outcome: DecisionOutcome;
        quorumReached: boolean;
        yes: number;
        no: number;
        target: MotionTarget;
      }
    >
  | DomainEvent<'MeetingClosed', { meetingId: string }>
  | DomainEvent<'MinutesApproved', { meetingId: string; minutesSha256: string }>;

// ---- state ------------------------------------------------------------------------------------

export interface MeetingMotion {
  motionId: string;
  text: string;
  target: MotionTarget;
  agendaItemId: string | null;
  vote?: { votes: IndividualVote[]; counts: VoteCount[] };
  decisionId?: string;
}

export interface MeetingDecision {
  decisionId: string;
  motionId: string;
  outcome: DecisionOutcome;
  quorumReached: boolean;
  target: MotionTarget;
}

export interface MeetingState {
  exists: boolean;
  meetingId?: string;
  title?: string;
  date?: string;
  body?: MeetingBodyFacts;
  status?: MeetingStatus;
  /** Number of the current (or last) session: 1 for the first opening. */
  session: number;
  agenda: { itemId: string; title: string }[];
  attendance: Record<string, { status: AttendanceStatus; proxyMemberId: string | null }>;
  /** The last quorum check of the current session, voided by any later change of attendance. */
  quorum?: QuorumCheck;
  motions: Record<string, MeetingMotion>;
  decisions: Record<string, MeetingDecision>;
  minutesSha256?: string;
}

const initialState: MeetingState = { exists: false, session: 0, agenda: [], attendance: {}, motions: {}, decisions: {} };

const MAX_MEMBERS = 500;
const MAX_AGENDA_ITEMS = 200;

/** Statuses from which each command may run; those that change the status say to which. */
const LIFECYCLE: Record<string, { from: MeetingStatus[]; to?: MeetingStatus }> = {
  AddAgendaItem: { from: ['scheduled', 'convened', 'in_session'] },
  ConveneMeeting: { from: ['scheduled'], to: 'convened' },
  PostponeMeeting: { from: ['scheduled', 'convened', 'in_session'], to: 'postponed' },
  RescheduleMeeting: { from: ['postponed'], to: 'scheduled' },
  CancelMeeting: { from: ['scheduled', 'convened', 'postponed'], to: 'cancelled' },
  OpenSession: { from: ['convened'], to: 'in_session' },
  RecordAttendance: { from: ['convened', 'in_session'] },
  CheckQuorum: { from: ['in_session'] },
  TableMotion: { from: ['scheduled', 'convened', 'in_session'] },
  RecordVote: { from: ['in_session'] },
  RecordDecision: { from: ['in_session'] },
  CloseMeeting: { from: ['in_session'], to: 'closed' },
  ApproveMinutes: { from: ['closed'], to: 'minutes_approved' },
};

// ---- helpers ----------------------------------------------------------------------------------

/** An administrator, or the secretary of this body (actor.mandate = the bodyId), records its meetings. */
function assertRecordsMeetingsOf(actor: Actor, bodyId: string): void {
  if (actor.role === 'administrator') return;
  ensure(
    actor.role === 'body-secretary' && actor.mandate === bodyId,
    'OnlyAnAdministratorMayDoThis',
    `meetings of body ${bodyId} are recorded by an administrator or by the secretary of that body; ${
      actor.role === 'body-secretary' ? `this secretary's mandate is ${typeof actor.mandate === 'string' ? actor.mandate : 'missing'}` : `not by a ${actor.role}`
    }`,
  );
}

/** Checks the body facts of a command and returns them without extra fields. */
function validateBodyFacts(body: Record<string, unknown>, field: string): MeetingBodyFacts {
  assertId(body.bodyId, `${field}.bodyId`);
  assertOneOf(body.function, BODY_FUNCTIONS, `${field}.function`);
  const quorum = validateQuorumRule(body.quorum, `${field}.quorum`);
  assertList(body.members, `${field}.members`, 1, MAX_MEMBERS);
  const seen = new Set<string>();
  const members = body.members.map((member, i): RosterMember => {
    const at = `${field}.members[${i}]`;
    assertRecord(member, at, 'a member: { memberId, partyId, votingRight }');
    assertId(member.memberId, `${at}.memberId`);
    ensure(!seen.has(member.memberId), 'ValueMustBeValid', `member ${member.memberId} is listed twice`, `${at}.memberId`);
    seen.add(member.memberId);
    assertId(member.partyId, `${at}.partyId`);
    assertBoolean(member.votingRight, `${at}.votingRight`);
    return { memberId: member.memberId, partyId: member.partyId, votingRight: member.votingRight };
  });
  ensure(members.some((m) => m.votingRight), 'ValueMustBeValid', 'the roster has no member with a voting right', `${field}.members`);
  return { bodyId: body.bodyId, function: body.function, quorum, members };
}

function assertContractDate(date: unknown, field: string): asserts date is string {
  assertDate(date, field);
  ensure(date >= '2024-01-01' && date <= '2030-12-31', 'PeriodIsWithinTheContract', `${field} ${date} is outside the contract (2024–2030)`, field);
}

function tally(votes: IndividualVote[]): Record<VoteOption, number> {
  const counts = Object.fromEntries(VOTE_OPTIONS.map((o) => [o, 0])) as Record<VoteOption, number>;
  for (const vote of votes) counts[vote.option] += 1;
  return counts;
}

/** The outcome the vote gives: approved when yes > no (simple majority of the votes cast). */
export function outcomeOfVote(counts: VoteCount[]): DecisionOutcome {
  const value = (option: VoteOption) => counts.find((c) => c.option === option)?.value ?? 0;
  return value('yes') > value('no') ? 'approved' : 'rejected';
}

// ---- decide -----------------------------------------------------------------------------------

function decide(command: MeetingCommand, state: MeetingState): MeetingEvent[] {
  assertContext(command);
  assertId(command.meetingId, 'meetingId');
  const { meetingId } = command;

  if (command.type === 'ScheduleMeeting') {
    assertRecord(command.body, 'body', 'the body facts: { bodyId, function, quorum, members }');
    assertId(command.body.bodyId, 'body.bodyId');
    assertRecordsMeetingsOf(command.actor, command.body.bodyId);
    ensure(!state.exists, 'AggregateMustNotExistYet', `meeting ${meetingId} already exists`, 'meetingId');
    assertText(command.title, 'title', 300);
    assertContractDate(command.date, 'date');
    const body = validateBodyFacts(command.body as unknown as Record<string, unknown>, 'body');
    return [{ type: 'MeetingScheduled', data: { meetingId, title: command.title, date: command.date, body } }];
  }

  if (!state.exists || !state.status || !state.body) throw notFound(`meeting ${meetingId}`);
  ensure(state.meetingId === meetingId, 'ValueMustBeValid', `this is the stream of meeting ${state.meetingId}`, 'meetingId');
  const body = state.body;
  assertRecordsMeetingsOf(command.actor, body.bodyId);

  const lifecycle = own(LIFECYCLE, command.type);
  if (!lifecycle) throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown(command.type)}`, 'type');
  ensure(
    lifecycle.from.includes(state.status),
    'TransitionMustFollowLifecycle',
    lifecycle.to
      ? `a meeting ${state.status.replace('_', ' ')} cannot become ${lifecycle.to.replace('_', ' ')}`
      : `${command.type} is not possible on a meeting ${state.status.replace('_', ' ')}`,
  );

  switch (command.type) {
    case 'AddAgendaItem': {
      assertId(command.itemId, 'itemId');
      const { itemId } = command;
      ensure(!state.agenda.some((item) => item.itemId === itemId), 'AggregateMustNotExistYet', `agenda item ${itemId} already exists`, 'itemId');
      ensure(state.agenda.length < MAX_AGENDA_ITEMS, 'ValueMustBeValid', `an agenda has at most ${MAX_AGENDA_ITEMS} items`, 'itemId');
      assertText(command.title, 'title', 500);
      return [{ type: 'AgendaItemAdded', data: { meetingId, itemId, position: state.agenda.length + 1, title: command.title } }];
    }
    case 'ConveneMeeting':
      // A convocation states the agenda (ordre du jour).
      ensure(state.agenda.length > 0, 'TransitionMustFollowLifecycle', 'a meeting is convened with an agenda: add an agenda item first');
      return [{ type: 'MeetingConvened', data: { meetingId } }];
    case 'PostponeMeeting': {
      const voted = Object.values(state.motions).some((m) => m.vote);
      ensure(!voted, 'TransitionMustFollowLifecycle', 'a meeting that has voted is closed, not postponed');
      assertText(command.reason, 'reason');
      return [{ type: 'MeetingPostponed', data: { meetingId, reason: command.reason } }];
    }
    case 'RescheduleMeeting': {
      assertContractDate(command.date, 'date');
      assertRecord(command.body, 'body', 'the body facts: { bodyId, function, quorum, members }');
      const facts = validateBodyFacts(command.body as unknown as Record<string, unknown>, 'body');
      ensure(facts.bodyId === body.bodyId, 'ValueMustBeValid', `meeting ${meetingId} is a meeting of body ${body.bodyId}`, 'body.bodyId');
      return [{ type: 'MeetingRescheduled', data: { meetingId, date: command.date, body: facts } }];
    }
    case 'CancelMeeting':
      assertText(command.reason, 'reason');
      return [{ type: 'MeetingCancelled', data: { meetingId, reason: command.reason } }];
    case 'OpenSession':
      return [{ type: 'SessionOpened', data: { meetingId, session: state.session + 1 } }];
    case 'RecordAttendance':
      return [{ type: 'AttendanceRecorded', data: { meetingId, attendance: validateAttendance(command.attendance, state, body) } }];
    case 'CheckQuorum': {
      const voting = body.members.filter((m) => m.votingRight);
      const statusOf = (memberId: string) => own(state.attendance, memberId)?.status;
      const present = voting.filter((m) => statusOf(m.memberId) === 'present').length;
      const represented = voting.filter((m) => statusOf(m.memberId) === 'represented').length;
      const counted = present + represented;
      const required = quorumRequired(body.quorum, voting.length);
      return [
        {
          type: 'QuorumChecked',
          data: { meetingId, session: state.session, rule: body.quorum, votingMembers: voting.length, present, represented, counted, required, reached: counted >= required },
        },
      ];
    }
    case 'TableMotion': {
      assertId(command.motionId, 'motionId');
      const { motionId } = command;
      ensure(!own(state.motions, motionId), 'AggregateMustNotExistYet', `motion ${motionId} already exists`, 'motionId');
      assertText(command.text, 'text', 10_000);
      assertRecord(command.target, 'target', 'what the motion is about: { kind, id }');
      assertOneOf(command.target.kind, MOTION_TARGET_KINDS, 'target.kind');
      const kind = command.target.kind;
      const targetId = command.target.id ?? null;
      if (kind !== 'other' || targetId !== null) assertId(targetId, 'target.id');
      const agendaItemId = command.agendaItemId ?? null;
      if (agendaItemId !== null) {
        assertId(agendaItemId, 'agendaItemId');
        if (!state.agenda.some((item) => item.itemId === agendaItemId)) {
          throw new DomainRuleError('AggregateMustExist', `agenda item ${agendaItemId} is not on the agenda`, 'agendaItemId');
        }
      }
      return [{ type: 'MotionTabled', data: { meetingId, motionId, text: command.text, target: { kind, id: targetId }, agendaItemId } }];
    }
    case 'RecordVote': {
      assertId(command.motionId, 'motionId');
      const { motionId } = command;
      const motion = own(state.motions, motionId);
      if (!motion) throw new DomainRuleError('AggregateMustExist', `motion ${motionId} was not tabled`, 'motionId');
      ensure(!motion.vote, 'MotionIsDecidedOnce', `motion ${motionId} has already been put to the vote`, 'motionId');
      const votes = validateVotes(command.votes, state, body);
      const counts = validateCounts(command.counts, votes);
      return [{ type: 'VoteRecorded', data: { meetingId, motionId, votes, counts } }];
    }
    case 'RecordDecision': {
      assertId(command.decisionId, 'decisionId');
      assertId(command.motionId, 'motionId');
      if (command.outcome !== undefined) assertOneOf(command.outcome, ['approved', 'rejected'] as const, 'outcome');
      const { decisionId, motionId } = command;
      ensure(!own(state.decisions, decisionId), 'AggregateMustNotExistYet', `decision ${decisionId} already exists`, 'decisionId');
      const motion = own(state.motions, motionId);
      if (!motion) throw new DomainRuleError('AggregateMustExist', `motion ${motionId} was not tabled`, 'motionId');
      ensure(!motion.decisionId, 'MotionIsDecidedOnce', `motion ${motionId} is already decided by ${motion.decisionId}`, 'motionId');
      ensure(motion.vote, 'TransitionMustFollowLifecycle', `motion ${motionId} has not been put to the vote`, 'motionId');
      const quorum = state.quorum;
      ensure(
        quorum && quorum.session === state.session,
        'DecisionNeedsQuorateMeeting',
        'no quorum check is recorded for this session since attendance last changed: check the quorum first',
      );
      ensure(
        quorum.reached,
        'DecisionNeedsQuorateMeeting',
        `the quorum was not reached: ${quorum.counted} member(s) with a voting right present or represented, ${quorum.required} required`,
      );
      const outcome = outcomeOfVote(motion.vote.counts);
      ensure(
        command.outcome === undefined || command.outcome === outcome,
        'VoteCountsEqualIndividualVotes',
        `the vote on motion ${motionId} gives ${outcome}, not ${command.outcome}`,
        'outcome',
      );
      const count = (option: VoteOption) => motion.vote!.counts.find((c) => c.option === option)?.value ?? 0;
      return [
        {
          type: 'DecisionRecorded',
          data: {
            meetingId,
            decisionId,
            motionId,
            bodyId: body.bodyId,
            bodyFunction: body.function,
            outcome,
            quorumReached: true,
            yes: count('yes'),
            no: count('no'),
            target: motion.target,
          },
        },
      ];
    }
    case 'CloseMeeting':
      return [{ type: 'MeetingClosed', data: { meetingId } }];
    case 'ApproveMinutes':
      assertSha256(command.minutesSha256, 'minutesSha256');
      return [{ type: 'MinutesApproved', data: { meetingId, minutesSha256: command.minutesSha256 } }];
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

/**
 * Attendance of roster members, merged into what was recorded before. A represented member has a voting
 * right and gives a proxy to another member of the roster who is present, has a voting right and holds no
 * other proxy (at most one proxy per member).
 */
function validateAttendance(value: unknown, state: MeetingState, body: MeetingBodyFacts): AttendanceEntry[] {
  assertList(value, 'attendance', 1, MAX_MEMBERS);
  const roster = new Map(body.members.map((m) => [m.memberId, m]));
  const merged = new Map<string, { status: AttendanceStatus; proxyMemberId: string | null }>(Object.entries(state.attendance));
  const indexOf = new Map<string, number>();
  const entries = value.map((entry, i): AttendanceEntry => {
    const at = `attendance[${i}]`;
    assertRecord(entry, at, 'an attendance: { memberId, status, proxyMemberId? }');
    assertId(entry.memberId, `${at}.memberId`);
    const memberId = entry.memberId;
    ensure(roster.has(memberId), 'AttendanceIsOfMembers', `${memberId} is not on the roster of body ${body.bodyId} for this meeting`, `${at}.memberId`);
    ensure(!indexOf.has(memberId), 'ValueMustBeValid', `member ${memberId} is listed twice`, `${at}.memberId`);
    assertOneOf(entry.status, ATTENDANCE_STATUSES, `${at}.status`);
    let proxyMemberId: string | null = null;
    if (entry.status === 'represented') {
      assertId(entry.proxyMemberId, `${at}.proxyMemberId`);
      proxyMemberId = entry.proxyMemberId;
    } else {
      ensure(entry.proxyMemberId === undefined || entry.proxyMemberId === null, 'ValueMustBeValid', 'only a represented member has a proxy', `${at}.proxyMemberId`);
    }
    indexOf.set(memberId, i);
    merged.set(memberId, { status: entry.status, proxyMemberId });
    return { memberId, status: entry.status, proxyMemberId };
  });

  const holding = new Map<string, string>();
  for (const [memberId, { status, proxyMemberId }] of merged) {
    if (status !== 'represented' || proxyMemberId === null) continue;
    const i = indexOf.get(memberId);
    const j = indexOf.get(proxyMemberId);
    const field = i !== undefined ? `attendance[${i}].proxyMemberId` : j !== undefined ? `attendance[${j}].status` : 'attendance';
    ensure(
      roster.get(memberId)!.votingRight,
      'OnlyVotingMembersVote',
      `member ${memberId} has no voting right to give by proxy`,
      i !== undefined ? `attendance[${i}].status` : 'attendance',
    );
    ensure(proxyMemberId !== memberId, 'ProxyIsAPresentMember', `member ${memberId} cannot hold their own proxy`, field);
    const proxy = roster.get(proxyMemberId);
    ensure(proxy, 'ProxyIsAPresentMember', `proxy ${proxyMemberId} is not on the roster of body ${body.bodyId}`, field);
    ensure(proxy.votingRight, 'ProxyIsAPresentMember', `proxy ${proxyMemberId} has no voting right`, field);
    ensure(merged.get(proxyMemberId)?.status === 'present', 'ProxyIsAPresentMember', `proxy ${proxyMemberId} holds the proxy of ${memberId} and must be present`, field);
    const other = holding.get(proxyMemberId);
    ensure(other === undefined, 'ProxyIsAPresentMember', `member ${proxyMemberId} already holds the proxy of ${other}: a member holds at most one proxy`, field);
    holding.set(proxyMemberId, memberId);
  }
  return entries;
}

/**
 * One vote per member with a voting right. `yes`, `no`, `abstain` and `not voting` need the member present
 * or represented; the proxy holder casts a represented member's vote; `absent` may be recorded for any
 * member with a voting right.
 */
function validateVotes(value: unknown, state: MeetingState, body: MeetingBodyFacts): IndividualVote[] {
  assertList(value, 'votes', 1, MAX_MEMBERS);
  const roster = new Map(body.members.map((m) => [m.memberId, m]));
  const seen = new Set<string>();
  return value.map((vote, i): IndividualVote => {
    const at = `votes[${i}]`;
    assertRecord(vote, at, 'a vote: { memberId, option, proxyMemberId? }');
    assertId(vote.memberId, `${at}.memberId`);
    assertOneOf(vote.option, VOTE_OPTIONS, `${at}.option`);
    const given = vote.proxyMemberId ?? null;
    if (given !== null) assertId(given, `${at}.proxyMemberId`);
    const { memberId, option } = vote;
    ensure(!seen.has(memberId), 'OneVotePerMemberPerMotion', `member ${memberId} votes once on this motion`, `${at}.memberId`);
    seen.add(memberId);
    const member = roster.get(memberId);
    ensure(member, 'OnlyVotingMembersVote', `${memberId} is not a member of body ${body.bodyId} at this meeting`, `${at}.memberId`);
    ensure(member.votingRight, 'OnlyVotingMembersVote', `member ${memberId} has no voting right`, `${at}.memberId`);
    if (option === 'absent') {
      ensure(given === null, 'OnlyVotingMembersVote', 'no one casts the vote of an absent member', `${at}.proxyMemberId`);
      return { memberId, option, proxyMemberId: null };
    }
    const attendance = own(state.attendance, memberId);
    ensure(
      attendance?.status === 'present' || attendance?.status === 'represented',
      'OnlyVotingMembersVote',
      `member ${memberId} is ${attendance?.status ?? 'not recorded as present'}: only a present or represented member votes`,
      `${at}.memberId`,
    );
    if (attendance.status === 'present') {
      ensure(given === null, 'OnlyVotingMembersVote', `member ${memberId} is present and votes in person`, `${at}.proxyMemberId`);
      return { memberId, option, proxyMemberId: null };
    }
    ensure(
      given === null || given === attendance.proxyMemberId,
      'OnlyVotingMembersVote',
      `member ${memberId} is represented by ${attendance.proxyMemberId}: only that proxy casts the vote`,
      `${at}.proxyMemberId`,
    );
    return { memberId, option, proxyMemberId: attendance.proxyMemberId };
  });
}

/** Declared counts (Popolo `{ option, value }`; an option left out counts 0) equal the tally of the votes. */
function validateCounts(value: unknown, votes: IndividualVote[]): VoteCount[] {
  assertList(value, 'counts', 0, VOTE_OPTIONS.length);
  const declared = new Map<VoteOption, { value: number; index: number }>();
  value.forEach((count, i) => {
    const at = `counts[${i}]`;
    assertRecord(count, at, 'a count: { option, value }');
    assertOneOf(count.option, VOTE_OPTIONS, `${at}.option`);
    ensure(!declared.has(count.option), 'ValueMustBeValid', `option ${count.option} is counted twice`, `${at}.option`);
    ensure(Number.isSafeInteger(count.value) && (count.value as number) >= 0, 'ValueMustBeValid', `${at}.value must be a whole number ≥ 0`, `${at}.value`);
    declared.set(count.option, { value: count.value as number, index: i });
  });
  const tallied = tally(votes);
  return VOTE_OPTIONS.map((option) => {
    const entry = declared.get(option);
    ensure(
      (entry?.value ?? 0) === tallied[option],
      'VoteCountsEqualIndividualVotes',
      `${tallied[option]} individual vote(s) are "${option}", ${entry?.value ?? 0} declared`,
      entry ? `counts[${entry.index}].value` : 'counts',
    );
    return { option, value: tallied[option] };
  });
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: MeetingState, event: RecordedEvent<MeetingEvent>): MeetingState {
  switch (event.type) {
    case 'MeetingScheduled': {
      const { meetingId, title, date, body } = event.data;
      return { ...state, exists: true, status: 'scheduled', meetingId, title, date, body };
    }
    case 'AgendaItemAdded':
      return { ...state, agenda: [...state.agenda, { itemId: event.data.itemId, title: event.data.title }] };
    case 'MeetingConvened':
      return { ...state, status: 'convened' };
    case 'MeetingPostponed':
      return { ...state, status: 'postponed', attendance: {}, quorum: undefined };
    case 'MeetingRescheduled':
      return { ...state, status: 'scheduled', date: event.data.date, body: event.data.body, attendance: {}, quorum: undefined };
    case 'MeetingCancelled':
      return { ...state, status: 'cancelled' };
    case 'SessionOpened':
      return { ...state, status: 'in_session', session: event.data.session, quorum: undefined };
    case 'AttendanceRecorded': {
      const attendance = { ...state.attendance };
      for (const { memberId, status, proxyMemberId } of event.data.attendance) attendance[memberId] = { status, proxyMemberId };
      return { ...state, attendance, quorum: undefined };
    }
    case 'QuorumChecked': {
      const { meetingId: _m, ...check } = event.data;
      return { ...state, quorum: check };
    }
    case 'MotionTabled': {
      const { motionId, text, target, agendaItemId } = event.data;
      return { ...state, motions: { ...state.motions, [motionId]: { motionId, text, target, agendaItemId } } };
    }
    case 'VoteRecorded': {
      const { motionId, votes, counts } = event.data;
      return { ...state, motions: { ...state.motions, [motionId]: { ...state.motions[motionId], vote: { votes, counts } } } };
    }
    case 'DecisionRecorded': {
      const { decisionId, motionId, outcome, quorumReached, target } = event.data;
      return {
        ...state,
        motions: { ...state.motions, [motionId]: { ...state.motions[motionId], decisionId } },
        decisions: { ...state.decisions, [decisionId]: { decisionId, motionId, outcome, quorumReached, target } },
      };
    }
    case 'MeetingClosed':
      return { ...state, status: 'closed' };
    case 'MinutesApproved':
      return { ...state, status: 'minutes_approved', minutesSha256: event.data.minutesSha256 };
    default:
      return state;
  }
}

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  aggregate: 'meeting',
  initialState,
  decide,
  evolve,
};

// ---- facts for other aggregates ----------------------------------------------------------------

/** What the Amendment decider needs to know about a decision: which body took it, and how. */
export interface MeetingDecisionFacts {
  decisionId: string;
  meetingId: string;
  bodyId: string;
  bodyFunction: BodyFunction;
  quorumReached: boolean;
  outcome: DecisionOutcome;
  target: MotionTarget;
}

/** The facts of decision `decisionId` of this meeting; AggregateMustExist when the meeting took no such decision. */
export function decisionFacts(state: MeetingState, decisionId: string): MeetingDecisionFacts {
  const decision = typeof decisionId === 'string' ? own(state.decisions, decisionId) : undefined;
  if (!state.exists || !state.body || !decision) throw notFound(`decision ${decisionId} of meeting ${state.meetingId ?? '(none)'}`);
  return {
    decisionId,
    meetingId: state.meetingId!,
    bodyId: state.body.bodyId,
    bodyFunction: state.body.function,
    quorumReached: decision.quorumReached,
    outcome: decision.outcome,
    target: { ...decision.target },
  };
}

