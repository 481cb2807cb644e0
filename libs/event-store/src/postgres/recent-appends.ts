import { leafHash } from '@mel/ledger';
import type { EventEnvelope, StoredEvent } from '../event-envelope';

/**
 * The last events this store appended itself, committed, as one run of consecutive seqs (ADR 18): the
 * exact bytes it gave append_batch, which the table holds. A subscriber of the same store whose next
 * seq is in the run takes its events from here instead of reading them back from the table, so an
 * append in a process with live subscribers (the API's projector and Merkle tree) costs no read per
 * subscriber. Events appended by anyone else are never here: a run that another writer's events
 * interrupted starts again after them, and a subscriber reads the table for what is missing.
 */
export class RecentAppends {
  /** The run, oldest first: entries[i] has seq `first + i`. */
  private entries: { canonical: Buffer; leafHash: Buffer }[] = [];
  private first = 1;

  constructor(private readonly maxEvents: number) {}

  /** The seq after the run (where the next event of the run would go). */
  private get end(): number {
    return this.first + this.entries.length;
  }

  /** Records `canonicals` (committed at seq `firstSeq`, `firstSeq + 1`, …) at the end of the run. */
  add(firstSeq: number, canonicals: string[]): void {
    if (firstSeq !== this.end) {
      // Others appended between this store's batches (or the run is new): the run starts here.
      this.entries = [];
      this.first = firstSeq;
    }
    for (const text of canonicals) {
      const canonical = Buffer.from(text, 'utf8');
      this.entries.push({ canonical, leafHash: leafHash(canonical) });
    }
    if (this.entries.length > 2 * this.maxEvents) {
      const drop = this.entries.length - this.maxEvents;
      this.entries = this.entries.slice(drop);
      this.first += drop;
    }
  }

  /** Up to `limit` events of the run from seq `position + 1`, or none if the run does not hold that seq. */
  after(position: number, limit: number): StoredEvent[] {
    const from = position + 1 - this.first;
    if (from < 0 || from >= this.entries.length) return [];
    // The envelope is parsed for each subscriber, as a read from the table would be; the bytes are shared (read only).
    return this.entries.slice(from, from + limit).map(({ canonical, leafHash }) => ({
      ...(JSON.parse(canonical.toString('utf8')) as EventEnvelope),
      canonical,
      leafHash,
    }));
  }

  /** Forgets the run (nobody subscribes any more). */
  clear(): void {
    this.entries = [];
  }
}
