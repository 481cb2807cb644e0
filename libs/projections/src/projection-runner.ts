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
  /**
   * While catching up tables built from empty (a new version, a rebuild), how long batches may be
   * applied in memory only before they are committed (rows, then checkpoints, in one transaction).
   * The end of a catch-up always commits. Default 30,000 ms; 0 commits every batch.
   */
  commitEveryMs?: number;
}

/** Rows a projection keeps in memory between live batches (beyond, it forgets them and reads them again). */
const LIVE_ROWS = 20_000;
/** A catch-up of at least this many events is followed by ANALYZE of the version's tables. */
const ANALYZE_AFTER = 100_000;

/** A projection's rows in memory: committed up to `at` (its checkpoint, moved by this runner), applied up to `applied`. */
interface Unit {
  tables: Tables;
  at: number;
  applied: number;
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
  private readonly commitEveryMs: number;
  /** Each projection's rows in memory, valid while its checkpoint is still `at` (this runner moved it there). */
  private readonly units = new Map<string, Unit>();
  /** Whether the runner follows the store live (caught up): see LIVE_ROWS. */
  private live = false;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly version: number,
    private readonly projections: Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 50000;
    this.gatherMs = options.gatherMs ?? 5;
    this.commitEveryMs = options.commitEveryMs ?? 30_000;
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
   * next batch is read while the current one is applied. Tables built from empty by this runner are
   * written once per `commitEveryMs` rather than once per batch (a row changed by many batches is
   * written once): a crash meanwhile loses that work, never an event (ADR 7).
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
    let committedAt = Date.now();
    while (position < head) {
      const events = await next;
      if (events.length === 0) break;
      const to = events[events.length - 1].seq;
      next = read(to);
      const commit = to >= head || Date.now() - committedAt >= this.commitEveryMs || !(await this.applyInMemory(position, events));
      if (commit) {
        await this.applyBatch(position, events);
        committedAt = Date.now();
      }
      position = to;
      onBatch?.(position, head);
    }
    return position;
  }

  /** Catches up, then applies new events as they commit, until `signal` aborts. */
  async follow(signal: AbortSignal, onBatch?: (position: number) => void): Promise<void> {
    const start = await this.position();
    let position = await this.catchUp((p) => onBatch?.(p));
    // After a large catch-up (a build from empty), the planner's statistics are those of empty tables:
    // refreshed beside the live batches, which need not wait for it.
    if (position - start >= ANALYZE_AFTER) void this.analyze().catch(() => undefined);
    // Caught up: the tables built in memory from empty (hundreds of MB at 1,000,000 events) are
    // committed; live batches are small and read the rows they change, so they are let go, and live
    // units keep at most LIVE_ROWS rows between batches (a smaller heap, less garbage collection).
    this.units.clear();
    this.live = true;
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

  /**
   * Applies `events` (seq from `from + 1`, contiguous) to tables that this runner holds whole in memory,
   * without writing; false (nothing applied) when a projection's tables are not such, or not at `from`.
   * The next `applyBatch` writes what was applied so, with the checkpoints, in one transaction.
   */
  private async applyInMemory(from: number, events: StoredEvent[]): Promise<boolean> {
    if (this.units.size === 0 && from === 0) {
      // Tables of checkpoints still at 0 are empty: build them in memory from the first batch.
      const rows: { projection: string; seq: string }[] = await this.dataSource.query(
        'SELECT projection, seq FROM projections.checkpoints WHERE version = $1 AND projection = ANY($2)',
        [this.version, this.projections.map((p) => p.name)],
      );
      if (rows.length !== this.projections.length || rows.some((r) => Number(r.seq) !== 0)) return false;
      for (const projection of this.projections) this.units.set(projection.name, { tables: new Tables(true), at: 0, applied: 0 });
    }
    const units = this.projections.map((p) => this.units.get(p.name));
    if (units.some((unit) => !unit || !unit.tables.isComplete || unit.tables.isFull || unit.applied !== from)) return false;
    const to = events[events.length - 1].seq;
    const upcasted = events.map((event) => upcast(event));
    try {
      for (const [i, projection] of this.projections.entries()) {
        const unit = units[i]!;
        for (const event of upcasted) await projection.apply(event, unit.tables);
        unit.applied = to;
      }
    } catch (error) {
      this.units.clear();
      throw error;
    }
    return true;
  }

  /**
   * Applies `events` (seq from `from + 1`, contiguous) in one transaction with the checkpoints, together
   * with what was applied in memory before them.
   */
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
          if (to <= checkpoint) continue;
          // Rows in memory hold only while nobody else moved the checkpoint; from seq 0 the tables are empty.
          let unit = this.units.get(projection.name);
          if (!unit || unit.at !== checkpoint) unit = { tables: new Tables(checkpoint === 0, null, this.live ? LIVE_ROWS : undefined), at: checkpoint, applied: checkpoint };
          if (unit.applied < from) {
            throw new Error(`projection ${projection.name} is at seq ${unit.applied}, behind the batch from ${from}: catch it up first`);
          }
          unit.tables.useLoader(manager);
          for (const event of upcasted) if (event.seq > unit.applied) await projection.apply(event, unit.tables);
          await unit.tables.flush(manager, schema);
          unit.tables.useLoader(null);
          applied.push({ name: projection.name, tables: unit.tables });
        }
        // The checkpoints of the projections that applied the batch, in one statement of the same transaction.
        if (applied.length > 0) {
          await manager.query('UPDATE projections.checkpoints SET seq = $3, updated_at = now() WHERE version = $1 AND projection = ANY($2)', [
            this.version,
            applied.map((a) => a.name),
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
      this.units.set(name, { tables, at: to, applied: to });
    }
  }

  /** Refreshes the planner's statistics of this version's tables (autovacuum would, some time later). */
  async analyze(): Promise<void> {
    const schema = (this.dataSource.options as { schema?: string }).schema ?? 'public';
    const tables: { name: string }[] = await this.dataSource.query('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1', [schema]);
    for (const { name } of tables) {
      try {
        await this.dataSource.query(`ANALYZE "${schema}"."${name.replace(/"/g, '""')}"`);
      } catch {
        // statistics are an optimisation: a table this role may not analyse keeps autovacuum's
      }
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
