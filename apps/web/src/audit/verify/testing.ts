import { leafHash, nodeHash } from './merkle';

/**
 * For the unit tests (not used by the pages): the public Tessera test log and a reference Merkle tree
 * written from RFC 9162's recursive definitions, independent of the verifier's iterative algorithm.
 */
export const TESSERA_VKEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';

/** Entry N of Tessera's test log is the N-th word (spelling as in the source). */
export const TESSERA_ENTRIES = 'one two three four five six seven eit nain ten ileven twelf threeten fourten fivten'.split(' ');

/** RFC 9162 §2.1.1 MTH(D[n]). */
export async function mth(leaves: readonly Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  if (leaves.length === 0) return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(0)));
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(await mth(leaves.slice(0, k)), await mth(leaves.slice(k)));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): the audit path of leaf m. */
export async function path(m: number, leaves: readonly Uint8Array[]): Promise<Uint8Array<ArrayBuffer>[]> {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k ? [...(await path(m, leaves.slice(0, k))), await mth(leaves.slice(k))] : [...(await path(m - k, leaves.slice(k))), await mth(leaves.slice(0, k))];
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
