import type { Position } from '@eventstore/db-client';

/*
 * The ledger's seq over EventStoreDB (ADR 11). `$all` is EventStoreDB's one commit order: a reader never
 * sees an event appear before one it has already read. The ledger's events are the events of `$all` in
 * the namespace's streams; seq n is the n-th of them in `$all` order. That is a function of `$all`
 * alone: every process that reads `$all` numbers every event the same, and nothing has to be written
 * for a seq to exist. This module is that function, applied page after page of `$all`.
 */

/** Orders two `$all` positions (commit position, then prepare position). */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Where the numbering stands: after the last event read from `$all`. */
export interface ScanState {
  /** The seq of the last ledger event numbered (0: none yet). */
  head: number;
  /** The recordedAt of that event, in ms since the epoch (0: none yet). */
  lastRecordedAtMs: number;
  /** The `$all` position of the last event read, ledger event or not (null: nothing read yet). */
  scanned: Position | null;
}

/** An event of `$all` as the numbering needs it. */
export interface ScannedRecord {
  position: Position;
  /** Present when the event is a ledger event (in the namespace's streams). */
  ledger?: {
    eventId: string;
    /** The server's `created`, ms since the epoch. */
    createdMs: number;
    /** Index of the event in its append; > 0: the event follows the previous ledger event in one append. */
    appendIndex: number;
    /** What `ledger migrate` kept of the event's original numbering. */
    importedSeq?: number;
    importedRecordedAtMs?: number;
  };
}

export interface Assigned {
  seq: number;
  eventId: string;
  position: Position;
  recordedAtMs: number;
}

/**
 * Numbers the ledger events of a page of `$all` read from `state.scanned` on. The event at
 * `state.scanned` is skipped when it comes first (a read that starts at a position may return the event
 * there); otherwise positions must increase. recordedAt is the append's server time (`created` of its first event: all events of
 * one append share it), or the original recordedAt of an event copied by `ledger migrate` when it lands
 * at the seq it had; and never earlier than the previous event's, so that it never decreases along seq.
 */
export function assignSeqs(state: ScanState, records: readonly ScannedRecord[]): { assigned: Assigned[]; state: ScanState } {
  let { head, lastRecordedAtMs, scanned } = state;
  const assigned: Assigned[] = [];
  for (const [i, record] of records.entries()) {
    const order = scanned === null ? 1 : comparePositions(record.position, scanned);
    if (order === 0 && i === 0) continue; // the event the read started at, read already
    if (order <= 0) {
      throw new Error(`$all went back from position ${show(scanned!)} to ${show(record.position)}: the log cannot be numbered`);
    }
    scanned = record.position;
    const ledger = record.ledger;
    if (ledger === undefined) continue;
    const seq = head + 1;
    let candidate: number;
    if (ledger.importedSeq === seq && ledger.importedRecordedAtMs !== undefined) candidate = ledger.importedRecordedAtMs;
    else if (ledger.appendIndex > 0 && head > 0) candidate = lastRecordedAtMs;
    else candidate = ledger.createdMs;
    const recordedAtMs = Math.max(candidate, lastRecordedAtMs);
    assigned.push({ seq, eventId: ledger.eventId, position: record.position, recordedAtMs });
    head = seq;
    lastRecordedAtMs = recordedAtMs;
  }
  return { assigned, state: { head, lastRecordedAtMs, scanned } };
}

function show(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}
