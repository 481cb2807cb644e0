import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { nonCanonicalReason } from './canonical-text';

/**
 * Entries grouped in batches for the verifier, each entry's pure checks done off the main thread when
 * asked: its leaf hash, whether it is valid UTF-8 in canonical JSON form, and the inner nodes of the
 * perfect subtrees within the batch (the main thread hashes only the nodes across batches). Only the latter's yes or
 * no comes back (the first entry of the batch that is not); the verifier runs the full checks on that
 * one entry again to say why, so the reasons are the same whichever thread did the work.
 *
 * A batch's bytes hold 0x00 before each entry, so a leaf hash, SHA-256(0x00 ‖ entry), is one hash of
 * a slice. The bytes go to the worker and come back (transferred, not copied).
 */
export interface EntryBatch {
  /** The leaf index of the batch's first entry. */
  first: number;
  /** 0x00, entry 0, 0x00, entry 1…: entry j is data[starts[j], ends[j]). */
  data: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  /** The leaf hash of entry j at [32j, 32j + 32). */
  hashes: Uint8Array;
  /** The inner nodes of the perfect subtrees within the batch, level by level (batchNodeOffset). */
  nodes: Uint8Array;
  /** The first entry that is not UTF-8 canonical JSON, or -1. */
  firstBad: number;
}

/**
 * Where node (level ≥ 1, index) of a batch of `count` leaves from leaf `first` is in its `nodes`
 * (a byte offset), or -1 when its leaves are not all in the batch.
 */
export function batchNodeOffset(first: number, count: number, level: number, index: number): number {
  let offset = 0;
  for (let l = 1; ; l++) {
    const width = 2 ** l;
    const lo = Math.ceil(first / width);
    const hi = Math.floor((first + count) / width);
    if (hi <= lo) return -1;
    if (l === level) return index >= lo && index < hi ? offset + 32 * (index - lo) : -1;
    offset += 32 * (hi - lo);
  }
}

/** Entries per batch, and bytes after which a batch is closed early. */
const BATCH_ENTRIES = 2048;
const BATCH_BYTES = 2 << 20;
/** Batches handed to the worker ahead of the one being verified. */
const AHEAD = 4;

/** The pure work of a batch (the worker's, or the main thread's without one): leaf hashes, inner nodes, the first bad entry. */
export function checkBatch(first: number, data: Uint8Array, starts: Uint32Array, ends: Uint32Array): { hashes: Uint8Array; nodes: Uint8Array; firstBad: number } {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const count = starts.length;
  const hashes = new Uint8Array(32 * count);
  let firstBad = -1;
  for (let j = 0; j < count; j++) {
    hashes.set(hash('sha256', bytes.subarray(starts[j] - 1, ends[j]), 'buffer'), 32 * j);
    if (firstBad < 0) {
      const entry = bytes.subarray(starts[j], ends[j]);
      if (!isUtf8(entry) || nonCanonicalReason(entry.toString('utf8')) !== undefined) firstBad = j;
    }
  }
  return { hashes, nodes: innerNodes(first, hashes), firstBad };
}

/** RFC 6962 inner nodes, SHA-256(0x01 ‖ left ‖ right), of every perfect subtree within the batch. */
function innerNodes(first: number, leaves: Uint8Array): Uint8Array {
  const count = leaves.length / 32;
  const levels: Uint8Array[] = [];
  let below = leaves;
  let belowLo = first;
  let total = 0;
  for (let level = 1; ; level++) {
    const width = 2 ** level;
    const lo = Math.ceil(first / width);
    const hi = Math.floor((first + count) / width);
    if (hi <= lo) break;
    const nodes = new Uint8Array(32 * (hi - lo));
    for (let k = lo; k < hi; k++) {
      const left = 32 * (2 * k - belowLo);
      SCRATCH.set(below.subarray(left, left + 64), 1);
      nodes.set(hash('sha256', SCRATCH, 'buffer'), 32 * (k - lo));
    }
    levels.push(nodes);
    total += nodes.length;
    below = nodes;
    belowLo = lo;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const nodes of levels) {
    out.set(nodes, at);
    at += nodes.length;
  }
  return out;
}

const SCRATCH = Buffer.alloc(65, 0x01);

/**
 * The entries in batches, checked in order. With `workers` > 0, one worker thread does the checks of
 * the next batches while the caller verifies the current one (more would not help: the caller's part,
 * the replay and the tree, is the longer one). An error of the entries' iterable is thrown after the
 * batches of the entries before it.
 */
export async function* checkedBatches(entries: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, workers: number): AsyncGenerator<EntryBatch> {
  const checker = workers > 0 ? new WorkerChecker() : undefined;
  const iterator = Symbol.asyncIterator in entries ? entries[Symbol.asyncIterator]() : toAsync(entries[Symbol.iterator]());
  const ahead: Promise<EntryBatch>[] = [];
  let read = 0;
  let ended = false;
  let failure: { error: unknown } | undefined;
  const readBatch = async (): Promise<Uint8Array[]> => {
    const lines: Uint8Array[] = [];
    let bytes = 0;
    while (lines.length < BATCH_ENTRIES && bytes < BATCH_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      lines.push(next.value);
      bytes += next.value.length + 1;
    }
    return lines;
  };
  try {
    for (;;) {
      while (!ended && failure === undefined && ahead.length < (checker ? AHEAD : 1)) {
        let lines: Uint8Array[];
        try {
          lines = await readBatch();
        } catch (error) {
          failure = { error };
          break;
        }
        if (lines.length === 0) break;
        const { data, starts, ends } = layout(lines);
        const first = read;
        read += lines.length;
        ahead.push(checker ? checker.check(first, data, starts, ends) : Promise.resolve({ first, data, starts, ends, ...checkBatch(first, data, starts, ends) }));
      }
      const next = ahead.shift();
      if (next === undefined) {
        if (failure) throw failure.error;
        return;
      }
      yield await next;
    }
  } finally {
    for (const batch of ahead) batch.catch(() => undefined); // asked for, no longer wanted
    await checker?.close();
  }
}

function layout(lines: Uint8Array[]): { data: Uint8Array; starts: Uint32Array; ends: Uint32Array } {
  let total = 0;
  for (const line of lines) total += line.length + 1;
  const data = new Uint8Array(total);
  const starts = new Uint32Array(lines.length);
  const ends = new Uint32Array(lines.length);
  let at = 0;
  lines.forEach((line, j) => {
    data[at++] = 0x00;
    data.set(line, at);
    starts[j] = at;
    at += line.length;
    ends[j] = at;
  });
  return { data, starts, ends };
}

async function* toAsync<T>(iterator: Iterator<T>): AsyncGenerator<T> {
  for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
}

/** One worker thread running entry-worker, answering batches in the order asked. */
class WorkerChecker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(batch: EntryBatch): void; reject(error: unknown): void }>();
  private next = 0;
  private broken?: Error;

  constructor() {
    // Compiled, the worker is entry-worker.js beside this file; from the sources (ts-node, jest), the
    // .ts file, compiled on the fly by ts-node in the worker.
    const file = join(__dirname, `entry-worker${extname(__filename)}`);
    this.worker = new Worker(file, { execArgv: file.endsWith('.ts') ? ['--require', 'ts-node/register/transpile-only'] : [] });
    this.worker.on('message', ({ id, ...batch }: EntryBatch & { id: number }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      waiting?.resolve(batch);
    });
    const fail = (error: Error) => {
      this.broken ??= error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the verifier's worker thread stopped (exit code ${code})`)));
  }

  check(first: number, data: Uint8Array, starts: Uint32Array, ends: Uint32Array): Promise<EntryBatch> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.next++;
    return new Promise<EntryBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, first, data, starts, ends }, [data.buffer as ArrayBuffer, starts.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.broken ??= new Error('the verifier is done');
    this.worker.removeAllListeners('exit');
    this.pending.clear();
    await this.worker.terminate();
  }
}
