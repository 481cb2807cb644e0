import type { AppendResult, EventEnvelope } from './event-envelope';
import { type PreparedAppend, sameEvent } from './envelope';
import { EventIdConflictError } from './errors';

/**
 * The answer to an append some of whose ids are stored already (`known[i]`: the stored event of
 * `request.events[i]`, if any), by the port's rule, for every adapter: a faithful
 * retry — every id stored, same content, same stream, same order — answers the original positions
 * with `replayed: true`; any other reuse of a stored id is an EventIdConflictError.
 */
export function answerRetry(request: PreparedAppend, known: readonly (EventEnvelope | undefined)[]): AppendResult {
  const { streamId, events } = request;
  if (known.length !== events.length) throw new Error('answerRetry needs one entry of `known` per event');
  for (const [i, event] of events.entries()) {
    const stored = known[i];
    const conflict = (reason: string) => new EventIdConflictError(event.eventId, reason);
    if (stored === undefined) throw conflict('is new, while other events of the same append are already stored: a retry must resend the same events');
    if (stored.streamId !== streamId) throw conflict(`is already stored in stream ${stored.streamId}`);
    if (!sameEvent(stored, event, streamId)) throw conflict('is already stored with other content');
    if (i > 0 && stored.streamVersion !== known[0]!.streamVersion + i) throw conflict('is already stored, but not in the order of this append');
  }
  const last = known[known.length - 1]!;
  return {
    streamId,
    streamVersion: last.streamVersion,
    seq: last.seq,
    recordedAt: last.recordedAt,
    events: known.map((k) => ({ eventId: k!.eventId, seq: k!.seq, streamVersion: k!.streamVersion })),
    replayed: true,
  };
}
