import { Inject, Injectable } from '@nestjs/common';
import { CommandExecutor } from '@mel/application';
import type { Decider, DomainEvent } from '@mel/domain';
import { EVENT_STORE, type EventStore } from '@mel/event-store';

/**
 * Reads the current state of an aggregate, for handlers that look facts up before deciding (the
 * roster of a body for a meeting, the decision behind an amendment). The facts go into the command:
 * the deciders stay pure.
 */
@Injectable()
export class AggregateReader {
  private readonly executor: CommandExecutor;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.executor = new CommandExecutor(store);
  }

  read<S>(decider: Decider<never, DomainEvent, S>, aggregateId: string): Promise<{ state: S; version: number }> {
    return this.executor.read(decider, aggregateId);
  }
}
