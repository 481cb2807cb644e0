import type { AppendResult, EventEnvelope, ExpectedVersion } from './event-envelope';
import { type PreparedAppend, sealEvent } from './envelope';
import { EventIdConflictError, type EventStoreError, WrongExpectedVersionError } from './errors';
import { answerRetry } from './answer-retry';

/** What the store looked like when a batch was composed (one consistent snapshot). */
export interface StoreSnapshot {
  head: number;
  /** Milliseconds since the epoch: the database's clock, and the recordedAt of the last event. */
  nowMs: number;
  lastRecordedMs: number;
  /** Current version of each stream of the batch (absent or 0: no stream). */
  versions: Map<string, number>;
  /** Stored events whose ids the batch's callers supplied. */
  existing: Map<string, EventEnvelope>;
}

export type Outcome = { ok: AppendResult } | { error: EventStoreError };

export interface BatchPlan {
  outcomes: Outcome[];
  /** Canonical form of the new events, in seq order from snapshot.head + 1. */
  entries: string[];
  /** Each stream's version once the batch is written. */
  versions: Map<string, number>;
  recordedAtMs: number;
}

/**
 * Decides, for each append of a batch in arrival order, whether it is a retry of stored events, a
 * conflict, or new events, and composes the new events at their positions. Later appends see the
 * effect of earlier ones (two appends to one stream at the same expected version: the first wins).
 * Pure: the database checks the result under its lock (event_store.append_batch).
 */
export function planBatch(requests: PreparedAppend[], snapshot: StoreSnapshot): BatchPlan {
  const recordedAtMs = Math.max(snapshot.nowMs, snapshot.lastRecordedMs);
  const recordedAt = new Date(recordedAtMs).toISOString();
  const versions = new Map(snapshot.versions);
  const written = new Map<string, EventEnvelope>();
  const entries: string[] = [];
  let seq = snapshot.head;

  const outcomes = requests.map((request): Outcome => {
    const { streamId, events } = request;
    const known = events.map((e) => (e.idSupplied ? (snapshot.existing.get(e.eventId) ?? written.get(e.eventId)) : undefined));
    if (known.some((k) => k !== undefined)) return replay(request, known);

    let version = versions.get(streamId) ?? 0;
    if (!satisfies(request.expectedVersion, version)) {
      return { error: new WrongExpectedVersionError(streamId, request.expectedVersion, version) };
    }
    const positions = events.map((event) => {
      const { envelope, canonical } = sealEvent(event, streamId, ++version, ++seq, recordedAt);
      entries.push(canonical);
      written.set(event.eventId, envelope);
      return { eventId: event.eventId, seq: envelope.seq, streamVersion: envelope.streamVersion };
    });
    versions.set(streamId, version);
    return { ok: { streamId, streamVersion: version, seq, recordedAt, events: positions, replayed: false } };
  });
  return { outcomes, entries, versions, recordedAtMs };
}

function satisfies(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return actual === 0;
    case 'exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

/** An append some of whose ids are stored: a faithful retry answers the original positions (answerRetry). */
function replay(request: PreparedAppend, known: (EventEnvelope | undefined)[]): Outcome {
  try {
    return { ok: answerRetry(request, known) };
  } catch (error) {
    if (error instanceof EventIdConflictError) return { error };
    throw error;
  }
}
