import { KeyObject, sign, verify } from 'node:crypto';

/**
 * Witness cosignatures, https://c2sp.org/tlog-cosignature (Ed25519, signature type 0x04).
 *
 * A witness states that, at `timestamp` (POSIX seconds), the checkpoint is the largest consistent one it
 * has seen of the log. It signs "cosignature/v1\ntime <timestamp>\n" followed by the whole checkpoint
 * body (extension lines included), and the note signature is the 8-byte big-endian timestamp followed
 * by the 64-byte Ed25519 signature. The key ID is computed over type 0x04 (note-keys.ts), so the same
 * Ed25519 key never yields a valid plain signature and a cosignature with one key ID.
 */
export const COSIGNATURE_SIZE = 8 + 64;

/** The message a witness signs for `body` (the checkpoint text, final newline included). */
export function cosignatureMessage(body: string, timestamp: number): Buffer {
  checkTimestamp(timestamp);
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8');
}

/** timestamp || Ed25519(cosignatureMessage(body, timestamp)). */
export function cosignatureBytes(signer: KeyObject, body: string, timestamp: number): Buffer {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(timestamp));
  return Buffer.concat([stamp, sign(null, cosignatureMessage(body, timestamp), signer)]);
}

/** The timestamp of a valid cosignature of `body`, or undefined. */
export function checkCosignatureBytes(verifier: KeyObject, body: string, signature: Uint8Array): number | undefined {
  if (signature.length !== COSIGNATURE_SIZE) return undefined;
  const timestamp = cosignatureTimestamp(signature);
  if (timestamp === undefined) return undefined;
  return verify(null, cosignatureMessage(body, timestamp), verifier, signature.subarray(8)) ? timestamp : undefined;
}

/**
 * The timestamp in a cosignature's first 8 bytes; undefined above 2^63 - 1 (the spec's bound) or above
 * 2^53 - 1 (285 million years from now: a number holds it exactly, and the spec lets verifiers refuse
 * timestamps in the future).
 */
export function cosignatureTimestamp(signature: Uint8Array): number | undefined {
  if (signature.length < 8) return undefined;
  const value = Buffer.from(signature.buffer, signature.byteOffset, 8).readBigUInt64BE(0);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`a cosignature timestamp is a non-negative integer number of seconds, got ${timestamp}`);
  }
}
