import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CheckpointSigner, listCheckpoints, loadSigningKey, PostgresTree, type SigningKey, type StoredCheckpoint } from '@mel/application';
import type { Database } from '@mel/database';
import { EVENT_STORE, type EventStore, PostgresEventStore, type StoredEvent } from '@mel/event-store';
import { Pool } from 'pg';
import { DATABASE } from '../database.token';
import { type LedgerConfig, ledgerConfig } from './ledger-config';
import { sleep } from '../shared/sleep';

/** Events gathered into one batch of the tree (what arrives together, like a group commit). */
const BATCH_EVENTS = 1000;
const GATHER_MS = 5;
/** After an error, the loop resumes after this delay, doubled each time up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5_000;
/** While catching up a long log at start: leaves added per step (one transaction), progress logged every so many. */
const CATCH_UP_STEP = 10_000;
const PROGRESS_EVERY = 100_000;

/**
 * The verifiable ledger in the API (DESIGN §4, ADR 8, ADR 9): keeps the Merkle tree in PostgreSQL
 * extended as the store grows (following the store from the tree's size, batch by batch), and signs a
 * checkpoint whenever a meeting is closed (reason `meeting-closed:<meetingId>`, at a size that includes
 * the MeetingClosed event) and every LEDGER_CHECKPOINT_INTERVAL_SECONDS when the tree grew since the
 * last checkpoint (reason `schedule`; `start` once at start). An error is logged as a warning and the
 * loop resumes from the tree's size after a back-off: the API keeps serving. The signing key never
 * goes to the database (loadSigningKey: LEDGER_SIGNING_KEY, LEDGER_SIGNING_KEY_FILE, or a key file in
 * the data folder, generated on first use).
 */
@Injectable()
export class LedgerService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Ledger');
  readonly config: LedgerConfig;
  /** The ledger's own connections (tree, checkpoints, cosignatures): the proofs' reads and the loop's writes. */
  readonly pool: Pool;
  readonly tree: PostgresTree;
  private key?: SigningKey;
  private signer?: CheckpointSigner;
  private readonly stop = new AbortController();
  private running?: Promise<void>;
  /** When the schedule next signs (ms since the epoch). */
  private nextScheduledMs: number;
  /** Whether the start's checkpoint was handled (signed, or nothing to sign). */
  private started = false;
  /** A scheduled checkpoint that failed, signed when the loop resumes. */
  private scheduleDue = false;

  constructor(
    @Inject(DATABASE) database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.config = ledgerConfig(process.env, (message) => this.logger.warn(message));
    this.pool = new Pool({ connectionString: database.appUrl, max: 4 });
    this.pool.on('error', (error) => {
      // 57P01: the server is shutting down (the embedded one stops with the API).
      if ((error as { code?: string }).code !== '57P01') this.logger.warn(`ledger connection error: ${error.message}`);
    });
    // A connection the server drops while held between two queries must not crash the process: the next query fails, the loop backs off.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    // With the log in EventStoreDB (ADR 11) the tree reads its leaves through the store; in PostgreSQL, from event_store.events.
    this.tree = new PostgresTree(this.pool, store);
    this.nextScheduledMs = Date.now() + this.intervalMs;
  }

  /** The key checkpoints are signed with, when it could be loaded. */
  get signingKey(): SigningKey | undefined {
    return this.key;
  }

  /** The key ID (hex) of the signing key, when loaded. */
  get keyId(): string | undefined {
    return this.signer?.keyId;
  }

  /** When the schedule signs next, if the tree has grown by then. */
  get nextScheduledCheckpoint(): Date {
    return new Date(this.nextScheduledMs);
  }

  onApplicationBootstrap(): void {
    try {
      this.loadKey();
    } catch (error) {
      this.logger.error(`ledger: ${(error as Error).message}; checkpoints are not signed until it is fixed (retried in the background)`);
    }
    this.running = this.run();
  }

  /** The loop stops before any module closes what it uses (the event store's pool). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
    await this.pool.end().catch(() => undefined);
  }

  private get intervalMs(): number {
    return this.config.checkpointIntervalSeconds * 1000;
  }

  private loadKey(): CheckpointSigner {
    if (this.signer) return this.signer;
    const key = loadSigningKey({ dataDir: this.config.dataDir, warn: (message) => this.logger.warn(message) });
    this.signer = new CheckpointSigner(this.pool, this.tree, key);
    this.key = key;
    this.logger.log(`ledger: checkpoints of ${key.name} are signed with key ${this.signer.keyId} (from ${key.source}); auditors verify them with ${key.vkey}`);
    return this.signer;
  }

  /** Follows the store until the API stops; after an error, warns and resumes from the tree's size. */
  private async run(): Promise<void> {
    const signal = this.stop.signal;
    let backoff = FIRST_BACKOFF_MS;
    while (!signal.aborted) {
      try {
        await this.follow(() => (backoff = FIRST_BACKOFF_MS));
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.logger.warn(`ledger: ${(error as Error).message}; resuming from the tree's size in ${backoff / 1000} s`);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * One run: extends the tree to the store's head, signs what is due (signWhatIsDue), then follows the
   * store batch by batch, and signs on schedule, until aborted (returns) or an error (throws).
   */
  private async follow(healthy: () => void): Promise<void> {
    const signal = this.stop.signal;
    const size = await this.catchUp();
    if (signal.aborted) return;
    await this.signWhatIsDue();
    healthy();

    const local = new AbortController();
    const stopLocal = () => local.abort();
    signal.addEventListener('abort', stopLocal);
    const iterator = this.store.subscribe(size, { signal: local.signal, batchSize: BATCH_EVENTS })[Symbol.asyncIterator]();
    // Each next event is asked for ahead; a failure is seen when it is awaited, never left unhandled.
    const ask = () => {
      const next = iterator.next();
      next.catch(() => undefined);
      return next;
    };
    let pending = ask();
    try {
      while (!signal.aborted) {
        const next = await race(pending, this.nextScheduledMs - Date.now());
        if (next === 'later') {
          this.nextScheduledMs = Date.now() + this.intervalMs;
          this.scheduleDue = true;
          await this.signOnSchedule();
          continue;
        }
        if (next.done) return;
        const batch: StoredEvent[] = [next.value];
        pending = ask();
        while (batch.length < BATCH_EVENTS) {
          const more = await race(pending, GATHER_MS);
          if (more === 'later' || more.done) break;
          batch.push(more.value);
          pending = ask();
        }
        // Up to the batch's last event, from the batch's own leaves: what came after it is the next
        // batch's (no query for the head, none for the leaves).
        await this.tree.extend({ upTo: batch[batch.length - 1].seq, leaves: batch });
        const closed = batch.filter((event) => event.type === 'MeetingClosed').map(meetingIdOf);
        if (closed.length > 0) await this.sign(`meeting-closed:${closed.join(',')}`);
        healthy();
      }
    } finally {
      signal.removeEventListener('abort', stopLocal);
      local.abort();
      await iterator.return?.(undefined).catch(() => undefined);
    }
  }

  /**
   * Extends the tree to the store's head in steps of CATCH_UP_STEP leaves (the API can stop between
   * two), logging progress on a long log; answers the tree's size.
   */
  private async catchUp(): Promise<number> {
    const from = await this.tree.size();
    const head = await this.store.head();
    let size = from;
    let logged = from;
    while (size < head && !this.stop.signal.aborted) {
      size = await this.tree.extend({ upTo: Math.min(size + CATCH_UP_STEP, head) });
      if (head - from >= PROGRESS_EVERY && (size - logged >= PROGRESS_EVERY || size === head)) {
        this.logger.log(`ledger: Merkle tree extended to ${size} of ${head} leaves`);
        logged = size;
      }
    }
    if (size > from) this.logger.log(`ledger: Merkle tree extended from ${from} to ${size} leaves`);
    return size;
  }

  /**
   * What is due when the loop (re)starts, if the tree grew since the last checkpoint: meetings closed
   * since (while the API was down, or when signing failed) under their reason; else, once after the
   * API started, `start`; else a scheduled checkpoint that failed.
   */
  private async signWhatIsDue(): Promise<void> {
    const [last] = await listCheckpoints(this.pool, { limit: 1 });
    const signed = last?.size ?? 0;
    const size = await this.tree.size();
    if (size > signed) {
      const closed = await this.meetingsClosedBetween(signed, size);
      if (closed.length > 0) await this.sign(`meeting-closed:${closed.join(',')}`);
      else if (!this.started) await this.sign('start');
      else if (this.scheduleDue) await this.sign('schedule');
    }
    this.started = true;
    this.scheduleDue = false;
  }

  /** The meetings closed by the events of seqs after `after` up to `upTo`, in seq order. */
  private async meetingsClosedBetween(after: number, upTo: number): Promise<string[]> {
    if (this.store instanceof PostgresEventStore) {
      const { rows } = await this.pool.query<{ meeting_id: string | null; stream_id: string }>(
        `SELECT data->>'meetingId' AS meeting_id, stream_id FROM event_store.events WHERE type = 'MeetingClosed' AND seq > $1 AND seq <= $2 ORDER BY seq`,
        [after, upTo],
      );
      return rows.map((row) => row.meeting_id ?? row.stream_id.replace(/^meeting-/, ''));
    }
    // The log is elsewhere (EventStoreDB): read the range through the store.
    const closed: string[] = [];
    for (let at = after; at < upTo; ) {
      const events = await this.store.readAll(at, Math.min(10_000, upTo - at));
      if (events.length === 0) break;
      closed.push(...events.filter((event) => event.type === 'MeetingClosed').map(meetingIdOf));
      at = events[events.length - 1].seq;
    }
    return closed;
  }

  /** The canonical bytes and leaf hash of the event at `seq`, if it exists, from wherever the log is. */
  async entry(seq: number): Promise<{ canonical: Buffer; leafHash: Buffer } | undefined> {
    if (this.store instanceof PostgresEventStore) {
      const { rows } = await this.pool.query<{ canonical: Buffer; leaf_hash: Buffer }>('SELECT canonical, leaf_hash FROM event_store.events WHERE seq = $1', [seq]);
      return rows.length ? { canonical: rows[0].canonical, leafHash: rows[0].leaf_hash } : undefined;
    }
    if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
    const [event] = await this.store.readAll(seq - 1, 1);
    return event?.seq === seq ? { canonical: event.canonical, leafHash: event.leafHash } : undefined;
  }

  /** The schedule: a checkpoint if the tree grew since the last one (whoever signed it). */
  private async signOnSchedule(): Promise<void> {
    const size = await this.tree.extend();
    const [last] = await listCheckpoints(this.pool, { limit: 1 });
    if (size > (last?.size ?? 0)) await this.sign('schedule');
    this.scheduleDue = false;
  }

  private async sign(reason: string): Promise<StoredCheckpoint> {
    const checkpoint = await this.loadKey().sign(reason);
    if (checkpoint.reason === reason) this.logger.log(`ledger: checkpoint of size ${checkpoint.size} signed (${reason})`);
    else this.logger.log(`ledger: size ${checkpoint.size} was signed already (${checkpoint.reason}); it covers ${reason}`);
    return checkpoint;
  }
}

/** The closed meeting's id: its data, else its stream (meeting-<id>). */
function meetingIdOf(event: StoredEvent): string {
  const data = event.data as { meetingId?: unknown } | null;
  return typeof data?.meetingId === 'string' ? data.meetingId : event.streamId.replace(/^meeting-/, '');
}

/** What `promise` settles to, or 'later' after `ms`; the timer is cleared either way. */
function race<T>(promise: Promise<T>, ms: number): Promise<T | 'later'> {
  if (ms <= 0) return Promise.resolve('later');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('later'), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
