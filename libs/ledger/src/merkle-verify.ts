import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './merkle-hash';
import { VerificationError } from './verification-error';

export type ProofErrorCode =
  | 'bad-size' // a size or index that is not a non-negative safe integer
  | 'index-out-of-range' // leaf index ≥ tree size
  | 'size-order' // size1 > size2
  | 'bad-hash' // a leaf hash, root or proof element that is not 32 bytes
  | 'proof-too-long'
  | 'proof-too-short'
  | 'root-mismatch';

/** An inclusion or consistency proof that does not verify. */
export class ProofError extends VerificationError<ProofErrorCode> {}

/**
 * RFC 9162 §2.1.3.2: verifies that `leafHash` is the leaf at `index` of the tree of `size` leaves whose
 * root is `root`, given the audit path `proof` (leaf side first). Throws a ProofError otherwise.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkSize(index, 'leaf index');
  checkSize(size, 'tree size');
  if (index >= size) throw new ProofError('index-out-of-range', `leaf index ${index} is not in a tree of size ${size}`);
  checkHash(leafHash, 'the leaf hash');
  checkHash(root, 'the root');
  proof.forEach((p, i) => checkHash(p, `proof element ${i}`));
  checkLength(proof.length, steps(index, size - 1), `leaf ${index} of a tree of size ${size}`);

  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) throw tooLong(proof.length);
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw tooShort(proof.length);
  if (!sameBytes(r, root)) {
    throw new ProofError('root-mismatch', `the inclusion proof of leaf ${index} leads to another root than the tree of size ${size}`);
  }
}

/**
 * RFC 9162 §2.1.4.2: verifies that the tree of `size1` leaves with root `root1` is a prefix of the tree
 * of `size2` leaves with root `root2`, given the consistency proof. Outside the RFC's 0 < size1 < size2:
 * equal sizes need an empty proof and equal roots; size1 = 0 needs an empty proof and the empty root.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size1 > size2) throw new ProofError('size-order', `size1 ${size1} is larger than size2 ${size2}`);
  checkHash(root1, 'root1');
  checkHash(root2, 'root2');
  proof.forEach((p, i) => checkHash(p, `proof element ${i}`));

  if (size1 === size2 || size1 === 0) {
    if (proof.length > 0) {
      throw new ProofError('proof-too-long', `a consistency proof from size ${size1} to ${size2} is empty, got ${hashes(proof.length)}`);
    }
    const expected = size1 === 0 ? EMPTY_ROOT : root2;
    if (!sameBytes(root1, expected)) {
      throw new ProofError('root-mismatch', size1 === 0 ? 'root1 is not the root of the empty tree' : `two different roots for size ${size1}`);
    }
    return;
  }
  if (proof.length === 0) throw new ProofError('proof-too-short', `the consistency proof from size ${size1} to ${size2} is empty`);

  // Step 2: when size1 is a power of two, the old root is a node of the new tree and starts the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Each iteration consumes one path element after the first; the first may be root1 itself.
  checkLength(proof.length, steps(fn, sn) + 1 - (path.length - proof.length), `sizes ${size1} to ${size2}`);
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) throw tooLong(proof.length);
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw tooShort(proof.length);
  if (!sameBytes(fr, root1)) throw new ProofError('root-mismatch', `the consistency proof does not lead to root1 of size ${size1}`);
  if (!sameBytes(sr, root2)) throw new ProofError('root-mismatch', `the consistency proof does not lead to root2 of size ${size2}`);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function checkSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new ProofError('bad-size', `${name} ${value} is not a non-negative safe integer`);
}

function checkHash(value: Uint8Array, name: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new ProofError('bad-hash', `${name} is not a ${HASH_SIZE}-byte hash`);
  }
}

/** The number of iterations of the RFC 9162 verification loop from (fn, sn) until sn reaches 0. */
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

/** The RFC's loop rejects a proof of the wrong length too; checking first names the lengths. */
function checkLength(actual: number, expected: number, what: string): void {
  if (actual === expected) return;
  const message = `the proof for ${what} has ${hashes(actual)}, ${expected} expected`;
  throw new ProofError(actual > expected ? 'proof-too-long' : 'proof-too-short', message);
}

function hashes(count: number): string {
  return count === 1 ? '1 hash' : `${count} hashes`;
}

// Unreachable after checkLength; kept so that the loops read as the RFC's steps.
function tooLong(length: number): ProofError {
  return new ProofError('proof-too-long', `the proof has more hashes than the tree needs (${length})`);
}

function tooShort(length: number): ProofError {
  return new ProofError('proof-too-short', `the proof has fewer hashes than the tree needs (${length})`);
}

// Sizes reach 2^53: JavaScript's bitwise operators work on 32 bits, so no `& 1` or `>> 1` here.
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && !isOdd(n)) n = half(n);
  return n === 1;
}
