import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sharedPath } from '../../../test/support/shared';
import { CheckpointError, cosignCheckpoint, formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint';
import { leafHash } from './leaf-hash';
import { EMPTY_ROOT } from './merkle-hash';
import { TreeBuilder } from './merkle-tree-builder';
import { cosignatureTimestamp } from './cosignature';
import { SIGNATURE_TYPE_ED25519, formatKeyId, generateNoteKey, noteKeyId, parseVerifierKey } from './note-keys';
import { signNote, verifyNote } from './signed-note';
import { referenceRoot } from './testing/rfc9162-reference';
import { VerificationError } from './verification-error';

/** The Tessera test log of ../shared/vectors/README.md: its key, its entries, its 16 checkpoints. */
const TESSERA_VKEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';
const TESSERA_WORDS = 'one two three four five six seven eit nain ten ileven twelf threeten fourten fivten'.split(' ');
const tessera = (n: number) => readFileSync(sharedPath(`vectors/tlog-checkpoint/tessera-checkpoint.${n}`));

/** The last base64 digit of 32 bytes carries 4 bits and 2 zero padding bits: set one of these. */
function nonZeroPaddingBits(digit: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return alphabet[alphabet.indexOf(digit) ^ 1];
}

/** The base64 key data of a vkey (after 2 '+') or skey (after 4): base64 has '+' too. */
function keyData(key: string, plusSigns: number): string {
  let at = -1;
  for (let i = 0; i < plusSigns; i++) at = key.indexOf('+', at + 1);
  return key.slice(at + 1);
}

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof VerificationError) return error.code;
    throw error;
  }
}

describe('the Tessera test checkpoints', () => {
  it.each(Array.from({ length: 16 }, (_, n) => n))('checkpoint.%i verifies and commits to the first N words', (n) => {
    const { checkpoint, note } = verifyCheckpoint(tessera(n), TESSERA_VKEY);
    expect(note.verified.map((s) => s.name)).toEqual(['example.com/log/testdata']);
    expect(checkpoint.origin).toBe('example.com/log/testdata');
    expect(checkpoint.size).toBe(n);
    expect(checkpoint.extensions).toEqual([]);
    const leaves = TESSERA_WORDS.slice(0, n).map((word) => leafHash(Buffer.from(word, 'ascii')));
    const builder = new TreeBuilder();
    leaves.forEach((leaf) => builder.append(leaf));
    expect(checkpoint.rootHash).toEqual(builder.root());
    expect(checkpoint.rootHash).toEqual(referenceRoot(leaves));
  });

  it('ends with the root given in the README, and starts with the empty root', () => {
    expect(verifyCheckpoint(tessera(15), TESSERA_VKEY).checkpoint.rootHash.toString('base64')).toBe('rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=');
    expect(verifyCheckpoint(tessera(0), TESSERA_VKEY).checkpoint.rootHash).toEqual(EMPTY_ROOT);
  });

  it('rejects every single flipped bit of a checkpoint, and a tampered key', () => {
    const bytes = tessera(7);
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0x01, 0x20]) {
        const copy = Buffer.from(bytes);
        copy[i] ^= bit;
        expect([i, bit, codeOf(() => verifyCheckpoint(copy, TESSERA_VKEY))]).not.toEqual([i, bit, 'ok']);
      }
    }
    const tampered = TESSERA_VKEY.replace('AeHTu4Q3', 'AeHTu4Q4');
    expect(codeOf(() => verifyCheckpoint(bytes, tampered))).toBe('key-id-mismatch');
    expect(codeOf(() => verifyCheckpoint(bytes, generateNoteKey('example.com/log/testdata').vkey))).toBe('no-known-signature');
  });

  it('with another origin expected, fails on the origin', () => {
    expect(codeOf(() => verifyCheckpoint(tessera(3), TESSERA_VKEY, { origin: 'example.com/other' }))).toBe('origin-mismatch');
  });
});

describe('our checkpoints', () => {
  const log = generateNoteKey('mel.example/contrat-de-ville');
  const root = leafHash(Buffer.from('a root'));

  it('round-trip through sign and verify, with extension lines', () => {
    const note = signCheckpoint({ origin: 'mel.example/contrat-de-ville', size: 1234, rootHash: root, extensions: ['meeting 2026-11-26'] }, log.skey);
    const [body, signatures] = note.split('\n\n');
    expect(body).toMatch(/^mel\.example\/contrat-de-ville\n1234\n[A-Za-z0-9+/]{43}=\nmeeting 2026-11-26$/);
    expect(signatures).toMatch(/^— mel\.example\/contrat-de-ville [A-Za-z0-9+/]{91}=\n$/); // base64 of 4 + 64 bytes
    const { checkpoint } = verifyCheckpoint(note, log.vkey);
    expect(checkpoint).toEqual({ origin: 'mel.example/contrat-de-ville', size: 1234, rootHash: root, extensions: ['meeting 2026-11-26'] });
  });

  it('reject a tampered body, signature or key', () => {
    const note = signCheckpoint({ origin: 'mel.example/contrat-de-ville', size: 10, rootHash: root }, log.skey);
    expect(codeOf(() => verifyCheckpoint(note.replace('\n10\n', '\n11\n'), log.vkey))).toBe('bad-signature');
    const body = note.slice(0, note.indexOf('\n\n') + 1);
    const otherRoot = leafHash(Buffer.from('another root')).toString('base64');
    expect(codeOf(() => verifyCheckpoint(note.replace(root.toString('base64'), otherRoot), log.vkey))).toBe('bad-signature');
    const sig = note.slice(body.length + 1);
    const at = sig.length - 10;
    const badSig = sig.slice(0, at) + (sig[at] === 'x' ? 'y' : 'x') + sig.slice(at + 1);
    expect(codeOf(() => verifyCheckpoint(`${body}\n${badSig}`, log.vkey))).toBe('bad-signature');
    expect(codeOf(() => verifyCheckpoint(note, generateNoteKey('mel.example/contrat-de-ville').vkey))).toBe('no-known-signature');
  });

  it('are parsed strictly', () => {
    const r = root.toString('base64');
    const bad: Record<string, string> = {
      'no final newline': `o\n1\n${r}`,
      'two lines': `o\n1\n`,
      'an empty origin': `\n1\n${r}\n`,
      'a leading zero': `o\n01\n${r}\n`,
      'a plus sign': `o\n+1\n${r}\n`,
      'a space': `o\n 1\n${r}\n`,
      'a negative size': `o\n-1\n${r}\n`,
      'hex': `o\n0x10\n${r}\n`,
      'beyond 2^53': `o\n9007199254740993\n${r}\n`,
      'a short root': `o\n1\n${r.slice(4)}\n`,
      'a root without padding': `o\n1\n${r.slice(0, -1)}\n`,
      'a non-canonical root': `o\n1\n${r.slice(0, -2)}${nonZeroPaddingBits(r.at(-2)!)}=\n`,
      'an empty extension line': `o\n1\n${r}\n\next\n`,
    };
    for (const [what, text] of Object.entries(bad)) {
      expect([what, codeOf(() => parseCheckpoint(text))]).toEqual([what, 'malformed-checkpoint']);
    }
    expect(parseCheckpoint(`o\n0\n${r}\n`).size).toBe(0);
    expect(() => formatCheckpoint({ origin: 'o\n2', size: 1, rootHash: root })).toThrow(RangeError);
    expect(() => formatCheckpoint({ origin: 'o', size: 1.5, rootHash: root })).toThrow(RangeError);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: root.subarray(1) })).toThrow(CheckpointError);
  });
});

describe('witness cosignatures (c2sp.org/tlog-cosignature)', () => {
  const log = generateNoteKey('mel.example/log');
  const w1 = generateNoteKey('witness1.example/w', 'cosignature/v1');
  const w2 = generateNoteKey('witness2.example/w', 'cosignature/v1');
  const signed = signCheckpoint({ origin: 'mel.example/log', size: 5, rootHash: leafHash(Buffer.from('r')) }, log.skey);
  const body = signed.slice(0, signed.indexOf('\n\n') + 1);
  const T = 1_767_225_600; // 2026-01-01T00:00:00Z

  it('uses type 0x04 keys, whose key ID hashes the type 0x04', () => {
    expect(Buffer.from(keyData(w1.vkey, 2), 'base64')[0]).toBe(0x04);
    expect(parseVerifierKey(w1.vkey).type).toBe('cosignature/v1');
    // A witness's published key (from transparency-dev/formats' tests): its key ID is over type 0x04.
    const remora = parseVerifierKey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
    expect([remora.type, formatKeyId(remora.keyId)]).toEqual(['cosignature/v1', 'da77ade7']);
    expect(formatKeyId(noteKeyId('remora.n621.de', SIGNATURE_TYPE_ED25519, remora.publicKey))).not.toBe('da77ade7');
  });

  it('are timestamped signatures of "cosignature/v1", the time and the checkpoint body', () => {
    const cosigned = cosignCheckpoint(signed, w1.skey, { logVkey: log.vkey, timestamp: T });
    expect(cosigned.startsWith(signed)).toBe(true);
    const line = cosigned.slice(signed.length);
    const bytes = Buffer.from(line.slice(line.lastIndexOf(' ') + 1, -1), 'base64');
    expect(bytes).toHaveLength(4 + 8 + 64);
    expect(bytes.readBigUInt64BE(4)).toBe(BigInt(T));
    // Checked here with node:crypto directly over the message of the spec.
    const raw = Buffer.from(keyData(w1.vkey, 2), 'base64').subarray(1);
    const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(`cosignature/v1\ntime ${T}\n${body}`), key, bytes.subarray(12))).toBe(true);
  });

  it('verify with the log signature, count towards a quorum, and ignore unknown witnesses', () => {
    const cosigned = cosignCheckpoint(cosignCheckpoint(signed, w1.skey, { logVkey: log.vkey, timestamp: T }), w2.skey, {
      logVkey: log.vkey,
      timestamp: T + 1,
    });
    const result = verifyCheckpoint(cosigned, log.vkey, { witnesses: [w1.vkey, w2.vkey], quorum: 2 });
    expect(result.cosignatures.every((c) => cosigned.includes(`${c.line}\n`))).toBe(true);
    expect(result.cosignatures.map((c) => [c.name, c.timestamp])).toEqual([
      ['witness1.example/w', T],
      ['witness2.example/w', T + 1],
    ]);
    expect(verifyCheckpoint(cosigned, log.vkey).cosignatures).toEqual([]); // witnesses unknown: ignored
    expect(codeOf(() => verifyCheckpoint(cosigned, log.vkey, { witnesses: [w1.vkey], quorum: 2 }))).toBe('too-few-cosignatures');
    expect(codeOf(() => verifyCheckpoint(cosigned, log.vkey, { witnesses: [w1.vkey, w2.vkey], now: T }))).toBe('cosignature-in-future');
  });

  it('reject a changed timestamp, a cosignature moved to another body, and a witness without the log', () => {
    const cosigned = cosignCheckpoint(signed, w1.skey, { logVkey: log.vkey, timestamp: T });
    const line = cosigned.slice(signed.length);
    const bytes = Buffer.from(line.slice(line.lastIndexOf(' ') + 1, -1), 'base64');
    bytes.writeBigUInt64BE(BigInt(T + 1), 4);
    const retimed = `${signed}— witness1.example/w ${bytes.toString('base64')}\n`;
    expect(codeOf(() => verifyCheckpoint(retimed, log.vkey, { witnesses: [w1.vkey] }))).toBe('bad-signature');

    const other = signCheckpoint({ origin: 'mel.example/log', size: 6, rootHash: leafHash(Buffer.from('s')) }, log.skey);
    expect(codeOf(() => verifyCheckpoint(other + line, log.vkey, { witnesses: [w1.vkey] }))).toBe('bad-signature');

    const witnessOnly = `${body}\n${line}`;
    expect(codeOf(() => verifyCheckpoint(witnessOnly, log.vkey, { witnesses: [w1.vkey] }))).toBe('missing-log-signature');
    expect(codeOf(() => cosignCheckpoint(witnessOnly, w2.skey, { logVkey: log.vkey }))).toBe('no-known-signature');
  });

  it('are not plain signatures: the key ID depends on the type, and a plain signature under a 0x04 key ID fails', () => {
    const cosigned = cosignCheckpoint(signed, w1.skey, { logVkey: log.vkey, timestamp: T });
    // The same Ed25519 key and name as a type 0x01 key: another key ID, so the cosignature is unknown to it…
    const { name, publicKey } = parseVerifierKey(w1.vkey);
    const plainId = formatKeyId(noteKeyId(name, SIGNATURE_TYPE_ED25519, publicKey));
    const plainVkey = `${name}+${plainId}+${Buffer.concat([Buffer.from([1]), publicKey]).toString('base64')}`;
    expect(codeOf(() => verifyNote(cosigned, plainVkey))).toBe('no-known-signature');
    // …and its plain signature, relabelled with the 0x04 key ID, is not a cosignature.
    const seed = Buffer.from(keyData(w1.skey, 4), 'base64').subarray(1);
    const plainSkey = `PRIVATE+KEY+${name}+${plainId}+${Buffer.concat([Buffer.from([1]), seed]).toString('base64')}`;
    const plainLine = signNote(body, plainSkey).slice(body.length + 1);
    const sig = Buffer.from(plainLine.slice(plainLine.lastIndexOf(' ') + 1, -1), 'base64');
    sig.writeUInt32BE(parseVerifierKey(w1.vkey).keyId, 0);
    const relabelled = `${signed}— ${name} ${sig.toString('base64')}\n`;
    expect(codeOf(() => verifyCheckpoint(relabelled, log.vkey, { witnesses: [w1.vkey] }))).toBe('bad-signature');
    // Keys of the wrong type are refused where a type is required.
    expect(codeOf(() => cosignCheckpoint(signed, log.skey, { logVkey: log.vkey }))).toBe('unknown-key-type');
    expect(codeOf(() => verifyCheckpoint(signed, log.vkey, { witnesses: [log.vkey] }))).toBe('unknown-key-type');
    expect(codeOf(() => verifyCheckpoint(signed, w1.vkey))).toBe('unknown-key-type');
  });

  it('carry the timestamp of the C2SP example in their first 8 bytes', () => {
    // From c2sp.org/tlog-cosignature: "— witness.example.com/w1 jWbPPw…", signed at "time 1679315147".
    const example = Buffer.from('jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==', 'base64');
    expect(example).toHaveLength(4 + 72);
    expect(cosignatureTimestamp(example.subarray(4))).toBe(1679315147);
  });
});
