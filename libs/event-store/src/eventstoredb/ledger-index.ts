import type { Position } from '@eventstore/db-client';
import { type Assigned, comparePositions, type ScanState } from './seq-assignment';

/**
 * A block of the durable seq index (ADR 11): for `eventIds.length` consecutive seqs from `fromSeq`,
 * each event's id, `$all` position and recordedAt (ms). Written once to `<namespace>.seq-index` by
 * whichever process completes it first; read back at start instead of scanning `$all` from the start.
 */
export interface IndexBlock {
  v: 1;
  fromSeq: number;
  eventIds: string[];
  commit: number[];
  prepare: number[];
  recordedAtMs: number[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How far back a run of ids is looked for when the id map points elsewhere (an id stored twice). */
const RUN_SEARCH = 100_000;

/**
 * What a process knows of the numbering: for every seq from 1 to the head, the event's id, its `$all`
 * position and its recordedAt, and where in `$all` the numbering stands. About 24 bytes a seq in typed
 * arrays plus the id map (~100 bytes an event): 125 MB for a million events.
 */
export class LedgerIndex {
  private count = 0;
  private commit = new Float64Array(1024);
  private prepare = new Float64Array(1024);
  private recordedAt = new Float64Array(1024);
  private readonly ids: string[] = [];
  /** The first seq of each id (an id is stored twice only if two processes raced with 'any'). */
  private readonly seqById = new Map<string, number>();
  private scanned: Position | null = null;
  private lastRecordedAtMs = 0;

  get head(): number {
    return this.count;
  }

  state(): ScanState {
    return { head: this.count, lastRecordedAtMs: this.lastRecordedAtMs, scanned: this.scanned };
  }

  /** Records what assignSeqs numbered from this index's state, and where the scan stands. */
  apply(assigned: readonly Assigned[], state: ScanState): void {
    for (const a of assigned) this.push(a.seq, a.eventId, a.position, a.recordedAtMs);
    if (state.head !== this.count) throw new Error(`the seq index is at ${this.count}, the numbering at ${state.head}`);
    this.scanned = state.scanned;
  }

  idAt(seq: number): string {
    this.check(seq);
    return this.ids[seq - 1];
  }

  positionOf(seq: number): Position {
    this.check(seq);
    return { commit: BigInt(this.commit[seq - 1]), prepare: BigInt(this.prepare[seq - 1]) };
  }

  recordedAtMsOf(seq: number): number {
    this.check(seq);
    return this.recordedAt[seq - 1];
  }

  recordedAtOf(seq: number): string {
    return new Date(this.recordedAtMsOf(seq)).toISOString();
  }

  /** The seq of an event id (the first, if it was stored twice). */
  seqOf(eventId: string): number | undefined {
    return this.seqById.get(eventId);
  }

  /** The seq of the ledger event at exactly this `$all` position. */
  seqAt(position: Position): number | undefined {
    let lo = 1;
    let hi = this.count;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const order = comparePositions(this.positionOf(mid), position);
      if (order === 0) return mid;
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** The first seq of consecutive seqs holding exactly these ids, in order (one append), if any. */
  runOf(ids: readonly string[]): number | undefined {
    if (ids.length === 0) return undefined;
    const holds = (first: number) => first >= 1 && first + ids.length - 1 <= this.count && ids.every((id, i) => this.ids[first - 1 + i] === id);
    const first = this.seqOf(ids[0]);
    if (first !== undefined && holds(first)) return first;
    for (let s = this.count - ids.length + 1; s >= Math.max(1, this.count - RUN_SEARCH); s--) if (holds(s)) return s;
    return undefined;
  }

  /** The block of `count` seqs from `fromSeq` (all known to this index). */
  block(fromSeq: number, count: number): IndexBlock {
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1 || !Number.isSafeInteger(count) || count < 1 || fromSeq + count - 1 > this.count) {
      throw new Error(`the seq index holds seqs 1 to ${this.count}: no block of ${count} from ${fromSeq}`);
    }
    const range = <T>(f: (i: number) => T) => Array.from({ length: count }, (_, k) => f(fromSeq - 1 + k));
    return {
      v: 1,
      fromSeq,
      eventIds: range((i) => this.ids[i]),
      commit: range((i) => this.commit[i]),
      prepare: range((i) => this.prepare[i]),
      recordedAtMs: range((i) => this.recordedAt[i]),
    };
  }

  /** Whether a block says what this index says for every seq both know. */
  agrees(block: IndexBlock): boolean {
    checkBlock(block);
    for (let k = 0; k < block.eventIds.length; k++) {
      const seq = block.fromSeq + k;
      if (seq > this.count) break;
      const i = seq - 1;
      if (this.ids[i] !== block.eventIds[k] || this.commit[i] !== block.commit[k] || this.prepare[i] !== block.prepare[k] || this.recordedAt[i] !== block.recordedAtMs[k]) {
        return false;
      }
    }
    return true;
  }

  /** Adds a block read from the durable index; it must continue this index, which has not scanned past its head. */
  load(block: unknown): IndexBlock {
    const b = checkBlock(block);
    if (b.fromSeq !== this.count + 1) throw new Error(`a block of the seq index starts at seq ${b.fromSeq} where ${this.count + 1} was expected`);
    if (this.count > 0 && comparePositions(this.scanned!, this.positionOf(this.count)) !== 0) {
      throw new Error('blocks of the seq index are loaded before any scan of $all');
    }
    for (let k = 0; k < b.eventIds.length; k++) {
      this.push(b.fromSeq + k, b.eventIds[k], { commit: BigInt(b.commit[k]), prepare: BigInt(b.prepare[k]) }, b.recordedAtMs[k]);
    }
    this.scanned = this.positionOf(this.count);
    return b;
  }

  private push(seq: number, eventId: string, position: Position, recordedAtMs: number): void {
    if (seq !== this.count + 1) throw new Error(`the seq index is at ${this.count}: seq ${seq} does not continue it`);
    const commit = Number(position.commit);
    const prepare = Number(position.prepare);
    if (!Number.isSafeInteger(commit) || !Number.isSafeInteger(prepare) || commit < 0 || prepare < 0) {
      throw new Error(`$all position ${position.commit}/${position.prepare} is beyond what the seq index holds`);
    }
    if (this.count > 0) {
      const i = this.count - 1;
      if (commit < this.commit[i] || (commit === this.commit[i] && prepare <= this.prepare[i])) {
        throw new Error(`seq ${seq} is at $all position ${commit}/${prepare}, not after seq ${this.count}'s`);
      }
    }
    if (!Number.isFinite(recordedAtMs) || recordedAtMs < this.lastRecordedAtMs) {
      throw new Error(`the recordedAt of seq ${seq} goes back`);
    }
    if (this.count === this.commit.length) this.grow();
    this.commit[this.count] = commit;
    this.prepare[this.count] = prepare;
    this.recordedAt[this.count] = recordedAtMs;
    this.ids.push(eventId);
    if (!this.seqById.has(eventId)) this.seqById.set(eventId, seq);
    this.count = seq;
    this.lastRecordedAtMs = recordedAtMs;
  }

  private grow(): void {
    const grown = (from: Float64Array) => {
      const to = new Float64Array(from.length * 2);
      to.set(from);
      return to;
    };
    this.commit = grown(this.commit);
    this.prepare = grown(this.prepare);
    this.recordedAt = grown(this.recordedAt);
  }

  private check(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.count) throw new Error(`seq ${seq} is not in the seq index (1 to ${this.count})`);
  }
}

/** A block as read from EventStoreDB, checked for shape (the index checks it continues what it holds). */
export function checkBlock(block: unknown): IndexBlock {
  const b = block as Partial<IndexBlock> | null;
  const fail = (reason: string): never => {
    throw new Error(`a block of the seq index is malformed: ${reason}`);
  };
  if (b === null || typeof b !== 'object' || b.v !== 1) return fail('not of format 1');
  if (!Number.isSafeInteger(b.fromSeq) || b.fromSeq! < 1) fail('fromSeq is not an integer ≥ 1');
  const n = Array.isArray(b.eventIds) ? b.eventIds.length : -1;
  if (n < 1) fail('it holds no event');
  for (const key of ['commit', 'prepare', 'recordedAtMs'] as const) {
    const values = b[key];
    if (!Array.isArray(values) || values.length !== n || !values.every((v) => Number.isSafeInteger(v) && v >= 0)) fail(`${key} is not ${n} integers ≥ 0`);
  }
  if (!b.eventIds!.every((id) => typeof id === 'string' && UUID.test(id))) fail('an event id is not a UUID');
  return b as IndexBlock;
}
