import { Inject, Injectable } from '@nestjs/common';
import { type Decider, type DomainEvent, fold } from '@mel/domain';
import { EVENT_STORE, type EventStore } from '@mel/event-store';
import { toRecorded } from './execute-domain-command';

/**
 * Reads the current state of an aggregate, for handlers that look facts up before deciding (the
 * roster of a body for a meeting, the decision behind an amendment). The facts go into the command:
 * the deciders stay pure.
 */
@Injectable()
export class AggregateReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async read<S>(decider: Decider<never, DomainEvent, S>, aggregateId: string): Promise<{ state: S; version: number }> {
    const events = await this.store.readStream(`${decider.aggregate}-${aggregateId}`);
    const state = fold(decider as unknown as Decider<unknown, DomainEvent, S>, events.map(toRecorded));
    return { state, version: events.length };
  }
}
