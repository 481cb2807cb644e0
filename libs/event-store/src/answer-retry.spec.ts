import type { EventEnvelope } from './event-envelope';
import { type PreparedAppend, prepareAppend, sealEvent } from './envelope';
import { EventIdConflictError } from './errors';
import { answerRetry } from './answer-retry';

const actor = { subject: 'user-7f3a', role: 'body-secretary' };
const ids = ['0190f5a2-0000-7000-8000-000000000001', '0190f5a2-0000-7000-8000-000000000002'];

function request(streamId = 'party-mel', data = [{ siren: '200093201' }, {}]): PreparedAppend {
  return prepareAppend(
    streamId,
    ids.map((eventId, i) => ({ eventId, type: 'PartyRegistered', occurredAt: '2024-05-07T10:00:00Z', actor, data: data[i] })),
    'no-stream',
  );
}

/** The events of `request()` as stored at stream versions 1 and 2, seqs 8 and 9. */
function stored(): EventEnvelope[] {
  const r = request();
  return r.events.map((e, i) => sealEvent(e, 'party-mel', i + 1, 8 + i, '2024-05-07T10:00:01.000Z').envelope);
}

describe('answerRetry', () => {
  it('answers a faithful retry with the original positions, replayed', () => {
    expect(answerRetry(request(), stored())).toEqual({
      streamId: 'party-mel',
      streamVersion: 2,
      seq: 9,
      recordedAt: '2024-05-07T10:00:01.000Z',
      events: [
        { eventId: ids[0], seq: 8, streamVersion: 1 },
        { eventId: ids[1], seq: 9, streamVersion: 2 },
      ],
      replayed: true,
    });
  });

  it.each<[string, () => [PreparedAppend, (EventEnvelope | undefined)[]], RegExp]>([
    ['only some of the events are stored', () => [request(), [stored()[0], undefined]], /other events of the same append/],
    ['an id is stored in another stream', () => [request('party-other'), stored()], /already stored in stream party-mel/],
    ['an id is stored with other content', () => [request('party-mel', [{ siren: '000000000' }, {}]), stored()], /other content/],
    ['the ids are stored in another order', () => [request(), [stored()[0], { ...stored()[1], streamVersion: 5 }]], /not in the order/],
  ])('refuses a reuse where %s', (_label, args, message) => {
    const [req, known] = args();
    expect(() => answerRetry(req, known)).toThrow(EventIdConflictError);
    expect(() => answerRetry(req, known)).toThrow(message);
  });
});
