import { amendmentDecider } from './amendment/amendment';
import { commitmentDecider } from './commitment/commitment';
import { contractDecider } from './contract/contract';
import { documentDecider } from './document/document';
import { evaluationCycleDecider } from './evaluation-cycle/evaluation-cycle';
import { governanceBodyDecider } from './governance-body/governance-body';
import { indicatorDecider } from './indicator/indicator';
import { meetingDecider } from './meeting/meeting';
import { partyDecider } from './party/party';
import { personDecider } from './person/person';
import type { Decider, DomainEvent } from './shared/decider';

/** A decider of any aggregate, seen from outside it (replays, histories). */
export type AnyAggregateDecider = Decider<unknown, DomainEvent, unknown>;

/** Every aggregate's decider, the longest aggregate name first (`governance-body` before a shorter prefix). */
export const DECIDERS: readonly AnyAggregateDecider[] = (
  [amendmentDecider, commitmentDecider, contractDecider, documentDecider, evaluationCycleDecider, governanceBodyDecider, indicatorDecider, meetingDecider, partyDecider, personDecider] as unknown as AnyAggregateDecider[]
).sort((a, b) => b.aggregate.length - a.aggregate.length);

/** The decider of the aggregate a stream id (`<aggregate>-<id>`) belongs to, if any. */
export function deciderOfStream(streamId: string): AnyAggregateDecider | undefined {
  return DECIDERS.find((decider) => streamId.startsWith(`${decider.aggregate}-`));
}
