import { createHash } from 'node:crypto';

/** RFC 6962 §2.1 / RFC 9162 §2.1.1: the hash of a log entry is SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
