import fc from 'fast-check';
import { leafHash } from './leaf-hash';
import { EMPTY_ROOT } from './merkle-hash';
import { MemoryTree } from './merkle-memory-tree';
import {
  assembleConsistency,
  assembleInclusion,
  assembleRoot,
  batchPlans,
  consistencyPlan,
  fetchConsistencyProof,
  fetchInclusionProof,
  fetchRoot,
  inclusionPlan,
  rootPlan,
} from './merkle-plans';
import { TreeBuilder } from './merkle-tree-builder';
import { ProofError, verifyConsistency, verifyInclusion } from './merkle-verify';
import { referencePath, referenceProof, referenceRoot } from './testing/rfc9162-reference';

/**
 * The library against a recursive transcription of RFC 9162 §2.1 (testing/rfc9162-reference.ts):
 * roots, inclusion and consistency proofs of one stored tree at every earlier size, through the
 * plans (sync and async), and every proof verifies while any single mutation of it is rejected.
 */
const LARGEST = 2100;
const leaves = Array.from({ length: LARGEST }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const tree = new MemoryTree();
leaves.forEach((leaf) => tree.append(leaf));
const prefix = (n: number) => leaves.slice(0, n);

const rootCache = new Map<number, Buffer>();
const rootAt = (n: number): Buffer => {
  if (!rootCache.has(n)) rootCache.set(n, referenceRoot(prefix(n)));
  return rootCache.get(n)!;
};

const LARGER_SIZES = [511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048, 2049, LARGEST];
const size = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: fc.constantFrom(...LARGER_SIZES) });
const leafInTree = size.chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n)));
const twoSizes = size.chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

describe('roots', () => {
  it('the empty tree has SHA-256("") as root', () => {
    expect(tree.root(0)).toEqual(EMPTY_ROOT);
    expect(new TreeBuilder().root()).toEqual(EMPTY_ROOT);
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('equals MTH at every size, from the stored tree and from plans fetched asynchronously', async () => {
    await fc.assert(
      fc.asyncProperty(size, async (n) => {
        const expected = rootAt(n);
        expect(tree.root(n)).toEqual(expected);
        expect(await fetchRoot(tree.fetch, n)).toEqual(expected);
        const plan = rootPlan(n);
        expect(assembleRoot(plan, tree.nodes(plan.refs))).toEqual(expected);
      }),
    );
  });

  it('is the root of a TreeBuilder fed the same leaves, which completes exactly the stored nodes', () => {
    const builder = new TreeBuilder();
    for (let n = 1; n <= 600; n++) {
      for (const node of builder.append(leaves[n - 1])) expect(node.hash).toEqual(tree.node(node));
      expect(builder.root()).toEqual(rootAt(n));
    }
  });

  it('resumes a TreeBuilder from the nodes of rootPlan(size)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 300 }), (n, more) => {
        const plan = rootPlan(n);
        const builder = TreeBuilder.resume(n, tree.nodes(plan.refs));
        expect(builder.frontier().map(({ level, index }) => ({ level, index }))).toEqual(plan.refs);
        for (let i = n; i < n + more; i++) builder.append(leaves[i]);
        expect(builder.size).toBe(n + more);
        expect(builder.root()).toEqual(rootAt(n + more));
      }),
      { numRuns: 30 },
    );
  });
});

describe('inclusion proofs', () => {
  it('equal PATH(m, D[n]) and verify, at every size of the stored tree', async () => {
    await fc.assert(
      fc.asyncProperty(leafInTree, async ([m, n]) => {
        const expected = referencePath(m, prefix(n));
        expect(tree.inclusionProof(m, n)).toEqual(expected);
        expect(await fetchInclusionProof(tree.fetch, m, n)).toEqual(expected);
        verifyInclusion(m, n, leaves[m], expected, rootAt(n));
      }),
    );
  });

  it('are the same in a tree built to exactly that size', () => {
    fc.assert(
      fc.property(leafInTree.filter(([, n]) => n <= 300), ([m, n]) => {
        const exact = new MemoryTree();
        prefix(n).forEach((leaf) => exact.append(leaf));
        expect(exact.inclusionProof(m)).toEqual(tree.inclusionProof(m, n));
        expect(exact.root()).toEqual(rootAt(n));
      }),
      { numRuns: 30 },
    );
  });

  it('reject any single mutation', () => {
    const mutation = leafInTree.chain(([m, n]) =>
      fc.tuple(
        fc.constant(m),
        fc.constant(n),
        fc.constantFrom('flip-proof', 'flip-leaf', 'flip-root', 'drop', 'extra', 'index', 'size'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
      ),
    );
    fc.assert(
      fc.property(mutation, ([m, n, kind, at, mask]) => {
        const proof = tree.inclusionProof(m, n);
        let [index, treeSize, leaf, root] = [m, n, Buffer.from(leaves[m]), rootAt(n)];
        const path: Buffer[] = proof.map((p) => Buffer.from(p));
        switch (kind) {
          case 'flip-proof':
            fc.pre(path.length > 0);
            path[at % path.length][at % 32] ^= mask;
            break;
          case 'flip-leaf':
            leaf[at % 32] ^= mask;
            break;
          case 'flip-root':
            root = Buffer.from(root);
            root[at % 32] ^= mask;
            break;
          case 'drop':
            fc.pre(path.length > 0);
            path.splice(at % path.length, 1);
            break;
          case 'extra':
            path.splice(at % (path.length + 1), 0, leaves[at % LARGEST]);
            break;
          case 'index':
            index = (m + 1 + (at % (n + 1))) % (n + 1); // another index, possibly = n (out of range)
            fc.pre(index !== m);
            break;
          case 'size':
            // Another tree size with ITS root: a proof binds the leaf to one (size, root) pair. (With the
            // root of size n kept, the RFC's algorithm may accept a neighbouring size whose path has the
            // same shape, e.g. leaf 0 at sizes 5 and 6: a root is only meaningful with its signed size.)
            treeSize = 1 + ((n + at) % LARGEST);
            fc.pre(treeSize !== n && m < treeSize);
            root = rootAt(treeSize);
            break;
        }
        expect(() => verifyInclusion(index, treeSize, leaf, path, root)).toThrow(ProofError);
      }),
      { numRuns: 500 },
    );
  });
});

describe('consistency proofs', () => {
  it('equal PROOF(m, D[n]) and verify, between any two sizes of the stored tree', async () => {
    await fc.assert(
      fc.asyncProperty(twoSizes, async ([m, n]) => {
        const expected = m === 0 ? [] : referenceProof(m, prefix(n));
        expect(tree.consistencyProof(m, n)).toEqual(expected);
        expect(await fetchConsistencyProof(tree.fetch, m, n)).toEqual(expected);
        verifyConsistency(m, n, expected, rootAt(m), rootAt(n));
      }),
    );
  });

  it('reject any single mutation', () => {
    const pair = twoSizes.filter(([m, n]) => m > 0 && m < n);
    const mutation = pair.chain(([m, n]) =>
      fc.tuple(
        fc.constant(m),
        fc.constant(n),
        fc.constantFrom('flip-proof', 'flip-root1', 'flip-root2', 'drop', 'extra', 'size1', 'size2', 'swap-roots'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
      ),
    );
    fc.assert(
      fc.property(mutation, ([m, n, kind, at, mask]) => {
        let [size1, size2, root1, root2] = [m, n, rootAt(m), rootAt(n)];
        const path: Buffer[] = tree.consistencyProof(m, n).map((p) => Buffer.from(p));
        switch (kind) {
          case 'flip-proof':
            path[at % path.length][at % 32] ^= mask;
            break;
          case 'flip-root1':
            root1 = Buffer.from(root1);
            root1[at % 32] ^= mask;
            break;
          case 'flip-root2':
            root2 = Buffer.from(root2);
            root2[at % 32] ^= mask;
            break;
          case 'drop':
            path.splice(at % path.length, 1);
            break;
          case 'extra':
            path.splice(at % (path.length + 1), 0, leaves[at % LARGEST]);
            break;
          case 'size1':
            size1 = at % (n + 1);
            fc.pre(size1 !== m);
            root1 = rootAt(size1);
            break;
          case 'size2':
            size2 = m + (at % (LARGEST - m + 1));
            fc.pre(size2 !== n);
            root2 = rootAt(size2);
            break;
          case 'swap-roots':
            [root1, root2] = [root2, root1];
            break;
        }
        expect(() => verifyConsistency(size1, size2, path, root1, root2)).toThrow(ProofError);
      }),
      { numRuns: 500 },
    );
  });
});

describe('plans', () => {
  it('list each node once, only nodes complete at that size, and at most about 2·log2(n) of them', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), ([m, n], at) => {
        const index = at % n;
        const log = Math.ceil(Math.log2(n + 1));
        for (const plan of [rootPlan(n), inclusionPlan(index, n), consistencyPlan(m, n)]) {
          const keys = plan.refs.map((r) => `${r.level}/${r.index}`);
          expect(new Set(keys).size).toBe(keys.length);
          for (const ref of plan.refs) expect((ref.index + 1) * 2 ** ref.level).toBeLessThanOrEqual(n);
          expect(plan.refs.length).toBeLessThanOrEqual(2 * log);
          expect(plan.groups.reduce((a, b) => a + b, 0)).toBe(plan.refs.length);
        }
      }),
    );
  });

  it('for a tree of 1,000,000 leaves need at most 2·log2(n) nodes', () => {
    const n = 1_000_000;
    const bound = 2 * Math.log2(n); // ≈ 39.9
    expect(rootPlan(n).refs.length).toBe(7); // 1,000,000 has 7 one bits
    let worst = 0;
    for (let i = 0; i < n; i += 997) worst = Math.max(worst, inclusionPlan(i, n).refs.length, consistencyPlan(i + 1, n).refs.length);
    for (const i of [0, 1, n - 2, n - 1, 524_287, 524_288, 999_423]) {
      worst = Math.max(worst, inclusionPlan(i, n).refs.length, consistencyPlan(i + 1, n).refs.length);
    }
    expect(worst).toBeLessThanOrEqual(bound);
  });

  it('can be fetched together in one batch', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), ([m, n], at) => {
        const index = at % n;
        const plans = [rootPlan(m), rootPlan(n), inclusionPlan(index, n), consistencyPlan(m, n)] as const;
        const batch = batchPlans(plans);
        const [r1, r2, inclusion, consistency] = batch.split(tree.nodes(batch.refs));
        expect(assembleRoot(plans[0], r1)).toEqual(rootAt(m));
        expect(assembleRoot(plans[1], r2)).toEqual(rootAt(n));
        expect(assembleInclusion(plans[2], inclusion)).toEqual(tree.inclusionProof(index, n));
        expect(assembleConsistency(plans[3], consistency)).toEqual(tree.consistencyProof(m, n));
      }),
      { numRuns: 50 },
    );
  });

  it('refuse sizes and indexes out of range', () => {
    expect(() => inclusionPlan(5, 5)).toThrow(RangeError);
    expect(() => inclusionPlan(0, 0)).toThrow(RangeError);
    expect(() => consistencyPlan(6, 5)).toThrow(RangeError);
    expect(() => rootPlan(-1)).toThrow(RangeError);
    expect(() => rootPlan(2 ** 53)).toThrow(RangeError);
    expect(() => tree.root(LARGEST + 1)).toThrow(RangeError);
    expect(() => assembleRoot(rootPlan(3), [leaves[0]])).toThrow(RangeError);
  });
});
