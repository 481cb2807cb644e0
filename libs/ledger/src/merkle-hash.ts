import { hash } from 'node:crypto';

/**
 * The hashes of the RFC 6962 / RFC 9162 §2.1.1 Merkle tree: SHA-256 with one prefix byte for domain
 * separation (0x00 for a leaf, see leaf-hash.ts; 0x01 for an inner node).
 */
export const HASH_SIZE = 32;

/** MTH({}) = SHA-256(""): the root of the empty tree. */
export const EMPTY_ROOT: Buffer = hash('sha256', new Uint8Array(), 'buffer');

/** An inner node: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new RangeError(`a node hash has ${HASH_SIZE} bytes`);
  // One scratch buffer and the one-shot hash: the tree of 1,000,000 leaves computes 1,000,000 of these.
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', scratch, 'buffer');
}

const scratch = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

/**
 * The hash of adjacent subtrees given left to right whose sizes strictly decrease (the perfect pieces
 * of a right edge): each is the right child of the one before, so they fold from the right.
 */
export function foldRight(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) throw new RangeError('nothing to fold');
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]);
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i], acc);
  return acc;
}

export function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}
