import { leafHash } from './leaf-hash';
import { HASH_SIZE, hashChildren } from './merkle-hash';
import {
  FetchNodes,
  NodeRef,
  assembleConsistency,
  assembleInclusion,
  assembleRoot,
  checkTreeSize,
  consistencyPlan,
  inclusionPlan,
  refKey,
  rootPlan,
} from './merkle-plans';

/**
 * The whole tree in memory, stored as the database stores it: every perfect node, one array per level
 * (level 0: the leaf hashes). Roots and proofs at any size go through the same plans as the database
 * (`fetch` answers them), so tests of one are tests of the other. About 64 bytes a leaf.
 */
export class MemoryTree {
  private readonly levels: HashArray[] = [new HashArray()];

  get size(): number {
    return this.levels[0].length;
  }

  /** Appends a leaf hash and every node it completes; returns the leaf's index. */
  append(leaf: Uint8Array): number {
    if (leaf.length !== HASH_SIZE) throw new RangeError(`a leaf hash has ${HASH_SIZE} bytes`);
    const leafIndex = this.size;
    checkTreeSize(leafIndex + 1, 'size');
    this.levels[0].push(leaf);
    let index = leafIndex;
    for (let level = 0; index % 2 === 1; level++) {
      const nodes = this.levels[level];
      if (this.levels.length === level + 1) this.levels.push(new HashArray());
      this.levels[level + 1].push(hashChildren(nodes.get(index - 1), nodes.get(index)));
      index = (index - 1) / 2;
    }
    return leafIndex;
  }

  appendEntry(entry: Uint8Array): number {
    return this.append(leafHash(entry));
  }

  /** The hash of a stored perfect node (a copy). */
  node(ref: NodeRef): Buffer {
    const level = this.levels[ref.level];
    if (!Number.isSafeInteger(ref.index) || ref.index < 0 || level === undefined || ref.index >= level.length) {
      throw new RangeError(`node ${refKey(ref)} is not in the tree of size ${this.size}`);
    }
    return Buffer.from(level.get(ref.index));
  }

  nodes(refs: readonly NodeRef[]): Buffer[] {
    return refs.map((ref) => this.node(ref));
  }

  /** The same contract as the database's node fetch. */
  readonly fetch: FetchNodes = async (refs) => this.nodes(refs);

  root(size = this.size): Buffer {
    this.checkWithin(size);
    const plan = rootPlan(size);
    return assembleRoot(plan, this.nodes(plan.refs));
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    this.checkWithin(size);
    const plan = inclusionPlan(index, size);
    return assembleInclusion(plan, this.nodes(plan.refs));
  }

  consistencyProof(size1: number, size2 = this.size): Buffer[] {
    this.checkWithin(size2);
    const plan = consistencyPlan(size1, size2);
    return assembleConsistency(plan, this.nodes(plan.refs));
  }

  private checkWithin(size: number): void {
    if (size > this.size) throw new RangeError(`the tree has ${this.size} leaves, not ${size}`);
  }
}

/** Fixed-size hashes end to end in one growing buffer: no object per node. */
class HashArray {
  private bytes = Buffer.alloc(HASH_SIZE * 16);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * HASH_SIZE > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.length * HASH_SIZE);
    this.length++;
  }

  /** A view: valid while the caller does not keep it across a push (copy it to keep it). */
  get(index: number): Buffer {
    return this.bytes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }
}
