import { createHash } from 'node:crypto';
import type { EventData, RecordedEvent } from '@eventstore/db-client';
import fc from 'fast-check';
import { canonicalize } from '@mel/ledger';
import { prepareAppend, sealEvent } from '../envelope';
import { LedgerRecordError, parseLedgerMetadata, toEventData, toImportedEventData, toLedgerRecord, toStoredEvent } from './event-mapping';

const actor = { subject: 'user-7f3a', role: 'body-secretary', partyId: 'party-mel' };

/**
 * The event EventStoreDB gives back for what was sent: JSON data and metadata go through the wire as
 * JSON text (the client stringifies them on append and parses them on read), the revision and the
 * server's `created` are the server's.
 */
function asRead(sent: EventData, streamId: string, revision: bigint, created: Date, position = { commit: 4242n, prepare: 4242n }): RecordedEvent {
  return {
    streamId,
    id: sent.id,
    isJson: sent.contentType === 'application/json',
    revision,
    type: sent.type,
    created,
    data: JSON.parse(JSON.stringify(sent.data)),
    metadata: sent.metadata === undefined ? undefined : JSON.parse(JSON.stringify(sent.metadata)),
    position,
  } as RecordedEvent;
}

describe('envelopes as EventStoreDB events, and back', () => {
  it('sends the eventId as the event id, the type as its type, the data as JSON, the rest in the metadata', () => {
    const [event] = prepareAppend(
      'meeting-m1',
      [{ eventId: '0190f5a2-0000-7000-8000-000000000001', type: 'MeetingHeld', occurredAt: '2024-05-07T12:30:00+02:00', actor, correlationId: 'corr-1', causationId: 'cmd-9', schemaVersion: 2, data: { room: 'Roubaix' } }],
      'any',
    ).events;
    expect(toEventData(event, 3)).toEqual({
      id: '0190f5a2-0000-7000-8000-000000000001',
      contentType: 'application/json',
      type: 'MeetingHeld',
      data: { room: 'Roubaix' },
      metadata: { ledger: 1, schemaVersion: 2, occurredAt: '2024-05-07T10:30:00.000Z', actor, correlationId: 'corr-1', causationId: 'cmd-9', appendIndex: 3 },
    });
  });

  it('reads back the exact canonical bytes and leaf hash the PostgreSQL adapter writes, whatever the payload', () => {
    const text = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue()),
        fc.record({ subject: text, role: text, partyId: fc.option(text, { nil: undefined }), mandate: fc.option(text, { nil: undefined }) }),
        fc.option(text, { nil: undefined }),
        fc.option(text, { nil: undefined }),
        fc.integer({ min: 0, max: 2 ** 31 - 2 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (data, anActor, correlationId, causationId, revision, seq, recorded) => {
          const [event] = prepareAppend('commitment-01j', [{ type: 'CommitmentAdopted', occurredAt: '2024-05-07T10:00:00+02:00', actor: anActor, data, correlationId, causationId }], 'any').events;
          const recordedAt = recorded.toISOString();
          const expected = sealEvent(event, 'commitment-01j', revision + 1, seq, recordedAt);

          const record = toLedgerRecord('mel', asRead(toEventData(event, 0), 'mel/commitment-01j', BigInt(revision), new Date('2031-01-01')));
          const stored = toStoredEvent(record!, seq, recordedAt);
          expect(stored.canonical.toString('utf8')).toBe(expected.canonical);
          expect(stored.leafHash.toString('hex')).toBe(createHash('sha256').update(Buffer.from([0])).update(stored.canonical).digest('hex'));
          const { canonical, leafHash, ...envelope } = stored;
          expect(canonicalize(envelope)).toBe(expected.canonical);
          // As the PostgreSQL adapter reads it back: the envelope parsed from its canonical bytes (-0 is 0 there too).
          expect(envelope).toEqual(JSON.parse(expected.canonical));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('numbers stream versions from the revision: revision r is version r + 1', () => {
    const [event] = prepareAppend('party-mel', [{ type: 'PartyRegistered', occurredAt: '2024-05-07T10:00:00Z', actor, data: {} }], 'any').events;
    const record = toLedgerRecord('ledger', asRead(toEventData(event, 0), 'ledger/party-mel', 0n, new Date()))!;
    expect(record).toMatchObject({ streamId: 'party-mel', revision: 0n, createdMs: expect.any(Number), position: { commit: 4242n, prepare: 4242n } });
    expect(toStoredEvent(record, 7, '2024-05-07T10:00:00.123Z')).toMatchObject({ streamVersion: 1, seq: 7, recordedAt: '2024-05-07T10:00:00.123Z' });
  });

  it('carries the seq and recordedAt of a copied event in its metadata', () => {
    const [event] = prepareAppend('party-mel', [{ type: 'PartyRegistered', occurredAt: '2024-05-07T10:00:00Z', actor, data: { n: 1 } }], 'any').events;
    const { envelope, canonical } = sealEvent(event, 'party-mel', 1, 12, '2024-05-08T09:00:00.000Z');
    const original = { ...envelope, canonical: Buffer.from(canonical), leafHash: Buffer.alloc(32) };
    const sent = toImportedEventData(original, 0);
    expect(sent.metadata).toMatchObject({ importedSeq: 12, importedRecordedAt: '2024-05-08T09:00:00.000Z', appendIndex: 0 });
    const record = toLedgerRecord('ledger', asRead(sent, 'ledger/party-mel', 0n, new Date('2030-01-01')))!;
    expect(toStoredEvent(record, 12, '2024-05-08T09:00:00.000Z').canonical.toString()).toBe(canonical);
  });

  it('leaves alone the events that are not in the namespace', () => {
    const [event] = prepareAppend('party-mel', [{ type: 'PartyRegistered', occurredAt: '2024-05-07T10:00:00Z', actor, data: {} }], 'any').events;
    for (const stream of ['$stats-10.0.0.1:2113', 'other/party-mel', 'ledger.seq-index']) {
      expect(toLedgerRecord('ledger', asRead(toEventData(event, 0), stream, 0n, new Date()))).toBeUndefined();
    }
  });

  describe('refuses, rather than numbers as a ledger event, an event of the namespace that the ledger did not write', () => {
    const [event] = prepareAppend('party-mel', [{ type: 'PartyRegistered', occurredAt: '2024-05-07T10:00:00Z', actor, data: { n: 1 } }], 'any').events;
    const good = toEventData(event, 0);
    const read = (change: Partial<EventData> | ((m: Record<string, unknown>) => Record<string, unknown>)) => {
      const sent = typeof change === 'function' ? { ...good, metadata: change({ ...(good.metadata as Record<string, unknown>) }) } : { ...good, ...change };
      return () => toStoredEvent(toLedgerRecord('ledger', asRead(sent as EventData, 'ledger/party-mel', 0n, new Date()))!, 1, '2024-05-07T10:00:00.000Z');
    };

    it.each<[string, Partial<EventData> | ((m: Record<string, unknown>) => Record<string, unknown>), RegExp]>([
      ['binary data', { contentType: 'application/octet-stream', data: new Uint8Array([1]) } as Partial<EventData>, /not JSON/],
      ['data that is a list', { data: [1, 2] }, /not a JSON object/],
      ['no metadata', { metadata: undefined }, /metadata is not a JSON object/],
      ['another metadata format', (m) => ({ ...m, ledger: 2 }), /format 1/],
      ['an unknown metadata field', (m) => ({ ...m, recordedAt: '2020-01-01T00:00:00.000Z' }), /unknown field "recordedAt"/],
      ['no appendIndex', (m) => ({ ...m, appendIndex: undefined }), /appendIndex/],
      ['an importedRecordedAt not in UTC', (m) => ({ ...m, importedSeq: 1, importedRecordedAt: '2024-05-07T12:00:00+02:00' }), /importedRecordedAt/],
      ['an actor with a name', (m) => ({ ...m, actor: { ...actor, name: 'Jeanne Martin' } }), /actor\.name/],
      ['an occurredAt the ledger does not write', (m) => ({ ...m, occurredAt: '2024-05-07T12:00:00+02:00' }), /occurredAt/],
      ['a type that is not PascalCase', { type: '$metadata' }, /type/],
    ])('%s', (_label, change, message) => {
      const attempt = read(change);
      expect(attempt).toThrow(LedgerRecordError);
      expect(attempt).toThrow(message);
    });

    it('but reads the same event written properly', () => {
      expect(read({})().streamId).toBe('party-mel');
      expect(parseLedgerMetadata(good.metadata, 'x')).toMatchObject({ appendIndex: 0 });
    });
  });
});
