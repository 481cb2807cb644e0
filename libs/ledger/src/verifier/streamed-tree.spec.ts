import fc from 'fast-check';
import { leafHash } from '../leaf-hash';
import { MemoryTree } from '../merkle-memory-tree';
import { batchNodeOffset, checkBatch } from './entry-batches';
import { StreamedTree } from './streamed-tree';

/** The verifier's compact range, fed batch by batch with the inner nodes each batch computed, is the RFC 6962 tree. */
describe('StreamedTree over batches', () => {
  const entries = Array.from({ length: 700 }, (_, i) => Buffer.from(`{"n":${i}}`));
  const reference = new MemoryTree();
  entries.forEach((e) => reference.appendEntry(e));

  /** Splits the entries into batches of the given sizes and runs each batch's pure work. */
  function batches(sizes: number[], count: number) {
    const out = [];
    for (let first = 0, i = 0; first < count; i++) {
      const lines = entries.slice(first, Math.min(count, first + sizes[i % sizes.length]));
      const data = Buffer.concat(lines.flatMap((l) => [Buffer.from([0]), l]));
      const starts = new Uint32Array(lines.length);
      const ends = new Uint32Array(lines.length);
      let at = 0;
      lines.forEach((l, j) => {
        starts[j] = at + 1;
        ends[j] = at + 1 + l.length;
        at = ends[j];
      });
      out.push({ first, count: lines.length, ...checkBatch(first, data, starts, ends) });
      first += lines.length;
    }
    return out;
  }

  it('gives the root at every size and every completed node, whatever the batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), (count, sizes) => {
        const tree = new StreamedTree();
        const wrong: string[] = [];
        let seen = 0;
        let hashed = 0;
        for (const batch of batches(sizes, count)) {
          for (let j = 0; j < batch.count; j++) {
            const leaf = batch.hashes.subarray(32 * j, 32 * j + 32);
            if (!leafHash(entries[batch.first + j]).equals(leaf)) wrong.push(`leaf ${batch.first + j}`);
            tree.append(
              leaf,
              (level, index) => {
                const at = batchNodeOffset(batch.first, batch.count, level, index);
                if (at < 0) {
                  hashed++;
                  return undefined;
                }
                return batch.nodes.subarray(at, at + 32);
              },
              (level, index, hash) => {
                if (!reference.node({ level, index }).equals(hash)) wrong.push(`node ${level}/${index}`);
                seen++;
              },
            );
            if (!tree.root().equals(reference.root(tree.size))) wrong.push(`root ${tree.size}`);
          }
        }
        expect(wrong).toEqual([]);
        expect(seen).toBe(2 * count - popcount(count));
        expect(hashed).toBeLessThanOrEqual(count); // only the nodes across batches are hashed by the caller
        expect(tree.frontier().map((n) => n.hash)).toEqual(reference.nodes(tree.frontier()));
      }),
      { numRuns: 80 },
    );
  });

  it('computes in a batch exactly the perfect subtrees within it', () => {
    const [, batch] = batches([300], 600); // leaves 300..599
    expect(batch.first).toBe(300);
    expect(batchNodeOffset(300, 300, 1, 150)).toBe(0);
    expect(batchNodeOffset(300, 300, 1, 149)).toBe(-1);
    expect(Buffer.from(batch.nodes.subarray(0, 32))).toEqual(reference.node({ level: 1, index: 150 }));
    const at = batchNodeOffset(300, 300, 8, 2); // leaves 512..767: not all in the batch
    expect(at).toBe(-1);
    const l7 = batchNodeOffset(300, 300, 7, 3); // leaves 384..511
    expect(Buffer.from(batch.nodes.subarray(l7, l7 + 32))).toEqual(reference.node({ level: 7, index: 3 }));
  });
});

function popcount(n: number): number {
  let c = 0;
  for (; n > 0; n = Math.floor(n / 2)) c += n % 2;
  return c;
}
