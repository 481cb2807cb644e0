import {
  type Actor,
  type AmendmentCommand,
  amendmentDecider,
  type AmendmentState,
  COMPONENTS,
  type ContractChanges,
} from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import { dayFromParts, epochOf, firstDayOfEpoch, workday } from './calendar';
import { type CommitmentEffect, type CommitmentSpec, openUntil } from './commitments';
import { type BodySpec, decisiveMeetingAfter } from './governance';
import { ADMINISTRATOR, type BuildContext, type Command, representative, secretary, SIGNING_ADMINISTRATOR, type StreamPlan, Timeline } from './plan';
import { hash32, Random } from './random';
import { AMENDMENT_RATIONALES } from './texts';
import type { World } from './world';

/** What an amendment in force does to the contract, applied the month after. */
export interface ContractEffect {
  amendmentId: string;
  recDay: number;
  atDay: number;
  atMinute: number;
  changes: ContractChanges;
}

export interface AmendmentSpec {
  amendmentId: string;
  proposeDay: number;
  proposer: Actor;
  rationale: string;
  description: string;
  contractChanges: ContractChanges | null;
  commitments: { commitmentId: string; changes: CommitmentEffect['changes']; supersede: boolean }[];
  affectedPartyIds: string[];
  outcome: 'approved' | 'rejected' | 'withdrawn';
  withdrawDay?: number;
  decision?: { decisionId: string; meetingId: string; meetingDay: number; recDay: number };
  signatures: { partyId: string; day: number; minute: number; byAdministrator: boolean }[];
  inForceDay?: number;
}

/** What the contract looks like as amendments are planned: to propose only changes it can take. */
export interface ContractPlanState {
  ambitionIds: Set<string>;
  partners: Map<number, Set<string>>;
  budgets: Map<string, number>;
  /** Day by which every commune has its first local annex (replacements only after it). */
  annexesDone: number;
  effects: ContractEffect[];
}

/**
 * `count` amendments (avenants) over the years: proposed, decided by the steering committee at its
 * next meeting (approved, sometimes rejected, a few withdrawn before), signed by every affected
 * party, brought into force, then applied to their targets. One, at mid-term, revises the contract.
 */
export function planAmendments(world: World, count: number, copil: BodySpec, commitments: CommitmentSpec[], contract: ContractPlanState): AmendmentSpec[] {
  const random = world.random;
  const specs: AmendmentSpec[] = [];
  const first = dayFromParts(2024, 11, 4);
  const last = dayFromParts(2030, 3, 31);
  const midTerm = count > 0 ? Math.min(count - 1, Math.round(((dayFromParts(2027, 3, 1) - first) / (last - first)) * count)) : -1;
  const superseded = new Set<string>();
  for (let k = 0; k < count; k++) {
    const amendmentId = `avenant-${String(k + 1).padStart(2, '0')}`;
    const spread = workday(first + Math.floor(((k + random.next() * 0.8) * (last - first)) / count));
    // The mid-term revision follows the evaluation of early 2027.
    const proposeDay = k === midTerm ? workday(dayFromParts(2027, 3, 1) + random.int(0, 60)) : spread;
    const meeting = decisiveMeetingAfter(copil, Math.max(proposeDay + 21, firstDayOfEpoch(epochOf(proposeDay) + 1)));
    let outcome = random.weighted([['approved', 75], ['rejected', 10], ['withdrawn', 15]] as const);
    if (!meeting || k === midTerm) outcome = meeting ? 'approved' : 'withdrawn';
    const decisionRecDay = meeting ? workday(firstDayOfEpoch(epochOf(meeting.day) + 1) + random.int(0, 5)) : proposeDay;
    const inForceEstimate = decisionRecDay + 60;
    const applyEstimate = firstDayOfEpoch(epochOf(inForceEstimate) + 1) + 10;

    // Targets: commitments running well past the amendment's effect.
    const eligible = commitments.filter(
      (c) => c.kind !== 'annual' && c.adoption !== null && c.startDay < proposeDay - 30 && openUntil(c) > applyEstimate + 62 && !superseded.has(c.commitmentId),
    );
    const targets = random.sample(eligible, random.int(k === midTerm ? 5 : 1, k === midTerm ? 20 : 8));
    const withContract = k === midTerm || random.chance(0.2);
    if (targets.length === 0 && !withContract) continue;
    const contractChanges = withContract ? contractChangesFor(world, random, k, proposeDay, k === midTerm, contract) : null;
    const changes = targets.map((c) => ({
      commitmentId: c.commitmentId,
      changes: commitmentChanges(random, c, proposeDay),
      supersede: outcome === 'approved' && random.chance(0.08),
    }));
    const affected = new Set<string>(['party-mel', ...targets.map((c) => c.terms.ownerPartyId)]);
    if (withContract) world.signatories.forEach((p) => affected.add(p));
    const affectedPartyIds = [...affected].sort();
    const proposer = random.weighted<Actor>([
      [ADMINISTRATOR, 60],
      [secretary('copil-cvs'), 20],
      [representative(random.pick(affectedPartyIds)), 20],
    ]);
    const rationale = k === midTerm ? 'Révision à mi-parcours du contrat (évaluation 2027)' : random.pick(AMENDMENT_RATIONALES);
    const spec: AmendmentSpec = {
      amendmentId,
      proposeDay,
      proposer,
      rationale,
      description: `Avenant n° ${k + 1} : ${targets.length} engagement(s)${withContract ? ' et le contrat' : ''} modifiés.`,
      contractChanges,
      commitments: changes,
      affectedPartyIds,
      outcome,
      signatures: [],
    };
    if (outcome === 'withdrawn' || !meeting) {
      spec.outcome = 'withdrawn';
      spec.withdrawDay = workday(proposeDay + random.int(7, 20));
    } else {
      const n = meeting.motions.length + 1;
      const decisionId = `${meeting.meetingId}-d${n}`;
      meeting.motions.push({ motionId: `${meeting.meetingId}-m${n}`, decisionId, text: `Avenant n° ${k + 1} : ${rationale}`, target: { kind: 'amendment', id: amendmentId }, outcome });
      spec.decision = { decisionId, meetingId: meeting.meetingId, meetingDay: meeting.day, recDay: decisionRecDay };
      if (outcome === 'approved') {
        let lastSigned = decisionRecDay;
        for (const partyId of affectedPartyIds) {
          const day = workday(decisionRecDay + random.int(3, 45));
          lastSigned = Math.max(lastSigned, day);
          spec.signatures.push({ partyId, day, minute: random.int(9 * 60, 17 * 60), byAdministrator: random.chance(0.2) });
        }
        spec.inForceDay = workday(lastSigned + random.int(1, 10));
        const recDay = workday(firstDayOfEpoch(epochOf(spec.inForceDay) + 1) + random.int(0, 6));
        for (const target of changes) {
          const commitment = commitments.find((c) => c.commitmentId === target.commitmentId)!;
          commitment.effects.push({ amendmentId, recDay, atDay: spec.inForceDay, atMinute: 16 * 60, changes: target.changes, supersede: target.supersede });
          if (target.supersede) superseded.add(target.commitmentId);
        }
        if (contractChanges) contract.effects.push({ amendmentId, recDay, atDay: spec.inForceDay, atMinute: 16 * 60, changes: contractChanges });
      }
    }
    specs.push(spec);
  }
  return specs;
}

function commitmentChanges(random: Random, c: CommitmentSpec, day: number): CommitmentEffect['changes'] {
  const year = Number(new Date(day * 86_400_000).getUTCFullYear());
  const last: number = COMPONENTS[c.terms.component].lastYear;
  const kinds = random.sample(['budget', 'means', 'horizon', 'description'] as const, random.int(1, 2));
  const changes: CommitmentEffect['changes'] = {};
  for (const kind of kinds) {
    if (kind === 'budget' && c.terms.budget.length > 0) {
      const factor = random.int(80, 130) / 100;
      changes.budget = c.terms.budget.map((line) => (line.year <= year ? line : { ...line, amountCents: Math.round((line.amountCents * factor) / 100) * 100, status: 'committed' as const }));
    } else if (kind === 'means') {
      const { droitCommunCents, creditsSpecifiquesCents } = c.terms.means;
      changes.means = { droitCommunCents: Math.round((droitCommunCents * 1.1) / 100) * 100, creditsSpecifiquesCents: Math.round((creditsSpecifiquesCents * 0.9) / 100) * 100 };
    } else if (kind === 'horizon' && c.terms.horizon < last) {
      changes.horizon = c.terms.horizon + 1;
    } else {
      changes.description = `${c.terms.description} Modifié par avenant : objectifs et calendrier actualisés.`;
    }
  }
  return changes;
}

function contractChangesFor(world: World, random: Random, k: number, day: number, midTerm: boolean, contract: ContractPlanState): ContractChanges {
  const changes: ContractChanges = {};
  if (midTerm || random.chance(0.3)) {
    const current = contract.budgets.get('contrat-de-ville')!;
    const next = Math.round((current * random.int(102, 110)) / 100 / 100_000) * 100_000;
    contract.budgets.set('contrat-de-ville', next);
    changes.setComponentBudgets = [{ component: 'contrat-de-ville', indicativeAnnualBudgetCents: next }];
  }
  if (midTerm || random.chance(0.4)) {
    const priority = random.int(1, 6);
    const ambitionId = `p${priority}-avenant-${k + 1}`;
    if (!contract.ambitionIds.has(ambitionId)) {
      contract.ambitionIds.add(ambitionId);
      changes.addAmbitions = [{ priority: priority as 1, ambitionId, text: 'Renforcer l’action auprès des publics les plus éloignés, au vu de l’évaluation', scale: 'qpv', horizon: 2030 }];
    }
  }
  if (random.chance(0.4)) {
    const priority = random.int(1, 6);
    const partners = contract.partners.get(priority)!;
    const candidates = world.partiesBefore(day).filter((p) => !partners.has(p.partyId) && p.kind !== 'commune');
    if (candidates.length > 0) {
      const partyId = random.pick(candidates).partyId;
      partners.add(partyId);
      changes.addPartners = [{ priority: priority as 1, partyId }];
    }
  }
  if (day > contract.annexesDone && random.chance(0.4)) {
    changes.setLocalAnnexes = random.sample(world.communes, random.int(1, 3)).map((c) => ({ inseeCode: c.insee, title: `Volet local actualisé — ${c.name}`, documentSha256: random.hex(64) }));
  }
  if (Object.keys(changes).length === 0) {
    const current = contract.budgets.get('pacte-local-solidarites')!;
    changes.setComponentBudgets = [{ component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: current }];
  }
  return changes;
}

type Ctx = BuildContext<AmendmentState>;

export function amendmentPlan(world: World, spec: AmendmentSpec): StreamPlan {
  return {
    streamId: `amendment-${spec.amendmentId}`,
    aggregateId: spec.amendmentId,
    decider: amendmentDecider as unknown as AnyDecider,
    steps: () => {
      const r = new Random(hash32(`${world.seed}:plan:amendment-${spec.amendmentId}`));
      const { amendmentId } = spec;
      const t = new Timeline<AmendmentState>();
      const cmd = (fields: Record<string, unknown> & { type: AmendmentCommand['type'] }, actor: Actor) => ({ at }: Ctx): Command =>
        ({ amendmentId, ...fields, actor, at }) as Command;
      const contractId = spec.contractChanges ? world.contractId : null;
      t.add(spec.proposeDay, 10 * 60, cmd({
        type: 'ProposeAmendment',
        rationale: spec.rationale,
        description: spec.description,
        contractId,
        commitmentIds: spec.commitments.map((c) => c.commitmentId),
        affectedPartyIds: spec.affectedPartyIds,
        changes: [
          ...(spec.contractChanges ? [{ target: { kind: 'contract', id: world.contractId }, change: spec.contractChanges }] : []),
          ...spec.commitments.map((c) => ({ target: { kind: 'commitment', id: c.commitmentId }, change: c.changes })),
        ],
      }, spec.proposer));
      if (spec.outcome === 'withdrawn') {
        const by = spec.proposer.role === 'signatory-representative' ? spec.proposer : ADMINISTRATOR;
        t.add(spec.withdrawDay!, 11 * 60, cmd({ type: 'WithdrawAmendment', reason: 'Retiré avant son examen en comité de pilotage' }, by));
        return t.steps();
      }
      const decision = spec.decision!;
      // The decision is the steering committee's, recorded by its secretary in the days after the meeting.
      t.addLate(decision.recDay, 9 * 60 + r.int(0, 60), decision.meetingDay, 21 * 60, ({ at, facts }: Ctx): AmendmentCommand => ({
        type: spec.outcome === 'approved' ? 'ApproveAmendment' : 'RejectAmendment',
        amendmentId,
        decision: facts.decision(decision.decisionId),
        actor: secretary('copil-cvs'),
        at,
      }), 1, [`meeting-${decision.meetingId}`]);
      if (spec.outcome !== 'approved') return t.steps();
      for (const s of spec.signatures) {
        t.add(s.day, s.minute, s.byAdministrator
          ? cmd({ type: 'SignAmendment', onBehalfOfPartyId: s.partyId }, SIGNING_ADMINISTRATOR)
          : cmd({ type: 'SignAmendment' }, representative(s.partyId)));
      }
      t.add(spec.inForceDay!, 16 * 60, cmd({ type: 'BringAmendmentIntoForce' }, ADMINISTRATOR));
      return t.steps();
    },
  };
}
