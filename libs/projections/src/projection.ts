import type { StoredEvent } from '@mel/event-store';
import type { Tables } from './tables';

/**
 * A read model fed by the store's events (DESIGN §5). `apply` reads and changes rows through `tables`,
 * in memory; the runner writes what changed in the transaction that also moves the projection's
 * checkpoint: a batch is applied whole or not at all, so a crash can neither lose nor double an event.
 * The same `apply`, on tables kept only in memory, gives the read models as of a date.
 */
export interface Projection {
  /** Stable name: the key of its checkpoint. */
  readonly name: string;
  /** TypeORM entities of its tables, created in each read-model version's schema. */
  readonly entities: Function[];
  apply(event: StoredEvent, tables: Tables): Promise<void>;
}
