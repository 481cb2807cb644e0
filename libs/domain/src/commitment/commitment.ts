import { assertActsFor, assertAdministrator } from '../shared/acting';
import type { CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertRecord, own, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import {
  assertCents,
  assertDate,
  assertOneOf,
  assertSha256,
  assertText,
  type Component,
  COMPONENTS,
  notFound,
  PRIORITY_NUMBERS,
} from '../shared/values';

/**
 * Commitment (engagement): who commits to what, where, until when, with which means. The ledger line
 * signatories report on. Lifecycle (DESIGN §1): draft → proposed → adopted → in_progress ⇄ suspended →
 * completed (met | partially_met | not_met); any non-final state → withdrawn; an amendment in force can
 * mark it superseded. A correction (no legal effect) and an amendment (legal effect) are distinct.
 */

export type CommitmentStatus = 'draft' | 'proposed' | 'adopted' | 'in_progress' | 'suspended' | 'completed' | 'withdrawn' | 'superseded';
export type CommitmentOutcome = 'met' | 'partially_met' | 'not_met';
export type MilestoneStatus = 'scheduled' | 'met' | 'notMet' | 'partiallyMet'; // OCDS
export type FundingTransaction = 'commitment' | 'disbursement' | 'expenditure'; // IATI

/** Budget of one year, in cents; `indicative` or `committed` as in IATI budgets. */
export interface BudgetLine {
  year: number;
  amountCents: number;
  status: 'indicative' | 'committed';
}

/** The split the law asks for: means of ordinary policies (droit commun) vs specific credits. */
export interface Means {
  droitCommunCents: number;
  creditsSpecifiquesCents: number;
}

export interface TerritorialScope {
  /** QPV codes, such as QN05972M. */
  qpv: string[];
  /** INSEE codes of communes. */
  communes: string[];
}

export interface CommitmentTerms {
  title: string;
  description: string;
  ownerPartyId: string;
  coFunderPartyIds: string[];
  priority: number;
  ambition: string;
  component: Component;
  /** Year by which the commitment is met: 2027 (MEL scale) or 2030 (QPV). */
  horizon: number;
  scope: TerritorialScope;
  means: Means;
  budget: BudgetLine[];
}

// ---- commands ---------------------------------------------------------------------------------

export type CommitmentCommand = CommandContext &
  (
    | ({ type: 'DraftCommitment'; commitmentId: string } & CommitmentTerms)
    | { type: 'ProposeCommitment'; commitmentId: string }
    | { type: 'AdoptCommitment'; commitmentId: string; decisionId?: string }
    | { type: 'StartCommitment'; commitmentId: string }
    | { type: 'SuspendCommitment'; commitmentId: string; reason: string }
    | { type: 'ResumeCommitment'; commitmentId: string }
    | { type: 'CompleteCommitment'; commitmentId: string; outcome: CommitmentOutcome; summary: string }
    | { type: 'WithdrawCommitment'; commitmentId: string; reason: string }
    | { type: 'ScheduleMilestone'; commitmentId: string; milestoneId: string; title: string; dueDate: string }
    | { type: 'RecordMilestoneStatus'; commitmentId: string; milestoneId: string; status: MilestoneStatus }
    | { type: 'RecordFunding'; commitmentId: string; transaction: FundingTransaction; year: number; amountCents: number; partyId: string }
    | {
        type: 'ReportProgress';
        commitmentId: string;
        reportId: string;
        period: string;
        summary: string;
        evidence: { sha256: string; title: string }[];
      }
    | { type: 'CorrectCommitment'; commitmentId: string; correctsEventId: string; field: CorrectableField; value: unknown; reason: string }
    | {
        type: 'ApplyAmendmentToCommitment';
        commitmentId: string;
        /** Looked up from the amendment's stream by the command handler. */
        amendment: { amendmentId: string; status: string; affectedCommitmentIds: string[] };
        changes: Partial<Pick<CommitmentTerms, 'title' | 'description' | 'horizon' | 'means' | 'budget' | 'scope'>>;
        supersede?: boolean;
      }
  );

/** What an amendment may change in a commitment's terms. */
export const AMENDABLE_TERMS = ['title', 'description', 'horizon', 'means', 'budget', 'scope'] as const;

/** What a correction may fix: clerical errors in the terms, not their legal content. */
export const CORRECTABLE_FIELDS = ['title', 'description', 'scope', 'ambition'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

// ---- events -----------------------------------------------------------------------------------

export type CommitmentEvent =
  | DomainEvent<'CommitmentDrafted', { commitmentId: string } & CommitmentTerms>
  | DomainEvent<'CommitmentProposed', { commitmentId: string }>
  | DomainEvent<'CommitmentAdopted', { commitmentId: string; decisionId: string | null }>
  | DomainEvent<'CommitmentStarted', { commitmentId: string }>
  | DomainEvent<'CommitmentSuspended', { commitmentId: string; reason: string }>
  | DomainEvent<'CommitmentResumed', { commitmentId: string }>
  | DomainEvent<'CommitmentCompleted', { commitmentId: string; outcome: CommitmentOutcome; summary: string }>
  | DomainEvent<'CommitmentWithdrawn', { commitmentId: string; reason: string }>
  | DomainEvent<'MilestoneScheduled', { commitmentId: string; milestoneId: string; title: string; dueDate: string }>
  | DomainEvent<'MilestoneStatusRecorded', { commitmentId: string; milestoneId: string; status: MilestoneStatus }>
  /** Schema version 2 (version 1 had no currency: it is upcast to 'EUR', see upcasting.ts). */
  | DomainEvent<'FundingRecorded', { commitmentId: string; transaction: FundingTransaction; year: number; amountCents: number; currency: 'EUR'; partyId: string }>
  | DomainEvent<'ProgressReported', { commitmentId: string; reportId: string; period: string; summary: string; evidence: { sha256: string; title: string }[] }>
  | DomainEvent<'CommitmentCorrected', { commitmentId: string; correctsEventId: string; field: CorrectableField; value: unknown; reason: string }>
  | DomainEvent<'CommitmentAmended', { commitmentId: string; amendmentId: string; changes: Partial<CommitmentTerms> }>
  | DomainEvent<'CommitmentSuperseded', { commitmentId: string; amendmentId: string }>;

// ---- state ------------------------------------------------------------------------------------

export interface CommitmentState {
  exists: boolean;
  status?: CommitmentStatus;
  terms?: CommitmentTerms;
  outcome?: CommitmentOutcome;
  milestones: Record<string, { title: string; dueDate: string; status: MilestoneStatus }>;
  funding: Record<FundingTransaction, number>;
  reportIds: string[];
  eventIds: string[];
}

const initialState: CommitmentState = {
  exists: false,
  milestones: {},
  funding: { commitment: 0, disbursement: 0, expenditure: 0 },
  reportIds: [],
  eventIds: [],
};

const FINAL: CommitmentStatus[] = ['completed', 'withdrawn', 'superseded'];
const TRANSITIONS: Record<string, { from: CommitmentStatus[]; to: CommitmentStatus }> = {
  ProposeCommitment: { from: ['draft'], to: 'proposed' },
  AdoptCommitment: { from: ['proposed'], to: 'adopted' },
  StartCommitment: { from: ['adopted'], to: 'in_progress' },
  SuspendCommitment: { from: ['in_progress'], to: 'suspended' },
  ResumeCommitment: { from: ['suspended'], to: 'in_progress' },
  CompleteCommitment: { from: ['in_progress'], to: 'completed' },
  WithdrawCommitment: { from: ['draft', 'proposed', 'adopted', 'in_progress', 'suspended'], to: 'withdrawn' },
};

// ---- decide -----------------------------------------------------------------------------------

function decide(command: CommitmentCommand, state: CommitmentState): CommitmentEvent[] {
  const { commitmentId } = command;
  if (command.type === 'DraftCommitment') {
    ensure(!state.exists, 'AggregateMustNotExistYet', `commitment ${shown(commitmentId)} already exists`);
    const { type: _t, actor, at: _a, commitmentId: _c, ...terms } = command;
    validateTerms(terms);
    assertActsFor(actor, terms.ownerPartyId, 'a commitment');
    return [{ type: 'CommitmentDrafted', data: { commitmentId, ...terms } }];
  }
  if (!state.exists || !state.terms || !state.status) throw notFound(`commitment ${shown(commitmentId)}`);
  const terms = state.terms;
  const owner = terms.ownerPartyId;

  const transition = own(TRANSITIONS, command.type);
  if (transition) {
    ensure(
      transition.from.includes(state.status),
      'TransitionMustFollowLifecycle',
      `a commitment ${state.status.replace('_', ' ')} cannot become ${transition.to.replace('_', ' ')}`,
    );
  }

  switch (command.type) {
    case 'ProposeCommitment':
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      return [{ type: 'CommitmentProposed', data: { commitmentId } }];
    case 'AdoptCommitment':
      ensure(
        command.actor.role === 'administrator' || command.actor.role === 'body-secretary',
        'OnlyAnAdministratorMayDoThis',
        'a commitment is adopted by the contract’s administration or the secretary of a governance body',
      );
      return [{ type: 'CommitmentAdopted', data: { commitmentId, decisionId: command.decisionId ?? null } }];
    case 'StartCommitment':
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      return [{ type: 'CommitmentStarted', data: { commitmentId } }];
    case 'SuspendCommitment':
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      assertText(command.reason, 'reason');
      return [{ type: 'CommitmentSuspended', data: { commitmentId, reason: command.reason } }];
    case 'ResumeCommitment':
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      return [{ type: 'CommitmentResumed', data: { commitmentId } }];
    case 'CompleteCommitment':
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      assertOneOf(command.outcome, ['met', 'partially_met', 'not_met'] as const, 'outcome');
      assertText(command.summary, 'summary', 10_000);
      return [{ type: 'CommitmentCompleted', data: { commitmentId, outcome: command.outcome, summary: command.summary } }];
    case 'WithdrawCommitment':
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      assertText(command.reason, 'reason');
      return [{ type: 'CommitmentWithdrawn', data: { commitmentId, reason: command.reason } }];
    case 'ScheduleMilestone': {
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      assertOpen(state);
      assertText(command.milestoneId, 'milestoneId', 100);
      ensure(!Object.hasOwn(state.milestones, command.milestoneId), 'AggregateMustNotExistYet', `milestone ${command.milestoneId} already exists`, 'milestoneId');
      assertText(command.title, 'title', 300);
      assertDate(command.dueDate, 'dueDate');
      const end = COMPONENTS[terms.component].end;
      ensure(command.dueDate <= end, 'CommitmentEndsWithinItsComponent', `a milestone of the ${terms.component} is due by ${end}`, 'dueDate');
      const { milestoneId, title, dueDate } = command;
      return [{ type: 'MilestoneScheduled', data: { commitmentId, milestoneId, title, dueDate } }];
    }
    case 'RecordMilestoneStatus':
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      assertOpen(state);
      assertText(command.milestoneId, 'milestoneId', 100);
      if (!Object.hasOwn(state.milestones, command.milestoneId)) throw notFound(`milestone ${command.milestoneId}`);
      assertOneOf(command.status, ['scheduled', 'met', 'notMet', 'partiallyMet'] as const, 'status');
      return [{ type: 'MilestoneStatusRecorded', data: { commitmentId, milestoneId: command.milestoneId, status: command.status } }];
    case 'RecordFunding': {
      // Each funder records its own money: the owner, or a co-funder for its share.
      assertText(command.partyId, 'partyId', 100);
      ensure(
        command.partyId === owner || terms.coFunderPartyIds.includes(command.partyId),
        'PartyActsOnlyForItself',
        `party ${command.partyId} neither owns nor co-funds commitment ${commitmentId}`,
        'partyId',
      );
      assertActsFor(command.actor, command.partyId, `funding of party ${command.partyId}`);
      assertOpen(state);
      assertOneOf(command.transaction, ['commitment', 'disbursement', 'expenditure'] as const, 'transaction');
      assertCents(command.amountCents, 'amountCents');
      assertYearWithin(command.year, terms.component, 'year');
      const { transaction, year, amountCents, partyId } = command;
      return [{ type: 'FundingRecorded', data: { commitmentId, transaction, year, amountCents, currency: 'EUR', partyId } }];
    }
    case 'ReportProgress': {
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      ensure(
        state.status !== 'completed' && state.status !== 'withdrawn' && state.status !== 'superseded',
        'ClosedCommitmentTakesNoReport',
        `commitment ${commitmentId} is ${state.status}: it takes no more reports`,
      );
      assertText(command.reportId, 'reportId', 100);
      ensure(!state.reportIds.includes(command.reportId), 'AggregateMustNotExistYet', `report ${command.reportId} already exists`, 'reportId');
      assertText(command.period, 'period', 50);
      assertText(command.summary, 'summary', 10_000);
      ensure(Array.isArray(command.evidence), 'ValueMustBeValid', 'evidence must be a list', 'evidence');
      command.evidence.forEach((doc, i) => {
        assertSha256(doc?.sha256, `evidence[${i}].sha256`);
        assertText(doc.title, `evidence[${i}].title`, 300);
      });
      const { reportId, period, summary, evidence } = command;
      return [{ type: 'ProgressReported', data: { commitmentId, reportId, period, summary, evidence: evidence.map(({ sha256, title }) => ({ sha256, title })) } }];
    }
    case 'CorrectCommitment': {
      assertActsFor(command.actor, owner, `commitment ${commitmentId}`);
      assertText(command.correctsEventId, 'correctsEventId', 100);
      ensure(
        state.eventIds.includes(command.correctsEventId),
        'CorrectionNamesWhatItCorrects',
        `a correction names an event of commitment ${commitmentId}; ${command.correctsEventId} is not one`,
        'correctsEventId',
      );
      assertOneOf(command.field, CORRECTABLE_FIELDS, 'field');
      validateTerms({ ...terms, [command.field]: command.value });
      assertText(command.reason, 'reason');
      const { correctsEventId, field, value, reason } = command;
      return [{ type: 'CommitmentCorrected', data: { commitmentId, correctsEventId, field, value, reason } }];
    }
    case 'ApplyAmendmentToCommitment': {
      assertAdministrator(command.actor, 'applying an amendment in force');
      const { amendment } = command;
      assertRecord(command.changes, 'changes');
      for (const key of Object.keys(command.changes)) {
        ensure((AMENDABLE_TERMS as readonly string[]).includes(key), 'ValueMustBeValid', `changes.${key} cannot be amended; amendable: ${AMENDABLE_TERMS.join(', ')}`, `changes.${key}`);
      }
      ensure(
        amendment.status === 'in_force',
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendment.amendmentId} is ${amendment.status}, not in force`,
      );
      ensure(
        amendment.affectedCommitmentIds.includes(commitmentId),
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendment.amendmentId} does not affect commitment ${commitmentId}`,
      );
      ensure(!FINAL.includes(state.status), 'TransitionMustFollowLifecycle', `commitment ${commitmentId} is ${state.status}`);
      validateTerms({ ...terms, ...command.changes });
      const events: CommitmentEvent[] = [
        { type: 'CommitmentAmended', data: { commitmentId, amendmentId: amendment.amendmentId, changes: command.changes } },
      ];
      if (command.supersede) events.push({ type: 'CommitmentSuperseded', data: { commitmentId, amendmentId: amendment.amendmentId } });
      return events;
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`);
  }
}

function assertOpen(state: CommitmentState): void {
  ensure(!FINAL.includes(state.status!), 'TransitionMustFollowLifecycle', `a ${state.status} commitment takes no more changes`);
}

function assertYearWithin(year: unknown, component: Component, field: string): void {
  const last = COMPONENTS[component].lastYear;
  ensure(Number.isInteger(year) && (year as number) >= 2024, 'ValueMustBeValid', `${field} must be a year from 2024`, field);
  ensure((year as number) <= last, 'CommitmentEndsWithinItsComponent', `the ${component} ends in ${last}: ${field} ${year} is beyond it`, field);
}

/** The terms a commitment must meet whenever they are set or changed. */
export function validateTerms(terms: CommitmentTerms): void {
  assertText(terms.title, 'title', 300);
  assertText(terms.description, 'description', 10_000);
  assertText(terms.ownerPartyId, 'ownerPartyId', 100);
  ensure(Array.isArray(terms.coFunderPartyIds), 'ValueMustBeValid', 'coFunderPartyIds must be a list', 'coFunderPartyIds');
  terms.coFunderPartyIds.forEach((id, i) => assertText(id, `coFunderPartyIds[${i}]`, 100));
  assertOneOf(terms.priority, PRIORITY_NUMBERS, 'priority');
  assertText(terms.ambition, 'ambition', 500);
  assertOneOf(terms.component, Object.keys(COMPONENTS) as Component[], 'component');
  ensure(Number.isInteger(terms.horizon) && terms.horizon >= 2024, 'ValueMustBeValid', 'horizon must be a year from 2024', 'horizon');
  const last = COMPONENTS[terms.component].lastYear;
  ensure(terms.horizon <= last, 'CommitmentEndsWithinItsComponent', `the ${terms.component} ends in ${last}: horizon ${terms.horizon} is beyond it`, 'horizon');
  ensure(terms.scope && Array.isArray(terms.scope.qpv) && Array.isArray(terms.scope.communes), 'ValueMustBeValid', 'scope must list qpv and communes', 'scope');
  terms.scope.qpv.forEach((code, i) => ensure(typeof code === 'string' && /^QN\d{5}[A-Z]$/.test(code), 'ValueMustBeValid', `scope.qpv[${i}] must be a QPV code such as QN05972M`, `scope.qpv[${i}]`));
  terms.scope.communes.forEach((code, i) => ensure(typeof code === 'string' && /^\d{5}$/.test(code), 'ValueMustBeValid', `scope.communes[${i}] must be an INSEE code`, `scope.communes[${i}]`));
  ensure(terms.means && typeof terms.means === 'object', 'ValueMustBeValid', 'means must give droitCommunCents and creditsSpecifiquesCents', 'means');
  assertCents(terms.means.droitCommunCents, 'means.droitCommunCents');
  assertCents(terms.means.creditsSpecifiquesCents, 'means.creditsSpecifiquesCents');
  ensure(Array.isArray(terms.budget), 'ValueMustBeValid', 'budget must be a list of years', 'budget');
  const years = new Set<number>();
  terms.budget.forEach((line, i) => {
    assertYearWithin(line?.year, terms.component, `budget[${i}].year`);
    ensure(!years.has(line.year), 'ValueMustBeValid', `budget[${i}].year ${line.year} appears twice`, `budget[${i}].year`);
    years.add(line.year);
    assertCents(line.amountCents, `budget[${i}].amountCents`);
    assertOneOf(line.status, ['indicative', 'committed'] as const, `budget[${i}].status`);
  });
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: CommitmentState, event: RecordedEvent<CommitmentEvent>): CommitmentState {
  const next: CommitmentState = { ...state, eventIds: [...state.eventIds, event.eventId] };
  switch (event.type) {
    case 'CommitmentDrafted': {
      const { commitmentId: _id, ...terms } = event.data;
      return { ...next, exists: true, status: 'draft', terms };
    }
    case 'CommitmentProposed':
      return { ...next, status: 'proposed' };
    case 'CommitmentAdopted':
      return { ...next, status: 'adopted' };
    case 'CommitmentStarted':
    case 'CommitmentResumed':
      return { ...next, status: 'in_progress' };
    case 'CommitmentSuspended':
      return { ...next, status: 'suspended' };
    case 'CommitmentCompleted':
      return { ...next, status: 'completed', outcome: event.data.outcome };
    case 'CommitmentWithdrawn':
      return { ...next, status: 'withdrawn' };
    case 'CommitmentSuperseded':
      return { ...next, status: 'superseded' };
    case 'MilestoneScheduled': {
      const { milestoneId, title, dueDate } = event.data;
      return { ...next, milestones: { ...state.milestones, [milestoneId]: { title, dueDate, status: 'scheduled' } } };
    }
    case 'MilestoneStatusRecorded': {
      const { milestoneId, status } = event.data;
      return { ...next, milestones: { ...state.milestones, [milestoneId]: { ...state.milestones[milestoneId], status } } };
    }
    case 'FundingRecorded':
      return { ...next, funding: { ...state.funding, [event.data.transaction]: state.funding[event.data.transaction] + event.data.amountCents } };
    case 'ProgressReported':
      return { ...next, reportIds: [...state.reportIds, event.data.reportId] };
    case 'CommitmentCorrected':
      return { ...next, terms: { ...state.terms!, [event.data.field]: event.data.value } };
    case 'CommitmentAmended':
      return { ...next, terms: { ...state.terms!, ...event.data.changes } };
    default:
      return next;
  }
}

export const commitmentDecider: Decider<CommitmentCommand, CommitmentEvent, CommitmentState> = {
  aggregate: 'commitment',
  initialState,
  decide,
  evolve,
};
