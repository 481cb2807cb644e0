import { createHash } from 'node:crypto';

/**
 * A direct, recursive transcription of RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1
 * (PROOF/SUBPROOF) over the list of leaf hashes: slow and obviously right, the oracle of the property
 * tests. D[a:b] is `leaves.slice(a, b)`; leaves are already leaf hashes (SHA-256(0x00 || entry)).
 */
export function referenceRoot(leaves: readonly Buffer[]): Buffer {
  const n = leaves.length;
  if (n === 0) return createHash('sha256').digest();
  if (n === 1) return leaves[0];
  const k = splitPoint(n);
  return node(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

export function referencePath(m: number, leaves: readonly Buffer[]): Buffer[] {
  const n = leaves.length;
  if (n <= 1) return [];
  const k = splitPoint(n);
  return m < k
    ? [...referencePath(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))]
    : [...referencePath(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

/** PROOF(m, D[n]) for 0 < m ≤ n (the RFC defines 0 < m < n; m = n gives the empty proof). */
export function referenceProof(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (m < 1 || m > leaves.length) throw new RangeError(`PROOF(${m}, D[${leaves.length}]) is not defined`);
  return subproof(m, leaves, true);
}

function subproof(m: number, leaves: readonly Buffer[], b: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [referenceRoot(leaves)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), referenceRoot(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), referenceRoot(leaves.slice(0, k))];
}

/** The largest power of two smaller than n. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function node(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([0x01])).update(left).update(right).digest();
}
