import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sharedPath } from '../../../test/support/shared';
import { leafHash } from './leaf-hash';

describe('leafHash (RFC 6962 §2.1)', () => {
  it('hashes the empty entry as SHA-256(0x00)', () => {
    expect(leafHash(new Uint8Array()).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });

  it('gives the root of the one-entry Tessera test log: the leaf hash of its entry "one"', () => {
    // A tree of size 1 has its only leaf hash as root; checkpoint.1 of the Tessera vectors states it.
    const checkpoint = readFileSync(sharedPath('vectors/tlog-checkpoint/tessera-checkpoint.1'), 'utf8').split('\n');
    expect(checkpoint[1]).toBe('1');
    expect(leafHash(Buffer.from('one', 'ascii')).toString('base64')).toBe(checkpoint[2]);
  });

  it('differs from a plain SHA-256 of the entry (domain separation)', () => {
    const entry = Buffer.from('one');
    expect(leafHash(entry).toString('hex')).not.toBe(createHash('sha256').update(entry).digest('hex'));
  });
});
