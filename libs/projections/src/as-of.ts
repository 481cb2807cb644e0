import { upcast } from '@mel/domain';
import type { EventStore, StoredEvent } from '@mel/event-store';
import { type EntityManager, getMetadataArgsStorage } from 'typeorm';
import type { Projection } from './projection';
import { PROJECTIONS } from './read-model-versions';
import { Tables } from './tables';

/** A date on one of the two clocks (DESIGN §2): what was in force (effective) or what the ledger said (recorded). */
export interface AsOf {
  clock: 'effective' | 'recorded';
  /** ISO 8601 date-time. */
  at: string;
}

/** The read models as of a date, in memory. */
export interface ReadModelsAsOf {
  asOf: AsOf;
  /** The store's head when they were computed (an effective view may change when events are added). */
  head: number;
  /** Events that counted (known on the clock at that date). */
  applied: number;
  /**
   * Events known at that date that had nothing to apply to: on the effective clock, a change dated
   * before the entity it changes took effect (a correction back-dated past the creation).
   */
  notYetInForce: number;
  units: { projection: Projection; tables: Tables }[];
}

/** Whether an event counts as of `asOf`: its effective instant (occurredAt) or its recording instant is not after it. */
export function knownAsOf(event: Pick<StoredEvent, 'occurredAt' | 'recordedAt'>, asOf: AsOf): boolean {
  return Date.parse(asOf.clock === 'recorded' ? event.recordedAt : event.occurredAt) <= Date.parse(asOf.at);
}

/**
 * Replays the store through the projections, in memory, keeping only the events that count as of
 * `asOf`, in seq order: on the recorded clock, the log as it stood at that instant (a prefix, since
 * recordedAt never decreases along seq); on the effective clock, every event known now whose effective
 * instant is not after it, so that a correction recorded later shows from its own effective date.
 * The same projections as the live read models: the live state is the replay as of now.
 */
export async function replayAsOf(
  store: EventStore,
  asOf: AsOf,
  projections: Projection[] = PROJECTIONS,
  pageSize = 5000,
  onPage?: (position: number, head: number) => void,
): Promise<ReadModelsAsOf> {
  const head = await store.head();
  const units = projections.map((projection) => ({ projection, tables: new Tables(true) }));
  let after = 0;
  let applied = 0;
  let notYetInForce = 0;
  reading: while (after < head) {
    const events = await store.readAll(after, Math.min(pageSize, head - after));
    if (events.length === 0) break;
    for (const event of events) {
      after = event.seq;
      if (!knownAsOf(event, asOf)) {
        if (asOf.clock === 'recorded') break reading;
        continue;
      }
      const current = upcast(event);
      let missing = false;
      for (const unit of units) {
        try {
          await unit.projection.apply(current, unit.tables);
        } catch (error) {
          // Only the effective view can meet an event before the entity it changes; anything else is a bug.
          if (asOf.clock === 'recorded' || !/is not in the read model/.test((error as Error).message)) throw error;
          missing = true;
        }
      }
      if (missing) notYetInForce++;
      applied++;
    }
    onPage?.(after, head);
  }
  return { asOf, head, applied, notYetInForce, units };
}

/**
 * Writes read models computed in memory into temporary tables shaped like `liveSchema`'s, dropped at
 * the end of the transaction `manager` runs in. Queries written for the live tables then read them
 * through a DataSource whose schema is `pg_temp`.
 */
export async function materializeAsOf(manager: EntityManager, liveSchema: string, state: ReadModelsAsOf): Promise<void> {
  const storage = getMetadataArgsStorage();
  for (const { projection, tables } of state.units) {
    for (const entity of projection.entities) {
      const table = storage.tables.find((t) => t.target === entity)?.name ?? entity.name;
      await manager.query(`CREATE TEMP TABLE "${table}" (LIKE "${liveSchema}"."${table}" INCLUDING ALL) ON COMMIT DROP`);
    }
    await tables.flush(manager, 'pg_temp');
  }
}
