import fc from 'fast-check';
import { canonicalize } from '@mel/ledger';
import { prepareAppend, sealEvent } from './envelope';
import { InvalidAppendError } from './errors';

describe('sealEvent', () => {
  const text = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' });

  it('writes the canonical form of the envelope (RFC 8785), whatever the payload and ids', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue()),
        fc.record({ subject: text, role: text, partyId: fc.option(text, { nil: undefined }), mandate: fc.option(text, { nil: undefined }) }),
        fc.option(text, { nil: undefined }),
        fc.option(text, { nil: undefined }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (data, actor, correlationId, causationId, version, seq, recorded) => {
          const { events } = prepareAppend(
            'commitment-01j',
            [{ type: 'CommitmentAdopted', occurredAt: '2024-05-07T10:00:00+02:00', actor, data, correlationId, causationId }],
            'any',
          );
          const { envelope, canonical } = sealEvent(events[0], 'commitment-01j', version, seq, recorded.toISOString());
          expect(canonical).toBe(canonicalize(envelope));
          expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(envelope)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('prepareAppend', () => {
  it('refuses any non-object as an event, naming it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer())), (value) => {
        expect(() => prepareAppend('party-1', [value], 'any')).toThrow(InvalidAppendError);
        try {
          prepareAppend('party-1', [value], 'any');
        } catch (error) {
          expect((error as InvalidAppendError).field).toBe('events[0]');
        }
      }),
    );
  });

  it('gives every event of an append the correlation of the first when none is given', () => {
    const actor = { subject: 's', role: 'r' };
    const { events } = prepareAppend('party-1', [1, 2].map(() => ({ type: 'A', occurredAt: new Date(0), actor, data: {} })), 'any');
    expect(events[1].correlationId).toBe(events[0].eventId);
    expect(events[0].correlationId).toBe(events[0].eventId);
  });
});
