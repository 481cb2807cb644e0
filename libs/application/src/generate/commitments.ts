import {
  type BudgetLine,
  type CommitmentCommand,
  type CommitmentOutcome,
  commitmentDecider,
  type CommitmentState,
  type CommitmentTerms,
  type Component,
  COMPONENTS,
  type FundingTransaction,
  type MilestoneStatus,
} from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import { slug } from '../seed/mel-contract-seed';
import { dateOf, dayFromParts, epochOf, firstDayOfEpoch, HISTORY_END, HISTORY_START, workday, yearOf } from './calendar';
import { ADMINISTRATOR, type BuildContext, type Command, representative, secretary, type StreamPlan, Timeline } from './plan';
import { hash32, Random } from './random';
import {
  ACTIONS,
  COMPLETION_SUMMARIES,
  CORRECTION_REASONS,
  DESCRIPTIONS,
  MILESTONES,
  REPORT_SUMMARIES,
  SUSPENSION_REASONS,
  WITHDRAWAL_REASONS,
} from './texts';
import type { World } from './world';

/** A programmation round: the steering committee's decision that adopts the actions proposed before it. */
export interface Round {
  roundId: string;
  meetingId: string;
  decisionId: string;
  /** The meeting's day. */
  day: number;
  /** Actions are drafted in [draftFrom, draftTo]. */
  draftFrom: number;
  draftTo: number;
  weight: number;
}

/** What an amendment in force does to a commitment, recorded the month after it came into force. */
export interface CommitmentEffect {
  amendmentId: string;
  recDay: number;
  atDay: number;
  atMinute: number;
  changes: Partial<Pick<CommitmentTerms, 'title' | 'description' | 'horizon' | 'means' | 'budget' | 'scope'>>;
  supersede: boolean;
}

export type CommitmentKind = 'annual' | 'multiyear' | 'structural' | 'seed';

/** One commitment's life, decided when planning; its events are derived from it. */
export interface CommitmentSpec {
  commitmentId: string;
  kind: CommitmentKind;
  terms: CommitmentTerms;
  /** For a commitment of the seed: already in progress, with these milestones. */
  existing?: { milestones: { milestoneId: string; dueDay: number }[] };
  draftDay: number;
  proposeDay: number;
  /** Null when withdrawn before adoption. */
  adoption: { day: number; recDay: number; decisionId: string | null; meetingId?: string } | null;
  startDay: number;
  /** Last day of the action's period. */
  endDay: number;
  ending: { kind: 'completed'; day: number; outcome: CommitmentOutcome } | { kind: 'withdrawn'; day: number } | null;
  suspension: { from: number; to: number; withdraw: boolean } | null;
  correction: { recDay: number; field: 'title' | 'description' | 'scope' | 'ambition' } | null;
  effects: CommitmentEffect[];
  /** Only the first `limit` steps (the last commitment planned, to reach the number of events asked). */
  limit?: number;
}

const SHARE_OF_OWNER = [0.3, 0.4, 0.5, 0.6] as const;

/** Plans one new commitment adopted at `round` (or by the administration), and its plan. */
export function planCommitment(world: World, index: number, rounds: Round[]): CommitmentSpec {
  const random = world.random;
  const kind = random.weighted<CommitmentKind>([
    ['annual', 60],
    ['multiyear', 30],
    ['structural', 10],
  ]);
  // Long actions are adopted in the first rounds; annual ones every year.
  const eligible = rounds.filter((r) => kind === 'annual' || (kind === 'multiyear' ? yearOf(r.day) <= 2028 : yearOf(r.day) <= 2026));
  const round = random.weighted(eligible.map((r) => [r, r.weight] as const));
  const priority = random.int(1, 6);
  const contractPriority = world.priorities.find((p) => p.number === priority)!;
  const component: Component = yearOf(round.day) <= 2027 && random.chance(0.12) ? 'pacte-local-solidarites' : 'contrat-de-ville';
  const lastYear: number = COMPONENTS[component].lastYear;
  const ambitions = contractPriority.ambitions.filter((a) => component === 'contrat-de-ville' || a.horizon <= 2027);
  const ambition = random.pick(ambitions.length > 0 ? ambitions : contractPriority.ambitions).text;

  const draftDay = workday(random.int(round.draftFrom, round.draftTo));
  const proposeDay = workday(Math.max(draftDay + 1, Math.min(draftDay + random.int(3, 25), round.day - 3)));
  const byAdministration = random.chance(0.1);
  const adoptDay = byAdministration ? workday(proposeDay + random.int(15, 45)) : workday(round.day + random.int(2, 12));
  // Adopted on the strength of the round's decision: recorded once the decision is (the month after the meeting).
  const adoptRecDay = byAdministration ? adoptDay : Math.max(adoptDay, firstDayOfEpoch(epochOf(round.day) + 1) + random.int(0, 6));
  const startDay = Math.max(adoptRecDay + 1, workday(adoptDay + random.int(0, 30)));
  const startYear = yearOf(startDay);
  const componentEnd = Math.min(HISTORY_END, dayFromParts(lastYear, 12, 31));
  const years = kind === 'annual' ? 1 : kind === 'multiyear' ? 3 : lastYear - startYear + 1;
  const endDay = Math.min(componentEnd, kind === 'annual' ? startDay + random.int(300, 365) : dayFromParts(Math.min(lastYear, startYear + years - 1), 12, 31));
  const horizon = yearOf(endDay);

  // Where: one to three QPV (their communes), or the whole metropolis.
  const qpv = random.chance(0.85) ? random.sample(world.qpv, random.weighted([[1, 70], [2, 20], [3, 10]] as const)) : [];
  const placeName = qpv.length ? qpv[0].name : 'Métropole';
  const owner = pickOwner(world, random, draftDay, qpv.flatMap((q) => q.communes));
  const coFunders = random
    .sample(
      ['party-etat', 'party-mel', 'party-departement-nord', 'party-region-hdf', 'party-caf-nord', 'party-banque-des-territoires'].filter((p) => p !== owner),
      random.weighted([[0, 25], [1, 45], [2, 25], [3, 5]] as const),
    )
    .sort();

  const annual = Math.round((random.chance(0.8) ? random.int(5_000, 60_000) : random.int(60_000, 400_000)) / 100) * 100 * 100;
  const budget: BudgetLine[] = [];
  for (let year = startYear; year <= (kind === 'annual' ? startYear : yearOf(endDay)); year++) {
    const part = kind === 'annual' ? annual : Math.round((annual * random.int(90, 115)) / 100 / 100) * 100;
    budget.push({ year, amountCents: part, status: year === startYear ? 'committed' : 'indicative' });
  }
  const total = budget.reduce((sum, line) => sum + line.amountCents, 0);
  const specific = Math.round((total * random.int(35, 75)) / 100 / 100) * 100;
  const action = random.pick(ACTIONS[priority]);
  const year = kind === 'annual' ? ` ${startYear}` : kind === 'multiyear' ? ` ${startYear}-${yearOf(endDay)}` : '';
  const commitmentId = `${slug(action).slice(0, 32).replace(/-+$/, '')}-${index.toString(36)}`;
  const terms: CommitmentTerms = {
    title: `${action} — ${placeName}${year}`,
    description: random.pick(DESCRIPTIONS),
    ownerPartyId: owner,
    coFunderPartyIds: coFunders,
    priority,
    ambition,
    component,
    horizon,
    scope: { qpv: qpv.map((q) => q.code), communes: [...new Set(qpv.flatMap((q) => q.communes))].sort() },
    means: { droitCommunCents: total - specific, creditsSpecifiquesCents: specific },
    budget,
  };

  // How it ends: most are completed once their period is over; a few are withdrawn, some suspended.
  let adoption: CommitmentSpec['adoption'] = byAdministration
    ? { day: adoptDay, recDay: adoptRecDay, decisionId: null }
    : { day: adoptDay, recDay: adoptRecDay, decisionId: round.decisionId, meetingId: round.meetingId };
  let ending: CommitmentSpec['ending'] = null;
  let suspension: CommitmentSpec['suspension'] = null;
  if (random.chance(0.03)) {
    adoption = null;
    ending = { kind: 'withdrawn', day: workday(Math.max(proposeDay + 5, round.day + random.int(3, 20))) };
  } else {
    const completeDay = workday(endDay + random.int(30, 110));
    if (random.chance(0.04)) ending = { kind: 'withdrawn', day: workday(startDay + random.int(40, Math.max(41, endDay - startDay))) };
    else if (completeDay <= HISTORY_END) {
      const outcome = random.weighted<CommitmentOutcome>([['met', 65], ['partially_met', 25], ['not_met', 10]]);
      ending = { kind: 'completed', day: completeDay, outcome };
    }
    const lastActive = Math.min(ending?.day ?? HISTORY_END, endDay) - 100;
    if (random.chance(0.06) && lastActive > startDay + 60) {
      const from = workday(random.int(startDay + 40, lastActive));
      const to = workday(from + random.int(25, 90));
      const withdraw = random.chance(0.2);
      suspension = { from, to, withdraw };
      if (withdraw) ending = { kind: 'withdrawn', day: to };
    }
  }
  if (ending && ending.day > HISTORY_END) ending = null;
  const correction = random.chance(0.08)
    ? { recDay: Math.min(HISTORY_END, workday(draftDay + random.int(60, 300))), field: random.pick(['title', 'description', 'scope', 'ambition'] as const) }
    : null;
  const spec: CommitmentSpec = { commitmentId, kind, terms, draftDay, proposeDay, adoption, startDay, endDay, ending, suspension, correction, effects: [] };
  return spec;
}

/** An owner among the organisations registered by then: associations mostly, communes, the MEL, the others. */
function pickOwner(world: World, random: Random, day: number, communes: string[]): string {
  const group = random.weighted([
    ['association', 55],
    ['commune', communes.length ? 18 : 0],
    ['mel', 7],
    ['other', 20],
  ] as const);
  if (group === 'commune') return `party-commune-${random.pick(communes)}`;
  if (group === 'mel') return 'party-mel';
  const pool = world.partiesBefore(day, group === 'association' ? ['association'] : ['company', 'social-landlord', 'public-agency', 'other', 'social-security', 'state']);
  return pool.length ? random.pick(pool).partyId : 'party-mel';
}

/** A commitment of the seed (in progress since 7 May 2024), continued until its horizon. */
export function seedCommitmentSpec(world: World, state: CommitmentState, commitmentId: string): CommitmentSpec {
  const random = world.random;
  const terms = state.terms!;
  const last: number = COMPONENTS[terms.component].lastYear;
  const endDay = dayFromParts(Math.min(last, terms.horizon), 12, 31);
  const budget: BudgetLine[] = [];
  const annual = random.int(20_000, 150_000) * 100;
  for (let year = 2024; year <= yearOf(endDay); year++) budget.push({ year, amountCents: annual, status: 'indicative' });
  return {
    commitmentId,
    kind: 'seed',
    terms: { ...terms, budget },
    existing: {
      milestones: Object.entries(state.milestones).map(([milestoneId, m]) => ({ milestoneId, dueDay: Math.floor(Date.parse(`${m.dueDate}T00:00:00Z`) / 86_400_000) })),
    },
    draftDay: HISTORY_START,
    proposeDay: HISTORY_START,
    adoption: { day: HISTORY_START, recDay: HISTORY_START, decisionId: null },
    startDay: HISTORY_START,
    endDay,
    ending: { kind: 'completed', day: Math.min(HISTORY_END, endDay - random.int(5, 20)), outcome: random.pick(['met', 'partially_met'] as const) },
    suspension: null,
    correction: null,
    effects: [],
  };
}

type Ctx = BuildContext<CommitmentState>;

/** The plan of a commitment's stream. */
export function commitmentPlan(world: World, spec: CommitmentSpec): StreamPlan {
  return {
    streamId: `commitment-${spec.commitmentId}`,
    aggregateId: spec.commitmentId,
    decider: commitmentDecider as unknown as AnyDecider,
    steps: () => commitmentSteps(world, spec),
  };
}

function commitmentSteps(world: World, spec: CommitmentSpec) {
  const r = new Random(hash32(`${world.seed}:plan:commitment-${spec.commitmentId}`));
  const { commitmentId, terms } = spec;
  const owner = terms.ownerPartyId;
  const ownerActor = () => (r.chance(0.05) ? ADMINISTRATOR : representative(owner));
  const t = new Timeline<CommitmentState>();
  const cmd = (fields: Record<string, unknown> & { type: CommitmentCommand['type'] }, actor = ownerActor()) => ({ at }: Ctx): Command =>
    ({ commitmentId, ...fields, actor, at }) as Command;
  const minute = () => r.int(8 * 60, 18 * 60);

  // Until when the commitment takes steps: its ending, or the end of the history.
  const closing = spec.ending ? spec.ending.day : HISTORY_END + 1;
  const suspended = (day: number) => spec.suspension !== null && day >= spec.suspension.from && day <= spec.suspension.to;
  const active = (day: number) => day > spec.startDay && day < closing && day <= HISTORY_END && !suspended(day);

  if (!spec.existing) {
    const draftMinute = minute();
    const { title, description, ownerPartyId, coFunderPartyIds, priority, ambition, component, horizon, scope, means, budget } = terms;
    t.add(spec.draftDay, draftMinute, cmd({ type: 'DraftCommitment', title, description, ownerPartyId, coFunderPartyIds, priority, ambition, component, horizon, scope, means, budget }, representative(owner)));
    t.add(spec.proposeDay, minute(), cmd({ type: 'ProposeCommitment' }));
    if (spec.adoption) {
      const { decisionId, meetingId } = spec.adoption;
      // Adopted on the strength of the steering committee's decision, once that decision is recorded.
      t.addLate(spec.adoption.recDay, 8 * 60 + r.int(0, 120), spec.adoption.day, 17 * 60, cmd(
        { type: 'AdoptCommitment', ...(decisionId && { decisionId }) },
        decisionId ? secretary('copil-cvs') : ADMINISTRATOR,
      ), 1, meetingId ? [`meeting-${meetingId}`] : undefined);
      t.add(spec.startDay, minute(), cmd({ type: 'StartCommitment' }));
    }
    if (spec.correction) {
      const { field } = spec.correction;
      const value = correctedValue(world, r, spec, field);
      const reason = r.pick(CORRECTION_REASONS);
      // A clerical error in the draft, corrected months later: in force from the draft's date.
      t.addLate(spec.correction.recDay, minute(), spec.draftDay, draftMinute + 1, ({ state, at }: Ctx): CommitmentCommand => ({
        type: 'CorrectCommitment',
        commitmentId,
        correctsEventId: state.eventIds[0],
        field,
        value,
        reason,
        actor: representative(owner),
        at,
      }));
    }
  }
  if (!spec.adoption) {
    if (spec.ending) t.add(spec.ending.day, minute(), cmd({ type: 'WithdrawCommitment', reason: WITHDRAWAL_REASONS[0] }));
    return t.steps(spec.limit);
  }

  // Milestones: scheduled after the start, their status recorded once due.
  for (const m of spec.existing?.milestones ?? []) {
    const day = workday(m.dueDay + r.int(5, 25));
    if (active(day)) t.add(day, minute(), cmd({ type: 'RecordMilestoneStatus', milestoneId: m.milestoneId, status: milestoneStatus(r) }));
  }
  const milestones = spec.kind === 'annual' ? r.int(1, 2) : spec.kind === 'multiyear' ? r.int(2, 4) : r.int(3, 5);
  const span = spec.endDay - spec.startDay;
  for (let i = 0; i < milestones; i++) {
    const scheduled = workday(spec.startDay + r.int(3, 40) + (spec.kind === 'seed' ? r.int(0, 900) : 0));
    const due = Math.min(spec.endDay, scheduled + 30 + Math.floor(((i + 1) * (spec.endDay - scheduled - 30)) / (milestones + 1)));
    if (!active(scheduled) || due <= scheduled) continue;
    const milestoneId = `m${i + 1}-${dateOf(due)}`;
    t.add(scheduled, minute(), cmd({ type: 'ScheduleMilestone', milestoneId, title: MILESTONES[(i + r.int(0, 2)) % MILESTONES.length], dueDate: dateOf(due) }));
    const statusDay = workday(due + r.int(2, 25));
    if (r.chance(0.9) && active(statusDay)) t.add(statusDay, minute(), cmd({ type: 'RecordMilestoneStatus', milestoneId, status: milestoneStatus(r) }));
  }

  // Money, year by year: each co-funder commits and disburses its share, the owner commits its own and spends.
  const coFunders = terms.coFunderPartyIds;
  const ownerShare = coFunders.length === 0 ? 1 : r.pick(SHARE_OF_OWNER);
  for (const line of terms.budget) {
    const from = Math.max(spec.startDay + 1, dayFromParts(line.year, 1, 5));
    const to = Math.min(spec.endDay, dayFromParts(line.year, 12, 20), closing - 1);
    if (to <= from) continue;
    const funding = (day: number, transaction: FundingTransaction, partyId: string, amountCents: number) => {
      if (active(day) && amountCents > 0) {
        t.add(day, minute(), cmd({ type: 'RecordFunding', transaction, year: line.year, amountCents, partyId }, r.chance(0.05) ? ADMINISTRATOR : representative(partyId)));
      }
    };
    const ownAmount = Math.round((line.amountCents * ownerShare) / 100) * 100;
    funding(workday(from + r.int(0, 15)), 'commitment', owner, ownAmount);
    for (const coFunder of coFunders) {
      const share = Math.round((line.amountCents * (1 - ownerShare)) / coFunders.length / 100) * 100;
      const committed = workday(Math.min(to, from + r.int(5, 45)));
      funding(committed, 'commitment', coFunder, share);
      const payments = r.int(1, 2);
      for (let p = 0; p < payments; p++) {
        const day = workday(Math.min(to, committed + 20 + Math.floor(((p + r.next()) * (to - committed)) / payments)));
        funding(day, 'disbursement', coFunder, Math.round(share / payments / 100) * 100);
      }
    }
    const spendings = r.int(1, 3);
    for (let s = 0; s < spendings; s++) {
      const day = workday(from + Math.floor(((s + r.next()) * (to - from)) / spendings));
      funding(day, 'expenditure', owner, Math.round((line.amountCents * r.int(15, 35)) / 100 / 100) * 100);
    }
  }

  // Progress reports: half-yearly for long actions, an interim and a final one for a yearly action.
  const report = (day: number, period: string) => {
    if (day > spec.startDay && day < closing && day <= HISTORY_END) {
      const evidence = Array.from({ length: r.int(0, 2) }, (_, i) => ({ sha256: r.hex(64), title: i === 0 ? 'Bilan d’activité' : 'Liste d’émargement' }));
      t.add(day, minute(), cmd({ type: 'ReportProgress', reportId: `rapport-${period}`, period, summary: r.pick(REPORT_SUMMARIES), evidence }));
    }
  };
  if (spec.kind === 'annual') {
    report(workday(spec.startDay + Math.floor(span / 2) + r.int(0, 20)), `${dateOf(spec.startDay).slice(0, 7)}-intermediaire`);
    report(workday(spec.endDay + r.int(10, 28)), `${dateOf(spec.startDay).slice(0, 7)}-final`);
  } else {
    for (let year = yearOf(spec.startDay); year <= yearOf(spec.endDay); year++) {
      report(workday(dayFromParts(year, 7, 10) + r.int(0, 60)), `${year}-S1`);
      report(workday(dayFromParts(year + 1, 1, 10) + r.int(0, 60)), `${year}-S2`);
    }
  }

  if (spec.suspension) {
    const { from, to, withdraw } = spec.suspension;
    t.add(from, minute(), cmd({ type: 'SuspendCommitment', reason: r.pick(SUSPENSION_REASONS) }));
    if (!withdraw) t.add(to, minute(), cmd({ type: 'ResumeCommitment' }));
  }
  if (spec.ending?.kind === 'completed') {
    const outcome = spec.ending.outcome;
    t.add(spec.ending.day, minute(), cmd({ type: 'CompleteCommitment', outcome, summary: r.pick(COMPLETION_SUMMARIES[outcome]) }));
  } else if (spec.ending?.kind === 'withdrawn') {
    t.add(spec.ending.day, minute(), cmd({ type: 'WithdrawCommitment', reason: r.pick(WITHDRAWAL_REASONS.slice(1)) }));
  }

  // Amendments in force: applied by the administration the month after, in force from their date.
  for (const effect of spec.effects) {
    const { amendmentId, changes, supersede } = effect;
    t.addLate(effect.recDay, 8 * 60 + 15, effect.atDay, effect.atMinute, ({ at, facts }: Ctx): CommitmentCommand => ({
      type: 'ApplyAmendmentToCommitment',
      commitmentId,
      amendment: facts.amendment(amendmentId),
      changes,
      ...(supersede && { supersede: true }),
      actor: ADMINISTRATOR,
      at,
    }), supersede ? 2 : 1, [`amendment-${amendmentId}`]);
  }
  let steps = t.steps();
  const superseded = spec.effects.find((e) => e.supersede);
  if (superseded) {
    const last = steps.findIndex((s) => s.rec === superseded.recDay * 1440 + 8 * 60 + 15 && s.events === 2);
    steps = steps.slice(0, last + 1);
  }
  return spec.limit !== undefined && spec.limit < steps.length ? steps.slice(0, spec.limit) : steps;
}

function milestoneStatus(r: Random): MilestoneStatus {
  return r.weighted<MilestoneStatus>([['met', 65], ['partiallyMet', 20], ['notMet', 15]]);
}

function correctedValue(world: World, r: Random, spec: CommitmentSpec, field: 'title' | 'description' | 'scope' | 'ambition'): unknown {
  const terms = spec.terms;
  switch (field) {
    case 'title':
      return `${terms.title} (intitulé rectifié)`;
    case 'description':
      return `${terms.description} Public cible précisé après vérification.`;
    case 'scope': {
      const qpv = r.pick(world.qpv);
      const codes = [...new Set([...terms.scope.qpv, qpv.code])].sort();
      const communes = [...new Set([...terms.scope.communes, ...qpv.communes])].sort();
      return { qpv: codes, communes };
    }
    case 'ambition': {
      const ambitions = world.priorities.find((p) => p.number === terms.priority)!.ambitions.map((a) => a.text);
      const others = ambitions.filter((a) => a !== terms.ambition);
      return others.length ? r.pick(others) : terms.ambition;
    }
  }
}

/** The last day a commitment is open for changes: before its ending (or the end of the history). */
export function openUntil(spec: CommitmentSpec): number {
  return Math.min(spec.ending ? spec.ending.day - 1 : HISTORY_END, HISTORY_END);
}
