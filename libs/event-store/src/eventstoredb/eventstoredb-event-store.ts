import type { AllStreamResolvedEvent, AppendResult as ClientAppendResult, EventStoreDBClient, Position, RecordedEvent, ResolvedEvent } from '@eventstore/db-client';
import { v4 as uuidv4 } from 'uuid';
import type { AppendOptions, AppendResult, EventEnvelope, NewEvent, ReadStreamOptions, StoredEvent } from '../event-envelope';
import { normaliseInstant, type PreparedAppend, prepareAppend } from '../envelope';
import { InvalidAppendError } from '../errors';
import type { EventStore, SubscribeOptions } from '../event-store';
import { type LedgerRecord, toEnvelope, toEventData, toImportedEventData, toLedgerRecord, toStoredEvent } from './event-mapping';
import { isWrongExpectedVersion, toExpectedRevision, toPortError, versionOfRevision } from './expected-version';
import { checkBlock, type IndexBlock, LedgerIndex } from './ledger-index';
import { answerRetry } from '../answer-retry';
import { assignSeqs, comparePositions, type ScannedRecord } from './seq-assignment';
import { checkNamespace, DEFAULT_NAMESPACE, esdbStreamName, indexStreamName } from './stream-names';

type Esdb = typeof import('@eventstore/db-client');
let esdbModule: Esdb | undefined;
/** The client, loaded when an EventStoreDB store is first built: the PostgreSQL deployments never pay for gRPC. */
function esdb(): Esdb {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (esdbModule ??= require('@eventstore/db-client') as Esdb);
}

export interface EventStoreDbEventStoreOptions {
  /** EventStoreDB connection string, e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false (EVENTSTORE_CONNECTION_STRING). */
  connectionString: string;
  /** The ledger's streams are `<namespace>/<streamId>` (LEDGER_EVENTSTORE_NAMESPACE). Default `ledger`. */
  namespace?: string;
  /** Events of `$all` read per request. Default 1000. */
  pageSize?: number;
  /** How long a caught-up subscriber waits before it reads again, unless this process appends. Default 500 ms. */
  pollIntervalMs?: number;
  /** Seqs per block of the durable seq index (`<namespace>.seq-index`), 2 to 5000; 0 keeps the index in memory only. Default 1000. */
  indexBlockSize?: number;
  /** Errors of background work (writing the durable index). */
  onError?: (error: Error) => void;
}

/** Append runs of one stream copied by importStored stay under EventStoreDB's default 1 MiB append. */
const IMPORT_RUN_EVENTS = 500;
const IMPORT_RUN_BYTES = 512 * 1024;
const MAX_VERSION = 2_147_483_647;

/**
 * The EventStoreDB adapter of the event store (ADR 11), on `@eventstore/db-client`.
 *
 * Streams and versions are EventStoreDB's: the port's stream `s` is `<namespace>/s`, version n is
 * revision n − 1, and every expected version is checked by EventStoreDB itself. The ledger's seq is
 * numbered from `$all`: seq n is the n-th event of the namespace in `$all` order (seq-assignment.ts),
 * which every process computes alike; recordedAt is the append's server time, never decreasing along
 * seq; the canonical bytes and leaf hash are composed as the PostgreSQL adapter composes them. Each
 * process keeps the numbering in memory (LedgerIndex), brought up to date by reading `$all` from where
 * it stands, and loads it at start from the durable index blocks instead of reading `$all` from the start.
 *
 * Idempotence by eventId: before appending events whose ids the caller chose, the numbering is brought
 * up to date and a faithful retry answers the original positions (`replayed`), another reuse of an id
 * is an EventIdConflictError. Appends to one stream, or with one of the same ids, are taken one at a
 * time within a process; across processes EventStoreDB's expected revision and its own idempotence on
 * event ids decide (ADR 11 says what that leaves open).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly namespace: string;
  private readonly client: EventStoreDBClient;
  private index = new LedgerIndex();
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly blockSize: number;
  private readonly onError: (error: Error) => void;
  private loading?: Promise<void>;
  private pass?: Promise<void>;
  private readonly locks = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private persisting?: Promise<void>;
  private persistedBlocks = 0;
  private persistedUpTo = 0;
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    this.namespace = checkNamespace(options.namespace ?? DEFAULT_NAMESPACE);
    this.pageSize = Math.max(2, Math.min(options.pageSize ?? 1000, 10_000));
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.blockSize = options.indexBlockSize ?? 1000;
    if (!Number.isSafeInteger(this.blockSize) || this.blockSize === 1 || this.blockSize < 0 || this.blockSize > 5000) {
      throw new Error('indexBlockSize must be 0 (no durable index) or an integer from 2 to 5000');
    }
    this.onError = options.onError ?? (() => undefined);
    this.client = esdb().EventStoreDBClient.connectionString(options.connectionString);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new Error('the event store is closed');
    const request = prepareAppend(streamId, events, options?.expectedVersion);
    const keys = [`stream:${request.streamId}`, ...request.events.filter((e) => e.idSupplied).map((e) => `id:${e.eventId}`)];
    const work = this.exclusive(keys, () => this.write(request));
    this.inFlight.add(work);
    void work.catch(() => undefined).finally(() => this.inFlight.delete(work));
    return work;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    const from = options.fromVersion ?? 1;
    const to = Math.min(options.toVersion ?? MAX_VERSION, MAX_VERSION);
    if (!Number.isSafeInteger(from) || from < 1) throw new InvalidAppendError('fromVersion', 'must be an integer ≥ 1');
    if (!Number.isSafeInteger(to) || to < 0) throw new InvalidAppendError('toVersion', 'must be an integer ≥ 0');
    let counts: (e: EventEnvelope) => boolean = () => true;
    if (options.asOf) {
      const field = ({ effective: 'occurredAt', recorded: 'recordedAt' } as const)[options.asOf.clock];
      if (!field) throw new InvalidAppendError('asOf.clock', "must be 'effective' or 'recorded'");
      const at = normaliseInstant(options.asOf.at, 'asOf.at');
      counts = (e) => e[field] <= at; // both ISO 8601 UTC with milliseconds: text order is time order
    }
    if (to < from) return [];
    const records = await this.streamRecords(streamId, from, to);
    let seqs = records.map((r) => this.seqOfRecord(r));
    if (seqs.some((s) => s === undefined)) {
      await this.caughtUp();
      seqs = records.map((r) => this.seqOfRecord(r));
    }
    return records
      .map((record, i) => {
        const seq = seqs[i];
        if (seq === undefined) throw new Error(`event ${record.eventId} of stream ${streamId} is not in $all: EventStoreDB answered inconsistently; try again`);
        return toEnvelope(record, seq, this.index.recordedAtOf(seq)).envelope;
      })
      .filter(counts);
  }

  async readAll(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new InvalidAppendError('afterSeq', 'must be an integer ≥ 0');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100_000) throw new InvalidAppendError('limit', 'must be an integer between 1 and 100000');
    await this.caughtUp();
    const last = Math.min(this.index.head, afterSeq + limit);
    return afterSeq >= last ? [] : this.range(afterSeq, last);
  }

  async *subscribe(afterSeq: number, options: SubscribeOptions = {}): AsyncGenerator<StoredEvent> {
    const batchSize = options.batchSize ?? 1000;
    const signal = options.signal;
    let position = afterSeq;
    while (!signal?.aborted && !this.closed) {
      const mark = this.generation;
      const events = await this.readAll(position, batchSize);
      for (const event of events) {
        if (event.seq !== position + 1) throw new Error(`event store subscription expected seq ${position + 1} and read ${event.seq}`);
        position = event.seq;
        yield event;
        if (signal?.aborted) return;
      }
      if (events.length < batchSize) await this.wait(mark, signal);
    }
  }

  async head(): Promise<number> {
    await this.caughtUp();
    return this.index.head;
  }

  async streamVersion(streamId: string): Promise<number> {
    const { BACKWARDS, END } = esdb();
    try {
      for await (const resolved of this.client.readStream(esdbStreamName(this.namespace, streamId), {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
        requiresLeader: true,
      })) {
        return versionOfRevision(recorded(resolved).revision);
      }
      return 0;
    } catch (error) {
      if (isStreamNotFound(error)) return 0;
      throw error;
    }
  }

  /**
   * Appends events copied from another store (`ledger migrate`), in seq order, each at the seq, stream
   * version and recordedAt it had: the namespace must hold exactly the seqs before the first, and
   * nothing else may append meanwhile (checked when the copy has landed). Consecutive events of one
   * stream go in one append whose expected revision EventStoreDB checks.
   */
  async importStored(events: readonly StoredEvent[]): Promise<void> {
    if (this.closed) throw new Error('the event store is closed');
    if (events.length === 0) return;
    await this.caughtUp();
    const first = this.index.head + 1;
    events.forEach((e, k) => {
      if (e.seq !== first + k) throw new Error(`the copy must continue the log at seq ${first + k}, and event ${e.eventId} has seq ${e.seq}`);
    });
    for (let i = 0; i < events.length; ) {
      let j = i + 1;
      let bytes = events[i].canonical.length;
      while (
        j < events.length &&
        j - i < IMPORT_RUN_EVENTS &&
        events[j].streamId === events[i].streamId &&
        events[j].streamVersion === events[j - 1].streamVersion + 1 &&
        bytes + events[j].canonical.length <= IMPORT_RUN_BYTES
      ) {
        bytes += events[j].canonical.length;
        j++;
      }
      const run = events.slice(i, j);
      const expectedVersion = run[0].streamVersion - 1;
      try {
        await this.client.appendToStream(
          esdbStreamName(this.namespace, run[0].streamId),
          run.map((e, k) => toImportedEventData(e, k)),
          { expectedRevision: toExpectedRevision(expectedVersion), requiresLeader: true },
        );
      } catch (error) {
        throw toPortError(error, run[0].streamId, expectedVersion);
      }
      i = j;
    }
    this.wake();
    await this.caughtUp();
    const last = events[events.length - 1].seq;
    if (this.index.head !== last || events.some((e) => this.index.idAt(e.seq) !== e.eventId)) {
      throw new Error(
        `the copy did not land at seqs ${first} to ${last} of namespace ${this.namespace} (its head is ${this.index.head}): ` +
          'something else appended meanwhile; start again into an empty namespace with every writer stopped',
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    await Promise.allSettled([...this.inFlight]);
    await this.persisting;
    await this.pass?.catch(() => undefined);
    await this.client.dispose();
  }

  // ---- appending ------------------------------------------------------------------------------

  private async write(request: PreparedAppend): Promise<AppendResult> {
    const { streamId, expectedVersion } = request;
    const supplied = request.events.some((e) => e.idSupplied);
    if (supplied) {
      const replay = await this.replayOf(request);
      if (replay) return replay;
    }
    let written: ClientAppendResult;
    try {
      written = await this.client.appendToStream(
        esdbStreamName(this.namespace, streamId),
        request.events.map((e, i) => toEventData(e, i)),
        { expectedRevision: toExpectedRevision(expectedVersion), requiresLeader: true },
      );
    } catch (error) {
      // Another process may have appended these very events since we looked: then it is a retry.
      if (supplied && isWrongExpectedVersion(error)) {
        const replay = await this.replayOf(request);
        if (replay) return replay;
      }
      throw toPortError(error, streamId, expectedVersion);
    }
    this.wake();
    const ids = request.events.map((e) => e.eventId);
    let first = this.index.runOf(ids);
    if (first === undefined) {
      await this.caughtUp();
      first = this.index.runOf(ids);
    }
    if (first === undefined) {
      throw new Error(`EventStoreDB acknowledged the append to ${streamId}, but its events are not in $all: check the cluster's health, then read the stream before retrying with the same event ids`);
    }
    const streamVersion = versionOfRevision(written.nextExpectedRevision);
    const last = first + ids.length - 1;
    return {
      streamId,
      streamVersion,
      seq: last,
      recordedAt: this.index.recordedAtOf(last),
      events: ids.map((eventId, i) => ({ eventId, seq: first + i, streamVersion: streamVersion - ids.length + 1 + i })),
      replayed: false,
    };
  }

  /** With the numbering up to date: the answer to a retry if some of the ids are stored, else undefined. */
  private async replayOf(request: PreparedAppend): Promise<AppendResult | undefined> {
    await this.caughtUp();
    const seqs = request.events.map((e) => (e.idSupplied ? this.index.seqOf(e.eventId) : undefined));
    if (seqs.every((s) => s === undefined)) return undefined;
    const stored = await this.eventsAt(seqs);
    return answerRetry(request, stored);
  }

  /** The stored events at these seqs (undefined stays undefined), reading runs of consecutive seqs at once. */
  private async eventsAt(seqs: (number | undefined)[]): Promise<(EventEnvelope | undefined)[]> {
    const wanted = [...new Set(seqs.filter((s): s is number => s !== undefined))].sort((a, b) => a - b);
    const bySeq = new Map<number, StoredEvent>();
    for (let i = 0; i < wanted.length; ) {
      let j = i + 1;
      while (j < wanted.length && wanted[j] === wanted[j - 1] + 1) j++;
      for (const event of await this.range(wanted[i] - 1, wanted[j - 1])) bySeq.set(event.seq, event);
      i = j;
    }
    return seqs.map((s) => (s === undefined ? undefined : bySeq.get(s)));
  }

  /** Takes `work` after every earlier work holding one of `keys` has finished, in this process. */
  private exclusive<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const before = Promise.all(keys.map((key) => this.locks.get(key)));
    const run = before.then(work);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.locks.set(key, done);
    void done.then(() => {
      for (const key of keys) if (this.locks.get(key) === done) this.locks.delete(key);
    });
    return run;
  }

  // ---- reading and numbering $all ------------------------------------------------------------------

  /** Brings the numbering up to what `$all` holds now: a pass that started after this call has ended. */
  private async caughtUp(): Promise<void> {
    await this.loaded();
    if (this.pass) await this.pass.catch(() => undefined);
    this.pass ??= this.scan().finally(() => (this.pass = undefined));
    await this.pass;
  }

  /** Reads `$all` from where the numbering stands to its end, numbering the namespace's events. */
  private async scan(): Promise<void> {
    for (;;) {
      const page = await this.readAllPage(this.index.state().scanned, this.pageSize);
      const records = page.map((resolved): ScannedRecord => {
        const event = recorded(resolved);
        const record = toLedgerRecord(this.namespace, event);
        if (record === undefined) return { position: event.position };
        const m = record.metadata;
        return {
          position: event.position,
          ledger: {
            eventId: record.eventId,
            createdMs: record.createdMs,
            appendIndex: m.appendIndex,
            importedSeq: m.importedSeq,
            importedRecordedAtMs: m.importedRecordedAt === undefined ? undefined : Date.parse(m.importedRecordedAt),
          },
        };
      });
      const { assigned, state } = assignSeqs(this.index.state(), records);
      this.index.apply(assigned, state);
      if (page.length < this.pageSize) break;
    }
    this.persistLater();
  }

  /** The stored events of seqs afterSeq + 1 to last (all numbered), read from `$all` and checked against the numbering. */
  private async range(afterSeq: number, last: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    // From the position of seq afterSeq (or the start): a read may or may not return the event there.
    let from: Position | null = afterSeq === 0 ? null : this.index.positionOf(afterSeq);
    let seq = afterSeq;
    let count = Math.min(this.pageSize, last - afterSeq + 1);
    while (seq < last) {
      const page = await this.readAllPage(from, count);
      for (const resolved of page) {
        const event = recorded(resolved);
        if (from !== null && comparePositions(event.position, from) <= 0) continue;
        from = event.position;
        const record = toLedgerRecord(this.namespace, event);
        if (record === undefined) continue;
        seq++;
        if (record.eventId !== this.index.idAt(seq) || comparePositions(event.position, this.index.positionOf(seq)) !== 0) {
          throw new Error(
            `$all holds event ${record.eventId} where the ledger numbered event ${this.index.idAt(seq)} as seq ${seq}: ` +
              'the log changed under the ledger (a stream deleted and scavenged, or a wrong durable index); run `ledger verify --live`',
          );
        }
        out.push(toStoredEvent(record, seq, this.index.recordedAtOf(seq)));
        if (seq === last) break;
      }
      if (seq < last && page.length < count) throw new Error(`$all ended before seq ${seq + 1}, which the ledger numbered: run \`ledger verify --live\``);
      count = this.pageSize;
    }
    return out;
  }

  private async readAllPage(from: Position | null, maxCount: number): Promise<AllStreamResolvedEvent[]> {
    const { FORWARDS, START } = esdb();
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition: from ?? START, maxCount, direction: FORWARDS, resolveLinkTos: false, requiresLeader: true })) {
      page.push(resolved);
    }
    return page;
  }

  private async streamRecords(streamId: string, from: number, to: number): Promise<LedgerRecord[]> {
    const { FORWARDS } = esdb();
    const records: LedgerRecord[] = [];
    try {
      for await (const resolved of this.client.readStream(esdbStreamName(this.namespace, streamId), {
        fromRevision: BigInt(from - 1),
        maxCount: to - from + 1,
        direction: FORWARDS,
        requiresLeader: true,
      })) {
        const record = toLedgerRecord(this.namespace, recorded(resolved));
        if (record) records.push(record);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return records;
  }

  /** The seq of an event read from its stream: by its `$all` position when the server gives it, else by its id. */
  private seqOfRecord(record: LedgerRecord): number | undefined {
    return (record.position && this.index.seqAt(record.position)) ?? this.index.seqOf(record.eventId);
  }

  // ---- the durable index -----------------------------------------------------------------------

  /** Loads the durable index blocks once, checking the last against `$all`. */
  private loaded(): Promise<void> {
    this.loading ??= this.loadBlocks().catch((error) => {
      this.loading = undefined;
      this.index = new LedgerIndex();
      this.persistedBlocks = 0;
      this.persistedUpTo = 0;
      throw error;
    });
    return this.loading;
  }

  private async loadBlocks(): Promise<void> {
    if (this.blockSize === 0) return;
    const { FORWARDS, START } = esdb();
    const stream = indexStreamName(this.namespace);
    try {
      for await (const resolved of this.client.readStream(stream, { fromRevision: START, direction: FORWARDS, requiresLeader: true })) {
        try {
          this.index.load(recorded(resolved).data);
        } catch (error) {
          throw new Error(
            `the durable seq index ${stream} cannot be loaded (${(error as Error).message}); it is derived from $all: ` +
              `an operator may delete that stream to have it written again, after \`ledger verify --live\``,
          );
        }
        this.persistedBlocks++;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    this.persistedUpTo = this.index.head;
    const head = this.index.head;
    if (head === 0) return;
    // The last seq the blocks name must be that event, at that position, in $all.
    const at = this.index.positionOf(head);
    const page = await this.readAllPage(this.index.positionOf(head - 1), 2); // blocks hold 2 seqs or more
    const found = page.map(recorded).find((e) => comparePositions(e.position, at) === 0);
    if (!found || found.id !== this.index.idAt(head)) {
      throw new Error(
        `the durable seq index ${stream} says seq ${head} is event ${this.index.idAt(head)} at $all position ${at.commit}/${at.prepare}, ` +
          `and $all ${found ? `holds ${found.id} there` : 'has no event there'}: run \`ledger verify --live\`; the index is derived from $all and may be deleted to be written again`,
      );
    }
  }

  private persistLater(): void {
    if (this.blockSize === 0 || this.persisting || this.closed || this.index.head - this.persistedUpTo < this.blockSize) return;
    this.persisting = this.persist()
      .catch((error: Error) => this.onError(error))
      .finally(() => (this.persisting = undefined));
  }

  /** Writes each complete block not yet in `<namespace>.seq-index`; a block another process wrote first must agree. */
  private async persist(): Promise<void> {
    const { NO_STREAM } = esdb();
    const stream = indexStreamName(this.namespace);
    while (!this.closed && this.index.head - this.persistedUpTo >= this.blockSize) {
      const block = this.index.block(this.persistedUpTo + 1, this.blockSize);
      try {
        await this.client.appendToStream(
          stream,
          { id: uuidv4(), contentType: 'application/json', type: 'LedgerSeqIndexBlock', data: block as unknown as Record<string, unknown>, metadata: undefined },
          { expectedRevision: this.persistedBlocks === 0 ? NO_STREAM : BigInt(this.persistedBlocks - 1), requiresLeader: true },
        );
        this.adopt(block);
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
        for await (const resolved of this.client.readStream(stream, { fromRevision: BigInt(this.persistedBlocks), requiresLeader: true })) {
          const theirs = checkBlock(recorded(resolved).data);
          if (theirs.fromSeq !== this.persistedUpTo + 1 || !this.index.agrees(theirs)) {
            throw new Error(`the block of ${stream} from seq ${theirs.fromSeq} disagrees with $all as this process numbers it: run \`ledger verify --live\``);
          }
          this.adopt(theirs);
        }
      }
    }
  }

  private adopt(block: IndexBlock): void {
    this.persistedBlocks++;
    this.persistedUpTo = block.fromSeq + block.eventIds.length - 1;
  }

  // ---- waking subscribers ----------------------------------------------------------------------

  private wake(): void {
    this.generation++;
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves after an append of this process since `mark`, after the poll interval, or on abort. */
  private wait(mark: number, signal?: AbortSignal): Promise<void> {
    if (this.generation !== mark || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      signal?.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }
}

function recorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent & { position: Position } {
  const event = resolved.event;
  if (event === undefined) throw new Error('EventStoreDB returned a link without its event');
  return event as RecordedEvent & { position: Position };
}

function isStreamNotFound(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === ('stream-not-found' satisfies `${import('@eventstore/db-client').ErrorType.STREAM_NOT_FOUND}`);
}
