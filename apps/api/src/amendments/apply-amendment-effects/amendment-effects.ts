import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type AnyDecider, type CommandAnswer, deterministicEventId } from '@mel/application';
import {
  type Actor,
  amendmentDecider,
  type AmendmentFacts,
  amendmentFacts,
  type CommitmentCommand,
  commitmentDecider,
  type ContractChanges,
  type ContractCommand,
  contractDecider,
  DomainRuleError,
  notFound,
  type ProposedChange,
} from '@mel/domain';
import { EventIdConflictError } from '@mel/event-store';
import { AggregateReader } from '../../shared/aggregate-reader';
import { ExecuteDomainCommand } from '../../shared/execute-domain-command';
import { type ProblemDetails, ProblemDetailsFilter } from '../../shared/problem-details';

type CommitmentChanges = Extract<CommitmentCommand, { type: 'ApplyAmendmentToCommitment' }>['changes'];

/** What became of the change of one target: applied (now, or by an earlier run), or refused by the target. */
export type EffectOutcome = { kind: ProposedChange['target']['kind']; targetId: string } & (
  | ({ applied: true } & CommandAnswer)
  | { applied: false; problem: ProblemDetails }
);

/**
 * The effects of an amendment in force: its change to each target, applied by `ApplyAmendmentToContract`
 * and `ApplyAmendmentToCommitment` with the facts of the amendment (`amendmentFacts`), each through the
 * CommandBus as its own command on the target's stream.
 *
 * Each effect has a deterministic first event id, derived from `amendment:<id>:effect:<kind>:<targetId>`
 * and the date the amendment entered into force: a run finds the effects already written (by an earlier
 * run, or by a run that crashed half-way) and writes only those that are missing. Running it again is
 * always safe.
 *
 * For now this runs synchronously, right after the amendment enters into force (POST
 * /amendments/:id/entry-into-force), and on demand (POST /amendments/:id/effects), which is the recovery
 * path when a crash or a refusal left effects missing. When projections arrive, a durable reaction to
 * `AmendmentEnteredIntoForce` from the store's subscription will replace the synchronous step; the same
 * deterministic ids keep the two from applying a change twice.
 */
@Injectable()
export class AmendmentEffects {
  private readonly problems = new ProblemDetailsFilter();

  constructor(
    private readonly bus: CommandBus,
    private readonly reader: AggregateReader,
  ) {}

  /**
   * Applies every change of amendment `amendmentId`, one target after the other. A target that refuses
   * its change (a rule of its own) does not stop the others: its outcome carries the problem. Only an
   * unexpected error (5xx) is thrown.
   */
  async apply(amendmentId: string, actor: Actor): Promise<EffectOutcome[]> {
    const { state } = await this.reader.read(amendmentDecider, amendmentId);
    if (!state.exists) throw notFound(`amendment ${amendmentId}`);
    const facts = amendmentFacts(state);
    if (state.status !== 'in_force' || state.inForceAt === undefined) {
      throw new DomainRuleError(
        'AmendmentTakesEffectOnlyWhenSignedByAll',
        `amendment ${amendmentId} is ${state.status}: its changes apply once it is in force`,
      );
    }
    const outcomes: EffectOutcome[] = [];
    for (const change of state.changes) outcomes.push(await this.applyOne(facts, change, actor, state.inForceAt));
    return outcomes;
  }

  private async applyOne(amendment: AmendmentFacts, { target, change }: ProposedChange, actor: Actor, inForceAt: string): Promise<EffectOutcome> {
    const firstEventId = deterministicEventId(`amendment:${amendment.amendmentId}:effect:${target.kind}:${target.id}`, inForceAt);
    // The change takes effect on the date the amendment entered into force, whoever runs it, applied by
    // the ledger under the amendment's mandate (the caller is recorded as the subject who asked).
    const context = { actor: effectActor(actor, amendment.amendmentId), at: inForceAt };
    let decider: AnyDecider;
    let command: ContractCommand | CommitmentCommand;
    if (target.kind === 'contract') {
      decider = contractDecider as AnyDecider;
      command = { type: 'ApplyAmendmentToContract', contractId: target.id, amendment, changes: change as ContractChanges, ...context };
    } else {
      // `supersede` is not a term of the commitment: it asks ApplyAmendmentToCommitment to end it.
      const { supersede, ...changes } = change;
      decider = commitmentDecider as AnyDecider;
      command = {
        type: 'ApplyAmendmentToCommitment',
        commitmentId: target.id,
        amendment,
        changes: changes as CommitmentChanges,
        ...(supersede === true && { supersede: true }),
        ...context,
      };
    }
    try {
      const answer = await this.execute(decider, target.id, command, firstEventId);
      return { kind: target.kind, targetId: target.id, applied: true, ...answer };
    } catch (error) {
      const problem = this.problems.toProblem(error);
      if (problem.status >= 500) throw error;
      return { kind: target.kind, targetId: target.id, applied: false, problem };
    }
  }

  private async execute(decider: AnyDecider, aggregateId: string, command: ExecuteDomainCommand['command'], firstEventId: string): Promise<CommandAnswer> {
    const message = () => new ExecuteDomainCommand(decider, aggregateId, command, { firstEventId });
    try {
      return await this.bus.execute<ExecuteDomainCommand, CommandAnswer>(message());
    } catch (error) {
      // A concurrent run (by another actor) stored the same effect first: read it back, write nothing.
      if (!(error instanceof EventIdConflictError)) throw error;
      return this.bus.execute<ExecuteDomainCommand, CommandAnswer>(message());
    }
  }
}

/** Who applies an amendment's effects: the ledger, as administrator, under the mandate of the amendment in force. */
export function effectActor(caller: Actor, amendmentId: string): Actor {
  return { subject: caller.subject, role: 'administrator', mandate: `amendment:${amendmentId}` };
}
