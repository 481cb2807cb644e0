import { isUtf8 } from 'node:buffer';
import { nonCanonicalReason } from './canonical-text';
import { LogVerificationError } from './log-failure';

/**
 * An entry of the log as the verifier reads it: the event envelope of DESIGN §2, whose canonical
 * bytes (RFC 8785) are the Merkle leaf. libs/ledger does not know the domain: `data` stays opaque,
 * and the replay hook given to the verifier folds it.
 */
export interface LogEnvelope {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  seq: number;
  occurredAt: string;
  recordedAt: string;
  actor: { subject: string; role: string; partyId?: string; mandate?: string };
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STREAM_ID = /^[a-z][a-z0-9]*(?:-[A-Za-z0-9._~:]+)+$/;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]*$/;
/** ISO 8601 date-time with seconds and an offset, fields in range (what Date.parse accepts of this shape). */
const INSTANT = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const ENVELOPE_KEYS = new Set([
  'actor',
  'causationId',
  'correlationId',
  'data',
  'eventId',
  'occurredAt',
  'recordedAt',
  'schemaVersion',
  'seq',
  'streamId',
  'streamVersion',
  'type',
]);
const ACTOR_KEYS = new Set(['subject', 'role', 'partyId', 'mandate']);

/**
 * Parses one entry's bytes: UTF-8 JSON whose RFC 8785 form is exactly these bytes, holding an event
 * envelope. Throws a LogVerificationError naming `index` (entry-not-json, entry-not-canonical,
 * entry-malformed). The checks along the log (seq, stream versions, clocks) are the caller's.
 */
export function parseLogEntry(bytes: Uint8Array, index: number): LogEnvelope {
  if (!isUtf8(bytes)) throw new LogVerificationError('entry-not-json', index, `entry ${index} is not valid UTF-8`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LogVerificationError('entry-not-json', index, `entry ${index} is not JSON (${(error as Error).message})`);
  }
  // The same test as canonicalize(value) === text (canonical-text.ts), without writing the text again.
  const reason = nonCanonicalReason(text);
  if (reason !== undefined) {
    throw new LogVerificationError('entry-not-canonical', index, `entry ${index} is not in canonical JSON (RFC 8785): ${reason}`);
  }
  checkEnvelope(value, index);
  return value;
}

/**
 * parseLogEntry for the text of an entry already found to be UTF-8 canonical JSON (entry-batches.ts,
 * maybe in another thread): parses it and checks the envelope.
 */
export function parseCanonicalEntry(text: string, index: number): LogEnvelope {
  const value: unknown = JSON.parse(text);
  checkEnvelope(value, index);
  return value;
}

function checkEnvelope(value: unknown, index: number): asserts value is LogEnvelope {
  const bad = (what: string): never => {
    throw new LogVerificationError('entry-malformed', index, `entry ${index} is not an event envelope: ${what}`);
  };
  if (!isObject(value)) return bad('not a JSON object');
  const e = value as Record<string, unknown>;
  for (const key of Object.keys(e)) if (!ENVELOPE_KEYS.has(key)) bad(`unexpected field ${JSON.stringify(key)}`);
  for (const key of ENVELOPE_KEYS) if (!(key in e)) bad(`no ${key}`);
  if (typeof e.eventId !== 'string' || !UUID.test(e.eventId)) bad('eventId is not a lowercase UUID');
  if (typeof e.type !== 'string' || !EVENT_TYPE.test(e.type)) bad('type is not a PascalCase name');
  if (!isPositiveInteger(e.schemaVersion)) bad('schemaVersion is not an integer ≥ 1');
  if (typeof e.streamId !== 'string' || !STREAM_ID.test(e.streamId)) bad('streamId is not "<aggregate>-<id>"');
  if (!isPositiveInteger(e.streamVersion)) bad('streamVersion is not an integer ≥ 1');
  if (!isPositiveInteger(e.seq)) bad('seq is not an integer ≥ 1');
  if (!isInstant(e.occurredAt)) bad('occurredAt is not an ISO 8601 date-time');
  if (!isInstant(e.recordedAt)) bad('recordedAt is not an ISO 8601 date-time');
  if (typeof e.correlationId !== 'string') bad('correlationId is not a string');
  if (e.causationId !== null && typeof e.causationId !== 'string') bad('causationId is neither a string nor null');
  if (!isObject(e.data)) bad('data is not a JSON object');
  if (!isObject(e.actor)) return bad('actor is not a JSON object');
  const actor = e.actor as Record<string, unknown>;
  for (const key of Object.keys(actor)) if (!ACTOR_KEYS.has(key)) bad(`unexpected actor field ${JSON.stringify(key)}`);
  if (typeof actor.subject !== 'string' || typeof actor.role !== 'string') bad('actor has no subject and role');
  if (actor.partyId !== undefined && typeof actor.partyId !== 'string') bad('actor.partyId is not a string');
  if (actor.mandate !== undefined && typeof actor.mandate !== 'string') bad('actor.mandate is not a string');
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value);
}
