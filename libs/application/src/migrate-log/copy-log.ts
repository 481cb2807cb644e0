import { createHash } from 'node:crypto';
import type { EventStore, StoredEvent } from '@mel/event-store';
import { canonicalize, TreeBuilder } from '@mel/ledger';

/**
 * A store a log can be copied into: it continues its log with events exactly as another store holds
 * them (same ids, streams, versions, seq, recordedAt, hence the same canonical bytes), and reads them back.
 * EventStoreDbEventStore is one; PostgresLogImport (event_store.append_batch) is the other.
 */
export interface LogImportTarget {
  head(): Promise<number>;
  readAll(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  importStored(events: readonly StoredEvent[]): Promise<void>;
}

export type LogSource = Pick<EventStore, 'head' | 'readAll'>;

/** Why a copy was refused or did not come out identical: the message says what to do next. */
export class LogCopyError extends Error {
  constructor(
    message: string,
    /** The first seq that differs, when the check found one. */
    readonly seq?: number,
  ) {
    super(message);
    this.name = 'LogCopyError';
  }
}

export interface CopyLogOptions {
  /** Events read, written and compared per step. Default 5000. */
  batchSize?: number;
  /** Progress of each phase: the copy, then the check of both sides. */
  onProgress?: (phase: 'copy' | 'check', done: number, total: number) => void;
}

export interface CopyLogReport {
  /** Events copied (the source's head when the copy started). */
  events: number;
  /** The RFC 6962 root over every leaf, the same on both sides (base64): what the checkpoints of size `events` sign. */
  root: string;
}

/**
 * Copies the whole log of `source` into the empty `target`, in seq order, then reads both back and
 * checks, seq by seq, that the event ids, the canonical bytes and the leaf hashes are identical (and
 * that each leaf hash is SHA-256(0x00 ‖ bytes)), so that the checkpoints signed over the source verify
 * over the target. Refuses a target that is not empty. The copy covers the source's head when it
 * starts: writers should be stopped meanwhile, and anything appended to the target meanwhile fails
 * the check.
 */
export async function copyLog(source: LogSource, target: LogImportTarget, options: CopyLogOptions = {}): Promise<CopyLogReport> {
  const batchSize = options.batchSize ?? 5000;
  const progress = options.onProgress ?? (() => undefined);
  const already = await target.head();
  if (already !== 0) {
    throw new LogCopyError(
      `the target already holds ${already} events: a log is copied into an empty store only. ` +
        'Choose an empty EventStoreDB namespace (LEDGER_EVENTSTORE_NAMESPACE) or an empty PostgreSQL database, or check that this copy was not done already',
    );
  }
  const head = await source.head();
  progress('copy', 0, head);
  for (let after = 0; after < head; ) {
    const events = await source.readAll(after, Math.min(batchSize, head - after));
    if (events.length === 0) throw new LogCopyError(`the source ends at seq ${after} although its head was ${head}: check the source store, then start again into an empty target`);
    events.forEach((event, i) => {
      if (event.seq !== after + 1 + i) throw new LogCopyError(`the source has no event at seq ${after + 1 + i}: it is not a gap-free log; run \`ledger verify --live\` on it`, after + 1 + i);
    });
    await target.importStored(events);
    after = events[events.length - 1].seq;
    progress('copy', after, head);
  }

  const tree = new TreeBuilder();
  progress('check', 0, head);
  for (let after = 0; after < head; ) {
    const limit = Math.min(batchSize, head - after);
    const [theirs, ours] = await Promise.all([source.readAll(after, limit), target.readAll(after, limit)]);
    for (let i = 0; i < Math.max(theirs.length, ours.length); i++) {
      const seq = after + 1 + i;
      const difference = differenceAt(theirs[i], ours[i]);
      if (difference) {
        throw new LogCopyError(
          `seq ${seq} differs after the copy: ${difference}. The target is not a faithful copy: do not switch to it; ` +
            'remove what was copied (a new namespace, or a new database) and report this with `ledger verify --live` on both sides',
          seq,
        );
      }
      tree.append(ours[i].leafHash);
    }
    after += theirs.length;
    progress('check', after, head);
  }
  const targetHead = await target.head();
  if (targetHead !== head) {
    throw new LogCopyError(`the target holds ${targetHead} events after a copy of ${head}: something else appended to it meanwhile; start again into an empty target with every writer stopped`, head + 1);
  }
  return { events: head, root: tree.root().toString('base64') };
}

/** What differs between the source's and the target's event at one seq, or undefined when they are identical. */
export function differenceAt(source: StoredEvent | undefined, target: StoredEvent | undefined): string | undefined {
  if (!source || !target) return source ? 'the target has no event there' : 'the source has no event there';
  if (source.eventId !== target.eventId) return `event ${source.eventId} in the source, ${target.eventId} in the target`;
  if (!source.canonical.equals(target.canonical)) {
    const a = JSON.parse(source.canonical.toString('utf8')) as Record<string, unknown>;
    const b = JSON.parse(target.canonical.toString('utf8')) as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => canonicalOf(a[k]) !== canonicalOf(b[k]));
    return `the canonical bytes of event ${source.eventId} differ${fields.length ? ` (${fields.join(', ')})` : ''}`;
  }
  for (const [side, event] of [
    ['source', source],
    ['target', target],
  ] as const) {
    const expected = createHash('sha256').update(Buffer.from([0])).update(event.canonical).digest();
    if (!event.leafHash.equals(expected)) return `the ${side}'s leaf hash of event ${event.eventId} is not SHA-256(0x00 ‖ its bytes)`;
  }
  return undefined;
}

function canonicalOf(value: unknown): string {
  return value === undefined ? 'undefined' : canonicalize(value);
}
