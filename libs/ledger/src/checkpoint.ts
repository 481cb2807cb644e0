import { HASH_SIZE } from './merkle-hash';
import { KeyError, parseSignerKey, parseVerifierKey } from './note-keys';
import { NoteLimits, VerifiedNote, VerifiedSignature, addSignatures, signNote, verifyNote } from './signed-note';
import { decodeBase64Strict } from './strict-base64';
import { VerificationError } from './verification-error';

/**
 * Checkpoints, https://c2sp.org/tlog-checkpoint: the signed head of the log, a signed note whose text is
 *
 *   <origin>                 the log's identity (for this ledger, also its key name)
 *   <tree size>              decimal, no leading zero
 *   <root hash>              base64 of the 32-byte RFC 6962 root
 *   [<extension line>…]      optional, non-empty
 *
 * signed by the log (Ed25519) and possibly cosigned by witnesses (cosignature.ts).
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  readonly extensions: readonly string[];
}

export type CheckpointErrorCode = 'malformed-checkpoint' | 'origin-mismatch' | 'missing-log-signature' | 'too-few-cosignatures';

export class CheckpointError extends VerificationError<CheckpointErrorCode> {}

/** The note text of a checkpoint, final newline included. */
export function formatCheckpoint(checkpoint: { origin: string; size: number; rootHash: Uint8Array; extensions?: readonly string[] }): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`a tree size is a non-negative safe integer, got ${size}`);
  if ([origin, ...extensions].some((line) => line.includes('\n'))) throw new RangeError('a checkpoint line has no newline');
  const text = [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions].join('\n') + '\n';
  parseCheckpoint(text); // the same rules both ways: a checkpoint we write is one we accept
  return text;
}

/** Parses a checkpoint body strictly; throws a CheckpointError. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('the checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed(`a checkpoint has at least 3 lines, this one ${lines.length}`);
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin.length === 0) throw malformed('the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw malformed(`the tree size ${JSON.stringify(sizeLine)} is not a decimal without leading zeros`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw malformed(`the tree size ${sizeLine} is beyond 2^53 - 1`);
  const rootHash = decodeBase64Strict(rootLine);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) throw malformed(`the root hash ${JSON.stringify(rootLine)} is not base64 of 32 bytes`);
  extensions.forEach((line, i) => {
    if (line.length === 0) throw malformed(`extension line ${i + 1} is empty`);
  });
  return { origin, size, rootHash, extensions };
}

/** A checkpoint signed by the log's key. */
export function signCheckpoint(checkpoint: Parameters<typeof formatCheckpoint>[0], logSkey: string): string {
  return signNote(formatCheckpoint(checkpoint), logSkey);
}

export interface VerifyCheckpointOptions extends NoteLimits {
  /** The expected origin line; the log key's name by default. */
  origin?: string;
  /** Witness vkeys (signature type 0x04) whose cosignatures count. */
  witnesses?: readonly string[];
  /** How many of the witnesses must have cosigned (0 by default). */
  quorum?: number;
  /** POSIX seconds: cosignatures dated later are rejected. */
  now?: number;
}

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: VerifiedNote;
  /** The valid cosignatures of the given witnesses. */
  readonly cosignatures: readonly VerifiedSignature[];
}

/**
 * Verifies a (possibly cosigned) checkpoint: the log's signature, the origin, the body's format, and
 * a quorum of the given witnesses. Other signers are ignored. Throws a NoteError, KeyError or
 * CheckpointError.
 */
export function verifyCheckpoint(note: string | Uint8Array, logVkey: string, options: VerifyCheckpointOptions = {}): VerifiedCheckpoint {
  const log = parseVerifierKey(logVkey);
  if (log.type !== 'ed25519') throw new KeyError('unknown-key-type', `the log key ${log.name} is not an Ed25519 (0x01) key`);
  const witnesses = options.witnesses ?? [];
  for (const vkey of witnesses) {
    const witness = parseVerifierKey(vkey);
    if (witness.type !== 'cosignature/v1') throw new KeyError('unknown-key-type', `the witness key ${witness.name} is not a cosignature (0x04) key`);
  }
  const verified = verifyNote(note, [logVkey, ...witnesses], options);
  if (!verified.verified.some((s) => s.name === log.name && s.keyId === log.keyId)) {
    throw new CheckpointError('missing-log-signature', `the checkpoint is not signed by the log key ${log.name}`);
  }
  const checkpoint = parseCheckpoint(verified.text);
  const origin = options.origin ?? log.name;
  if (checkpoint.origin !== origin) {
    throw new CheckpointError('origin-mismatch', `the checkpoint's origin is ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(origin)}`);
  }
  const cosignatures = verified.verified.filter((s) => s.type === 'cosignature/v1');
  const quorum = options.quorum ?? 0;
  if (cosignatures.length < quorum) {
    throw new CheckpointError('too-few-cosignatures', `${cosignatures.length} of the witnesses cosigned, ${quorum} required`);
  }
  return { checkpoint, note: verified, cosignatures };
}

/**
 * A witness's cosignature added to a checkpoint signed by the log: verifies the log's signature first
 * (a witness also checks consistency with the last checkpoint it cosigned; that is the caller's part).
 */
export function cosignCheckpoint(note: string | Uint8Array, witnessSkey: string, options: { logVkey: string; timestamp?: number }): string {
  if (parseSignerKey(witnessSkey).type !== 'cosignature/v1') {
    throw new KeyError('unknown-key-type', 'a witness cosigns with a cosignature (0x04) key');
  }
  verifyCheckpoint(note, options.logVkey);
  return addSignatures(note, witnessSkey, { timestamp: options.timestamp });
}

function malformed(message: string): CheckpointError {
  return new CheckpointError('malformed-checkpoint', message);
}
