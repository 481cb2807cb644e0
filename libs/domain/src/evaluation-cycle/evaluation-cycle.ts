import { assertActsFor, assertAdministrator } from '../shared/acting';
import type { CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { isRecord, optionalSha256, optionalText, own, shown, textItem, validateList } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertDate, assertOneOf, assertSha256, assertText, COMPONENTS, notFound, PRIORITY_NUMBERS } from '../shared/values';

/**
 * Evaluation cycle (évaluation): the evaluation structure to which every signatory reports (loi 2014-173,
 * art. 6). "Le dispositif fera l'objet d'une évaluation qui se basera sur des indicateurs, des questions
 * évaluatives et des référentiels […]. Trois actions prioritaires […] seront particulièrement suivies
 * […]. Une évaluation à mi-parcours sera effectuée en 2027. Elle poursuivra deux objectifs clés :
 * analyser la capacité des politiques publiques de droit commun à se mobiliser pour atteindre les
 * ambitions fixées ; identifier les orientations nécessaires pour atteindre ces objectifs." (seed)
 *
 * Lifecycle: open → closed. While open, the administration requests contributions from parties, each
 * party submits its own (requested → submitted, once), findings are recorded and the parties a finding
 * concerns respond to it (once each). A closed cycle takes nothing more.
 *
 * Choices:
 * - kind and year: an annual review in any year 2024..2030, the mid-term evaluation in 2027, the final
 *   one in 2030. That only one cycle exists per kind and year is for the command handler to look up
 *   (or to give deterministic ids such as `mid-term-2027`); a decider sees one stream.
 * - scope: the enjeux (1–6) evaluated and the commitment ids of the (at most three) priority actions
 *   followed particularly; at least one evaluative question, each with a stable id.
 * - Closing records the conclusions: a summary for every kind; for the mid-term, the two objectives of
 *   the seed as required fields (`droitCommunMobilisation`: the analysis of the mobilisation of ordinary
 *   policies; `orientations`: the orientations needed). The closing event also lists the parties whose
 *   requested contribution never came, so that the ledger says who did not report.
 * - The administration (administrator role) opens, requests, records findings and closes; a party
 *   (its signatory representative, or an administrator for it) submits and responds.
 */

export const EVALUATION_KINDS = ['annual-review', 'mid-term', 'final'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

/** The year each kind of evaluation takes place in (the press kit: mid-term in 2027; the contract ends in 2030). */
export const MID_TERM_YEAR = 2027;
export const FINAL_YEAR = COMPONENTS['contrat-de-ville'].lastYear;
const FIRST_YEAR = 2024;
const CONTRACT_END = COMPONENTS['contrat-de-ville'].end;

/** At most this many priority actions are "particulièrement suivies". */
export const MAX_PRIORITY_ACTIONS = 3;
const MAX_LIST = 200;

export interface EvaluationScope {
  /** The enjeux evaluated, 1–6. */
  priorities: number[];
  /** Commitment ids of the priority actions followed particularly (at most three). */
  priorityActionCommitmentIds: string[];
}

export interface EvaluationQuestion {
  questionId: string;
  text: string;
}

/** The conclusions a cycle closes with; the mid-term one must give both objectives of the seed. */
export interface EvaluationConclusions {
  summary: string;
  /** Analysis of the capacity of droit commun policies to mobilise for the ambitions set. */
  droitCommunMobilisation: string | null;
  /** The orientations needed to reach the objectives. */
  orientations: string[];
  /** SHA-256 of the evaluation report, if registered. */
  reportSha256: string | null;
}

// ---- commands ---------------------------------------------------------------------------------

export type EvaluationCycleCommand = CommandContext &
  (
    | { type: 'OpenEvaluationCycle'; cycleId: string; kind: EvaluationKind; year: number; scope: EvaluationScope; questions: EvaluationQuestion[] }
    | { type: 'RequestContribution'; cycleId: string; partyId: string; dueDate?: string | null }
    | { type: 'SubmitContribution'; cycleId: string; partyId: string; summary?: string | null; documentSha256s: string[] }
    | { type: 'RecordFinding'; cycleId: string; findingId: string; text: string; priorities?: number[]; commitmentIds?: string[]; concernedPartyIds: string[] }
    | { type: 'RespondToFinding'; cycleId: string; findingId: string; partyId: string; response: string; plannedAction?: string | null }
    | {
        type: 'CloseEvaluationCycle';
        cycleId: string;
        summary: string;
        droitCommunMobilisation?: string | null;
        orientations?: string[];
        reportSha256?: string | null;
      }
  );

// ---- events -----------------------------------------------------------------------------------

export type EvaluationCycleEvent =
  | DomainEvent<'EvaluationCycleOpened', { cycleId: string; kind: EvaluationKind; year: number; scope: EvaluationScope; questions: EvaluationQuestion[] }>
  | DomainEvent<'ContributionRequested', { cycleId: string; partyId: string; dueDate: string | null }>
  | DomainEvent<'ContributionSubmitted', { cycleId: string; partyId: string; summary: string | null; documentSha256s: string[] }>
  | DomainEvent<'FindingRecorded', { cycleId: string; findingId: string; text: string; priorities: number[]; commitmentIds: string[]; concernedPartyIds: string[] }>
  | DomainEvent<'FindingResponded', { cycleId: string; findingId: string; partyId: string; response: string; plannedAction: string | null }>
  | DomainEvent<'EvaluationCycleClosed', { cycleId: string; missingContributionPartyIds: string[] } & EvaluationConclusions>;

// ---- state ------------------------------------------------------------------------------------

export type EvaluationCycleStatus = 'open' | 'closed';

export interface Contribution {
  status: 'requested' | 'submitted';
  dueDate: string | null;
  summary: string | null;
  documentSha256s: string[];
}

export interface Finding {
  text: string;
  priorities: number[];
  commitmentIds: string[];
  concernedPartyIds: string[];
  /** Responses by party id. */
  responses: Record<string, { response: string; plannedAction: string | null }>;
}

export interface EvaluationCycleState {
  exists: boolean;
  cycleId?: string;
  status?: EvaluationCycleStatus;
  kind?: EvaluationKind;
  year?: number;
  scope?: EvaluationScope;
  questions: EvaluationQuestion[];
  /** By party id. */
  contributions: Record<string, Contribution>;
  /** By finding id. */
  findings: Record<string, Finding>;
  conclusions?: EvaluationConclusions;
  missingContributionPartyIds: string[];
}

const initialState: EvaluationCycleState = { exists: false, questions: [], contributions: {}, findings: {}, missingContributionPartyIds: [] };

// ---- decide -----------------------------------------------------------------------------------

function decide(command: EvaluationCycleCommand, state: EvaluationCycleState): EvaluationCycleEvent[] {
  if (command.type === 'OpenEvaluationCycle') {
    ensure(!state.exists, 'AggregateMustNotExistYet', `evaluation cycle ${shown(command.cycleId)} already exists`, 'cycleId');
    assertAdministrator(command.actor, 'opening an evaluation cycle');
    assertText(command.cycleId, 'cycleId', 100);
    assertOneOf(command.kind, EVALUATION_KINDS, 'kind');
    assertYear(command.kind, command.year);
    const scope = validateScope(command.scope);
    const questions = validateQuestions(command.questions);
    return [{ type: 'EvaluationCycleOpened', data: { cycleId: command.cycleId, kind: command.kind, year: command.year, scope, questions } }];
  }
  if (!state.exists || !state.cycleId || !state.status) throw notFound(`evaluation cycle ${shown(command.cycleId)}`);
  const cycleId = state.cycleId;
  ensure(
    state.status === 'open',
    'TransitionMustFollowLifecycle',
    `evaluation cycle ${cycleId} is closed: it takes no more ${command.type === 'CloseEvaluationCycle' ? 'closing' : 'contributions, findings or responses'}`,
  );

  switch (command.type) {
    case 'RequestContribution': {
      assertAdministrator(command.actor, 'requesting a contribution');
      assertText(command.partyId, 'partyId', 100);
      ensure(!Object.hasOwn(state.contributions, command.partyId), 'AggregateMustNotExistYet', `a contribution of ${command.partyId} is requested already`, 'partyId');
      let dueDate: string | null = null;
      if (command.dueDate !== undefined && command.dueDate !== null) {
        assertDate(command.dueDate, 'dueDate');
        ensure(command.dueDate <= CONTRACT_END, 'PeriodIsWithinTheContract', `dueDate ${command.dueDate} is after the contract’s end, ${CONTRACT_END}`, 'dueDate');
        dueDate = command.dueDate;
      }
      return [{ type: 'ContributionRequested', data: { cycleId, partyId: command.partyId, dueDate } }];
    }
    case 'SubmitContribution': {
      assertText(command.partyId, 'partyId', 100);
      assertActsFor(command.actor, command.partyId, `the contribution of party ${command.partyId}`);
      const contribution = own(state.contributions, command.partyId);
      ensure(contribution, 'TransitionMustFollowLifecycle', `no contribution of ${command.partyId} was requested in evaluation cycle ${cycleId}`, 'partyId');
      ensure(contribution.status === 'requested', 'TransitionMustFollowLifecycle', `the contribution of ${command.partyId} is submitted already`, 'partyId');
      const summary = optionalText(command.summary, 'summary', 10_000);
      const documentSha256s = validateList(command.documentSha256s, 'documentSha256s', 1, 50, (value, field) => {
        assertSha256(value, field);
        return value;
      });
      return [{ type: 'ContributionSubmitted', data: { cycleId, partyId: command.partyId, summary, documentSha256s } }];
    }
    case 'RecordFinding': {
      assertAdministrator(command.actor, 'recording a finding');
      assertText(command.findingId, 'findingId', 100);
      ensure(!Object.hasOwn(state.findings, command.findingId), 'AggregateMustNotExistYet', `finding ${command.findingId} exists already`, 'findingId');
      assertText(command.text, 'text', 10_000);
      const priorities = validateList(command.priorities ?? [], 'priorities', 0, PRIORITY_NUMBERS.length, (value, field) => {
        assertOneOf(value, PRIORITY_NUMBERS, field);
        return value as number;
      });
      const commitmentIds = validateList(command.commitmentIds ?? [], 'commitmentIds', 0, MAX_LIST, textItem(100));
      const concernedPartyIds = validateList(command.concernedPartyIds, 'concernedPartyIds', 0, MAX_LIST, textItem(100));
      return [{ type: 'FindingRecorded', data: { cycleId, findingId: command.findingId, text: command.text, priorities, commitmentIds, concernedPartyIds } }];
    }
    case 'RespondToFinding': {
      assertText(command.findingId, 'findingId', 100);
      const finding = own(state.findings, command.findingId);
      if (!finding) throw new DomainRuleError('AggregateMustExist', `finding ${command.findingId} does not exist`, 'findingId');
      assertText(command.partyId, 'partyId', 100);
      ensure(
        finding.concernedPartyIds.includes(command.partyId),
        'PartyActsOnlyForItself',
        `finding ${command.findingId} does not concern party ${command.partyId}`,
        'partyId',
      );
      assertActsFor(command.actor, command.partyId, `the response of party ${command.partyId}`);
      ensure(!Object.hasOwn(finding.responses, command.partyId), 'AggregateMustNotExistYet', `party ${command.partyId} has responded already`, 'partyId');
      assertText(command.response, 'response', 10_000);
      const plannedAction = optionalText(command.plannedAction, 'plannedAction', 10_000);
      return [{ type: 'FindingResponded', data: { cycleId, findingId: command.findingId, partyId: command.partyId, response: command.response, plannedAction } }];
    }
    case 'CloseEvaluationCycle': {
      assertAdministrator(command.actor, 'closing an evaluation cycle');
      assertText(command.summary, 'summary', 20_000);
      const droitCommunMobilisation = optionalText(command.droitCommunMobilisation, 'droitCommunMobilisation', 20_000);
      const orientations = validateList(command.orientations ?? [], 'orientations', 0, MAX_LIST, textItem(5_000));
      if (state.kind === 'mid-term') {
        ensure(
          droitCommunMobilisation !== null,
          'ValueMustBeValid',
          'the mid-term evaluation concludes on the capacity of droit commun policies to mobilise',
          'droitCommunMobilisation',
        );
        ensure(orientations.length > 0, 'ValueMustBeValid', 'the mid-term evaluation identifies the orientations needed', 'orientations');
      }
      const reportSha256 = optionalSha256(command.reportSha256, 'reportSha256');
      const missingContributionPartyIds = Object.entries(state.contributions)
        .filter(([, c]) => c.status === 'requested')
        .map(([partyId]) => partyId);
      return [
        {
          type: 'EvaluationCycleClosed',
          data: { cycleId, summary: command.summary, droitCommunMobilisation, orientations, reportSha256, missingContributionPartyIds },
        },
      ];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

function assertYear(kind: EvaluationKind, year: unknown): asserts year is number {
  ensure(Number.isInteger(year), 'ValueMustBeValid', 'year must be a whole year', 'year');
  const y = year as number;
  ensure(y >= FIRST_YEAR && y <= FINAL_YEAR, 'PeriodIsWithinTheContract', `year ${y} is not within the contract, ${FIRST_YEAR}–${FINAL_YEAR}`, 'year');
  if (kind === 'mid-term') ensure(y === MID_TERM_YEAR, 'ValueMustBeValid', `the mid-term evaluation takes place in ${MID_TERM_YEAR}`, 'year');
  if (kind === 'final') ensure(y === FINAL_YEAR, 'ValueMustBeValid', `the final evaluation takes place in ${FINAL_YEAR}`, 'year');
}

function validateScope(scope: unknown): EvaluationScope {
  ensure(isRecord(scope), 'ValueMustBeValid', 'scope must give priorities and priorityActionCommitmentIds', 'scope');
  const priorities = validateList(scope.priorities, 'scope.priorities', 1, PRIORITY_NUMBERS.length, (value, field) => {
    assertOneOf(value, PRIORITY_NUMBERS, field);
    return value as number;
  });
  const priorityActionCommitmentIds = validateList(scope.priorityActionCommitmentIds ?? [], 'scope.priorityActionCommitmentIds', 0, MAX_PRIORITY_ACTIONS, textItem(100));
  return { priorities, priorityActionCommitmentIds };
}

function validateQuestions(questions: unknown): EvaluationQuestion[] {
  return validateList(
    questions,
    'questions',
    1,
    MAX_LIST,
    (question, field) => {
      ensure(isRecord(question), 'ValueMustBeValid', `${field} must be { questionId, text }`, field);
      assertText(question.questionId, `${field}.questionId`, 100);
      assertText(question.text, `${field}.text`, 2000);
      return { questionId: question.questionId, text: question.text };
    },
    (question) => question.questionId,
  );
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: EvaluationCycleState, event: RecordedEvent<EvaluationCycleEvent>): EvaluationCycleState {
  switch (event.type) {
    case 'EvaluationCycleOpened': {
      const { cycleId, kind, year, scope, questions } = event.data;
      return { ...state, exists: true, status: 'open', cycleId, kind, year, scope, questions };
    }
    case 'ContributionRequested': {
      const { partyId, dueDate } = event.data;
      return { ...state, contributions: { ...state.contributions, [partyId]: { status: 'requested', dueDate, summary: null, documentSha256s: [] } } };
    }
    case 'ContributionSubmitted': {
      const { partyId, summary, documentSha256s } = event.data;
      const requested = state.contributions[partyId];
      return {
        ...state,
        contributions: { ...state.contributions, [partyId]: { status: 'submitted', dueDate: requested?.dueDate ?? null, summary, documentSha256s } },
      };
    }
    case 'FindingRecorded': {
      const { findingId, text, priorities, commitmentIds, concernedPartyIds } = event.data;
      return { ...state, findings: { ...state.findings, [findingId]: { text, priorities, commitmentIds, concernedPartyIds, responses: {} } } };
    }
    case 'FindingResponded': {
      const { findingId, partyId, response, plannedAction } = event.data;
      const finding = state.findings[findingId];
      return {
        ...state,
        findings: { ...state.findings, [findingId]: { ...finding, responses: { ...finding.responses, [partyId]: { response, plannedAction } } } },
      };
    }
    case 'EvaluationCycleClosed': {
      const { summary, droitCommunMobilisation, orientations, reportSha256, missingContributionPartyIds } = event.data;
      return { ...state, status: 'closed', conclusions: { summary, droitCommunMobilisation, orientations, reportSha256 }, missingContributionPartyIds };
    }
    default:
      return state;
  }
}

export const evaluationCycleDecider: Decider<EvaluationCycleCommand, EvaluationCycleEvent, EvaluationCycleState> = {
  aggregate: 'evaluation-cycle',
  initialState,
  decide,
  evolve,
};
