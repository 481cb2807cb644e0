import {
  type BodyFunction,
  type BodySeat,
  type DecisionOutcome,
  type GovernanceBodyCommand,
  governanceBodyDecider,
  type GovernanceBodyState,
  type MeetingCommand,
  meetingDecider,
  type MeetingState,
  type MotionTargetKind,
  type QuorumRule,
  quorumRequired,
  VOTE_OPTIONS,
  type VoteOption,
  membersOn,
} from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import { dateOf, dayFromParts, epochOf, firstDayOfEpoch, HISTORY_END, HISTORY_START, lastDayOfEpoch, workday, yearOf } from './calendar';
import type { Round } from './commitments';
import { ADMINISTRATOR, type BuildContext, type Command, secretary, type StreamPlan, Timeline } from './plan';
import { hash32, Random } from './random';
import { AGENDA } from './texts';
import type { World } from './world';

export interface Member {
  memberId: string;
  partyId: string;
  votingRight: boolean;
  seat: BodySeat;
}

interface MembershipChange {
  recDay: number;
  end?: { memberId: string; endDay: number };
  add?: Member & { startDay: number };
}

export interface MotionSpec {
  motionId: string;
  decisionId: string;
  text: string;
  target: { kind: MotionTargetKind; id: string | null };
  /** The outcome the vote must give (a programmation, an amendment); free otherwise. */
  outcome?: DecisionOutcome;
}

export interface MeetingSpec {
  meetingId: string;
  bodyId: string;
  title: string;
  day: number;
  /** Minutes after midnight the session opens. */
  opens: number;
  agenda: string[];
  motions: MotionSpec[];
  /** Held; cancelled before it meets; or adjourned for want of a quorum and held on `newDay`. */
  fate: 'held' | 'cancelled' | 'no-quorum';
  newDay?: number;
  /** Meetings whose decisions others rely on must reach their quorum. */
  decisive: boolean;
}

export interface BodySpec {
  bodyId: string;
  name: string;
  function: BodyFunction;
  quorum: QuorumRule;
  citizenSeats: number;
  /** Null for the bodies of the seed. */
  createDay: number | null;
  initial: Member[];
  changes: MembershipChange[];
  meetings: MeetingSpec[];
  /** First day a meeting may be held: the month after the body was constituted. */
  meetsFrom: number;
}

const CITIZENS = 'party-conseils-citoyens';

/** The bodies of the seed, continued: their members as the seed constituted them. */
export function seedBodySpec(state: GovernanceBodyState): BodySpec {
  return {
    bodyId: state.bodyId!,
    name: state.name!,
    function: state.function!,
    quorum: state.quorum!,
    citizenSeats: state.citizenSeats,
    createDay: null,
    initial: state.memberships.filter((m) => m.endDate === null).map(({ memberId, partyId, votingRight, seat }) => ({ memberId, partyId, votingRight, seat })),
    changes: [],
    meetings: [],
    meetsFrom: firstDayOfEpoch(epochOf(HISTORY_START) + 1),
  };
}

/**
 * `count` bodies created in the months after the signature: a local steering committee per commune,
 * a follow-up committee per QPV, then thematic working groups per enjeu and territory.
 */
export function planBodies(world: World, count: number): BodySpec[] {
  const random = world.random;
  const bodies: BodySpec[] = [];
  const shortId = (partyId: string) => partyId.replace(/^party-/, '').slice(0, 50);
  for (let i = 0; i < count; i++) {
    const createDay = workday(HISTORY_START + random.int(10, 170));
    const associations = world.partiesBefore(createDay, ['association']);
    let spec: Omit<BodySpec, 'changes' | 'meetings' | 'meetsFrom' | 'createDay'>;
    if (i < world.communes.length) {
      const commune = world.communes[i];
      const bodyId = `copil-local-${commune.insee}`;
      const members: Member[] = [
        { memberId: `${bodyId}-commune`, partyId: commune.partyId, votingRight: true, seat: 'signatory' },
        { memberId: `${bodyId}-mel`, partyId: 'party-mel', votingRight: true, seat: 'signatory' },
        { memberId: `${bodyId}-etat`, partyId: 'party-etat', votingRight: true, seat: 'signatory' },
        { memberId: `${bodyId}-departement`, partyId: 'party-departement-nord', votingRight: true, seat: 'signatory' },
        ...(random.chance(0.5) ? [{ memberId: `${bodyId}-caf`, partyId: 'party-caf-nord', votingRight: true, seat: 'signatory' as const }] : []),
        { memberId: `${bodyId}-citoyen-1`, partyId: CITIZENS, votingRight: true, seat: 'citizen' },
        { memberId: `${bodyId}-citoyen-2`, partyId: CITIZENS, votingRight: true, seat: 'citizen' },
        ...random.sample(associations, 2).map((p, k) => ({ memberId: `${bodyId}-association-${k + 1}`, partyId: p.partyId, votingRight: false, seat: 'expert' as const })),
        { memberId: `${bodyId}-bailleurs`, partyId: 'party-bailleurs', votingRight: false, seat: 'observer' },
      ];
      spec = { bodyId, name: `Comité de pilotage local du contrat de ville — ${commune.name}`, function: 'pilotage', quorum: { kind: 'fraction', numerator: 1, denominator: 2 }, citizenSeats: 2, initial: members };
    } else if (i < world.communes.length + world.qpv.length) {
      const qpv = world.qpv[i - world.communes.length];
      const bodyId = `suivi-qpv-${qpv.code.toLowerCase()}`;
      const members: Member[] = [
        ...qpv.communes.map((insee) => ({ memberId: `${bodyId}-commune-${insee}`, partyId: `party-commune-${insee}`, votingRight: true, seat: 'signatory' as const })),
        { memberId: `${bodyId}-mel`, partyId: 'party-mel', votingRight: true, seat: 'signatory' },
        { memberId: `${bodyId}-etat`, partyId: 'party-etat', votingRight: true, seat: 'signatory' },
        { memberId: `${bodyId}-citoyen-1`, partyId: CITIZENS, votingRight: true, seat: 'citizen' },
        { memberId: `${bodyId}-citoyen-2`, partyId: CITIZENS, votingRight: true, seat: 'citizen' },
        ...random.sample(associations, 3).map((p, k) => ({ memberId: `${bodyId}-association-${k + 1}`, partyId: p.partyId, votingRight: true, seat: 'expert' as const })),
        { memberId: `${bodyId}-lmh`, partyId: 'party-lmh', votingRight: false, seat: 'observer' },
      ];
      spec = { bodyId, name: `Comité de suivi du quartier ${qpv.name}`, function: 'suivi', quorum: { kind: 'fraction', numerator: 1, denominator: 3 }, citizenSeats: 2, initial: members };
    } else {
      const n = i - world.communes.length - world.qpv.length;
      const priority = world.priorities[n % world.priorities.length];
      const place = world.qpv[Math.floor(n / world.priorities.length) % world.qpv.length];
      const bodyId = `gt-enjeu${priority.number}-${place.code.toLowerCase()}${n >= world.priorities.length * world.qpv.length ? `-${n}` : ''}`;
      const partners = random.sample(priority.partnerPartyIds.filter((p) => p !== 'party-mel'), random.int(2, 4));
      const members: Member[] = [
        { memberId: `${bodyId}-mel`, partyId: 'party-mel', votingRight: true, seat: 'signatory' },
        ...partners.map((p) => ({ memberId: `${bodyId}-${shortId(p)}`, partyId: p, votingRight: true, seat: 'expert' as const })),
        { memberId: `${bodyId}-citoyen-1`, partyId: CITIZENS, votingRight: true, seat: 'citizen' },
        ...random.sample(associations, 2).map((p, k) => ({ memberId: `${bodyId}-association-${k + 1}`, partyId: p.partyId, votingRight: true, seat: 'expert' as const })),
      ];
      const title = priority.title.length > 80 ? `${priority.title.slice(0, 77)}…` : priority.title;
      spec = { bodyId, name: `Groupe de travail « ${title} » — ${place.name}`, function: 'animation', quorum: { kind: 'fraction', numerator: 1, denominator: 3 }, citizenSeats: 1, initial: members };
    }
    bodies.push({ ...spec, createDay, changes: [], meetings: [], meetsFrom: firstDayOfEpoch(epochOf(createDay) + 1) });
  }
  return bodies;
}

/**
 * Memberships over the years: the communes' representatives change after the municipal elections of
 * March 2026; conseil citoyen members are renewed now and then; associations come and go. Each change
 * is recorded in a month and takes effect from the first day of the next one, so that a meeting of
 * that month has the roster it had when the month began.
 */
export function planMembershipChanges(world: World, body: BodySpec): void {
  const random = world.random;
  const from = body.createDay ?? HISTORY_START;
  /** Members by id, with the day their membership started. */
  const active = new Map(body.initial.map((m) => [m.memberId, { ...m, startDay: from }]));
  let serial = 0;
  const replace = (recDay: number, old: Member, next: Member) => {
    const epoch = epochOf(recDay);
    body.changes.push({ recDay, end: { memberId: old.memberId, endDay: lastDayOfEpoch(epoch) } });
    body.changes.push({ recDay, add: { ...next, startDay: firstDayOfEpoch(epoch + 1) } });
    active.delete(old.memberId);
    active.set(next.memberId, { ...next, startDay: firstDayOfEpoch(epoch + 1) });
  };
  for (let year = yearOf(from) + 1; year <= 2030; year++) {
    // The year's changes, in the order they happen.
    const changes: { day: number; kind: 'municipal' | 'citizen' | 'expert' }[] = [];
    if (year === 2026) changes.push({ day: workday(dayFromParts(2026, 3, 23)), kind: 'municipal' });
    if (random.chance(0.35)) changes.push({ day: workday(dayFromParts(year, random.int(1, 11), random.int(8, 24))), kind: 'citizen' });
    if (random.chance(0.25)) changes.push({ day: workday(dayFromParts(year, random.int(1, 11), random.int(8, 24))), kind: 'expert' });
    changes.sort((a, b) => a.day - b.day);
    for (const { day, kind } of changes) {
      // A membership recorded this month starts next month: it can only end from then on.
      const members = [...active.values()].filter((m) => m.startDay <= day);
      if (kind === 'municipal') {
        for (const member of members.filter((m) => m.partyId.startsWith('party-commune-'))) {
          const { startDay: _, ...kept } = member;
          replace(day, member, { ...kept, memberId: `${member.memberId}-2026`.slice(0, 100) });
        }
      } else if (kind === 'citizen') {
        const citizens = members.filter((m) => m.seat === 'citizen');
        if (citizens.length > 0) {
          const old = random.pick(citizens);
          const { startDay: _, ...kept } = old;
          replace(day, old, { ...kept, memberId: `${body.bodyId}-citoyen-r${++serial}` });
        }
      } else {
        const experts = members.filter((m) => m.seat === 'expert' && m.partyId !== 'party-mel');
        const candidates = world.partiesBefore(day, ['association']).filter((p) => ![...active.values()].some((m) => m.partyId === p.partyId));
        if (experts.length > 0 && candidates.length > 0) {
          const old = random.pick(experts);
          const party = random.pick(candidates);
          replace(day, old, { memberId: `${body.bodyId}-association-r${++serial}`, partyId: party.partyId, votingRight: old.votingRight, seat: 'expert' });
        }
      }
    }
  }
  body.changes.sort((a, b) => a.recDay - b.recDay); // stable: an end stays before its replacement
}

export function bodyPlan(body: BodySpec): StreamPlan {
  return {
    streamId: `governance-body-${body.bodyId}`,
    aggregateId: body.bodyId,
    decider: governanceBodyDecider as unknown as AnyDecider,
    steps: () => {
      const t = new Timeline<GovernanceBodyState>();
      const { bodyId } = body;
      const cmd = (fields: Record<string, unknown> & { type: GovernanceBodyCommand['type'] }) => ({ at }: BuildContext): Command =>
        ({ bodyId, ...fields, actor: ADMINISTRATOR, at }) as Command;
      if (body.createDay !== null) {
        const day = body.createDay;
        t.add(day, 10 * 60, cmd({ type: 'CreateGovernanceBody', name: body.name, function: body.function, quorum: body.quorum, citizenSeats: body.citizenSeats }));
        body.initial.forEach((m, i) => t.add(day, 10 * 60 + 1 + i, cmd({ type: 'AddMember', ...m, startDate: dateOf(day) })));
        t.add(day, 11 * 60 + 30, cmd({ type: 'ConstituteGovernanceBody', constitutedOn: dateOf(day) }));
      }
      body.changes.forEach((change, i) => {
        if (change.end) t.add(change.recDay, 14 * 60 + i, cmd({ type: 'EndMembership', memberId: change.end.memberId, endDate: dateOf(change.end.endDay) }));
        if (change.add) {
          const { startDay, ...member } = change.add;
          t.add(change.recDay, 14 * 60 + i, cmd({ type: 'AddMember', ...member, startDate: dateOf(startDay) }));
        }
      });
      return t.steps();
    },
  };
}

// ---- meetings -------------------------------------------------------------------------------------

/** A day a meeting can be held: a weekday from the 8th of its month (its convocation goes out that month). */
function meetingDay(day: number): number {
  let d = workday(day);
  while (Number(dateOf(d).slice(8, 10)) < 8) d = workday(d + 1);
  return d;
}

function frenchDate(day: number): string {
  const [y, m, d] = dateOf(day).split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The steering committee's calendar: a programmation round in June 2024, then each year one in
 * February and one in June, and a plenary session each autumn. Its meetings decide; they reach
 * their quorum.
 */
export function planSteeringCommittee(world: World, copil: BodySpec): Round[] {
  const random = world.random;
  const rounds: Round[] = [];
  const round = (day: number, draftFrom: number, draftTo: number, weight: number, label: string) => {
    const meeting = addMeeting(copil, day, random, true, 'held');
    const motionId = `${meeting.meetingId}-m1`;
    const roundId = `programmation-${label}`;
    meeting.motions.push({ motionId, decisionId: `${meeting.meetingId}-d1`, text: `Programmation ${label} : actions retenues et engagements des signataires`, target: { kind: 'other', id: roundId }, outcome: 'approved' });
    rounds.push({ roundId, meetingId: meeting.meetingId, decisionId: `${meeting.meetingId}-d1`, day: meeting.day, draftFrom, draftTo, weight });
  };
  round(dayFromParts(2024, 6, 27), HISTORY_START + 2, dayFromParts(2024, 6, 14), 1.5, '2024');
  for (let year = 2025; year <= 2030; year++) {
    round(meetingDay(dayFromParts(year, 2, random.int(10, 20))), dayFromParts(year - 1, 10, 15), dayFromParts(year, 1, 25), year === 2030 ? 1 : 2, `${year}-1`);
    round(meetingDay(dayFromParts(year, 6, random.int(15, 26))), dayFromParts(year, 3, 1), dayFromParts(year, 5, 31), year === 2030 ? 0.4 : 1, `${year}-2`);
  }
  for (let year = 2024; year <= 2030; year++) addMeeting(copil, meetingDay(dayFromParts(year, year === 2030 ? 12 : 10, random.int(8, 20))), random, true, 'held');
  copil.meetings.sort((a, b) => a.day - b.day);
  return rounds;
}

/** `count` meetings of a body, spread over the years from its first possible month. */
export function planMeetings(world: World, body: BodySpec, count: number): void {
  const random = world.random;
  const last = dayFromParts(2030, 12, 12);
  const span = last - body.meetsFrom;
  const n = Math.min(count, Math.floor(span / 21));
  for (let i = 0; i < n; i++) {
    const day = meetingDay(body.meetsFrom + Math.floor(((i + random.next() * 0.6) * span) / n));
    if (day > last || body.meetings.some((m) => Math.abs(m.day - day) < 14)) continue;
    const fate = random.weighted([['held', 93], ['cancelled', 3], ['no-quorum', 4]] as const);
    addMeeting(body, day, random, false, fate);
  }
  body.meetings.sort((a, b) => a.day - b.day);
}

function addMeeting(body: BodySpec, day: number, random: Random, decisive: boolean, fate: MeetingSpec['fate']): MeetingSpec {
  const meetingId = `${body.bodyId}-${dateOf(day)}`;
  const newDay = fate === 'no-quorum' ? meetingDay(day + random.int(14, 35)) : undefined;
  const spec: MeetingSpec = {
    meetingId,
    bodyId: body.bodyId,
    title: `${body.name.length > 200 ? body.name.slice(0, 200) : body.name} — séance du ${frenchDate(day)}`,
    day,
    opens: random.pick([9 * 60 + 30, 14 * 60 + 30, 18 * 60]),
    agenda: random.sample(AGENDA, random.int(2, 4)),
    motions: [],
    fate: newDay !== undefined && newDay > dayFromParts(2030, 12, 20) ? 'cancelled' : fate,
    ...(newDay !== undefined && { newDay }),
    decisive,
  };
  body.meetings.push(spec);
  return spec;
}

/** The first decisive meeting of `body` on or after `day` whose decisions are recorded by `until`. */
export function decisiveMeetingAfter(body: BodySpec, day: number): MeetingSpec | undefined {
  return body.meetings.find((m) => m.decisive && m.day >= day);
}

type MCtx = BuildContext<MeetingState>;

export function meetingPlan(world: World, meeting: MeetingSpec): StreamPlan {
  return {
    streamId: `meeting-${meeting.meetingId}`,
    aggregateId: meeting.meetingId,
    decider: meetingDecider as unknown as AnyDecider,
    steps: () => meetingSteps(world, meeting),
  };
}

function meetingSteps(world: World, spec: MeetingSpec) {
  const r = new Random(hash32(`${world.seed}:plan:meeting-${spec.meetingId}`));
  const { meetingId, bodyId } = spec;
  const actor = r.chance(0.8) ? secretary(bodyId) : ADMINISTRATOR;
  const t = new Timeline<MeetingState>();
  const cmd = (fields: Record<string, unknown> & { type: MeetingCommand['type'] }) => ({ at }: MCtx): Command =>
    ({ meetingId, ...fields, actor, at }) as Command;
  const bodyFacts = (date: string) => ({ facts }: MCtx) => {
    const state = facts.body(bodyId);
    return { bodyId, function: state.function!, quorum: state.quorum!, members: membersOn(state, date).map(({ memberId, partyId, votingRight }) => ({ memberId, partyId, votingRight })) };
  };

  const scheduled = Math.max(firstDayOfEpoch(epochOf(spec.day)), spec.day - r.int(7, 21));
  const roster = bodyFacts(dateOf(spec.day));
  const needs = [`governance-body-${bodyId}`];
  t.add(scheduled, 9 * 60, (ctx: MCtx): MeetingCommand => ({ type: 'ScheduleMeeting', meetingId, title: spec.title, date: dateOf(spec.day), body: roster(ctx), actor, at: ctx.at }), 1, needs);
  const items = [...spec.agenda, ...spec.motions.map((m) => m.text)];
  items.forEach((title, i) => t.add(scheduled, 9 * 60 + 5 + i, cmd({ type: 'AddAgendaItem', itemId: `${meetingId}-p${i + 1}`, title })));
  const motionItem = (k: number) => `${meetingId}-p${spec.agenda.length + k + 1}`;
  const pretabled = spec.motions.length > 0 && r.chance(0.3);
  if (pretabled) {
    const m = spec.motions[0];
    t.add(scheduled, 9 * 60 + 50, cmd({ type: 'TableMotion', motionId: m.motionId, text: m.text, target: m.target, agendaItemId: motionItem(0) }));
  }
  const convened = Math.max(scheduled + 1, spec.day - r.int(2, 7));
  if (spec.fate === 'cancelled') {
    if (r.chance(0.5)) t.add(convened, 10 * 60, cmd({ type: 'ConveneMeeting' }));
    t.add(Math.min(spec.day - 1, convened + 1), 16 * 60, cmd({ type: 'CancelMeeting', reason: 'Annulation faute de points à l’ordre du jour' }));
    return t.steps();
  }
  t.add(convened, 10 * 60, cmd({ type: 'ConveneMeeting' }));

  const session = (day: number, reach: boolean, motions: boolean) => {
    const o = spec.opens;
    t.add(day, o, cmd({ type: 'OpenSession' }));
    t.add(day, o + 5, ({ state, random, at }: MCtx): MeetingCommand => ({ type: 'RecordAttendance', meetingId, attendance: attendanceOf(state, random, reach), actor, at }));
    if (reach && r.chance(0.1)) t.add(day, o + 20, ({ state, random, at }: MCtx): MeetingCommand => ({ type: 'RecordAttendance', meetingId, attendance: lateArrival(state, random), actor, at }));
    t.add(day, o + 30, cmd({ type: 'CheckQuorum' }));
    if (!motions) return;
    spec.motions.forEach((m, k) => {
      const base = o + 40 + 15 * k;
      if (!(pretabled && k === 0)) t.add(day, base, cmd({ type: 'TableMotion', motionId: m.motionId, text: m.text, target: m.target, agendaItemId: motionItem(k) }));
      t.add(day, base + 5, ({ state, random, at }: MCtx): MeetingCommand => ({ type: 'RecordVote', meetingId, motionId: m.motionId, ...votesOf(state, random, m.outcome), actor, at }));
      t.add(day, base + 10, cmd({ type: 'RecordDecision', decisionId: m.decisionId, motionId: m.motionId, ...(m.outcome && { outcome: m.outcome }) }));
    });
    t.add(day, o + 45 + 15 * spec.motions.length, cmd({ type: 'CloseMeeting' }));
  };

  let heldOn = spec.day;
  if (spec.fate === 'no-quorum' && spec.newDay !== undefined) {
    session(spec.day, false, false);
    t.add(spec.day, spec.opens + 35, cmd({ type: 'PostponeMeeting', reason: 'Quorum non atteint : séance reportée' }));
    heldOn = spec.newDay;
    // Rescheduled in the month of the new date, with the body's members on that date.
    const rescheduled = Math.max(spec.day + 1, firstDayOfEpoch(epochOf(heldOn)));
    const newRoster = bodyFacts(dateOf(heldOn));
    t.add(rescheduled, 9 * 60, (ctx: MCtx): MeetingCommand => ({ type: 'RescheduleMeeting', meetingId, date: dateOf(heldOn), body: newRoster(ctx), actor, at: ctx.at }), 1, needs);
    t.add(Math.max(rescheduled + 1, heldOn - r.int(2, 5)), 10 * 60, cmd({ type: 'ConveneMeeting' }));
  }
  session(heldOn, true, true);
  const minutes = workday(heldOn + r.int(20, 50));
  if (minutes <= HISTORY_END) t.add(minutes, 11 * 60, cmd({ type: 'ApproveMinutes', minutesSha256: r.hex(64) }));
  return t.steps();
}

/**
 * Who came: most members present, some excused or absent, a few represented by a present member with a
 * voting right (one proxy each). `reach`: enough voting members present or represented for the quorum;
 * otherwise none with a voting right came.
 */
function attendanceOf(state: MeetingState, random: Random, reach: boolean) {
  const members = state.body!.members;
  const status = new Map<string, 'present' | 'absent' | 'excused' | 'represented'>();
  for (const m of members) {
    if (!reach) status.set(m.memberId, m.votingRight ? random.pick(['absent', 'excused'] as const) : 'present');
    else status.set(m.memberId, random.weighted([['present', 82], ['excused', 8], ['absent', 6], ['represented', m.votingRight ? 4 : 0]] as const));
  }
  const proxies = new Map<string, string>();
  const holders = new Set<string>();
  for (const m of members) {
    if (status.get(m.memberId) !== 'represented') continue;
    const holder = members.find((h) => h.votingRight && h.memberId !== m.memberId && status.get(h.memberId) === 'present' && !holders.has(h.memberId));
    if (holder) {
      proxies.set(m.memberId, holder.memberId);
      holders.add(holder.memberId);
    } else status.set(m.memberId, 'excused');
  }
  if (reach) {
    const voting = members.filter((m) => m.votingRight);
    const required = quorumRequired(state.body!.quorum, voting.length);
    let counted = voting.filter((m) => ['present', 'represented'].includes(status.get(m.memberId)!)).length;
    for (const m of voting) {
      if (counted >= required) break;
      if (status.get(m.memberId) === 'absent' || status.get(m.memberId) === 'excused') {
        status.set(m.memberId, 'present');
        counted++;
      }
    }
  }
  return members.map((m) => ({ memberId: m.memberId, status: status.get(m.memberId)!, ...(proxies.has(m.memberId) && { proxyMemberId: proxies.get(m.memberId) }) }));
}

/** A member who arrives late: recorded present (it voids the quorum check, which is made again). */
function lateArrival(state: MeetingState, random: Random) {
  const late = state.body!.members.filter((m) => ['absent', 'excused'].includes(state.attendance[m.memberId]?.status));
  const member = late.length ? random.pick(late) : random.pick(state.body!.members.filter((m) => state.attendance[m.memberId]?.status === 'present'));
  return [{ memberId: member.memberId, status: 'present' as const }];
}

/** Each member with a voting right votes (in person, or through their proxy), or is recorded absent. */
function votesOf(state: MeetingState, random: Random, outcome?: DecisionOutcome) {
  const votes: { memberId: string; option: VoteOption; proxyMemberId?: string }[] = [];
  for (const m of state.body!.members) {
    if (!m.votingRight) continue;
    const attendance = state.attendance[m.memberId];
    if (attendance?.status === 'present' || attendance?.status === 'represented') {
      const option = random.weighted<VoteOption>([['yes', 78], ['no', 8], ['abstain', 11], ['not voting', 3]]);
      votes.push({ memberId: m.memberId, option, ...(attendance.status === 'represented' && { proxyMemberId: attendance.proxyMemberId! }) });
    } else votes.push({ memberId: m.memberId, option: 'absent' });
  }
  const count = (option: VoteOption) => votes.filter((v) => v.option === option).length;
  const cast = votes.filter((v) => v.option !== 'absent');
  if (outcome === 'approved') {
    for (const v of cast) if (count('yes') <= count('no') || count('yes') === 0) v.option = 'yes';
  } else if (outcome === 'rejected') {
    for (const v of cast) if (count('yes') > count('no') || (count('no') === 0 && v.option === 'yes')) v.option = 'no';
  }
  return { votes, counts: VOTE_OPTIONS.map((option) => ({ option, value: count(option) })) };
}
