import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommand, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandContext, type Decider, type DomainEvent, fold, type RecordedEvent } from '@mel/domain';
import { EVENT_STORE, type EventEnvelope, type EventStore, WrongExpectedVersionError } from '@mel/event-store';
import { derivedEventId, IdempotencyKeys, type IdempotencyRecord } from './idempotency';
import { PreconditionFailedError } from './problem-details';

export interface CommandOptions {
  /** Version named by If-Match: the command applies only to that version of the stream. */
  ifMatch?: number;
  idempotencyKey?: string;
  /** SHA-256 of the request (method, path, body): a key reused for another request is refused. */
  requestSha256?: string;
  correlationId?: string;
}

/** What a command answers: where its events went, and the seq to wait for in queries. */
export interface CommandAnswer {
  streamId: string;
  streamVersion: number;
  seq: number;
  events: { eventId: string; type: string; seq: number; streamVersion: number }[];
  replayed: boolean;
}

type AnyDecider = Decider<unknown, DomainEvent, unknown>;

/** The one command message: a domain command for the aggregate `aggregateId` of `decider`. */
export class ExecuteDomainCommand implements ICommand {
  constructor(
    readonly decider: AnyDecider,
    readonly aggregateId: string,
    readonly command: CommandContext & { type: string },
    readonly options: CommandOptions = {},
  ) {}
}

const MAX_ATTEMPTS = 5;

/**
 * The generic command path (DESIGN §7.2): read the stream, fold it with `evolve`, `decide`, append at
 * the version read. Without If-Match, a concurrent change is met by deciding again on the new state;
 * with If-Match, it is the caller's to resolve (412). With an Idempotency-Key, a retry gets the first
 * answer and writes nothing, even after a crash between the append and the answer.
 */
@CommandHandler(ExecuteDomainCommand)
export class ExecuteDomainCommandHandler implements ICommandHandler<ExecuteDomainCommand, CommandAnswer> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  async execute({ decider, aggregateId, command, options }: ExecuteDomainCommand): Promise<CommandAnswer> {
    const streamId = `${decider.aggregate}-${aggregateId}`;
    const { idempotencyKey: key } = options;
    let record: IdempotencyRecord | undefined;
    if (key) {
      record = await this.idempotencyKeys.claim(command.actor.subject, key, options.requestSha256 ?? '', streamId);
      if (record.answer) return { ...(record.answer.body as CommandAnswer), replayed: true };
    }
    try {
      const answer = await this.decideAndAppend(decider, streamId, command, options, record);
      if (key) await this.idempotencyKeys.answer(command.actor.subject, key, 201, answer);
      return answer;
    } catch (error) {
      if (key) await this.idempotencyKeys.release(command.actor.subject, key).catch(() => undefined);
      throw error;
    }
  }

  private async decideAndAppend(
    decider: AnyDecider,
    streamId: string,
    command: CommandContext & { type: string },
    options: CommandOptions,
    record: IdempotencyRecord | undefined,
  ): Promise<CommandAnswer> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.readStream(streamId);
      if (record) {
        const done = answerFromStored(stored, record.firstEventId, streamId);
        if (done) return done; // appended by an earlier attempt that could not answer
      }
      const version = stored.length;
      if (options.ifMatch !== undefined && options.ifMatch !== version) throw new PreconditionFailedError(options.ifMatch, version);
      const state = fold(decider, stored.map(toRecorded));
      const events = decider.decide(command, state);
      try {
        const result = await this.store.append(
          streamId,
          events.map((event, i) => ({
            ...(record && { eventId: derivedEventId(record.firstEventId, i) }),
            type: event.type,
            data: event.data,
            occurredAt: command.at,
            actor: command.actor,
            ...(options.correlationId && { correlationId: options.correlationId }),
          })),
          { expectedVersion: version },
        );
        return {
          streamId,
          streamVersion: result.streamVersion,
          seq: result.seq,
          events: result.events.map((e, i) => ({ ...e, type: events[i].type })),
          replayed: result.replayed,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (options.ifMatch !== undefined) throw new PreconditionFailedError(options.ifMatch, error.actualVersion);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

/** A stored envelope as the deciders fold it. */
export function toRecorded(envelope: EventEnvelope): RecordedEvent {
  return {
    type: envelope.type,
    data: envelope.data,
    eventId: envelope.eventId,
    occurredAt: envelope.occurredAt,
    streamVersion: envelope.streamVersion,
  };
}

function answerFromStored(stored: EventEnvelope[], firstEventId: string, streamId: string): CommandAnswer | undefined {
  const first = stored.findIndex((e) => e.eventId === firstEventId);
  if (first < 0) return undefined;
  const events = [];
  for (let i = first; i < stored.length && stored[i].eventId === derivedEventId(firstEventId, i - first); i++) events.push(stored[i]);
  const last = events[events.length - 1];
  return {
    streamId,
    streamVersion: last.streamVersion,
    seq: last.seq,
    events: events.map((e) => ({ eventId: e.eventId, type: e.type, seq: e.seq, streamVersion: e.streamVersion })),
    replayed: true,
  };
}
