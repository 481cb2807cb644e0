import { upcast } from '@mel/domain';
import type { EventStore, StoredEvent } from '@mel/event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';
import { Tables } from './tables';

export interface ProjectionRunnerOptions {
  /** Events read and applied per transaction while catching up. Default 50,000. */
  batchSize?: number;
  /** While following, how long to gather events that arrive together before applying them. Default 5 ms. */
  gatherMs?: number;
}

/**
 * Feeds a read-model version from the store: catches up in batches, then follows the store live.
 * Every batch is applied by every projection and every checkpoint moved in ONE transaction, with a
 * guard that the checkpoints are where this runner read them: a crash between two batches loses
 * nothing and doubles nothing, and two runners cannot both apply a batch.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly gatherMs: number;
  /** Each projection's rows in memory, valid while its checkpoint is still `at` (this runner moved it there). */
  private readonly units = new Map<string, { tables: Tables; at: number }>();

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly version: number,
    private readonly projections: Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 50000;
    this.gatherMs = options.gatherMs ?? 5;
  }

  /** The seq up to which every projection of this version has applied the store. */
  async position(): Promise<number> {
    await this.ensureCheckpoints();
    const rows: { seq: string }[] = await this.dataSource.query(
      'SELECT min(seq) AS seq FROM projections.checkpoints WHERE version = $1 AND projection = ANY($2)',
      [this.version, this.projections.map((p) => p.name)],
    );
    return Number(rows[0].seq);
  }

  /**
   * Applies everything up to the store's head at call time (or up to `upTo`), batch after batch; the
   * next batch is read while the current one is applied.
   */
  async catchUp(onBatch?: (position: number, head: number) => void, upTo?: number): Promise<number> {
    const head = upTo ?? (await this.store.head());
    let position = await this.position();
    const read = (after: number) => {
      const reading = after < head ? this.store.readAll(after, Math.min(this.batchSize, head - after)) : Promise.resolve([]);
      reading.catch(() => undefined); // met where it is awaited
      return reading;
    };
    let next = read(position);
    while (position < head) {
      const events = await next;
      if (events.length === 0) break;
      next = read(events[events.length - 1].seq);
      await this.applyBatch(position, events);
      position = events[events.length - 1].seq;
      onBatch?.(position, head);
    }
    return position;
  }

  /** Catches up, then applies new events as they commit, until `signal` aborts. */
  async follow(signal: AbortSignal, onBatch?: (position: number) => void): Promise<void> {
    let position = await this.catchUp((p) => onBatch?.(p));
    onBatch?.(position);
    const iterator = this.store.subscribe(position, { signal, batchSize: this.batchSize })[Symbol.asyncIterator]();
    // The next event is asked for while a batch is applied: a failure meanwhile is met where it is awaited.
    const ask = () => {
      const next = iterator.next();
      next.catch(() => undefined);
      return next;
    };
    let pending = ask();
    while (!signal.aborted) {
      const first = await pending;
      if (first.done) return;
      const batch: StoredEvent[] = [first.value];
      pending = ask();
      // Gather what arrives together (a group commit) into one transaction.
      while (batch.length < this.batchSize) {
        const next = await Promise.race([pending, new Promise<'later'>((r) => setTimeout(() => r('later'), this.gatherMs))]);
        if (next === 'later' || next.done) break;
        batch.push(next.value);
        pending = ask();
      }
      await this.applyBatch(position, batch);
      position = batch[batch.length - 1].seq;
      onBatch?.(position);
    }
    await iterator.return?.(undefined);
  }

  /** Applies `events` (seq from `from + 1`, contiguous) in one transaction with the checkpoints. */
  async applyBatch(from: number, events: StoredEvent[]): Promise<void> {
    const to = events[events.length - 1].seq;
    // Projections see every event at the current schema version of its type.
    const upcasted = events.map((event) => upcast(event));
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    const applied: { name: string; tables: Tables }[] = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        const rows: { projection: string; seq: string }[] = await manager.query(
          'SELECT projection, seq FROM projections.checkpoints WHERE version = $1 AND projection = ANY($2) FOR UPDATE',
          [this.version, this.projections.map((p) => p.name)],
        );
        const at = new Map(rows.map((r) => [r.projection, Number(r.seq)]));
        for (const projection of this.projections) {
          const checkpoint = at.get(projection.name) ?? 0;
          if (checkpoint < from) {
            throw new Error(`projection ${projection.name} is at seq ${checkpoint}, behind the batch from ${from}: catch it up first`);
          }
          if (to <= checkpoint) continue;
          // Rows in memory hold only while nobody else moved the checkpoint; from seq 0 the tables are empty.
          let unit = this.units.get(projection.name);
          if (!unit || unit.at !== checkpoint) unit = { tables: new Tables(checkpoint === 0), at: checkpoint };
          unit.tables.useLoader(manager);
          for (const event of upcasted) if (event.seq > checkpoint) await projection.apply(event, unit.tables);
          await unit.tables.flush(manager, schema);
          unit.tables.useLoader(null);
          applied.push({ name: projection.name, tables: unit.tables });
          await manager.query('UPDATE projections.checkpoints SET seq = $3, updated_at = now() WHERE version = $1 AND projection = $2', [
            this.version,
            projection.name,
            to,
          ]);
        }
      });
    } catch (error) {
      // What is in memory may be ahead of what was committed: forget it all.
      this.units.clear();
      throw error;
    }
    for (const { name, tables } of applied) {
      tables.committed();
      this.units.set(name, { tables, at: to });
    }
  }

  private async ensureCheckpoints(): Promise<void> {
    for (const projection of this.projections) {
      await this.dataSource.query(
        'INSERT INTO projections.checkpoints (version, projection, seq) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING',
        [this.version, projection.name],
      );
    }
  }
}
