import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeBase64Strict, encodeBase64, utf8 } from './bytes';
import { leafHash, nodeHash, verifyInclusion } from './merkle';
import { TESSERA_ENTRIES, mth, path } from './testing';

/**
 * The browser's Merkle verifier against the public vectors, read in place from ../shared/vectors (never
 * copied into the repository): transparency-dev/merkle's RFC 6962 inclusion vectors, happy paths and
 * the mutations a verifier must reject; and the tree of Tessera's 15-entry test log, whose roots its
 * signed checkpoints state.
 */
function vectorsPath(...parts: string[]): string {
  const candidates = [resolve(process.cwd(), '../shared/vectors'), resolve(__dirname, '../../../../../../shared/vectors')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`the public test vectors are expected at ${candidates[0]} (read in place, never copied)`);
  return join(found, ...parts);
}

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

/** Lenient on purpose for the vectors' own fields: "" is 0 bytes, which the verifier must refuse as a hash. */
const b64 = (text: string): Uint8Array<ArrayBuffer> => decodeBase64Strict(text) ?? new Uint8Array(0);

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

const inclusionDir = vectorsPath('rfc6962/inclusion');
const inclusionVectors: Array<[string, InclusionVector]> = readdirSync(inclusionDir)
  .sort()
  .flatMap((group) =>
    readdirSync(join(inclusionDir, group))
      .sort()
      .map((file): [string, InclusionVector] => [`${group}/${file}`, JSON.parse(readFileSync(join(inclusionDir, group, file), 'utf8')) as InclusionVector]),
  );

describe('leaf and node hashes (RFC 6962 §2.1)', () => {
  it('prefixes a leaf with 0x00 and a node with 0x01', async () => {
    // SHA-256 of the single byte 0x00: the RFC 6962 hash of the empty leaf.
    expect(encodeBase64(await leafHash(new Uint8Array(0)))).toBe('bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=');
    const a = await leafHash(utf8('a'));
    const b = await leafHash(utf8('b'));
    const expected = new Uint8Array(await crypto.subtle.digest('SHA-256', Uint8Array.from([0x01, ...a, ...b])));
    expect(await nodeHash(a, b)).toEqual(expected);
    expect(() => nodeHash(a, a.subarray(1))).toThrow(RangeError);
  });
});

describe('RFC 6962 inclusion vectors of transparency-dev/merkle', () => {
  it('reads every vector, happy paths and mutations', () => {
    expect(inclusionVectors.filter(([, v]) => !v.wantErr).length).toBeGreaterThanOrEqual(6);
    expect(inclusionVectors.filter(([, v]) => v.wantErr).length).toBeGreaterThan(50);
  });

  it.each(inclusionVectors)('%s', async (_name, v) => {
    const code = await codeOf(() => verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root)));
    if (v.wantErr) expect(code).not.toBe('ok');
    else expect(code).toBe('ok');
  });
});

describe('the tree of the Tessera test log', () => {
  const leaves = TESSERA_ENTRIES.map(utf8);

  it('has the root of size 15 the README states', async () => {
    expect(encodeBase64(await mth(leaves))).toBe('rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=');
  });

  it('verifies the audit path of every leaf in every tree size up to 15, and refuses it at another index or against the next tree’s root', async () => {
    for (let n = 1; n <= leaves.length; n++) {
      const root = await mth(leaves.slice(0, n));
      const nextRoot = await mth(leaves.slice(0, n + 1));
      for (let m = 0; m < n; m++) {
        const proof = await path(m, leaves.slice(0, n));
        const leaf = await leafHash(leaves[m]);
        await expect(verifyInclusion(m, n, leaf, proof, root)).resolves.toBeUndefined();
        if (n > 1) expect(await codeOf(() => verifyInclusion((m + 1) % n, n, leaf, proof, root))).not.toBe('ok');
        if (n < leaves.length) expect(await codeOf(() => verifyInclusion(m, n + 1, leaf, proof, nextRoot))).not.toBe('ok');
      }
    }
  });

  it('says which part is wrong when a byte is flipped or the proof has the wrong length', async () => {
    const root = await mth(leaves);
    const proof = await path(6, leaves);
    const leaf = await leafHash(leaves[6]);
    const flip = (bytes: Uint8Array, at: number) => {
      const copy = Uint8Array.from(bytes);
      copy[at] ^= 0x01;
      return copy;
    };
    expect(await codeOf(() => verifyInclusion(6, 15, flip(leaf, 0), proof, root))).toBe('root-mismatch');
    expect(await codeOf(() => verifyInclusion(6, 15, leaf, [proof[0], flip(proof[1], 31), ...proof.slice(2)], root))).toBe('root-mismatch');
    expect(await codeOf(() => verifyInclusion(6, 15, leaf, proof, flip(root, 17)))).toBe('root-mismatch');
    expect(await codeOf(() => verifyInclusion(6, 15, leaf, proof.slice(1), root))).toBe('proof-too-short');
    expect(await codeOf(() => verifyInclusion(6, 15, leaf, [...proof, proof[0]], root))).toBe('proof-too-long');
    expect(await codeOf(() => verifyInclusion(15, 15, leaf, proof, root))).toBe('index-out-of-range');
    expect(await codeOf(() => verifyInclusion(-1, 15, leaf, proof, root))).toBe('bad-size');
    expect(await codeOf(() => verifyInclusion(6, 15, leaf.subarray(1), proof, root))).toBe('bad-hash');
  });
});
