import { type CommandContext, currentSchemaVersion, type Decider, type DomainEvent, fold, type RecordedEvent, upcast } from '@mel/domain';
import { type EventEnvelope, type EventStore, WrongExpectedVersionError } from '@mel/event-store';
import { LRUCache } from 'lru-cache';

export interface ExecuteOptions {
  /** Version the caller saw (If-Match): the command applies only to that version of the stream. */
  ifMatch?: number;
  /**
   * Id of the first event this command writes (the next ones derive from it). Given by callers that
   * must recognise their own earlier attempt: a retried Idempotency-Key, a re-run of the seed.
   */
  firstEventId?: string;
  correlationId?: string;
}

/** What a command answers: where its events went, and the seq to wait for in queries. */
export interface CommandAnswer {
  streamId: string;
  streamVersion: number;
  seq: number;
  events: { eventId: string; type: string; seq: number; streamVersion: number }[];
  /** True when the events were already stored: nothing was written. */
  replayed: boolean;
}

/** Raised when If-Match names another version than the stream's. */
export class StaleVersionError extends Error {
  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`If-Match expected version ${expectedVersion}, the resource is at version ${actualVersion}`);
  }
}

export type AnyDecider = Decider<unknown, DomainEvent, unknown>;

const MAX_ATTEMPTS = 5;
/** Aggregate states kept between commands, by default (see CommandExecutor). */
export const KEPT_STATES = 5_000;

/** The state of a stream at a version (≥ 1), with the id of the event at that version. */
interface KeptState {
  state: unknown;
  version: number;
  lastEventId: string;
}

/**
 * The one command path (DESIGN §7.2), shared by the API and the CLI: read the stream, fold it with
 * `evolve`, `decide`, append at the version read. Without If-Match, a concurrent change is met by
 * deciding again on the new state; with If-Match it is the caller's to resolve (StaleVersionError).
 * With `firstEventId`, a command whose events are already in the stream answers from them.
 *
 * The states of the last `keptStates` streams read are kept with their version: the next command on
 * one of them reads only the events from that version on, checks that the first is the event the
 * state was folded up to (the same id at the same version: the stream was not replaced, as when a
 * test database is reset), and folds the rest onto it. The state decided on is the one a whole read
 * would give, since a stream only grows; it costs a read of one or two events instead of the whole
 * stream. Sound because `evolve` never changes the state it is given (the deciders' tests freeze it).
 */
export class CommandExecutor {
  /** The least recently used forgotten first (lru-cache: a hit does not delete and set again, see AnswerCache). */
  private readonly kept?: LRUCache<string, KeptState>;

  constructor(
    private readonly store: EventStore,
    options: { keptStates?: number } = {},
  ) {
    const keptStates = options.keptStates ?? KEPT_STATES;
    if (keptStates > 0) this.kept = new LRUCache({ max: keptStates });
  }

  async execute(
    decider: AnyDecider,
    aggregateId: string,
    command: CommandContext & { type: string },
    options: ExecuteOptions = {},
  ): Promise<CommandAnswer> {
    const streamId = `${decider.aggregate}-${aggregateId}`;
    for (let attempt = 1; ; attempt++) {
      // A command that must find its own earlier events reads the whole stream.
      const { state, version, stored } = await this.current(decider, streamId, options.firstEventId !== undefined);
      if (options.firstEventId) {
        const done = answerFromStored(stored!, options.firstEventId, streamId);
        if (done) return done;
      }
      if (options.ifMatch !== undefined && options.ifMatch !== version) throw new StaleVersionError(options.ifMatch, version);
      const events = decider.decide(command, state);
      try {
        const result = await this.store.append(
          streamId,
          events.map((event, i) => ({
            ...(options.firstEventId && { eventId: derivedEventId(options.firstEventId, i) }),
            type: event.type,
            schemaVersion: currentSchemaVersion(event.type),
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
        this.kept?.delete(streamId); // read the whole stream again
        if (options.ifMatch !== undefined) throw new StaleVersionError(options.ifMatch, error.actualVersion);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The current state of an aggregate, for callers that look facts up before deciding. */
  async read<S>(decider: Decider<never, DomainEvent, S>, aggregateId: string): Promise<{ state: S; version: number }> {
    const { state, version } = await this.current(decider as unknown as AnyDecider, `${decider.aggregate}-${aggregateId}`, false);
    return { state: state as S, version };
  }

  /** The stream's state now: from the kept state and the events after it, or from the whole stream. */
  private async current(decider: AnyDecider, streamId: string, whole: boolean): Promise<{ state: unknown; version: number; stored?: EventEnvelope[] }> {
    const kept = whole ? undefined : this.kept?.get(streamId);
    if (kept) {
      const since = await this.store.readStream(streamId, { fromVersion: kept.version });
      if (since.length > 0 && since[0].eventId === kept.lastEventId && since[0].streamVersion === kept.version) {
        let state = kept.state;
        for (let i = 1; i < since.length; i++) state = decider.evolve(state, toRecorded(since[i]));
        return this.keep(streamId, { state, version: kept.version + since.length - 1, lastEventId: since[since.length - 1].eventId });
      }
    }
    const stored = await this.store.readStream(streamId);
    const state = fold(decider, stored.map(toRecorded));
    // An empty stream is not kept: it is read again, one query either way.
    if (stored.length === 0) return { state, version: 0, stored };
    return { ...this.keep(streamId, { state, version: stored.length, lastEventId: stored[stored.length - 1].eventId }), stored };
  }

  private keep(streamId: string, entry: KeptState): KeptState {
    this.kept?.set(streamId, entry);
    return entry;
  }
}

/** A stored envelope as the deciders fold it: upcast to the current schema version of its type. */
export function toRecorded(stored: EventEnvelope): RecordedEvent {
  const envelope = upcast(stored);
  return { type: envelope.type, data: envelope.data, eventId: envelope.eventId, occurredAt: envelope.occurredAt, streamVersion: envelope.streamVersion };
}

/** The i-th event id of a command whose first event id is given: same timestamp, tail advanced by i. */
export function derivedEventId(firstEventId: string, index: number): string {
  if (index === 0) return firstEventId;
  const tail = (BigInt(`0x${firstEventId.slice(24)}`) + BigInt(index)) % 2n ** 48n;
  return `${firstEventId.slice(0, 24)}${tail.toString(16).padStart(12, '0')}`;
}

function answerFromStored(stored: EventEnvelope[], firstEventId: string, streamId: string): CommandAnswer | undefined {
  const first = stored.findIndex((e) => e.eventId === firstEventId);
  if (first < 0) return undefined;
  const events: EventEnvelope[] = [];
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
