import type {
  AppendOptions,
  AppendResult,
  EventEnvelope,
  NewEvent,
  ReadStreamOptions,
  StoredEvent,
} from './event-envelope';

/**
 * The event store port (DESIGN §3). Every adapter passes the shared contract suite in
 * `testing/event-store.contract.ts`.
 */
export interface EventStore {
  /**
   * Appends events to one stream, atomically, if the stream is at the expected version.
   * Raises WrongExpectedVersionError (with the actual version), EventIdConflictError or
   * InvalidAppendError. Appending events whose ids are all stored already, with the same content,
   * in the same stream, writes nothing and answers the original positions.
   */
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;

  /** The events of one stream in stream order, within a version range and optionally as of a date. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<EventEnvelope[]>;

  /** Events with seq > afterSeq, in seq order, at most `limit`, with their canonical bytes and leaf hash. */
  readAll(afterSeq: number, limit: number): Promise<StoredEvent[]>;

  /**
   * Every event with seq > afterSeq in seq order, then each new one as it commits, until the signal
   * aborts or the iterator is returned. Never skips a seq and never yields one twice.
   */
  subscribe(afterSeq: number, options?: SubscribeOptions): AsyncIterable<StoredEvent>;

  /** The seq of the last committed event (0 for an empty store). */
  head(): Promise<number>;

  /** The current version of a stream (0 when it does not exist). */
  streamVersion(streamId: string): Promise<number>;

  close(): Promise<void>;
}

export interface SubscribeOptions {
  signal?: AbortSignal;
  /** Events read per query while catching up. */
  batchSize?: number;
}

/** Nest injection token of the EventStore port. */
export const EVENT_STORE = Symbol('EventStore');
