import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../../../test/support/shared';
import { ProofError, verifyConsistency, verifyInclusion } from './merkle-verify';

/**
 * The RFC 6962 test vectors of transparency-dev/merkle (../shared/vectors/rfc6962, read in place):
 * each happy path verifies, each mutation (wantErr) is rejected with a ProofError.
 */
const root = sharedPath('vectors/rfc6962');

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

function vectors<T>(kind: string): Array<[string, T]> {
  const dir = join(root, kind);
  return readdirSync(dir)
    .sort()
    .flatMap((group) =>
      readdirSync(join(dir, group))
        .sort()
        .map((file): [string, T] => [`${group}/${file}`, JSON.parse(readFileSync(join(dir, group, file), 'utf8')) as T]),
    );
}

const b64 = (text: string): Buffer => Buffer.from(text, 'base64');

describe('RFC 6962 inclusion vectors', () => {
  const all = vectors<InclusionVector>('inclusion');

  it('reads every vector (5 trees and the single-entry cases)', () => {
    expect(all.length).toBeGreaterThanOrEqual(80);
    expect(all.filter(([, v]) => !v.wantErr).length).toBe(6);
  });

  it.each(all)('%s', (_, v) => {
    // leafIdx-sub-@1 of tree 0 is 2^64 - 1: JSON.parse rounds it to a double beyond 2^53, refused as a size.
    const run = () => verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
    if (v.wantErr) expect(run).toThrow(ProofError);
    else expect(run).not.toThrow();
  });
});

describe('RFC 6962 consistency vectors', () => {
  const all = vectors<ConsistencyVector>('consistency');

  it('reads every vector', () => {
    expect(all.length).toBeGreaterThanOrEqual(70);
    expect(all.filter(([, v]) => !v.wantErr).length).toBe(5);
  });

  it.each(all)('%s', (_, v) => {
    const run = () => verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
    if (v.wantErr) expect(run).toThrow(ProofError);
    else expect(run).not.toThrow();
  });
});

describe('verification reasons', () => {
  const inclusion = JSON.parse(readFileSync(join(root, 'inclusion/1/happy-path.json'), 'utf8')) as InclusionVector;
  const proof = inclusion.proof!.map(b64);
  const verify = (index: number, size: number, p: Buffer[], leaf = b64(inclusion.leafHash), r = b64(inclusion.root)) => {
    try {
      verifyInclusion(index, size, leaf, p, r);
      return 'ok';
    } catch (error) {
      return (error as ProofError).code;
    }
  };

  it('names why an inclusion proof fails', () => {
    expect(verify(0, 8, proof)).toBe('ok');
    expect(verify(8, 8, proof)).toBe('index-out-of-range');
    expect(verify(-1, 8, proof)).toBe('bad-size');
    expect(verify(0, 2 ** 64, proof)).toBe('bad-size');
    expect(verify(0, 8, [...proof, proof[0]])).toBe('proof-too-long');
    expect(verify(0, 8, proof.slice(1))).toBe('proof-too-short');
    expect(verify(0, 8, [proof[0].subarray(1), ...proof.slice(1)])).toBe('bad-hash');
    expect(verify(0, 8, proof, b64(inclusion.leafHash).subarray(0, 31))).toBe('bad-hash');
    expect(verify(0, 8, [proof[1], proof[0], proof[2]])).toBe('root-mismatch');
  });

  it('names why a consistency proof fails', () => {
    const v = JSON.parse(readFileSync(join(root, 'consistency/2/happy-path.json'), 'utf8')) as ConsistencyVector;
    const code = (size1: number, size2: number, p: Buffer[], r1 = b64(v.root1), r2 = b64(v.root2)) => {
      try {
        verifyConsistency(size1, size2, p, r1, r2);
        return 'ok';
      } catch (error) {
        return (error as ProofError).code;
      }
    };
    const p = v.proof!.map(b64);
    expect(code(6, 8, p)).toBe('ok');
    expect(code(8, 6, p)).toBe('size-order');
    expect(code(6, 8, [])).toBe('proof-too-short');
    expect(code(6, 8, [...p, p[0]])).toBe('proof-too-long');
    expect(code(6, 6, p)).toBe('proof-too-long');
    expect(code(6, 6, [], b64(v.root1), b64(v.root1))).toBe('ok');
    expect(code(6, 6, [])).toBe('root-mismatch');
    expect(code(0, 8, [])).toBe('root-mismatch'); // root1 must then be the empty tree's root
    expect(code(0, 8, [], Buffer.from('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', 'base64'))).toBe('ok');
    expect(code(6, 8, p, b64(v.root2))).toBe('root-mismatch');
  });
});
