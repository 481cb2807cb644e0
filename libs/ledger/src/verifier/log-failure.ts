import { VerificationError } from '../verification-error';

/**
 * Why the offline verifier rejects a log (ADR 10). Each failure names an entry index: the first entry
 * the evidence no longer vouches for (everything before it was checked and holds).
 *
 * Entries, checked one by one in order:
 * - `entries-format`       the entries file is not one entry per line, each ending with a newline
 * - `entry-not-json`       an entry is not UTF-8 JSON
 * - `entry-not-canonical`  re-canonicalising the entry (RFC 8785) does not give back its bytes
 * - `entry-malformed`      the entry is not an event envelope (DESIGN §2)
 * - `seq-mismatch`         the entry at index i does not have seq i + 1 (an entry removed, inserted or moved)
 * - `stream-version-gap`   a stream's versions do not follow 1, 2, 3… along the log
 * - `recorded-at-decreased` recordedAt goes back in time along seq
 * - `unknown-stream-type`  the replay knows no aggregate for the stream's type
 * - `replay-rejected`      the replay (upcast, then the aggregate's evolve) refuses the event
 * The stored tree (ledger verify --live), compared node by node with the recomputed one:
 * - `tree-node-mismatch`   a stored node is missing or is not the hash of the entries under it
 * - `tree-beyond-log`      the stored tree has more leaves than the log has entries
 * Checkpoints:
 * - `checkpoint-malformed` a checkpoint file is not a C2SP signed note holding a tlog checkpoint
 * - `checkpoint-signature` a checkpoint is not validly signed by a trusted key for the log's origin
 * - `checkpoint-conflict`  two validly signed checkpoints give two roots for one size (a fork)
 * - `root-mismatch`        the root recomputed from the first N entries is not the checkpoint's root
 * - `inconsistent-checkpoints` the consistency proof between two successive checkpoints fails
 * - `checkpoint-beyond-log` a checkpoint has more leaves than the log has entries (entries removed)
 * - `no-checkpoint`        no valid checkpoint: nothing signed vouches for the entries
 */
export type LogFailureCode =
  | 'entries-format'
  | 'entry-not-json'
  | 'entry-not-canonical'
  | 'entry-malformed'
  | 'seq-mismatch'
  | 'stream-version-gap'
  | 'recorded-at-decreased'
  | 'unknown-stream-type'
  | 'replay-rejected'
  | 'tree-node-mismatch'
  | 'tree-beyond-log'
  | 'checkpoint-malformed'
  | 'checkpoint-signature'
  | 'checkpoint-conflict'
  | 'root-mismatch'
  | 'inconsistent-checkpoints'
  | 'checkpoint-beyond-log'
  | 'no-checkpoint';

/** A log that does not verify, at an entry index. */
export class LogVerificationError extends VerificationError<LogFailureCode> {
  constructor(
    code: LogFailureCode,
    readonly index: number,
    message: string,
  ) {
    super(code, message);
  }
}

/**
 * What a replay hook throws for an event it refuses (any other error it throws counts as
 * `replay-rejected` too, with its message).
 */
export class ReplayRejection extends VerificationError<'unknown-stream-type' | 'replay-rejected'> {}
