import type { StoredEvent } from '@mel/event-store';
import type { EntityManager } from 'typeorm';

/**
 * A read model fed by the store's events (DESIGN §5). `apply` writes through the given EntityManager,
 * inside the transaction that also moves the projection's checkpoint: a batch is applied whole or not
 * at all, so a crash can neither lose nor double an event.
 */
export interface Projection {
  /** Stable name: the key of its checkpoint. */
  readonly name: string;
  /** TypeORM entities of its tables, created in each read-model version's schema. */
  readonly entities: Function[];
  apply(event: StoredEvent, manager: EntityManager): Promise<void>;
}
