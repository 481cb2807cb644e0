import type { Actor, CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { assertBoolean, assertContext, assertId, assertIdList, assertJsonObject, assertList, assertOnlyKeys, assertRecord, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertOneOf, assertText, notFound } from '../shared/values';
import { signingParty } from '../party/signing';

/**
 * Amendment (avenant): a change with legal effect to the contract and/or to commitments. Lifecycle
 * (DESIGN §1): proposed → approved | rejected | withdrawn; approved → signatures of every affected party
 * → in_force. Approval and rejection reference a recorded Decision of a body with the `pilotage`
 * function whose quorum was reached (looked up by the command handler and passed in the command).
 * Once in force, its changes are applied to each target by `ApplyAmendmentToContract` and
 * `ApplyAmendmentToCommitment`, fed with `amendmentFacts(state)`.
 */

export type AmendmentStatus = 'proposed' | 'approved' | 'rejected' | 'withdrawn' | 'in_force';
export const AMENDMENT_FINAL_STATUSES: readonly AmendmentStatus[] = ['rejected', 'withdrawn', 'in_force'];

export type AmendmentTargetKind = 'contract' | 'commitment';

/** One target of the amendment and the change proposed to it (a free JSON object, read by the target). */
export interface ProposedChange {
  target: { kind: AmendmentTargetKind; id: string };
  change: Record<string, unknown>;
}

/** The decision, as recorded by the governance aggregates and looked up by the command handler. */
export interface DecisionFacts {
  decisionId: string;
  meetingId: string;
  bodyId: string;
  /** The function of the body in the governance pact: only `pilotage` decides on amendments. */
  bodyFunction: 'pilotage' | 'suivi' | 'animation';
  quorumReached: boolean;
  outcome: 'approved' | 'rejected';
  /** What the motion was about (`{ kind: 'amendment', id }` for this amendment). */
  target: { kind: string; id: string | null };
}

/** What the targets of an amendment need to know of it, as `amendmentFacts` gives it. */
export interface AmendmentFacts {
  amendmentId: string;
  status: AmendmentStatus | string;
  affectedCommitmentIds: string[];
  contractId: string | null;
}

// ---- commands ---------------------------------------------------------------------------------

export type AmendmentCommand = CommandContext &
  (
    | {
        type: 'ProposeAmendment';
        amendmentId: string;
        /** Why the amendment is needed (OCDS `rationale`). */
        rationale: string;
        /** What it changes, in words (OCDS `description`). */
        description: string;
        contractId?: string | null;
        /** The commitments it changes; none when it changes only the contract. */
        commitmentIds?: string[];
        /** The parties that must sign it. */
        affectedPartyIds: string[];
        /** One change per target: the contract (if `contractId`) and each commitment of `commitmentIds`. */
        changes: ProposedChange[];
      }
    | { type: 'ApproveAmendment'; amendmentId: string; decision: DecisionFacts }
    | { type: 'RejectAmendment'; amendmentId: string; decision: DecisionFacts }
    | { type: 'WithdrawAmendment'; amendmentId: string; reason: string }
    | { type: 'SignAmendment'; amendmentId: string; onBehalfOfPartyId?: string | null }
    | { type: 'BringAmendmentIntoForce'; amendmentId: string }
  );

// ---- events -----------------------------------------------------------------------------------

export interface AmendmentDecisionRef {
  amendmentId: string;
  decisionId: string;
  meetingId: string;
  bodyId: string;
}

export type AmendmentEvent =
  | DomainEvent<
      'AmendmentProposed',
      {
        amendmentId: string;
        rationale: string;
        description: string;
        contractId: string | null;
        commitmentIds: string[];
        affectedPartyIds: string[];
        changes: ProposedChange[];
        /** The party of the representative who proposed it; null when an administrator or a secretary did. */
        proposedByPartyId: string | null;
      }
    >
  | DomainEvent<'AmendmentApproved', AmendmentDecisionRef>
  | DomainEvent<'AmendmentRejected', AmendmentDecisionRef>
  | DomainEvent<'AmendmentWithdrawn', { amendmentId: string; reason: string }>
  | DomainEvent<'AmendmentSigned', { amendmentId: string; partyId: string }>
  | DomainEvent<'AmendmentEnteredIntoForce', { amendmentId: string }>;

// ---- state ------------------------------------------------------------------------------------

export interface AmendmentState {
  exists: boolean;
  amendmentId?: string;
  status?: AmendmentStatus;
  rationale?: string;
  description?: string;
  contractId: string | null;
  commitmentIds: string[];
  affectedPartyIds: string[];
  changes: ProposedChange[];
  proposedByPartyId: string | null;
  /** The decision that approved or rejected it. */
  decision?: { decisionId: string; meetingId: string; bodyId: string };
  signedPartyIds: string[];
  inForceAt?: string;
}

const initialState: AmendmentState = {
  exists: false,
  contractId: null,
  commitmentIds: [],
  affectedPartyIds: [],
  changes: [],
  proposedByPartyId: null,
  signedPartyIds: [],
};

/** The facts `ApplyAmendmentToContract` and `ApplyAmendmentToCommitment` take. */
export function amendmentFacts(state: AmendmentState): AmendmentFacts {
  if (!state.exists || !state.amendmentId || !state.status) throw notFound('amendment');
  return {
    amendmentId: state.amendmentId,
    status: state.status,
    affectedCommitmentIds: [...state.commitmentIds],
    contractId: state.contractId,
  };
}

/** The affected parties that have not signed yet. */
export function missingSignatures(state: AmendmentState): string[] {
  return state.affectedPartyIds.filter((id) => !state.signedPartyIds.includes(id));
}

// ---- decide -----------------------------------------------------------------------------------

const MAX_TARGETS = 500;

function decide(command: AmendmentCommand, state: AmendmentState): AmendmentEvent[] {
  assertContext(command);
  if (command.type === 'ProposeAmendment') return propose(command, state);

  if (!state.exists || !state.amendmentId || !state.status) throw notFound(`amendment ${shown(command.amendmentId)}`);
  const amendmentId = state.amendmentId;
  const status = state.status;

  switch (command.type) {
    case 'ApproveAmendment':
    case 'RejectAmendment': {
      const outcome = command.type === 'ApproveAmendment' ? 'approved' : 'rejected';
      ensure(
        command.actor.role === 'administrator' || command.actor.role === 'body-secretary',
        'OnlyAnAdministratorMayDoThis',
        'the decision on an amendment is recorded by an administrator or the secretary of the body',
      );
      ensure(status === 'proposed', 'TransitionMustFollowLifecycle', `amendment ${amendmentId} is ${status}: it cannot be ${outcome}`);
      const decision = readDecision(command.decision);
      ensure(
        decision.bodyFunction === 'pilotage',
        'AmendmentNeedsApprovingDecision',
        `decision ${decision.decisionId} is of a ${decision.bodyFunction} body; an amendment is decided by a steering (pilotage) body`,
        'decision.bodyFunction',
      );
      ensure(
        decision.quorumReached,
        'AmendmentNeedsApprovingDecision',
        `decision ${decision.decisionId} was taken at a meeting without quorum`,
        'decision.quorumReached',
      );
      ensure(
        decision.target.kind === 'amendment' && decision.target.id === amendmentId,
        'AmendmentNeedsApprovingDecision',
        `decision ${decision.decisionId} is about ${decision.target.kind} ${decision.target.id ?? ''}, not amendment ${amendmentId}`,
        'decision.target',
      );
      ensure(
        decision.outcome === outcome,
        'AmendmentNeedsApprovingDecision',
        `decision ${decision.decisionId} ${decision.outcome} the amendment: it cannot record it as ${outcome}`,
        'decision.outcome',
      );
      const data = { amendmentId, decisionId: decision.decisionId, meetingId: decision.meetingId, bodyId: decision.bodyId };
      return [command.type === 'ApproveAmendment' ? { type: 'AmendmentApproved', data } : { type: 'AmendmentRejected', data }];
    }
    case 'WithdrawAmendment': {
      assertMayWithdraw(command.actor, state);
      ensure(status === 'proposed', 'TransitionMustFollowLifecycle', `amendment ${amendmentId} is ${status}: only a proposed amendment is withdrawn`);
      assertText(command.reason, 'reason');
      return [{ type: 'AmendmentWithdrawn', data: { amendmentId, reason: command.reason } }];
    }
    case 'SignAmendment': {
      ensure(
        status !== 'proposed',
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendmentId} is not approved yet: it is signed only after an approving decision`,
      );
      ensure(status === 'approved', 'TransitionMustFollowLifecycle', `amendment ${amendmentId} is ${status}: it takes no more signatures`);
      const partyId = signingParty(command.actor, command.onBehalfOfPartyId, 'AmendmentIsSignedByAffectedParties');
      ensure(
        state.affectedPartyIds.includes(partyId),
        'AmendmentIsSignedByAffectedParties',
        `party ${partyId} is not affected by amendment ${amendmentId}`,
        command.actor.role === 'administrator' ? 'onBehalfOfPartyId' : undefined,
      );
      ensure(
        !state.signedPartyIds.includes(partyId),
        'AmendmentIsSignedByAffectedParties',
        `party ${partyId} has already signed amendment ${amendmentId}`,
      );
      return [{ type: 'AmendmentSigned', data: { amendmentId, partyId } }];
    }
    case 'BringAmendmentIntoForce': {
      ensure(command.actor.role === 'administrator', 'OnlyAnAdministratorMayDoThis', 'an amendment is brought into force by an administrator');
      ensure(
        status !== 'proposed',
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendmentId} is not approved: it cannot take effect`,
      );
      ensure(status === 'approved', 'TransitionMustFollowLifecycle', `amendment ${amendmentId} is ${status}: it cannot come into force`);
      const missing = missingSignatures(state);
      ensure(
        missing.length === 0,
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendmentId} still awaits the signature of ${missing.join(', ')}`,
      );
      return [{ type: 'AmendmentEnteredIntoForce', data: { amendmentId } }];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

function propose(command: Extract<AmendmentCommand, { type: 'ProposeAmendment' }>, state: AmendmentState): AmendmentEvent[] {
  ensure(!state.exists, 'AggregateMustNotExistYet', `amendment ${shown(command.amendmentId)} already exists`, 'amendmentId');
  assertId(command.amendmentId, 'amendmentId');
  assertText(command.rationale, 'rationale', 2_000);
  assertText(command.description, 'description', 10_000);
  const contractId = command.contractId ?? null;
  if (contractId !== null) assertId(contractId, 'contractId');
  const commitmentIds: unknown = command.commitmentIds ?? [];
  assertIdList(commitmentIds, 'commitmentIds', 0, MAX_TARGETS);
  ensure(
    contractId !== null || commitmentIds.length > 0,
    'ValueMustBeValid',
    'an amendment affects the contract (contractId) or at least one commitment',
    'commitmentIds',
  );
  assertIdList(command.affectedPartyIds, 'affectedPartyIds', 1, MAX_TARGETS);

  const actor = command.actor;
  const proposer = actor.role === 'signatory-representative' ? actor.partyId : undefined;
  if (actor.role !== 'administrator' && actor.role !== 'body-secretary') {
    ensure(
      proposer !== undefined && command.affectedPartyIds.includes(proposer),
      'PartyActsOnlyForItself',
      'an amendment is proposed by an administrator, a body secretary or the representative of an affected party',
    );
  }

  const targets = [
    ...(contractId !== null ? [{ kind: 'contract' as const, id: contractId }] : []),
    ...commitmentIds.map((id) => ({ kind: 'commitment' as const, id })),
  ];
  assertList(command.changes, 'changes', 1, MAX_TARGETS + 1);
  const changes: ProposedChange[] = command.changes.map((entry: unknown, i) => {
    const field = `changes[${i}]`;
    assertRecord(entry, field);
    assertOnlyKeys(entry, ['target', 'change'], field);
    assertRecord(entry.target, `${field}.target`);
    const { kind, id } = entry.target;
    ensure(
      targets.some((t) => t.kind === kind && t.id === id),
      'ValueMustBeValid',
      `${field}.target must be the contract or a commitment this amendment affects`,
      `${field}.target`,
    );
    assertJsonObject(entry.change, `${field}.change`);
    return { target: { kind: kind as AmendmentTargetKind, id: id as string }, change: entry.change };
  });
  changes.forEach((c, i) => {
    const first = changes.findIndex((o) => o.target.kind === c.target.kind && o.target.id === c.target.id);
    ensure(first === i, 'ValueMustBeValid', `changes[${i}].target ${c.target.kind} ${c.target.id} has a change already`, `changes[${i}].target`);
  });
  for (const target of targets) {
    ensure(
      changes.some((c) => c.target.kind === target.kind && c.target.id === target.id),
      'ValueMustBeValid',
      `changes must give the change proposed to ${target.kind} ${target.id}`,
      'changes',
    );
  }

  const { amendmentId, rationale, description, affectedPartyIds } = command;
  return [
    {
      type: 'AmendmentProposed',
      data: {
        amendmentId,
        rationale,
        description,
        contractId,
        commitmentIds: [...commitmentIds],
        affectedPartyIds: [...affectedPartyIds],
        changes,
        proposedByPartyId: proposer ?? null,
      },
    },
  ];
}

function readDecision(value: unknown): DecisionFacts {
  assertRecord(value, 'decision');
  assertId(value.decisionId, 'decision.decisionId');
  assertId(value.meetingId, 'decision.meetingId');
  assertId(value.bodyId, 'decision.bodyId');
  assertOneOf(value.bodyFunction, ['pilotage', 'suivi', 'animation'] as const, 'decision.bodyFunction');
  assertBoolean(value.quorumReached, 'decision.quorumReached');
  assertOneOf(value.outcome, ['approved', 'rejected'] as const, 'decision.outcome');
  assertRecord(value.target, 'decision.target');
  assertId(value.target.kind, 'decision.target.kind');
  const targetId = value.target.id ?? null;
  if (targetId !== null) assertId(targetId, 'decision.target.id');
  return {
    decisionId: value.decisionId,
    meetingId: value.meetingId,
    bodyId: value.bodyId,
    bodyFunction: value.bodyFunction,
    quorumReached: value.quorumReached,
    outcome: value.outcome,
    target: { kind: value.target.kind, id: targetId },
  };
}

/** An administrator, or the representative of the party that proposed it. */
function assertMayWithdraw(actor: Actor, state: AmendmentState): void {
  if (actor.role === 'administrator') return;
  ensure(
    actor.role === 'signatory-representative' && state.proposedByPartyId !== null && actor.partyId === state.proposedByPartyId,
    'PartyActsOnlyForItself',
    'an amendment is withdrawn by an administrator or by the party that proposed it',
  );
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: AmendmentState, event: RecordedEvent<AmendmentEvent>): AmendmentState {
  switch (event.type) {
    case 'AmendmentProposed': {
      const { amendmentId, rationale, description, contractId, commitmentIds, affectedPartyIds, changes, proposedByPartyId } = event.data;
      return {
        ...state,
        exists: true,
        status: 'proposed',
        amendmentId,
        rationale,
        description,
        contractId,
        commitmentIds,
        affectedPartyIds,
        changes,
        proposedByPartyId,
      };
    }
    case 'AmendmentApproved':
    case 'AmendmentRejected': {
      const { decisionId, meetingId, bodyId } = event.data;
      return { ...state, status: event.type === 'AmendmentApproved' ? 'approved' : 'rejected', decision: { decisionId, meetingId, bodyId } };
    }
    case 'AmendmentWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'AmendmentSigned':
      return { ...state, signedPartyIds: [...state.signedPartyIds, event.data.partyId] };
    case 'AmendmentEnteredIntoForce':
      return { ...state, status: 'in_force', inForceAt: event.occurredAt };
    default:
      return state;
  }
}

export const amendmentDecider: Decider<AmendmentCommand, AmendmentEvent, AmendmentState> = {
  aggregate: 'amendment',
  initialState,
  decide,
  evolve,
};
