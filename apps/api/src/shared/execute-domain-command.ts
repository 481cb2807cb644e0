import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommand, type ICommandHandler } from '@nestjs/cqrs';
import { type AnyDecider, type CommandAnswer, CommandExecutor, StaleVersionError } from '@mel/application';
import { type CommandContext, DomainRuleError } from '@mel/domain';
import { EVENT_STORE, EventIdConflictError, type EventStore, InvalidAppendError, WrongExpectedVersionError } from '@mel/event-store';
import { IdempotencyKeys } from './idempotency';

export interface CommandOptions {
  /** Version named by If-Match: the command applies only to that version of the stream. */
  ifMatch?: number;
  idempotencyKey?: string;
  /** SHA-256 of the request (method, path, body): a key reused for another request is refused. */
  requestSha256?: string;
  correlationId?: string;
  /** Id of the first event, for commands that must recognise their own earlier run (see CommandExecutor). */
  firstEventId?: string;
}

/** The one command message: a domain command for the aggregate `aggregateId` of `decider`. */
export class ExecuteDomainCommand implements ICommand {
  constructor(
    readonly decider: AnyDecider,
    readonly aggregateId: string,
    readonly command: CommandContext & { type: string },
    readonly options: CommandOptions = {},
  ) {}
}

/**
 * The CommandBus's one handler: the generic path of CommandExecutor, plus Idempotency-Key. A retry gets
 * the first answer and writes nothing, even after a crash between the append and the answer (the
 * events of a keyed request have ids derived from the one claimed with the key).
 */
@CommandHandler(ExecuteDomainCommand)
export class ExecuteDomainCommandHandler implements ICommandHandler<ExecuteDomainCommand, CommandAnswer> {
  private readonly executor: CommandExecutor;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {
    this.executor = new CommandExecutor(store);
  }

  async execute({ decider, aggregateId, command, options }: ExecuteDomainCommand): Promise<CommandAnswer> {
    const { idempotencyKey: key, ifMatch, correlationId, firstEventId } = options;
    if (!key) return this.executor.execute(decider, aggregateId, command, { ifMatch, correlationId, firstEventId });
    const subject = command.actor.subject;
    const streamId = `${decider.aggregate}-${aggregateId}`;
    const record = await this.idempotencyKeys.claim(subject, key, options.requestSha256 ?? '', streamId);
    if (record.answer) return { ...(record.answer.body as CommandAnswer), replayed: true };
    try {
      const answer = await this.executor.execute(decider, aggregateId, command, { ifMatch, correlationId, firstEventId: record.firstEventId });
      await this.idempotencyKeys.answer(subject, key, 201, answer);
      return answer;
    } catch (error) {
      // Only a refusal known to have written nothing frees the key. Any other failure (a connection lost,
      // the server restarting) may come after the append committed: the key keeps its first event id, so
      // that a retry with it answers from the events if they are there, and writes them once if not.
      if (refusedBeforeWriting(error)) await this.idempotencyKeys.release(subject, key).catch(() => undefined);
      throw error;
    }
  }
}

/** Errors raised before anything is appended, or by an append that wrote nothing. */
function refusedBeforeWriting(error: unknown): boolean {
  return (
    error instanceof DomainRuleError ||
    error instanceof StaleVersionError ||
    error instanceof WrongExpectedVersionError ||
    error instanceof EventIdConflictError ||
    error instanceof InvalidAppendError
  );
}
