/**
 * The envelope every stored event has (DESIGN §2). Its canonical bytes (RFC 8785) are what the ledger
 * hashes into its Merkle tree, so every field here is part of the evidence.
 */
export interface Actor {
  /** Pseudonymous identifier of who acted (never a name: personal data stays out of the log). */
  subject: string;
  role: string;
  /** The party on whose behalf the actor acted, when there is one. */
  partyId?: string;
  /** The mandate (delegation, decision) under which the actor acted, when there is one. */
  mandate?: string;
}

export interface EventEnvelope<T = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  /** 1-based position of the event in its stream. */
  streamVersion: number;
  /** Gap-free global position, assigned at commit; commit order equals seq order. */
  seq: number;
  /** Effective (legal) date and time, ISO 8601 UTC with milliseconds. */
  occurredAt: string;
  /** Time of the append on the database's clock, ISO 8601 UTC; never decreases along seq. */
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  data: T;
}

/** What a caller gives to append: the store assigns the stream, positions and recordedAt. */
export interface NewEvent<T = unknown> {
  /** UUIDv7; generated when absent. A retry must reuse the ids of the first attempt. */
  eventId?: string;
  type: string;
  schemaVersion?: number;
  occurredAt: string | Date;
  actor: Actor;
  correlationId?: string;
  causationId?: string | null;
  data: T;
}

/**
 * - 'no-stream': the stream must not exist yet;
 * - 'exists': the stream must have at least one event;
 * - 'any': no check;
 * - n: the stream's current version must be exactly n (0 means it does not exist).
 */
export type ExpectedVersion = 'no-stream' | 'exists' | 'any' | number;

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
}

export interface AppendedEventPosition {
  eventId: string;
  seq: number;
  streamVersion: number;
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append (the version of its last event). */
  streamVersion: number;
  /** The seq of the last event written by this append. */
  seq: number;
  recordedAt: string;
  events: AppendedEventPosition[];
  /** True when every event was already stored: the append was a retry and wrote nothing. */
  replayed: boolean;
}

export type Clock = 'effective' | 'recorded';

export interface ReadStreamOptions {
  /** First stream version to read (1-based, inclusive). Default 1. */
  fromVersion?: number;
  /** Last stream version to read (inclusive). Default: the stream's end. */
  toVersion?: number;
  /** Only events whose occurredAt (clock 'effective') or recordedAt (clock 'recorded') is ≤ at. */
  asOf?: { clock: Clock; at: string | Date };
}

/** An event as stored: the envelope, the exact bytes that were hashed, and its RFC 6962 leaf hash. */
export interface StoredEvent<T = unknown> extends EventEnvelope<T> {
  canonical: Buffer;
  leafHash: Buffer;
}
