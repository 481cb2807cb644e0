import { randomBytes } from 'node:crypto';
import { MemoryTree } from './merkle-memory-tree';
import { consistencyPlan, inclusionPlan, rootPlan } from './merkle-plans';
import { TreeBuilder } from './merkle-tree-builder';
import { verifyConsistency, verifyInclusion } from './merkle-verify';

/** A tree of 1,000,000 leaves, in memory and streaming, with O(log n) plans (speed: npm run bench:ledger). */
describe('a tree of 1,000,000 leaves', () => {
  const n = 1_000_000;
  // Random leaf hashes, one allocation: this measures the tree, not SHA-256 of the entries.
  const bytes = randomBytes(32 * n);
  const leaf = (i: number) => bytes.subarray(32 * i, 32 * (i + 1));
  const tree = new MemoryTree();
  let streamedRoot: Buffer;

  it('is built by MemoryTree', () => {
    for (let i = 0; i < n; i++) tree.append(leaf(i));
    expect(tree.size).toBe(n);
  });

  it('is streamed by TreeBuilder, completing 2n - popcount(n) nodes, to the same root', () => {
    const builder = new TreeBuilder();
    let completed = 0;
    for (let i = 0; i < n; i++) completed += builder.append(leaf(i)).length;
    streamedRoot = builder.root();
    expect(completed).toBe(2 * n - 7); // every perfect node once; 1,000,000 has 7 one bits
    expect(builder.frontier()).toHaveLength(7);
    expect(streamedRoot).toEqual(tree.root());
  });

  it('needs at most 2·log2(n) stored nodes for a root or proof at that size', () => {
    const bound = 2 * Math.log2(n);
    for (const i of [0, 1, 12_345, 524_287, 524_288, n - 2, n - 1]) {
      expect(inclusionPlan(i, n).refs.length).toBeLessThanOrEqual(bound);
      expect(consistencyPlan(i + 1, n).refs.length).toBeLessThanOrEqual(bound);
    }
    expect(rootPlan(n).refs.length).toBeLessThanOrEqual(bound);
  });

  it('proves inclusion and consistency at that size', () => {
    const root = tree.root();
    for (const i of [0, 777_777, n - 1]) verifyInclusion(i, n, leaf(i), tree.inclusionProof(i), root);
    for (const m of [1, 3, 500_000, 524_288, n - 1]) verifyConsistency(m, n, tree.consistencyProof(m), tree.root(m), root);
  });
});
