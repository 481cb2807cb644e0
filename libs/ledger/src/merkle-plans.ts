import { EMPTY_ROOT, foldRight, isHash } from './merkle-hash';

/**
 * Roots and proofs of the tree at ANY size from stored perfect subtrees, in one batch.
 *
 * The tree is stored as its perfect subtrees: `{ level, index }` is the hash of the 2^level leaves
 * [index·2^level, (index+1)·2^level); level 0 holds the leaf hashes. Such a node never changes once its
 * last leaf is appended, so the nodes stored for the latest size serve every earlier size too.
 *
 * Every hash of RFC 9162 (the root MTH, each element of PATH and of PROOF) is the MTH of a subtree
 * D[a:b] of the tree at size n. It is either perfect (one stored node) or lies on the right edge (b = n);
 * a right-edge subtree is the fold of the perfect pieces given by the binary digits of b - a.
 * A plan lists the nodes to fetch (O(log n): at most about 2·log2(n)) and how to fold them; the
 * caller fetches `plan.refs` in one query and passes the hashes, in the same order, to `assemble…`.
 */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export interface Plan {
  /** The perfect nodes to fetch, each at most once. */
  readonly refs: readonly NodeRef[];
  /** Output hash i is the right fold of the next `groups[i]` fetched hashes. */
  readonly groups: readonly number[];
}

export interface RootPlan extends Plan {
  readonly kind: 'root';
  readonly size: number;
}

export interface InclusionPlan extends Plan {
  readonly kind: 'inclusion';
  readonly index: number;
  readonly size: number;
}

export interface ConsistencyPlan extends Plan {
  readonly kind: 'consistency';
  readonly size1: number;
  readonly size2: number;
}

/** Fetches the hashes of perfect nodes, in the order asked. */
export type FetchNodes = (refs: readonly NodeRef[]) => Promise<readonly Uint8Array[]>;

/** The first leaf and the number of leaves under a node. */
export function nodeLeaves(ref: NodeRef): { start: number; count: number } {
  const count = 2 ** ref.level;
  return { start: ref.index * count, count };
}

/** Whether the node is complete (stored) in the tree of the given size. */
export function isNodeComplete(ref: NodeRef, size: number): boolean {
  const { start, count } = nodeLeaves(ref);
  return start + count <= size;
}

export function rootPlan(size: number): RootPlan {
  checkTreeSize(size, 'size');
  const builder = new PlanBuilder();
  if (size > 0) builder.subtree(0, size);
  return { kind: 'root', size, ...builder.plan() };
}

/** RFC 9162 §2.1.3.1 PATH(index, D[size]), leaf side first. */
export function inclusionPlan(index: number, size: number): InclusionPlan {
  checkTreeSize(size, 'size');
  checkTreeSize(index, 'index');
  if (index >= size) throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
    }
  }
  return { kind: 'inclusion', index, size, ...planOf(ranges) };
}

/** RFC 9162 §2.1.4.1 PROOF(size1, D[size2]); empty when size1 is 0 or size2. */
export function consistencyPlan(size1: number, size2: number): ConsistencyPlan {
  checkTreeSize(size1, 'size1');
  checkTreeSize(size2, 'size2');
  if (size1 > size2) throw new RangeError(`size1 ${size1} is larger than size2 ${size2}`);
  const ranges: Array<[number, number]> = [];
  if (size1 > 0 && size1 < size2) {
    // SUBPROOF(m, D[start:end], whole) where m = size1 - start: `whole` is true while the old tree is
    // a left part of the current subtree (its root is then known to the verifier).
    let start = 0;
    let end = size2;
    let whole = true;
    while (size1 < end) {
      const k = largestPowerOfTwoBelow(end - start);
      if (size1 <= start + k) {
        ranges.push([start + k, end]);
        end = start + k;
      } else {
        ranges.push([start, start + k]);
        start += k;
        whole = false;
      }
    }
    if (!whole) ranges.push([start, end]);
  }
  return { kind: 'consistency', size1, size2, ...planOf(ranges) };
}

export function assembleRoot(plan: RootPlan, hashes: readonly Uint8Array[]): Buffer {
  const out = assemble(plan, hashes);
  return out.length === 0 ? Buffer.from(EMPTY_ROOT) : out[0];
}

export function assembleInclusion(plan: InclusionPlan, hashes: readonly Uint8Array[]): Buffer[] {
  return assemble(plan, hashes);
}

export function assembleConsistency(plan: ConsistencyPlan, hashes: readonly Uint8Array[]): Buffer[] {
  return assemble(plan, hashes);
}

/** The output hashes of any plan, from the hashes of `plan.refs` in order. */
export function assemble(plan: Plan, hashes: readonly Uint8Array[]): Buffer[] {
  if (hashes.length !== plan.refs.length) {
    throw new RangeError(`the plan needs ${plan.refs.length} node hashes, ${hashes.length} were given`);
  }
  hashes.forEach((h, i) => {
    if (!isHash(h)) throw new RangeError(`node ${refKey(plan.refs[i])} is not a 32-byte hash`);
  });
  const out: Buffer[] = [];
  let at = 0;
  for (const count of plan.groups) {
    out.push(foldRight(hashes.slice(at, at + count)));
    at += count;
  }
  return out;
}

/**
 * Several plans fetched in one batch (a root and a proof, two roots and the proof between them…):
 * `refs` are the distinct nodes of all plans, `split` gives back each plan's hashes in its order.
 */
export function batchPlans(plans: readonly Plan[]): {
  refs: NodeRef[];
  split(hashes: readonly Uint8Array[]): Uint8Array[][];
} {
  const position = new Map<string, number>();
  const refs: NodeRef[] = [];
  for (const plan of plans) {
    for (const ref of plan.refs) {
      const key = refKey(ref);
      if (!position.has(key)) {
        position.set(key, refs.length);
        refs.push(ref);
      }
    }
  }
  return {
    refs,
    split(hashes) {
      if (hashes.length !== refs.length) {
        throw new RangeError(`the batch needs ${refs.length} node hashes, ${hashes.length} were given`);
      }
      return plans.map((plan) => plan.refs.map((ref) => hashes[position.get(refKey(ref))!]));
    },
  };
}

export async function fetchRoot(fetch: FetchNodes, size: number): Promise<Buffer> {
  const plan = rootPlan(size);
  return assembleRoot(plan, await fetchAll(fetch, plan.refs));
}

export async function fetchInclusionProof(fetch: FetchNodes, index: number, size: number): Promise<Buffer[]> {
  const plan = inclusionPlan(index, size);
  return assembleInclusion(plan, await fetchAll(fetch, plan.refs));
}

export async function fetchConsistencyProof(fetch: FetchNodes, size1: number, size2: number): Promise<Buffer[]> {
  const plan = consistencyPlan(size1, size2);
  return assembleConsistency(plan, await fetchAll(fetch, plan.refs));
}

export function refKey(ref: NodeRef): string {
  return `${ref.level}/${ref.index}`;
}

/** The largest power of two strictly below n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A size or index: a non-negative integer that a double holds exactly. */
export function checkTreeSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  }
}

async function fetchAll(fetch: FetchNodes, refs: readonly NodeRef[]): Promise<readonly Uint8Array[]> {
  return refs.length === 0 ? [] : fetch(refs);
}

function planOf(ranges: ReadonlyArray<[number, number]>): Plan {
  const builder = new PlanBuilder();
  // The ranges were found from the root down; RFC 9162 lists the proof from the leaf up.
  for (let i = ranges.length - 1; i >= 0; i--) builder.subtree(ranges[i][0], ranges[i][1]);
  return builder.plan();
}

class PlanBuilder {
  private readonly refs: NodeRef[] = [];
  private readonly groups: number[] = [];

  /**
   * MTH(D[start:end]) for a subtree of the RFC 9162 recursion: start is a multiple of a power of two
   * ≥ end - start, so the binary digits of end - start, largest first, are aligned perfect nodes.
   */
  subtree(start: number, end: number): void {
    let count = 0;
    while (start < end) {
      let level = 0;
      let width = 1;
      while (start % (width * 2) === 0 && width * 2 <= end - start) {
        width *= 2;
        level++;
      }
      this.refs.push({ level, index: start / width });
      start += width;
      count++;
    }
    this.groups.push(count);
  }

  plan(): Plan {
    return { refs: this.refs, groups: this.groups };
  }
}
