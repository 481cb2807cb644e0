import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Database } from '@mel/database';
import { EVENT_STORE, type EventStore } from '@mel/event-store';
import {
  type AsOf,
  currentLiveVersion,
  liveVersionOf,
  materializeAsOf,
  PROJECTIONS,
  ProjectionRunner,
  type ReadModelsAsOf,
  readModelDataSource,
  rebuild,
  replayAsOf,
  schemaOf,
} from '@mel/projections';
import type { DataSource, EntityManager } from 'typeorm';
import { DATABASE } from './database.token';
import { ReadModelsBehindError } from './shared/problem-details';
import { sleep } from './shared/sleep';

/**
 * The live read-model version and the projector that keeps it up to date in this process: it catches
 * up at start, then follows the store. Queries read through `dataSource`, and `waitFor(seq)` lets a
 * query see its own writes (read-your-writes).
 */
/** How often the API checks whether a rebuild switched the live read-model version. */
const SWITCH_POLL_MS = 2000;
/** Read models as of a date kept in memory (the last ones asked, e.g. while paging through one date). */
const AS_OF_CACHE = 4;
/** After an error (the database unreachable, say), the loop resumes after this delay, doubled each time up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2000;

@Injectable()
export class ReadModels implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadModels');
  private source?: DataSource;
  private readonly stop = new AbortController();
  private following?: Promise<void>;
  private position = 0;
  private version = 0;
  private changes = 0;
  private switchTo?: number;
  private readonly waiters = new Set<() => void>();
  private asOfSource?: Promise<DataSource>;
  private readonly asOfCache = new Map<string, Promise<ReadModelsAsOf>>();

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  get dataSource(): DataSource {
    if (!this.source) throw new ReadModelsBehindError(0);
    return this.source;
  }

  /**
   * Runs `work` on the read models: the live ones, or, given `asOf`, the ones as of that date on that
   * clock — the same projections replayed in memory over the events that count then, written to
   * temporary tables of the same shape for the length of `work` (ADR 7). `work` runs the same queries.
   */
  async read<T>(query: { asOf?: string; clock?: AsOf['clock'] }, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (query.asOf === undefined) return work(this.dataSource.manager);
    if (!this.source) throw new ReadModelsBehindError(0);
    const liveSchema = schemaOf(this.version);
    const state = await this.replayed({ clock: query.clock ?? 'effective', at: new Date(query.asOf).toISOString() });
    this.asOfSource ??= (async () => {
      const source = readModelDataSource(this.database.appUrl, 'pg_temp');
      await source.initialize();
      return source;
    })();
    return (await this.asOfSource).transaction(async (manager) => {
      await materializeAsOf(manager, liveSchema, state);
      return work(manager);
    });
  }

  /** The read models as of `asOf`, replayed once per store head and kept for the next pages. */
  private async replayed(asOf: AsOf): Promise<ReadModelsAsOf> {
    const key = `${asOf.clock}|${asOf.at}|${await this.store.head()}`;
    let state = this.asOfCache.get(key);
    if (!state) {
      state = replayAsOf(this.store, asOf);
      state.catch(() => this.asOfCache.delete(key));
      this.asOfCache.set(key, state);
      while (this.asOfCache.size > AS_OF_CACHE) this.asOfCache.delete(this.asOfCache.keys().next().value!);
    }
    return state;
  }

  /** Starts in the background: the API serves (and reports its health) while the read models catch up. */
  onApplicationBootstrap(): void {
    this.following = this.run();
  }

  /**
   * A number that changes whenever what the read models answer may have changed: events applied, or
   * another version made live. Answers computed at one stamp hold while it stays (the answer cache).
   */
  get stamp(): number {
    return this.changes;
  }

  /** The last seq the read models have applied. */
  get applied(): number {
    return this.position;
  }

  /** The store's head: the last seq committed. */
  head(): Promise<number> {
    return this.store.head();
  }

  /** Resolves once the read models have applied `seq`, or after `timeoutMs` (false). */
  async waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    if (this.position >= seq) return true;
    return new Promise((resolve) => {
      const check = () => {
        if (this.position < seq) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.following;
    await this.source?.destroy();
    await (await this.asOfSource?.catch(() => undefined))?.destroy();
  }

  /** A rebuild made another version live: stop following this one (the loop moves to the new one). */
  private async watchSwitch(current: AbortController): Promise<void> {
    try {
      const live = this.source ? await currentLiveVersion(this.source) : null;
      if (live !== null && live !== this.version && !current.signal.aborted) {
        this.switchTo = live;
        current.abort();
      }
    } catch {
      // the next poll will tell
    }
  }

  /** Reads move to the new version at once; its projector takes over from its checkpoint. */
  private async moveTo(version: number): Promise<void> {
    const source = readModelDataSource(this.database.appUrl, version);
    await source.initialize();
    const previous = this.source;
    this.source = source;
    this.version = version;
    this.switchTo = undefined;
    this.changes++;
    this.position = 0; // read-your-writes waits for the new version's own progress
    this.logger.log(`read models: now reading version ${version}`);
    await previous?.destroy();
  }

  /**
   * Sets up the live version and follows it, until the API stops. An error (the database restarting, a
   * connection lost) is logged and the loop resumes from the checkpoint after a back-off (FIRST_RETRY_MS
   * doubled up to MAX_RETRY_MS, back to FIRST_RETRY_MS once events are applied again): the projector
   * never dies, and catches up by itself once the database is back.
   */
  private async run(): Promise<void> {
    let retryMs = FIRST_RETRY_MS;
    let failures = 0;
    const healthy = () => {
      if (failures > 0) this.logger.log(`read models: following the store again after ${failures} failed attempt(s)`);
      failures = 0;
      retryMs = FIRST_RETRY_MS;
    };
    while (!this.stop.signal.aborted) {
      try {
        if (!this.source) {
          let { version, current } = await liveVersionOf(this.database.adminUrl);
          if (!current) {
            // The code declares other read models than the live version holds: build them beside it.
            this.logger.log(`read models: version ${version} predates these projections; rebuilding beside it`);
            version = (await rebuild({ adminUrl: this.database.adminUrl, appUrl: this.database.appUrl, store: this.store })).version;
          }
          const source = readModelDataSource(this.database.appUrl, version);
          await source.initialize();
          this.source = source;
          this.version = version;
          this.changes++;
        }
        // Follow the live version until it stops, or until a rebuild switches to another one. (The
        // API may be closing already: setting up takes a while.)
        const current = new AbortController();
        const stopCurrent = () => current.abort();
        this.stop.signal.addEventListener('abort', stopCurrent);
        if (this.stop.signal.aborted) current.abort();
        const watch = setInterval(() => void this.watchSwitch(current), SWITCH_POLL_MS);
        try {
          const runner = new ProjectionRunner(this.store, this.source, this.version, PROJECTIONS);
          await runner.follow(current.signal, (position) => {
            healthy();
            if (position !== this.position) this.changes++;
            this.position = position;
            for (const waiter of [...this.waiters]) waiter();
          });
        } finally {
          clearInterval(watch);
          this.stop.signal.removeEventListener('abort', stopCurrent);
        }
        if (this.switchTo !== undefined) await this.moveTo(this.switchTo);
      } catch (error) {
        if (this.stop.signal.aborted) return;
        failures++;
        this.logger.warn(`read models: ${(error as Error).message}; trying again from the checkpoint in ${retryMs / 1000} s (attempt ${failures})`);
        await sleep(retryMs, this.stop.signal);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      }
    }
  }
}

@Global()
@Module({ providers: [ReadModels], exports: [ReadModels] })
export class ReadModelsModule {}
