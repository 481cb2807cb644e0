import type { EventData, JSONType, Position, RecordedEvent } from '@eventstore/db-client';
import { leafHash } from '@mel/ledger';
import type { Actor, EventEnvelope, StoredEvent } from '../event-envelope';
import { normaliseInstant, type PreparedEvent, prepareAppend, sealEvent } from '../envelope';
import { InvalidAppendError } from '../errors';
import { ledgerStreamIdOf } from './stream-names';

/**
 * An envelope as EventStoreDB stores it. The event's id is the envelope's eventId, its type the
 * envelope's type, its data the envelope's data (JSON); the rest of what the caller chose goes into
 * the metadata below. The positions (`streamVersion` = revision + 1, `seq`) and `recordedAt` are not
 * written: they follow from where the event is in its stream and in `$all` (seq-assignment.ts), and the
 * canonical bytes are composed from all of it exactly as the PostgreSQL adapter composes them (sealEvent).
 */
export interface LedgerMetadata {
  /** Format of this metadata. */
  ledger: 1;
  schemaVersion: number;
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  /** Index of the event in its append (0 for the first): the events of one append share one recordedAt. */
  appendIndex: number;
  /** On events copied by `ledger migrate` only: the seq the event had, and its recordedAt there. */
  importedSeq?: number;
  importedRecordedAt?: string;
}

/** An event of the namespace, read back from EventStoreDB and checked. */
export interface LedgerRecord {
  /** The ledger's stream id (without the namespace). */
  streamId: string;
  eventId: string;
  type: string;
  /** EventStoreDB revision of the event in its stream (0-based). */
  revision: bigint;
  data: Record<string, unknown>;
  metadata: LedgerMetadata;
  /** The server's `created` time, in milliseconds since the epoch. */
  createdMs: number;
  /** Where the event is in `$all` (always given by `$all` reads, by stream reads since server 22.6). */
  position?: Position;
}

/**
 * A stored event of the namespace that is not a well-formed ledger event: not a refusal of a request
 * (EventStoreError) but a log that is not the ledger's, which the adapter will not number as evidence.
 */
export class LedgerRecordError extends Error {
  readonly rule = 'StoredEventsAreLedgerEvents';
  constructor(where: string, reason: string) {
    super(`the EventStoreDB event ${where} is not a ledger event: ${reason}. Nothing but the ledger may write under its namespace`);
    this.name = 'LedgerRecordError';
  }
}

const METADATA_KEYS = new Set(['ledger', 'schemaVersion', 'occurredAt', 'actor', 'correlationId', 'causationId', 'appendIndex', 'importedSeq', 'importedRecordedAt']);

/** What to send to EventStoreDB for a validated event, the `appendIndex`-th of its append. */
export function toEventData(event: PreparedEvent, appendIndex: number): EventData {
  return jsonEventData(event.eventId, event.type, event.data as JSONType, ledgerMetadata(event, appendIndex));
}

/**
 * What to send to EventStoreDB for an event copied from another store (`ledger migrate`): the same
 * envelope, plus the seq and recordedAt it had, which the seq assignment keeps when the copy lands at
 * that same seq.
 */
export function toImportedEventData(event: StoredEvent, appendIndex: number): EventData {
  const metadata: LedgerMetadata = { ...ledgerMetadata(event, appendIndex), importedSeq: event.seq, importedRecordedAt: event.recordedAt };
  return jsonEventData(event.eventId, event.type, event.data as JSONType, metadata);
}

/** The envelope's fields that travel as EventStoreDB metadata (the rest is the event's id, type and data). */
function ledgerMetadata(event: PreparedEvent | StoredEvent, appendIndex: number): LedgerMetadata {
  return {
    ledger: 1,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    appendIndex,
  };
}

function jsonEventData(id: string, type: string, data: JSONType, metadata: LedgerMetadata): EventData {
  // The shape jsonEvent() of the client returns, without loading the client.
  return { id, contentType: 'application/json', type, data, metadata: metadata as unknown as JSONType };
}

/**
 * The ledger record of an event read from EventStoreDB, checked, or undefined when the event is not
 * in the namespace (system events, other ledgers, the seq index).
 */
export function toLedgerRecord(namespace: string, event: RecordedEvent): LedgerRecord | undefined {
  const streamId = ledgerStreamIdOf(namespace, event.streamId);
  if (streamId === undefined) return undefined;
  const where = `${event.id} (stream ${event.streamId}, revision ${event.revision})`;
  if (!event.isJson) throw new LedgerRecordError(where, 'its data is not JSON');
  const data = event.data as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new LedgerRecordError(where, 'its data is not a JSON object');
  return {
    streamId,
    eventId: event.id,
    type: event.type,
    revision: event.revision,
    data: data as Record<string, unknown>,
    metadata: parseLedgerMetadata(event.metadata, where),
    createdMs: event.created.getTime(),
    ...(event.position && { position: event.position }),
  };
}

/** The metadata of a ledger event, checked field by field. */
export function parseLedgerMetadata(value: unknown, where: string): LedgerMetadata {
  const fail = (reason: string): never => {
    throw new LedgerRecordError(where, `its metadata ${reason}`);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return fail('is not a JSON object');
  const m = value as Record<string, unknown>;
  for (const key of Object.keys(m)) if (!METADATA_KEYS.has(key)) fail(`has an unknown field ${JSON.stringify(key)}`);
  if (m.ledger !== 1) fail('is not of format 1 ("ledger": 1)');
  if (!Number.isSafeInteger(m.appendIndex) || (m.appendIndex as number) < 0) fail('has no appendIndex ≥ 0');
  if (typeof m.occurredAt !== 'string') fail('has no occurredAt');
  if (m.importedSeq !== undefined || m.importedRecordedAt !== undefined) {
    if (!Number.isSafeInteger(m.importedSeq) || (m.importedSeq as number) < 1) fail('has an importedSeq that is not an integer ≥ 1');
    try {
      if (normaliseInstant(m.importedRecordedAt, 'importedRecordedAt') !== m.importedRecordedAt) fail('has an importedRecordedAt not in UTC with milliseconds');
    } catch (error) {
      if (error instanceof InvalidAppendError) fail(`has no valid importedRecordedAt (${error.message})`);
      throw error;
    }
  }
  // The other fields are checked with the whole envelope, by the validation of appends (toEnvelope).
  return m as unknown as LedgerMetadata;
}

/**
 * The envelope of a record at its positions, and its canonical text: the record goes through the
 * validation of appends (prepareAppend) and is sealed by the same function the PostgreSQL adapter
 * uses, so that both adapters hash the same bytes.
 */
export function toEnvelope(record: LedgerRecord, seq: number, recordedAt: string): { envelope: EventEnvelope; canonical: string } {
  const m = record.metadata;
  let event: PreparedEvent;
  try {
    [event] = prepareAppend(
      record.streamId,
      [
        {
          eventId: record.eventId,
          type: record.type,
          schemaVersion: m.schemaVersion,
          occurredAt: m.occurredAt,
          actor: m.actor,
          correlationId: m.correlationId,
          causationId: m.causationId,
          data: record.data,
        },
      ],
      'any',
    ).events;
  } catch (error) {
    if (error instanceof InvalidAppendError) throw new LedgerRecordError(`${record.eventId} (stream ${record.streamId})`, error.message.replace(/^events\[0\]\./, ''));
    throw error;
  }
  if (event.occurredAt !== m.occurredAt || event.correlationId !== m.correlationId) {
    throw new LedgerRecordError(`${record.eventId} (stream ${record.streamId})`, 'its occurredAt or correlationId is not in the form the ledger writes');
  }
  const streamVersion = Number(record.revision) + 1;
  return sealEvent(event, record.streamId, streamVersion, seq, recordedAt);
}

/** The stored event of a record: envelope, canonical bytes (UTF-8) and RFC 6962 leaf hash. */
export function toStoredEvent(record: LedgerRecord, seq: number, recordedAt: string): StoredEvent {
  const { envelope, canonical } = toEnvelope(record, seq, recordedAt);
  const bytes = Buffer.from(canonical, 'utf8');
  return { ...envelope, canonical: bytes, leafHash: leafHash(bytes) };
}
