import { assertAdministrator } from '../shared/acting';
import type { CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertBoolean, assertContext, assertId, assertInteger, assertRecord, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertDate, assertOneOf, assertText, notFound } from '../shared/values';

/**
 * GovernanceBody (instance de gouvernance) of the Contrat de ville et des solidarités. The governance pact
 * has three functions (DESIGN §1): `pilotage` (piloter et coordonner), `suivi` (suivre) and `animation`
 * (animer). Memberships change over time, Popolo-like: a pseudonymous member sits for a party
 * (`on_behalf_of`) on a seat, with or without a voting right, from a start date to an end date (inclusive).
 *
 * Lifecycle: created → constituted. Loi 2014-173 art. 7 asks for conseil citoyen representatives in every
 * steering body (rule SteeringBodyHasCitizenSeats): a `pilotage` body declares ≥ 1 citizen seat when
 * created, has ≥ 1 citizen member on the day it is constituted, and from then on the last citizen member
 * cannot leave without a replacement taking over the next day.
 *
 * Only an administrator creates bodies and changes memberships.
 */

export const BODY_FUNCTIONS = ['pilotage', 'suivi', 'animation'] as const;
export type BodyFunction = (typeof BODY_FUNCTIONS)[number];

/**
 * The seats of a body: a signatory's representative, a conseil citoyen representative, a qualified
 * expert, an observer (never a voting right).
 */
export const BODY_SEATS = ['signatory', 'citizen', 'expert', 'observer'] as const;
export type BodySeat = (typeof BODY_SEATS)[number];

/**
 * How many members with a voting right must be present or represented for the body to decide:
 * - `fraction`: at least numerator/denominator of the members with a voting right on the meeting's
 *   roster, rounded up, and never fewer than 1 (`{ kind: 'fraction', numerator: 1, denominator: 2 }`:
 *   at least half);
 * - `count`: at least `minimum` of them.
 */
export type QuorumRule = { kind: 'fraction'; numerator: number; denominator: number } | { kind: 'count'; minimum: number };

export interface BodyMember {
  memberId: string;
  /** The party the member sits for (Popolo `on_behalf_of`). */
  partyId: string;
  votingRight: boolean;
  seat: BodySeat;
}

export interface BodyMembership extends BodyMember {
  startDate: string;
  /** Last day of the membership, inclusive; null while it lasts. */
  endDate: string | null;
}

// ---- commands ---------------------------------------------------------------------------------

export type GovernanceBodyCommand = CommandContext &
  (
    | {
        type: 'CreateGovernanceBody';
        bodyId: string;
        name: string;
        function: BodyFunction;
        quorum: QuorumRule;
        /** Number of conseil citoyen seats: ≥ 1 for a `pilotage` body, 0 when omitted for the others. */
        citizenSeats?: number;
      }
    | { type: 'AddMember'; bodyId: string; memberId: string; partyId: string; votingRight: boolean; seat: BodySeat; startDate: string }
    | { type: 'EndMembership'; bodyId: string; memberId: string; endDate: string }
    | { type: 'ConstituteGovernanceBody'; bodyId: string; constitutedOn: string }
  );

// ---- events -----------------------------------------------------------------------------------

export type GovernanceBodyEvent =
  | DomainEvent<'GovernanceBodyCreated', { bodyId: string; name: string; function: BodyFunction; quorum: QuorumRule; citizenSeats: number }>
  | DomainEvent<'MemberAdded', { bodyId: string } & BodyMember & { startDate: string }>
  | DomainEvent<'MembershipEnded', { bodyId: string; memberId: string; startDate: string; endDate: string }>
  | DomainEvent<'GovernanceBodyConstituted', { bodyId: string; constitutedOn: string }>;

// ---- state ------------------------------------------------------------------------------------

export type GovernanceBodyStatus = 'created' | 'constituted';

export interface GovernanceBodyState {
  exists: boolean;
  bodyId?: string;
  name?: string;
  function?: BodyFunction;
  quorum?: QuorumRule;
  citizenSeats: number;
  status?: GovernanceBodyStatus;
  constitutedOn?: string;
  /** Every membership ever held, in the order they were added. */
  memberships: BodyMembership[];
}

const initialState: GovernanceBodyState = { exists: false, citizenSeats: 0, memberships: [] };

// ---- helpers ----------------------------------------------------------------------------------

function activeOn(membership: BodyMembership, date: string): boolean {
  return membership.startDate <= date && (membership.endDate === null || date <= membership.endDate);
}

/** The members of the body on `date` (YYYY-MM-DD), with their party, seat and voting right. */
export function membersOn(state: GovernanceBodyState, date: string): BodyMember[] {
  assertDate(date, 'date');
  return state.memberships
    .filter((m) => activeOn(m, date))
    .map(({ memberId, partyId, votingRight, seat }) => ({ memberId, partyId, votingRight, seat }));
}

function citizensOn(memberships: BodyMembership[], date: string): number {
  return memberships.filter((m) => m.seat === 'citizen' && activeOn(m, date)).length;
}

/** The calendar day after `date` (YYYY-MM-DD). */
function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Checks a quorum rule from a command and returns it without extra fields. */
export function validateQuorumRule(value: unknown, field: string): QuorumRule {
  assertRecord(value, field, "a quorum rule: { kind: 'fraction', numerator, denominator } or { kind: 'count', minimum }");
  assertOneOf(value.kind, ['fraction', 'count'] as const, `${field}.kind`);
  if (value.kind === 'count') {
    assertInteger(value.minimum, `${field}.minimum`, 1, 1000);
    return { kind: 'count', minimum: value.minimum };
  }
  assertInteger(value.denominator, `${field}.denominator`, 1, 100);
  assertInteger(value.numerator, `${field}.numerator`, 1, value.denominator);
  return { kind: 'fraction', numerator: value.numerator, denominator: value.denominator };
}

/** How many members with a voting right, present or represented, the rule requires out of `votingMembers`. */
export function quorumRequired(rule: QuorumRule, votingMembers: number): number {
  if (rule.kind === 'count') return rule.minimum;
  return Math.max(1, Math.ceil((votingMembers * rule.numerator) / rule.denominator));
}

// ---- decide -----------------------------------------------------------------------------------

function decide(command: GovernanceBodyCommand, state: GovernanceBodyState): GovernanceBodyEvent[] {
  assertContext(command);
  assertAdministrator(command.actor, 'a governance body and its memberships');
  assertId(command.bodyId, 'bodyId');
  const { bodyId } = command;

  if (command.type === 'CreateGovernanceBody') {
    ensure(!state.exists, 'AggregateMustNotExistYet', `governance body ${bodyId} already exists`, 'bodyId');
    assertText(command.name, 'name', 300);
    assertOneOf(command.function, BODY_FUNCTIONS, 'function');
    const quorum = validateQuorumRule(command.quorum, 'quorum');
    if (command.citizenSeats !== undefined) assertInteger(command.citizenSeats, 'citizenSeats', 0, 100);
    const citizenSeats = command.citizenSeats ?? 0;
    ensure(
      command.function !== 'pilotage' || citizenSeats >= 1,
      'SteeringBodyHasCitizenSeats',
      'a steering (pilotage) body has at least one conseil citoyen seat (loi 2014-173, art. 7)',
      'citizenSeats',
    );
    return [{ type: 'GovernanceBodyCreated', data: { bodyId, name: command.name, function: command.function, quorum, citizenSeats } }];
  }

  if (!state.exists || !state.status) throw notFound(`governance body ${bodyId}`);
  ensure(state.bodyId === bodyId, 'ValueMustBeValid', `this is the stream of governance body ${state.bodyId}`, 'bodyId');

  switch (command.type) {
    case 'AddMember': {
      assertId(command.memberId, 'memberId');
      assertId(command.partyId, 'partyId');
      assertBoolean(command.votingRight, 'votingRight');
      assertOneOf(command.seat, BODY_SEATS, 'seat');
      assertDate(command.startDate, 'startDate');
      const { memberId, partyId, votingRight, seat, startDate } = command;
      ensure(!(seat === 'observer' && votingRight), 'ValueMustBeValid', 'an observer has no voting right', 'votingRight');
      // The new membership runs from startDate with no end: it overlaps any membership of the same member
      // that has not ended before startDate.
      const overlapping = state.memberships.find((m) => m.memberId === memberId && (m.endDate === null || m.endDate >= startDate));
      ensure(
        !overlapping,
        'AggregateMustNotExistYet',
        `member ${memberId} already has a membership from ${overlapping?.startDate} ${overlapping?.endDate ? `to ${overlapping.endDate}` : 'with no end'}: membership periods of one member do not overlap`,
        'startDate',
      );
      if (seat === 'citizen') {
        // The most citizen members at once from startDate on is reached on startDate or on a later start.
        const starts = [startDate, ...state.memberships.filter((m) => m.seat === 'citizen' && m.startDate > startDate).map((m) => m.startDate)];
        const full = starts.find((date) => citizensOn(state.memberships, date) + 1 > state.citizenSeats);
        ensure(
          full === undefined,
          'ValueMustBeValid',
          `all ${state.citizenSeats} conseil citoyen seat(s) of body ${bodyId} are taken on ${full}`,
          'seat',
        );
      }
      return [{ type: 'MemberAdded', data: { bodyId, memberId, partyId, votingRight, seat, startDate } }];
    }
    case 'EndMembership': {
      assertId(command.memberId, 'memberId');
      assertDate(command.endDate, 'endDate');
      const { memberId, endDate } = command;
      const open = state.memberships.find((m) => m.memberId === memberId && m.endDate === null);
      if (!open) throw new DomainRuleError('AggregateMustExist', `member ${memberId} has no current membership of body ${bodyId}`, 'memberId');
      ensure(endDate >= open.startDate, 'ValueMustBeValid', `endDate must not precede the start of the membership (${open.startDate})`, 'endDate');
      if (state.function === 'pilotage' && state.status === 'constituted' && open.seat === 'citizen') {
        const after = state.memberships.map((m) => (m === open ? { ...m, endDate } : m));
        // Citizen members can only run out the day after one of their memberships ends.
        const from = [nextDay(endDate), state.constitutedOn!].sort()[1];
        const checks = [from, ...after.filter((m) => m.seat === 'citizen' && m.endDate !== null && nextDay(m.endDate) > from).map((m) => nextDay(m.endDate!))];
        const uncovered = checks.find((date) => citizensOn(after, date) === 0);
        ensure(
          uncovered === undefined,
          'SteeringBodyHasCitizenSeats',
          `steering body ${bodyId} would have no conseil citoyen member on ${uncovered}: add the replacement first`,
          'endDate',
        );
      }
      return [{ type: 'MembershipEnded', data: { bodyId, memberId, startDate: open.startDate, endDate } }];
    }
    case 'ConstituteGovernanceBody': {
      ensure(state.status === 'created', 'TransitionMustFollowLifecycle', `governance body ${bodyId} is already constituted`);
      assertDate(command.constitutedOn, 'constitutedOn');
      const { constitutedOn } = command;
      ensure(
        state.function !== 'pilotage' || citizensOn(state.memberships, constitutedOn) >= 1,
        'SteeringBodyHasCitizenSeats',
        `steering body ${bodyId} has no conseil citoyen member on ${constitutedOn} (loi 2014-173, art. 7)`,
        'constitutedOn',
      );
      return [{ type: 'GovernanceBodyConstituted', data: { bodyId, constitutedOn } }];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: GovernanceBodyState, event: RecordedEvent<GovernanceBodyEvent>): GovernanceBodyState {
  switch (event.type) {
    case 'GovernanceBodyCreated': {
      const { bodyId, name, function: fn, quorum, citizenSeats } = event.data;
      return { ...state, exists: true, status: 'created', bodyId, name, function: fn, quorum, citizenSeats };
    }
    case 'MemberAdded': {
      const { memberId, partyId, votingRight, seat, startDate } = event.data;
      return { ...state, memberships: [...state.memberships, { memberId, partyId, votingRight, seat, startDate, endDate: null }] };
    }
    case 'MembershipEnded': {
      const { memberId, startDate, endDate } = event.data;
      return {
        ...state,
        memberships: state.memberships.map((m) => (m.memberId === memberId && m.startDate === startDate ? { ...m, endDate } : m)),
      };
    }
    case 'GovernanceBodyConstituted':
      return { ...state, status: 'constituted', constitutedOn: event.data.constitutedOn };
    default:
      return state;
  }
}

export const governanceBodyDecider: Decider<GovernanceBodyCommand, GovernanceBodyEvent, GovernanceBodyState> = {
  aggregate: 'governance-body',
  initialState,
  decide,
  evolve,
};
