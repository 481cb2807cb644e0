import { type Bytes, VerifyError, concat, sameBytes, sha256 } from './bytes';

/**
 * The Merkle tree of RFC 6962 / RFC 9162 §2.1 in the browser: SHA-256 with a domain-separation byte,
 * 0x00 for a leaf and 0x01 for an inner node; inclusion proofs verified as in RFC 9162 §2.1.3.2.
 * Mirrors libs/ledger/src/merkle-hash.ts, leaf-hash.ts and merkle-verify.ts (which use node:crypto).
 */
export const HASH_SIZE = 32;

/** SHA-256(0x00 || entry): the hash of a log entry. */
export function leafHash(entry: Uint8Array): Promise<Bytes> {
  return sha256(concat(LEAF, entry));
}

/** SHA-256(0x01 || left || right): an inner node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new RangeError(`a node hash has ${HASH_SIZE} bytes`);
  return sha256(concat(NODE, left, right));
}

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

export type ProofErrorCode =
  | 'bad-size' // a size or index that is not a non-negative safe integer
  | 'index-out-of-range' // leaf index ≥ tree size
  | 'bad-hash' // a leaf hash, root or proof element that is not 32 bytes
  | 'proof-too-long'
  | 'proof-too-short'
  | 'root-mismatch';

/**
 * RFC 9162 §2.1.3.2: resolves when `leaf` (a leaf hash) is the leaf at `index` of the tree of `size`
 * leaves whose root is `root`, given the audit path `proof` (leaf side first); rejects with a
 * VerifyError<ProofErrorCode> otherwise (a proof too long or too short is refused, not trimmed).
 */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Promise<void> {
  checkSize(index, 'leaf index');
  checkSize(size, 'tree size');
  if (index >= size) throw new VerifyError<ProofErrorCode>('index-out-of-range', `leaf index ${index} is not in a tree of size ${size}`);
  checkHash(leaf, 'the leaf hash');
  checkHash(root, 'the root');
  proof.forEach((p, i) => checkHash(p, `proof element ${i}`));
  const expected = steps(index, size - 1);
  if (proof.length !== expected) {
    throw new VerifyError<ProofErrorCode>(
      proof.length > expected ? 'proof-too-long' : 'proof-too-short',
      `the proof for leaf ${index} of a tree of size ${size} has ${proof.length} hashes, ${expected} expected`,
    );
  }
  // The RFC's steps: fn, sn = index, size − 1; r = leaf; for each p: if LSB(fn) or fn = sn, r = node(p, r)
  // and shift both right until LSB(fn) or fn = 0; else r = node(r, p); then shift both right once.
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) throw new VerifyError<ProofErrorCode>('proof-too-long', 'the proof has more hashes than the tree needs');
    if (isOdd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new VerifyError<ProofErrorCode>('proof-too-short', 'the proof has fewer hashes than the tree needs');
  if (!sameBytes(r, root)) {
    throw new VerifyError<ProofErrorCode>('root-mismatch', `the inclusion proof of leaf ${index} leads to another root than the tree of size ${size}`);
  }
}

function checkSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new VerifyError<ProofErrorCode>('bad-size', `${name} ${value} is not a non-negative safe integer`);
}

function checkHash(value: Uint8Array, name: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) throw new VerifyError<ProofErrorCode>('bad-hash', `${name} is not a ${HASH_SIZE}-byte hash`);
}

/** The number of iterations of the RFC's loop from (fn, sn) until sn reaches 0: the proof's length. */
function steps(fn: number, sn: number): number {
  let count = 0;
  while (sn !== 0) {
    if (isOdd(fn) || fn === sn) {
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
    count++;
  }
  return count;
}

// Sizes reach 2^53: bitwise operators work on 32 bits, so no `& 1` or `>> 1` here.
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}
