import type { CommitmentState, IndicatorState } from '@mel/domain';
import { dateOf, HISTORY_END, HISTORY_START } from './calendar';
import { amendmentPlan, planAmendments } from './amendments';
import { type CommitmentSpec, commitmentPlan, planCommitment, seedCommitmentSpec } from './commitments';
import { contractPlan, contractPlanState, evaluationPlans } from './contract';
import { type BodySpec, bodyPlan, meetingPlan, planBodies, planMeetings, planMembershipChanges, planSteeringCommittee, seedBodySpec } from './governance';
import { indicatorPlan, planIndicator, seedIndicatorSpec } from './indicators';
import { planParties } from './parties';
import type { StreamPlan } from './plan';
import { MOTIONS_OTHER } from './texts';
import type { World } from './world';

export interface Measure {
  events: number;
  /** The epochs it records in, in order, and how many steps in each. */
  epochs: number[];
  steps: number[];
}

/** How many events a plan gives, and how many steps it records in which epochs. */
export function measure(plan: StreamPlan): Measure {
  let events = 0;
  const epochs: number[] = [];
  const steps: number[] = [];
  for (const step of plan.steps()) {
    events += step.events;
    if (epochs[epochs.length - 1] !== step.epoch) {
      epochs.push(step.epoch);
      steps.push(0);
    }
    steps[steps.length - 1]++;
  }
  return { events, epochs, steps };
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

/**
 * The share of the events planned as commitments before the rest. A small history (a few thousand
 * events) whose fixed parts — the contract, its evaluations, the seed's commitments, the steering
 * committee's rounds — leave too little room is planned again with a smaller share (generateHistory).
 */
export const COMMITMENT_SHARE = 0.6;

/**
 * Plans `count` events after the seed, in proportions that look like a contract's life: about three
 * quarters are commitments (drafted, adopted at a programmation round, funded, reported on, completed),
 * then governance (bodies, meetings), indicators, parties, amendments and evaluations. The commitments
 * planned last fill the exact number asked, unless the rest already plans more than `count` (a small
 * history with `commitmentShare` too large): the caller plans again with a smaller share.
 */
export function planHistory(world: World, count: number, commitmentShare = COMMITMENT_SHARE): Map<StreamPlan, Measure> {
  const random = world.random;
  const plans = world.plans;
  const measures = new Map<StreamPlan, Measure>();
  const measured = (plan: StreamPlan) => {
    let m = measures.get(plan);
    if (!m) measures.set(plan, (m = measure(plan)));
    return m;
  };
  const seed = world.seedStates.streams;

  planParties(world, clamp(Math.round(count / 2500), 2, 3000));

  // Governance: the seed's three bodies and the ones created after the signature.
  const seedBodies = world.seedStates.bodies.map(seedBodySpec);
  const bodies: BodySpec[] = [...seedBodies, ...planBodies(world, clamp(Math.round(count / 7000), 0, world.communes.length + world.qpv.length + 156))];
  for (const body of bodies) planMembershipChanges(world, body);
  const copil = bodies.find((b) => b.bodyId === 'copil-cvs');
  if (!copil) throw new Error('generator: the seed has no steering committee copil-cvs');
  const rounds = planSteeringCommittee(world, copil);
  const meetings = Math.round((0.09 * count) / 19);
  const others = bodies.filter((b) => b !== copil);
  const rest = Math.max(0, meetings - copil.meetings.length);
  others.forEach((body, i) => planMeetings(world, body, Math.floor(rest / others.length) + (i < rest % others.length ? 1 : 0)));

  // Commitments, most of the budget: those planned now can be amended, discussed, measured.
  const commitments: CommitmentSpec[] = [];
  const commitmentPlans = new Map<CommitmentSpec, StreamPlan>();
  let planned = 0;
  while (planned < commitmentShare * count) {
    const spec = planCommitment(world, commitments.length, rounds);
    const plan = commitmentPlan(world, spec);
    commitments.push(spec);
    commitmentPlans.set(spec, plan);
    planned += measured(plan).events;
  }
  const seedCommitments = [...seed.entries()]
    .filter(([streamId]) => streamId.startsWith('commitment-'))
    .map(([streamId, { state }]) => seedCommitmentSpec(world, state as CommitmentState, streamId.slice('commitment-'.length)));

  // Indicators: most measure a long commitment, some an enjeu of the contract.
  const long = commitments.filter((c) => c.kind !== 'annual' && c.adoption !== null);
  let indicatorEvents = 0;
  for (let i = 0; indicatorEvents < 0.075 * count; i++) {
    const c = long.length && random.chance(0.7) ? random.pick(long) : null;
    const spec = planIndicator(
      world,
      i,
      c
        ? { partyId: c.terms.ownerPartyId, commitmentId: c.commitmentId, priority: c.terms.priority, from: c.startDay, to: c.endDay }
        : { partyId: random.pick(world.signatories), commitmentId: null, priority: random.int(1, 6), from: HISTORY_START + random.int(0, 500), to: HISTORY_END },
    );
    const plan = indicatorPlan(world, spec);
    indicatorEvents += measured(plan).events;
    plans.push(plan);
  }
  for (const [streamId, { state }] of seed) {
    if (streamId.startsWith('indicator-')) plans.push(indicatorPlan(world, seedIndicatorSpec(state as IndicatorState)));
  }

  // Amendments, decided at the steering committee's meetings.
  const contract = contractPlanState(world);
  const amendments = planAmendments(world, clamp(Math.round(count / 25000), 1, 60), copil, commitments, contract);
  for (const spec of amendments) plans.push(amendmentPlan(world, spec));
  // Their targets take more steps now.
  for (const spec of commitments) if (spec.effects.length > 0) measures.delete(commitmentPlans.get(spec)!);

  // What the other meetings decide: a commitment drafted before, a report, the contract.
  const byDraft = [...commitments].sort((a, b) => a.draftDay - b.draftDay);
  for (const body of bodies) {
    for (const meeting of body.meetings) {
      if (meeting.motions.length > 0) continue;
      const motions = random.int(1, 3);
      for (let k = 1; k <= motions; k++) {
        const drafted = draftedBefore(byDraft, meeting.day - 7);
        const kind = random.weighted([['commitment', drafted > 0 ? 50 : 0], ['other', 40], ['contract', 10]] as const);
        const target =
          kind === 'commitment'
            ? { kind, id: byDraft[random.int(Math.max(0, drafted - 400), drafted - 1)].commitmentId }
            : kind === 'contract'
              ? { kind, id: world.contractId }
              : { kind, id: random.chance(0.5) ? `bilan-${dateOf(meeting.day)}` : null };
        const text = kind === 'commitment' ? 'Avis sur l’avancement de l’engagement' : kind === 'contract' ? 'Avis sur la mise en œuvre du contrat' : random.pick(MOTIONS_OTHER);
        meeting.motions.push({ motionId: `${meeting.meetingId}-m${k}`, decisionId: `${meeting.meetingId}-d${k}`, text, target });
      }
    }
  }
  for (const body of bodies) {
    plans.push(bodyPlan(body));
    for (const meeting of body.meetings) plans.push(meetingPlan(world, meeting));
  }
  for (const spec of seedCommitments) plans.push(commitmentPlan(world, spec));
  for (const spec of commitments) plans.push(commitmentPlans.get(spec)!);
  plans.push(contractPlan(world, contract));
  const structural = commitments.filter((c) => c.kind === 'structural' && c.adoption !== null).map((c) => c.commitmentId);
  plans.push(...evaluationPlans(world, count >= 20_000, structural));

  // The last commitments fill the number of events asked, exactly.
  let total = plans.reduce((sum, plan) => sum + measured(plan).events, 0);
  for (let index = commitments.length; total < count; index++) {
    const spec = planCommitment(world, index, rounds);
    const plan = commitmentPlan(world, spec);
    const { events } = measured(plan);
    if (total + events > count) {
      spec.limit = count - total;
      measures.delete(plan);
    }
    total += measured(plan).events;
    plans.push(plan);
  }
  return measures;
}

/** How many of `sorted` (by draft day) were drafted before `day`. */
function draftedBefore(sorted: CommitmentSpec[], day: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].draftDay < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
