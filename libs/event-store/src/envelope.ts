import { CanonicalJsonError, canonicalize } from '@mel/ledger';
import { v7 as uuidv7 } from 'uuid';
import type { Actor, EventEnvelope, ExpectedVersion, NewEvent } from './event-envelope';
import { InvalidAppendError } from './errors';

/** Limits that keep one append within what a transaction and a Merkle leaf should carry. */
export const MAX_EVENTS_PER_APPEND = 1000;
export const MAX_DATA_BYTES = 256 * 1024;

const STREAM_ID = /^[a-z][a-z0-9]*(?:-[A-Za-z0-9._~:]+)+$/;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]*$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const ACTOR_KEYS = new Set(['subject', 'role', 'partyId', 'mandate']);

/** An event validated and normalised, waiting for its positions. */
export interface PreparedEvent {
  eventId: string;
  /** Whether the caller chose the id (only those can be retries of an earlier append). */
  idSupplied: boolean;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  data: unknown;
  /** RFC 8785 form of `data`, computed once when validating. */
  dataCanonical: string;
}

export interface PreparedAppend {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: PreparedEvent[];
}

/** Validates an append request; throws InvalidAppendError naming the field. Writes nothing. */
export function prepareAppend(streamId: unknown, events: unknown, expectedVersion: unknown): PreparedAppend {
  if (typeof streamId !== 'string' || streamId.length > 200 || !STREAM_ID.test(streamId)) {
    throw new InvalidAppendError('streamId', 'must be "<aggregate>-<id>" (lowercase aggregate, at most 200 characters)');
  }
  if (!isExpectedVersion(expectedVersion)) {
    throw new InvalidAppendError('expectedVersion', "must be 'no-stream', 'exists', 'any' or a non-negative integer");
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('events', 'must be a non-empty array');
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppendError('events', `must hold at most ${MAX_EVENTS_PER_APPEND} events`);
  }
  const seen = new Set<string>();
  const prepared = events.map((event, i) => prepareEvent(event, `events[${i}]`));
  for (const [i, event] of prepared.entries()) {
    if (seen.has(event.eventId)) throw new InvalidAppendError(`events[${i}].eventId`, 'appears twice in one append');
    seen.add(event.eventId);
  }
  // One correlation for the whole append unless the caller gave one per event.
  for (const event of prepared) if (event.correlationId === '') event.correlationId = prepared[0].eventId;
  return { streamId, expectedVersion, events: prepared };
}

function prepareEvent(event: unknown, field: string): PreparedEvent {
  if (!isPlainObject(event)) throw new InvalidAppendError(field, 'must be an object');
  const e = event as Partial<NewEvent> & Record<string, unknown>;
  let eventId: string;
  const idSupplied = e.eventId !== undefined;
  if (idSupplied) {
    if (typeof e.eventId !== 'string' || !UUID_V7.test(e.eventId.toLowerCase())) {
      throw new InvalidAppendError(`${field}.eventId`, 'must be a UUIDv7');
    }
    eventId = e.eventId.toLowerCase();
  } else {
    eventId = uuidv7();
  }
  if (typeof e.type !== 'string' || e.type.length > 100 || !EVENT_TYPE.test(e.type)) {
    throw new InvalidAppendError(`${field}.type`, 'must be a PascalCase name of at most 100 characters');
  }
  const schemaVersion = e.schemaVersion ?? 1;
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
    throw new InvalidAppendError(`${field}.schemaVersion`, 'must be an integer ≥ 1');
  }
  const occurredAt = normaliseInstant(e.occurredAt, `${field}.occurredAt`);
  const actor = prepareActor(e.actor, `${field}.actor`);
  const correlationId = optionalText(e.correlationId, `${field}.correlationId`) ?? '';
  const causationId = optionalText(e.causationId, `${field}.causationId`) ?? null;
  if (!isPlainObject(e.data)) throw new InvalidAppendError(`${field}.data`, 'must be an object');
  let dataCanonical: string;
  try {
    dataCanonical = canonicalize(e.data);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new InvalidAppendError(`${field}.data`, error.message);
    throw error;
  }
  if (Buffer.byteLength(dataCanonical, 'utf8') > MAX_DATA_BYTES) {
    throw new InvalidAppendError(`${field}.data`, `must not exceed ${MAX_DATA_BYTES} bytes in canonical form`);
  }
  return { eventId, idSupplied, type: e.type, schemaVersion, occurredAt, actor, correlationId, causationId, data: e.data, dataCanonical };
}

function prepareActor(actor: unknown, field: string): Actor {
  if (!isPlainObject(actor)) throw new InvalidAppendError(field, 'must be an object');
  const a = actor as Record<string, unknown>;
  for (const key of Object.keys(a)) {
    if (!ACTOR_KEYS.has(key)) throw new InvalidAppendError(`${field}.${key}`, 'is not a field of an actor');
  }
  const subject = requiredText(a.subject, `${field}.subject`);
  const role = requiredText(a.role, `${field}.role`);
  const partyId = optionalText(a.partyId, `${field}.partyId`);
  const mandate = optionalText(a.mandate, `${field}.mandate`);
  return { subject, role, ...(partyId !== undefined && { partyId }), ...(mandate !== undefined && { mandate }) };
}

function requiredText(value: unknown, field: string): string {
  const text = optionalText(value, field);
  if (text === undefined) throw new InvalidAppendError(field, 'is required');
  return text;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || !value.isWellFormed()) {
    throw new InvalidAppendError(field, 'must be a non-empty string of at most 200 characters');
  }
  return value;
}

/** ISO 8601 instant with an explicit offset (or a Date), normalised to UTC with milliseconds. */
export function normaliseInstant(value: unknown, field: string): string {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string' && isCalendarInstant(value)) date = new Date(value);
  else throw new InvalidAppendError(field, 'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-07T10:00:00Z');
  const time = date.getTime();
  if (!Number.isFinite(time) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    throw new InvalidAppendError(field, 'is not a valid date-time between years 0001 and 9999');
  }
  return date.toISOString();
}

/** The pattern, and fields within the calendar: JavaScript's Date would read 30 February as 1 March. */
function isCalendarInstant(text: string): boolean {
  const match = ISO_INSTANT.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second = '0', offsetHour = '0', offsetMinute = '0'] = match.slice(1).map((f) => f ?? '0');
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return (
    Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= daysInMonth &&
    Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59 && Number(offsetHour) <= 23 && Number(offsetMinute) <= 59
  );
}

function isExpectedVersion(value: unknown): value is ExpectedVersion {
  return (
    value === 'no-stream' || value === 'exists' || value === 'any' || (Number.isSafeInteger(value) && (value as number) >= 0)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  // Object.prototype of any realm (vm contexts have their own), or null.
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/**
 * The envelope of a prepared event at its final positions, and its RFC 8785 form: the text whose UTF-8
 * bytes the ledger hashes. The members are written in their canonical order (UTF-16 code units of
 * the names) around the payload canonicalised once at validation: the append path is hot, and
 * `canonical === canonicalize(envelope)` is checked by this module's tests.
 */
export function sealEvent(
  event: PreparedEvent,
  streamId: string,
  streamVersion: number,
  seq: number,
  recordedAt: string,
): { envelope: EventEnvelope; canonical: string } {
  const envelope: EventEnvelope = {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId,
    streamVersion,
    seq,
    occurredAt: event.occurredAt,
    recordedAt,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    data: event.data,
  };
  const canonical =
    `{"actor":${canonicalize(event.actor)},"causationId":${JSON.stringify(event.causationId)}` +
    `,"correlationId":${JSON.stringify(event.correlationId)},"data":${event.dataCanonical}` +
    `,"eventId":"${event.eventId}","occurredAt":"${event.occurredAt}","recordedAt":"${recordedAt}"` +
    `,"schemaVersion":${event.schemaVersion},"seq":${seq},"streamId":${JSON.stringify(streamId)}` +
    `,"streamVersion":${streamVersion},"type":"${event.type}"}`;
  return { envelope, canonical };
}

/** Whether a stored envelope is the same event as a prepared one (what the caller chose, not positions). */
export function sameEvent(stored: EventEnvelope, event: PreparedEvent, streamId: string): boolean {
  const chosen = (e: Omit<EventEnvelope, 'seq' | 'streamVersion' | 'recordedAt'>) =>
    canonicalize({
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      streamId: e.streamId,
      occurredAt: e.occurredAt,
      actor: e.actor,
      correlationId: e.correlationId,
      causationId: e.causationId,
      data: e.data,
    });
  return chosen(stored) === chosen({ ...event, streamId });
}
