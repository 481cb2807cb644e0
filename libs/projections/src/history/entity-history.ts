import { type DomainEvent, type RecordedEvent, upcast } from '@mel/domain';
import type { Clock, EventEnvelope, EventStore } from '@mel/event-store';

/**
 * An entity's successive states, read from its own stream and folded by its decider (DESIGN §2, §5:
 * "as-of queries for both clocks, per stream"). Nothing here is stored: every state is recomputed from
 * the log, so a correction recorded after the fact is taken into account wherever it belongs.
 *
 * - On the recorded clock, one entry per event in seq order: what the ledger said once that event was
 *   recorded (the fold of the stream up to and including it).
 * - On the effective clock, one entry per distinct effective instant, in effective order: what was in
 *   force at that instant according to everything the ledger knows now (the fold, in seq order, of every
 *   event whose effective instant is at or before it). A correction recorded later but effective earlier
 *   shows from its effective date on.
 *
 * The states are the deciders' own: plain JSON objects and arrays (no Map, Set or Date). Successive
 * states share the parts an event did not change (evolve never mutates): treat them as read-only.
 */

/** What a fold needs of a decider. Any of the domain's deciders fits. */
export interface HistoryDecider<S> {
  readonly initialState: S;
  evolve(state: S, event: RecordedEvent<DomainEvent>): S;
}

/** An event the fold could not apply on its own, and why (see `foldGuarded`). */
export interface UnappliedEvent {
  seq: number;
  eventId: string;
  type: string;
  reason: string;
}

/** Recorded clock: the state after one event was recorded. */
export interface RecordedHistoryEntry<S> {
  seq: number;
  streamVersion: number;
  eventId: string;
  type: string;
  /** The event's effective (legal) date: its `occurredAt`. */
  effectiveAt: string;
  recordedAt: string;
  /** The fold of the stream up to and including this event. */
  state: S;
}

/** One of the events that take effect at an effective instant. */
export interface HistoryEvent {
  seq: number;
  streamVersion: number;
  eventId: string;
  type: string;
  recordedAt: string;
}

/** Effective clock: the state in force from one effective instant, as the ledger knows it now. */
export interface EffectiveHistoryEntry<S> {
  /** The instant (ISO 8601 UTC, milliseconds) from which `state` is in force. */
  effectiveAt: string;
  /** When the ledger came to say this: the latest recordedAt among the events folded into `state`. */
  knownSince: string;
  /** The events that take effect at this very instant, in seq order. */
  events: HistoryEvent[];
  /** The fold, in seq order, of every event now known whose effective instant is ≤ effectiveAt. */
  state: S;
  /** Present only when some event of the fold could not be applied (see `foldEnvelopes`). */
  unapplied?: UnappliedEvent[];
}

export type HistoryEntry<S> = RecordedHistoryEntry<S> | EffectiveHistoryEntry<S>;

export interface EntityHistoryOptions {
  /** Only the entries up to this instant on the chosen clock (inclusive). */
  asOf?: string | Date;
}

export interface EntityHistory<E> {
  streamId: string;
  clock: Clock;
  /** The stream's current version: 0 when the entity does not exist at all. */
  streamVersion: number;
  entries: E[];
}

export interface StateAsOf<S> {
  state: S;
  /** Version of the last event folded in (0 when none). */
  streamVersion: number;
  /** How many events were folded in. */
  events: number;
  /** Effective clock only, present only when some event of the fold could not be applied (see `foldEnvelopes`). */
  unapplied?: UnappliedEvent[];
}

type Reader = Pick<EventStore, 'readStream'>;

/** The successive states of the entity of `streamId`, on one clock. */
export async function entityHistory<S>(store: Reader, decider: HistoryDecider<S>, streamId: string, clock: 'recorded', options?: EntityHistoryOptions): Promise<EntityHistory<RecordedHistoryEntry<S>>>;
export async function entityHistory<S>(store: Reader, decider: HistoryDecider<S>, streamId: string, clock: 'effective', options?: EntityHistoryOptions): Promise<EntityHistory<EffectiveHistoryEntry<S>>>;
export async function entityHistory<S>(store: Reader, decider: HistoryDecider<S>, streamId: string, clock: Clock, options?: EntityHistoryOptions): Promise<EntityHistory<HistoryEntry<S>>>;
export async function entityHistory<S>(
  store: Reader,
  decider: HistoryDecider<S>,
  streamId: string,
  clock: Clock,
  options: EntityHistoryOptions = {},
): Promise<EntityHistory<HistoryEntry<S>>> {
  assertClock(clock);
  const asOf = options.asOf === undefined ? undefined : instantMs(options.asOf, 'asOf');
  const stream = await store.readStream(streamId);
  const entries = clock === 'recorded' ? recordedHistory(decider, stream, asOf) : effectiveHistory(decider, stream, asOf);
  return { streamId, clock, streamVersion: stream.length ? stream[stream.length - 1].streamVersion : 0, entries };
}

/**
 * The state of the entity of `streamId` as of `at` on one clock: the fold, in seq order, of its events
 * whose effective (`occurredAt`) or recorded (`recordedAt`) instant is ≤ at. Equals the state of the
 * last history entry at or before `at` on that clock.
 */
export async function stateAsOf<S>(store: Reader, decider: HistoryDecider<S>, streamId: string, clock: Clock, at: string | Date): Promise<StateAsOf<S>> {
  assertClock(clock);
  const events = await store.readStream(streamId, { asOf: { clock, at } });
  const { state, unapplied } = foldEnvelopes(decider, decider.initialState, events, clock === 'effective');
  return {
    state,
    streamVersion: events.length ? events[events.length - 1].streamVersion : 0,
    events: events.length,
    ...(unapplied.length > 0 && { unapplied }),
  };
}

/** Recorded clock, from a stream's envelopes (in stream order): one entry per event recorded by `asOf`. */
export function recordedHistory<S>(decider: HistoryDecider<S>, stream: readonly EventEnvelope[], asOf?: number): RecordedHistoryEntry<S>[] {
  const entries: RecordedHistoryEntry<S>[] = [];
  let state = decider.initialState;
  for (const envelope of inSeqOrder(stream)) {
    if (asOf !== undefined && instantMs(envelope.recordedAt, 'recordedAt') > asOf) break; // recordedAt never decreases along seq
    state = foldEnvelopes(decider, state, [envelope], false).state;
    entries.push({
      seq: envelope.seq,
      streamVersion: envelope.streamVersion,
      eventId: envelope.eventId,
      type: envelope.type,
      effectiveAt: envelope.occurredAt,
      recordedAt: envelope.recordedAt,
      state,
    });
  }
  return entries;
}

/** Effective clock, from a stream's envelopes: one entry per distinct effective instant up to `asOf`. */
export function effectiveHistory<S>(decider: HistoryDecider<S>, stream: readonly EventEnvelope[], asOf?: number): EffectiveHistoryEntry<S>[] {
  const events = inSeqOrder(stream).map((envelope) => ({ envelope, at: instantMs(envelope.occurredAt, 'occurredAt') }));
  const byInstant = new Map<number, EventEnvelope[]>();
  for (const { envelope, at } of events) {
    const group = byInstant.get(at);
    if (group) group.push(envelope);
    else byInstant.set(at, [envelope]);
  }
  const instants = [...byInstant.keys()].sort((a, b) => a - b).filter((at) => asOf === undefined || at <= asOf);
  const entries: EffectiveHistoryEntry<S>[] = [];
  let state = decider.initialState;
  let unapplied: UnappliedEvent[] = [];
  let lastSeq = 0;
  let knownSince = -Infinity;
  for (const instant of instants) {
    const taking = byInstant.get(instant)!;
    if (taking[0].seq > lastSeq) {
      // Every event taking effect now was recorded after those already folded: the fold goes on.
      const step = foldEnvelopes(decider, state, taking, true);
      state = step.state;
      unapplied = [...unapplied, ...step.unapplied];
    } else {
      // One of them was recorded after an event that takes effect later (a correction recorded after
      // the fact): fold again, in seq order, everything in force at this instant.
      const step = foldEnvelopes(decider, decider.initialState, events.filter((e) => e.at <= instant).map((e) => e.envelope), true);
      state = step.state;
      unapplied = step.unapplied;
    }
    lastSeq = Math.max(lastSeq, taking[taking.length - 1].seq);
    knownSince = Math.max(knownSince, ...taking.map((e) => instantMs(e.recordedAt, 'recordedAt')));
    entries.push({
      effectiveAt: new Date(instant).toISOString(),
      knownSince: new Date(knownSince).toISOString(),
      events: taking.map(({ seq, streamVersion, eventId, type, recordedAt }) => ({ seq, streamVersion, eventId, type, recordedAt })),
      state,
      ...(unapplied.length > 0 && { unapplied }),
    });
  }
  return entries;
}

/**
 * Folds envelopes (upcast as every fold of the ledger does) onto `state`.
 *
 * On the recorded clock the fold is the one the decider itself made before each command: an `evolve`
 * that throws there is a fault, and is raised. On the effective clock (`guarded`) an event can be folded
 * without events recorded before it but effective later (a correction effective before what it
 * corrects), which an `evolve` may be unable to apply: that event is left out of the fold and reported,
 * instead of making the whole history unreadable.
 */
export function foldEnvelopes<S>(decider: HistoryDecider<S>, state: S, envelopes: readonly EventEnvelope[], guarded: boolean): { state: S; unapplied: UnappliedEvent[] } {
  const unapplied: UnappliedEvent[] = [];
  for (const envelope of envelopes) {
    const event = toRecorded(envelope);
    if (!guarded) {
      state = decider.evolve(state, event);
      continue;
    }
    try {
      state = decider.evolve(state, event);
    } catch {
      // The evolve's own error (a TypeError, typically) says nothing useful to a reader, and is internal.
      unapplied.push({ seq: envelope.seq, eventId: envelope.eventId, type: envelope.type, reason: UNAPPLIED_REASON });
    }
  }
  return { state, unapplied };
}

export const UNAPPLIED_REASON = 'the entity’s fold cannot apply this event without events that take effect later (such as what it corrects)';

/** A stored envelope as the deciders fold it (as `toRecorded` of @mel/application does). */
function toRecorded(stored: EventEnvelope): RecordedEvent {
  const envelope = upcast(stored);
  return { type: envelope.type, data: envelope.data, eventId: envelope.eventId, occurredAt: envelope.occurredAt, streamVersion: envelope.streamVersion };
}

function inSeqOrder(stream: readonly EventEnvelope[]): EventEnvelope[] {
  return [...stream].sort((a, b) => a.seq - b.seq);
}

function assertClock(clock: unknown): asserts clock is Clock {
  if (clock !== 'effective' && clock !== 'recorded') throw new RangeError(`clock must be 'effective' or 'recorded', not ${String(clock)}`);
}

/** Milliseconds since the epoch; the store keeps instants to the millisecond, so finer digits are dropped as it does. */
function instantMs(value: string | Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${field} must be an ISO 8601 date-time with a time zone`);
  return ms;
}
