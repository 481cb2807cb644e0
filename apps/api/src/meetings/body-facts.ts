import { governanceBodyDecider, type MeetingBodyFacts, membersOn, notFound } from '@mel/domain';
import type { AggregateReader } from '../shared/aggregate-reader';

/** The Meeting decider's roster holds at most 500 members: no list of attendance or votes is longer. */
export const MAX_ROSTER = 500;

/**
 * The facts of governance body `bodyId` that a meeting on `date` (YYYY-MM-DD) needs: its function, its
 * quorum rule and its roster on that day (`membersOn`). Read from the body's stream, never from the
 * request: the Meeting decider stays pure and snapshots them into its event.
 */
export async function bodyFactsOn(reader: AggregateReader, bodyId: string, date: string): Promise<MeetingBodyFacts> {
  const { state } = await reader.read(governanceBodyDecider, bodyId);
  if (!state.exists || !state.function || !state.quorum) throw notFound(`governance body ${bodyId}`);
  return { bodyId, function: state.function, quorum: state.quorum, members: membersOn(state, date) };
}
