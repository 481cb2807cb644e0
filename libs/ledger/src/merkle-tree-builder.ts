import { leafHash } from './leaf-hash';
import { EMPTY_ROOT, HASH_SIZE, foldRight, hashChildren } from './merkle-hash';
import { NodeRef, checkTreeSize, rootPlan } from './merkle-plans';

export interface CompletedNode extends NodeRef {
  readonly hash: Buffer;
}

/**
 * The tree appended to in order, in O(log n) memory (a "compact range" from leaf 0): it keeps only the
 * perfect subtrees that make up the current size, which are the nodes of `rootPlan(size)`.
 * Each append returns the perfect nodes it completes, so the database side can insert them, and the
 * offline verifier can stream a log of any length and ask the root at every checkpoint.
 */
export class TreeBuilder {
  private readonly stack: Buffer[] = [];
  private count = 0;

  /** Resumes at `size` from the hashes of `rootPlan(size).refs`, in that order. */
  static resume(size: number, hashes: readonly Uint8Array[]): TreeBuilder {
    const plan = rootPlan(size);
    if (hashes.length !== plan.refs.length) {
      throw new RangeError(`a tree of size ${size} resumes from ${plan.refs.length} node hashes, ${hashes.length} were given`);
    }
    const builder = new TreeBuilder();
    for (const h of hashes) {
      if (h.length !== HASH_SIZE) throw new RangeError(`a node hash has ${HASH_SIZE} bytes`);
      builder.stack.push(Buffer.from(h));
    }
    builder.count = size;
    return builder;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf hash; returns the nodes completed, the leaf first and the highest last. */
  append(leaf: Uint8Array): CompletedNode[] {
    if (leaf.length !== HASH_SIZE) throw new RangeError(`a leaf hash has ${HASH_SIZE} bytes`);
    checkTreeSize(this.count + 1, 'size');
    let index = this.count;
    let level = 0;
    let hash: Buffer = Buffer.from(leaf);
    const completed: CompletedNode[] = [{ level, index, hash }];
    this.stack.push(hash);
    while (index % 2 === 1) {
      const right = this.stack.pop()!;
      const left = this.stack.pop()!;
      hash = hashChildren(left, right);
      this.stack.push(hash);
      index = (index - 1) / 2;
      level++;
      completed.push({ level, index, hash });
    }
    this.count++;
    return completed;
  }

  appendEntry(entry: Uint8Array): CompletedNode[] {
    return this.append(leafHash(entry));
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    return this.stack.length === 0 ? Buffer.from(EMPTY_ROOT) : foldRight(this.stack);
  }

  /** The perfect nodes that make up the current size: `rootPlan(size).refs` with their hashes. */
  frontier(): CompletedNode[] {
    const refs = rootPlan(this.count).refs;
    return refs.map((ref, i) => ({ ...ref, hash: Buffer.from(this.stack[i]) }));
  }
}
