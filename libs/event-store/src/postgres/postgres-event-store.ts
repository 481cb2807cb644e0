import { Pool, type PoolClient } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventEnvelope,
  NewEvent,
  ReadStreamOptions,
  StoredEvent,
} from '../event-envelope';
import { normaliseInstant, type PreparedAppend, prepareAppend } from '../envelope';
import { InvalidAppendError } from '../errors';
import type { EventStore, SubscribeOptions } from '../event-store';
import { type Outcome, planBatch, type StoreSnapshot } from '../plan-batch';
import { AppendNotifier } from './append-notifier';
import { DatabaseClock } from './database-clock';
import { RecentAppends } from './recent-appends';

export interface PostgresEventStoreOptions {
  /** Connection string of the application role (ledger_app). */
  connectionString: string;
  /** Connections for reads; appends use one at a time. Default 10. */
  poolSize?: number;
  /** Upper bound of events written in one transaction. Default 5000. */
  maxBatchEvents?: number;
  /** How long a caught-up subscriber waits for a notification before it reads again. Default 1000 ms. */
  pollIntervalMs?: number;
  onError?: (error: Error) => void;
}

interface Pending {
  request: PreparedAppend;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** How many times a batch is composed again because another process appended meanwhile. */
const MAX_ATTEMPTS = 100;
/** Stream versions remembered between batches (see KnownState). */
const KNOWN_STREAMS = 10_000;
/** Events of this store's own last appends kept for its subscribers (see RecentAppends). */
const RECENT_EVENTS = 10_000;

/**
 * What this process knows of the store after its last batch: exact while nobody else has appended,
 * which append_batch checks (the head). It spares reading the snapshot again for a batch of known
 * streams without caller-chosen ids, the common case of a busy process.
 */
interface KnownState {
  head: number;
  lastRecordedMs: number;
  versions: Map<string, number>;
}

/**
 * The PostgreSQL adapter of the event store.
 *
 * Group commit: appends arriving while a batch is being written queue up and go together in the next
 * batch, one transaction and one call to event_store.append_batch, each still answered on its own.
 * A batch is composed from a snapshot of the store (head, clocks, stream versions, stored ids), and
 * the database writes it only if the head is still the snapshot's, under a lock held until commit;
 * otherwise (another process appended) the batch is composed again.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly notifier: AppendNotifier;
  private readonly queue: Pending[] = [];
  private readonly maxBatchEvents: number;
  private readonly pollIntervalMs: number;
  private writing?: Promise<void>;
  private closed = false;
  private known?: KnownState;
  /** The database's clock, as estimated from the snapshot reads. */
  private readonly databaseClock = new DatabaseClock();
  /** This store's own last appends, kept while someone subscribes (ADR 18). */
  private readonly recent = new RecentAppends(RECENT_EVENTS);
  private subscribers = 0;
  /** Set while append_batch runs, settled once its batch is in `recent`: its NOTIFY may arrive first. */
  private appending?: Promise<void>;
  private readonly onError: (error: Error) => void;

  constructor(private readonly options: PostgresEventStoreOptions) {
    const onError = options.onError ?? (() => undefined);
    this.onError = onError;
    this.pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    this.pool.on('error', onError);
    this.notifier = new AppendNotifier(options.connectionString, onError);
    this.maxBatchEvents = options.maxBatchEvents ?? 5000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new Error('the event store is closed');
    const request = prepareAppend(streamId, events, options?.expectedVersion);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? 2_147_483_647;
    if (!Number.isSafeInteger(from) || from < 1) throw new InvalidAppendError('fromVersion', 'must be an integer ≥ 1');
    if (!Number.isSafeInteger(to) || to < 0) throw new InvalidAppendError('toVersion', 'must be an integer ≥ 0');
    const params: unknown[] = [streamId, from, Math.min(to, 2_147_483_647)];
    let clockFilter = '';
    if (options.asOf) {
      const column = { effective: 'occurred_at', recorded: 'recorded_at' }[options.asOf.clock];
      if (!column) throw new InvalidAppendError('asOf.clock', "must be 'effective' or 'recorded'");
      params.push(normaliseInstant(options.asOf.at, 'asOf.at'));
      clockFilter = `AND ${column} <= $4`;
    }
    const { rows } = await this.pool.query(
      `SELECT canonical FROM event_store.events
       WHERE stream_id = $1 AND stream_version BETWEEN $2 AND $3 ${clockFilter}
       ORDER BY stream_version`,
      params,
    );
    return rows.map((row) => parseEnvelope(row.canonical));
  }

  async readAll(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new InvalidAppendError('afterSeq', 'must be an integer ≥ 0');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100_000) {
      throw new InvalidAppendError('limit', 'must be an integer between 1 and 100000');
    }
    const { rows } = await this.pool.query(
      'SELECT canonical, leaf_hash FROM event_store.events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [afterSeq, limit],
    );
    return rows.map((row) => ({ ...parseEnvelope(row.canonical), canonical: row.canonical, leafHash: row.leaf_hash }));
  }

  /**
   * Every event from `afterSeq + 1` on, in seq order, as they commit. Events this store appended itself
   * come from memory (RecentAppends); the table is read for the rest: at first, when a notified head is
   * beyond the position, after the listener (re)connected, and when no notification came for
   * pollIntervalMs (ADR 18).
   */
  async *subscribe(afterSeq: number, options: SubscribeOptions = {}): AsyncGenerator<StoredEvent> {
    const batchSize = options.batchSize ?? 1000;
    const signal = options.signal;
    let position = afterSeq;
    let mustRead = true;
    let epoch = this.notifier.epoch;
    this.subscribers++;
    try {
      while (!signal?.aborted && !this.closed) {
        const mark = this.notifier.mark();
        if (this.notifier.epoch !== epoch) {
          epoch = this.notifier.epoch;
          mustRead = true;
        }
        let events = this.recent.after(position, batchSize);
        if (events.length === 0 && this.appending && this.notifier.head > position) {
          // The notification of this store's own batch can come before append_batch's answer: wait for it.
          await this.appending;
          events = this.recent.after(position, batchSize);
        }
        const fromTable = events.length === 0 && (mustRead || this.notifier.head > position);
        if (fromTable) {
          mustRead = false;
          events = await this.readAll(position, batchSize);
        }
        for (const event of events) {
          if (event.seq !== position + 1) {
            // Cannot happen while commit order is seq order; if it ever does, stop rather than skip.
            throw new Error(`event store subscription expected seq ${position + 1} and read ${event.seq}`);
          }
          position = event.seq;
          yield event;
          if (signal?.aborted) return;
        }
        // A full batch, or events from memory: there may be more already.
        if (events.length === batchSize || (!fromTable && events.length > 0)) continue;
        if (!(await this.notifier.wait(mark, this.pollIntervalMs, signal))) mustRead = true;
      }
    } finally {
      if (--this.subscribers === 0) this.recent.clear();
    }
  }

  async head(): Promise<number> {
    const { rows } = await this.pool.query('SELECT coalesce(max(seq), 0) AS head FROM event_store.events');
    return Number(rows[0].head);
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query(
      'SELECT coalesce(max(stream_version), 0) AS version FROM event_store.events WHERE stream_id = $1',
      [streamId],
    );
    return Number(rows[0].version);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing;
    await this.notifier.close();
    await this.pool.end();
  }

  private async drain(): Promise<void> {
    // Let the appends of the current tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) await this.write(this.takeBatch());
    } finally {
      this.writing = undefined;
      if (this.queue.length > 0) this.writing = this.drain();
    }
  }

  private takeBatch(): Pending[] {
    let events = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || events + this.queue[count].request.events.length <= this.maxBatchEvents)) {
      events += this.queue[count].request.events.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async write(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.commit(batch.map((p) => p.request));
    } catch (error) {
      if (batch.length > 1 && isRequestSpecific(error)) {
        // One append the database refused must not sink the others: write each on its own.
        for (const pending of batch) await this.write([pending]);
      } else {
        for (const pending of batch) pending.reject(error);
      }
      return;
    }
    outcomes.forEach((outcome, i) => ('ok' in outcome ? batch[i].resolve(outcome.ok) : batch[i].reject(outcome.error)));
  }

  private async commit(requests: PreparedAppend[]): Promise<Outcome[]> {
    const client = await this.pool.connect();
    // A connection lost while this client is checked out and between two queries (the server shutting
    // down sends 57P01 then closes) is emitted as an 'error' event on the client: unheard, it would
    // crash the process. Heard here, the next query fails instead, and the client is discarded.
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      lost ??= error;
      this.onError(error);
    };
    client.on('error', onLost);
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const snapshot = await this.snapshot(client, requests);
        const plan = planBatch(requests, snapshot);
        if (plan.entries.length === 0) {
          // Nothing to write, so append_batch will not confirm the state the answers rest on:
          // refusals decided from what this process remembered are decided again from the database.
          if (snapshot.remembered) {
            this.known = undefined;
            continue;
          }
          return plan.outcomes;
        }
        let appended!: () => void;
        this.appending = new Promise((resolve) => (appended = resolve));
        try {
          const { rows } = await client.query('SELECT event_store.append_batch($1, $2) AS head', [
            snapshot.head,
            plan.entries.join('\n'),
          ]);
          if (Number(rows[0].head) === snapshot.head) {
            const head = snapshot.head + plan.entries.length;
            this.remember(head, plan.recordedAtMs, plan.versions);
            // Committed: this process's subscribers take the batch from memory, without waiting for NOTIFY.
            if (this.subscribers > 0) {
              this.recent.add(snapshot.head + 1, plan.entries);
              this.notifier.advance(head);
            }
            return plan.outcomes;
          }
        } finally {
          this.appending = undefined;
          appended();
        }
        this.known = undefined; // another process appended: compose again from a fresh snapshot
      }
      throw new Error(`the log moved under ${MAX_ATTEMPTS} attempts in a row to append; try again`);
    } catch (error) {
      this.known = undefined;
      throw error;
    } finally {
      client.removeListener('error', onLost);
      client.release(lost);
    }
  }

  private async snapshot(client: PoolClient, requests: PreparedAppend[]): Promise<StoreSnapshot & { remembered?: true }> {
    const streamIds = [...new Set(requests.map((r) => r.streamId))];
    const suppliedIds = requests.flatMap((r) => r.events.filter((e) => e.idSupplied).map((e) => e.eventId));
    const known = this.known;
    // From memory only while the clock's estimate is tight (DatabaseClock.tight): else the snapshot samples it again.
    if (known && suppliedIds.length === 0 && streamIds.every((id) => known.versions.has(id)) && this.databaseClock.tight()) {
      return {
        head: known.head,
        lastRecordedMs: known.lastRecordedMs,
        nowMs: this.databaseClock.now(),
        versions: new Map(streamIds.map((id) => [id, known.versions.get(id)!])),
        existing: new Map(),
        remembered: true,
      };
    }
    const sentAtMs = Date.now();
    const snapshot = await readSnapshot(client, streamIds, suppliedIds);
    this.databaseClock.sample(snapshot.nowMs, sentAtMs, Date.now());
    if (known && known.head !== snapshot.head) this.known = undefined; // others appended: forget
    return snapshot;
  }

  private remember(head: number, lastRecordedMs: number, versions: Map<string, number>): void {
    const known = this.known?.versions ?? new Map<string, number>();
    for (const [id, version] of versions) {
      known.delete(id); // re-inserted last: Map order makes this a least-recently-written cache
      known.set(id, version);
    }
    for (const id of known.keys()) {
      if (known.size <= KNOWN_STREAMS) break;
      known.delete(id);
    }
    this.known = { head, lastRecordedMs, versions: known };
  }
}

async function readSnapshot(client: PoolClient, streamIds: string[], suppliedIds: string[]): Promise<StoreSnapshot> {
  const { rows } = await client.query(
    `SELECT
       (SELECT coalesce(max(seq), 0) FROM event_store.events) AS head,
       (SELECT floor(extract(epoch FROM recorded_at) * 1000) FROM event_store.events ORDER BY seq DESC LIMIT 1) AS last_recorded_ms,
       floor(extract(epoch FROM clock_timestamp()) * 1000) AS now_ms,
       ARRAY(SELECT coalesce((SELECT max(stream_version) FROM event_store.events e WHERE e.stream_id = s.id), 0)
             FROM unnest($1::text[]) WITH ORDINALITY AS s(id, n) ORDER BY s.n) AS versions,
       ARRAY(SELECT convert_from(canonical, 'UTF8') FROM event_store.events WHERE event_id = ANY($2::uuid[])) AS existing`,
    [streamIds, suppliedIds],
  );
  const row = rows[0];
  const versions = new Map<string, number>(streamIds.map((id, i) => [id, Number(row.versions[i])]));
  const existing = new Map<string, EventEnvelope>();
  for (const text of row.existing as string[]) {
    const envelope = JSON.parse(text) as EventEnvelope;
    existing.set(envelope.eventId, envelope);
  }
  return {
    head: Number(row.head),
    nowMs: Number(row.now_ms),
    lastRecordedMs: row.last_recorded_ms === null ? 0 : Number(row.last_recorded_ms),
    versions,
    existing,
  };
}

function parseEnvelope(canonical: Buffer): EventEnvelope {
  return JSON.parse(canonical.toString('utf8')) as EventEnvelope;
}

/** Data and integrity errors belong to one request; connection or server trouble to the whole batch. */
function isRequestSpecific(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
