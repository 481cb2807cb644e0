import { type Bytes, VerifyError, decodeBase64Strict } from './bytes';
import { HASH_SIZE } from './merkle';
import { type VerifierKey, parseVerifierKey } from './note-keys';
import { type VerifiedNote, type VerifiedSignature, verifyNote } from './signed-note';

/**
 * C2SP checkpoints, https://c2sp.org/tlog-checkpoint (as libs/ledger/src/checkpoint.ts): the text of a
 * signed note is
 *
 *   <origin>              the log's identity (for this ledger, also its key's name)
 *   <tree size>           decimal, no leading zero
 *   <root hash>           base64 of the 32-byte RFC 6962 root
 *   [<extension line>…]   optional, non-empty
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Bytes;
  readonly extensions: readonly string[];
}

export type CheckpointErrorCode = 'malformed-checkpoint' | 'origin-mismatch' | 'missing-log-signature' | 'not-a-log-key';

/** Parses a checkpoint body (a note's text, final newline included) strictly. */
export function parseCheckpoint(text: string): Checkpoint {
  const malformed = (message: string) => new VerifyError<CheckpointErrorCode>('malformed-checkpoint', message);
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

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly key: VerifierKey;
  readonly note: VerifiedNote;
  /** The valid cosignatures of the given witnesses. */
  readonly cosignatures: readonly VerifiedSignature[];
}

/**
 * Verifies a checkpoint note: signed by the log's key (an Ed25519 vkey), its origin the key's name (or
 * `origin`), its body well formed; witnesses' cosignatures are checked when their keys are given (a bad
 * one rejects the note), others ignored. Rejects with a VerifyError (key, note or checkpoint code).
 */
export async function verifyCheckpoint(note: string, logVkey: string, options: { origin?: string; witnesses?: readonly string[] } = {}): Promise<VerifiedCheckpoint> {
  const key = await parseVerifierKey(logVkey);
  if (key.type !== 'ed25519') throw new VerifyError<CheckpointErrorCode>('not-a-log-key', `the key ${key.name} is not an Ed25519 (0x01) key`);
  const witnesses = await Promise.all((options.witnesses ?? []).map(parseVerifierKey));
  const verified = await verifyNote(note, [key, ...witnesses.filter((w) => w.type === 'cosignature/v1')]);
  if (!verified.verified.some((s) => s.name === key.name && s.keyId === key.keyId)) {
    throw new VerifyError<CheckpointErrorCode>('missing-log-signature', `the checkpoint is not signed by the log key ${key.name}`);
  }
  const checkpoint = parseCheckpoint(verified.text);
  const origin = options.origin ?? key.name;
  if (checkpoint.origin !== origin) {
    throw new VerifyError<CheckpointErrorCode>('origin-mismatch', `the checkpoint's origin is ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(origin)}`);
  }
  return { checkpoint, key, note: verified, cosignatures: verified.verified.filter((s) => s.type === 'cosignature/v1') };
}
