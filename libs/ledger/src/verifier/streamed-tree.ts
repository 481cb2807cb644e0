import { EMPTY_ROOT, foldRight, hashChildren } from '../merkle-hash';
import { checkTreeSize, rootPlan } from '../merkle-plans';
import type { CompletedNode } from '../merkle-tree-builder';

/** Inner nodes known already (computed with the batch's leaf hashes), or undefined. */
export type KnownNodes = (level: number, index: number) => Uint8Array | undefined;

/**
 * TreeBuilder's compact range from leaf 0 (O(log n) hashes: the perfect subtrees of the current
 * size), for the verifier's batches: an inner node the batch computed already is taken as it is, the
 * others are hashed here. Each completed node can be told to `onNode`, the leaf first, the highest last.
 */
export class StreamedTree {
  private readonly stack: Uint8Array[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leaf: Uint8Array, known?: KnownNodes, onNode?: (level: number, index: number, hash: Uint8Array) => void): void {
    checkTreeSize(this.count + 1, 'size');
    let index = this.count;
    let level = 0;
    let hash = leaf;
    onNode?.(level, index, hash);
    this.stack.push(hash);
    while (index % 2 === 1) {
      const right = this.stack.pop()!;
      const left = this.stack.pop()!;
      index = (index - 1) / 2;
      level++;
      hash = known?.(level, index) ?? hashChildren(left, right);
      this.stack.push(hash);
      onNode?.(level, index, hash);
    }
    this.count++;
  }

  /** MTH of the leaves appended so far. */
  root(): Buffer {
    return this.stack.length === 0 ? Buffer.from(EMPTY_ROOT) : foldRight(this.stack);
  }

  /** The perfect nodes that make up the current size: `rootPlan(size).refs` with their hashes. */
  frontier(): CompletedNode[] {
    return rootPlan(this.count).refs.map((ref, i) => ({ ...ref, hash: Buffer.from(this.stack[i]) }));
  }
}
