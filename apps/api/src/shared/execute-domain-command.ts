import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommand, type ICommandHandler } from '@nestjs/cqrs';
import { type AnyDecider, type CommandAnswer, CommandExecutor } from '@mel/application';
import type { CommandContext } from '@mel/domain';
import { EVENT_STORE, type EventStore } from '@mel/event-store';
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
      await this.idempotencyKeys.release(subject, key).catch(() => undefined);
      throw error;
    }
  }
}
