import {
  type ContractCommand,
  contractDecider,
  type ContractState,
  type EvaluationCycleCommand,
  evaluationCycleDecider,
  type EvaluationCycleState,
  type EvaluationKind,
} from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import { dateOf, dayFromParts, HISTORY_END, workday } from './calendar';
import type { ContractPlanState } from './amendments';
import { ADMINISTRATOR, type BuildContext, type Command, representative, type StreamPlan, Timeline } from './plan';
import { hash32, Random } from './random';
import type { World } from './world';

/** The contract's stream: local annexes, the mid-term revision, amendments applied, and closing. */
export function contractPlanState(world: World): ContractPlanState {
  return {
    ambitionIds: new Set(world.contract.priorities.flatMap((p) => p.ambitions.map((a) => a.ambitionId))),
    partners: new Map(world.contract.priorities.map((p) => [p.number, new Set(p.partnerPartyIds)])),
    budgets: new Map(world.contract.components.map((c) => [c.component, c.indicativeAnnualBudgetCents])),
    annexesDone: dayFromParts(2025, 5, 31),
    effects: [],
  };
}

export function contractPlan(world: World, planned: ContractPlanState): StreamPlan {
  return {
    streamId: `contract-${world.contractId}`,
    aggregateId: world.contractId,
    decider: contractDecider as unknown as AnyDecider,
    steps: () => {
      const r = new Random(hash32(`${world.seed}:plan:contract`));
      const contractId = world.contractId;
      const t = new Timeline<ContractState>();
      const cmd = (fields: Record<string, unknown> & { type: ContractCommand['type'] }) => ({ at }: BuildContext): Command =>
        ({ contractId, ...fields, actor: ADMINISTRATOR, at }) as Command;
      // Every commune annexes its volet local within the first year.
      const first = dayFromParts(2024, 6, 10);
      r.sample(world.communes, world.communes.length).forEach((commune) => {
        const day = workday(first + r.int(0, planned.annexesDone - first - 3));
        t.add(day, r.int(9 * 60, 17 * 60), cmd({ type: 'AnnexLocalPart', inseeCode: commune.insee, title: `Volet local — ${commune.name}`, documentSha256: r.hex(64) }));
      });
      t.add(workday(dayFromParts(2027, 1, 11)), 10 * 60, cmd({ type: 'StartRevision', reason: 'Évaluation à mi-parcours et révision du contrat (2027)' }));
      t.add(workday(dayFromParts(2027, 12, 8)), 10 * 60, cmd({ type: 'CompleteRevision', conclusion: 'Révision achevée : moyens réajustés, nouvelles ambitions intégrées par avenant.' }));
      for (const effect of planned.effects) {
        const { amendmentId, changes } = effect;
        t.addLate(effect.recDay, 8 * 60 + 30, effect.atDay, effect.atMinute, ({ at, facts }: BuildContext): ContractCommand => ({
          type: 'ApplyAmendmentToContract',
          contractId,
          amendment: facts.amendment(amendmentId),
          changes,
          actor: ADMINISTRATOR,
          at,
        }), 1, [`amendment-${amendmentId}`]);
      }
      t.add(HISTORY_END, 18 * 60, cmd({ type: 'CloseContract' }));
      return t.steps();
    },
  };
}

/**
 * Evaluation (loi 2014-173, art. 6): an annual review each year from 2025, the mid-term evaluation
 * in 2027 and the final one in 2030; every signatory asked to contribute, most do; findings, and the
 * answers of the parties they concern.
 */
export function evaluationPlans(world: World, full: boolean, priorityActions: string[]): StreamPlan[] {
  const cycles: { cycleId: string; kind: EvaluationKind; year: number; open: number; close: number; parties: string[] }[] = [];
  const signatories = world.signatories;
  if (full) {
    for (let year = 2025; year <= 2030; year++) {
      cycles.push({ cycleId: `revue-annuelle-${year}`, kind: 'annual-review', year, open: dayFromParts(year, 3, 3), close: dayFromParts(year, year === 2030 ? 10 : 9, 28), parties: signatories });
    }
  }
  cycles.push({ cycleId: 'evaluation-mi-parcours-2027', kind: 'mid-term', year: 2027, open: dayFromParts(2027, 1, 18), close: dayFromParts(2027, 11, 26), parties: full ? [...signatories, ...world.communes.map((c) => c.partyId)] : signatories.slice(0, 3) });
  cycles.push({ cycleId: 'evaluation-finale-2030', kind: 'final', year: 2030, open: dayFromParts(2030, 6, 17), close: dayFromParts(2030, 12, 17), parties: full ? signatories : signatories.slice(0, 3) });

  return cycles.map((cycle) => ({
    streamId: `evaluation-cycle-${cycle.cycleId}`,
    aggregateId: cycle.cycleId,
    decider: evaluationCycleDecider as unknown as AnyDecider,
    steps: () => {
      const r = new Random(hash32(`${world.seed}:plan:evaluation-${cycle.cycleId}`));
      const { cycleId } = cycle;
      const t = new Timeline<EvaluationCycleState>();
      const cmd = (fields: Record<string, unknown> & { type: EvaluationCycleCommand['type'] }, actor = ADMINISTRATOR) => ({ at }: BuildContext): Command =>
        ({ cycleId, ...fields, actor, at }) as Command;
      const open = workday(cycle.open);
      t.add(open, 10 * 60, cmd({
        type: 'OpenEvaluationCycle',
        kind: cycle.kind,
        year: cycle.year,
        scope: { priorities: [1, 2, 3, 4, 5, 6], priorityActionCommitmentIds: priorityActions.slice(0, 3) },
        questions: [
          { questionId: 'q1', text: 'Dans quelle mesure les politiques de droit commun se sont-elles mobilisées dans les quartiers prioritaires ?' },
          { questionId: 'q2', text: 'Les actions financées ont-elles atteint les publics visés ?' },
          ...(cycle.kind === 'annual-review' ? [] : [{ questionId: 'q3', text: 'Quelles orientations pour atteindre les ambitions fixées ?' }]),
        ],
      }));
      const due = dateOf(Math.min(HISTORY_END, open + 75));
      cycle.parties.forEach((partyId, i) => t.add(open + 1, 9 * 60 + i, cmd({ type: 'RequestContribution', partyId, dueDate: due })));
      for (const partyId of cycle.parties) {
        if (r.chance(0.85)) {
          t.add(workday(open + r.int(20, 80)), r.int(9 * 60, 17 * 60), cmd({
            type: 'SubmitContribution',
            partyId,
            summary: 'Contribution au bilan : actions conduites, moyens mobilisés et difficultés rencontrées.',
            documentSha256s: [r.hex(64)],
          }, representative(partyId)));
        }
      }
      const findings = r.int(2, cycle.kind === 'annual-review' ? 3 : 5);
      const findingDay = workday(open + 100);
      for (let f = 1; f <= findings; f++) {
        const concerned = r.sample(cycle.parties, r.int(1, 3)).sort();
        t.add(findingDay, 10 * 60 + f, cmd({
          type: 'RecordFinding',
          findingId: `constat-${f}`,
          text: r.pick([
            'La mobilisation des crédits de droit commun reste inégale selon les quartiers.',
            'Les actions jeunesse touchent peu les jeunes femmes.',
            'Les délais de versement des subventions fragilisent les petites associations.',
            'La participation des conseils citoyens aux instances progresse.',
          ]),
          priorities: [r.int(1, 6)],
          concernedPartyIds: concerned,
        }));
        for (const partyId of concerned) {
          if (r.chance(0.75)) {
            t.add(workday(findingDay + r.int(10, 40)), r.int(9 * 60, 17 * 60), cmd({
              type: 'RespondToFinding',
              findingId: `constat-${f}`,
              partyId,
              response: 'Constat partagé ; un plan d’action sera présenté au prochain comité de pilotage.',
              plannedAction: r.chance(0.5) ? 'Réunion de coordination trimestrielle avec les porteurs de projets' : null,
            }, representative(partyId)));
          }
        }
      }
      const closing = workday(cycle.close);
      t.add(Math.min(closing, HISTORY_END), 15 * 60, cmd({
        type: 'CloseEvaluationCycle',
        summary: 'Synthèse des contributions et des constats ; recommandations transmises au comité de pilotage.',
        ...(cycle.kind === 'mid-term' && {
          droitCommunMobilisation: 'Mobilisation du droit commun réelle en matière d’emploi et d’éducation, insuffisante en matière de santé.',
          orientations: ['Renforcer la présence des services publics dans les quartiers', 'Simplifier le financement pluriannuel des associations'],
        }),
        reportSha256: r.hex(64),
      }));
      return t.steps();
    },
  }));
}
