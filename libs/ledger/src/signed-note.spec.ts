import { createHash } from 'node:crypto';
import { KeyError, generateNoteKey, parseSignerKey, parseVerifierKey, verifierKeyOf } from './note-keys';
import { NoteError, addSignatures, parseNote, signNote, verifyNote } from './signed-note';
import { VerificationError } from './verification-error';

/**
 * The example of golang.org/x/mod/sumdb/note's documentation (a few public constants): Ed25519 is
 * deterministic, so signing its text with its skey must give its signature line byte for byte.
 */
const GO = {
  skey: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  line: '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
};
const goNote = `${GO.text}\n${GO.line}`;

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof VerificationError) return error.code;
    throw error;
  }
}

describe('signed notes', () => {
  it('reproduces and verifies the Go reference example', () => {
    expect(signNote(GO.text, GO.skey)).toBe(goNote);
    expect(verifierKeyOf(GO.skey)).toBe(GO.vkey);
    const note = verifyNote(goNote, GO.vkey);
    expect(note.text).toBe(GO.text);
    expect(note.verified).toEqual([{ name: 'PeterNeumann', keyId: 0xc74f20a3, type: 'ed25519', vkey: GO.vkey, line: GO.line.slice(0, -1) }]);
    expect(note.unknown).toEqual([]);
  });

  it('generates keys in the vkey/skey text forms, the key ID hashing name, newline, type and public key', () => {
    const { skey, vkey } = generateNoteKey('mel.example/ledger');
    expect(vkey).toMatch(/^mel\.example\/ledger\+[0-9a-f]{8}\+A[Q-Za-f][A-Za-z0-9+/]{42}$/); // base64(0x01 || 32 bytes)
    expect(skey).toMatch(/^PRIVATE\+KEY\+mel\.example\/ledger\+[0-9a-f]{8}\+A[Q-Za-f][A-Za-z0-9+/]{42}$/);
    const key = parseVerifierKey(vkey);
    const id = createHash('sha256').update('mel.example/ledger\n\x01').update(key.publicKey).digest().readUInt32BE(0);
    expect(key.keyId).toBe(id);
    expect(vkey.split('+')[1]).toBe(id.toString(16).padStart(8, '0'));
    expect(parseSignerKey(skey).vkey).toBe(vkey);
    expect(verifyNote(signNote('hello\n', skey), vkey).text).toBe('hello\n');
  });

  it('reads published vkeys, including one whose base64 has a plus sign', () => {
    // From transparency-dev/formats' tests.
    const key = parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6');
    expect([key.name, key.keyId, key.type, key.publicKey.length]).toEqual(['TEST', 0x7997405c, 'ed25519', 32]);
  });

  it('refuses malformed keys, and never puts an skey in an error', () => {
    const { skey, vkey } = generateNoteKey('a.example/k');
    const [name, id, data] = [vkey.slice(0, vkey.indexOf('+')), vkey.split('+')[1], vkey.slice(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1)];
    const flipped = data.slice(0, 10) + (data[10] === 'A' ? 'B' : 'A') + data.slice(11);
    expect(codeOf(() => parseVerifierKey(`${name}+${id}+${flipped}`))).toBe('key-id-mismatch');
    expect(codeOf(() => parseVerifierKey(`${name}+00000000+${data}`))).toBe('key-id-mismatch');
    expect(codeOf(() => parseVerifierKey(`other.example/k+${id}+${data}`))).toBe('key-id-mismatch');
    expect(codeOf(() => parseVerifierKey(`${name}+${id.slice(1)}+${data}`))).toBe('malformed-key');
    expect(codeOf(() => parseVerifierKey(`${name}+${id}`))).toBe('malformed-key');
    expect(codeOf(() => parseVerifierKey(`${name}+${id}+${data.slice(0, -4)}`))).toBe('malformed-key');
    expect(codeOf(() => parseVerifierKey(`${name}+${id}+Ag${data.slice(2)}`))).toBe('unknown-key-type');
    expect(codeOf(() => parseVerifierKey(`+${id}+${data}`))).toBe('bad-key-name');
    expect(codeOf(() => parseVerifierKey(`a b+${id}+${data}`))).toBe('bad-key-name');
    expect(codeOf(() => generateNoteKey('has\u00a0space'))).toBe('bad-key-name');
    expect(codeOf(() => parseSignerKey(skey.replace('PRIVATE+KEY+', 'PRIVATE+KEYS+')))).toBe('malformed-key');
    expect(codeOf(() => parseSignerKey(skey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')))).toBe('key-id-mismatch');
    for (const bad of [skey.replace('+A', '+B'), skey.slice(0, -3), skey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')]) {
      try {
        parseSignerKey(bad);
      } catch (error) {
        expect(error).toBeInstanceOf(KeyError);
        expect((error as Error).message).not.toContain(skey.slice(skey.lastIndexOf('+') + 1));
      }
    }
  });

  it('ignores unknown signers but requires one known valid signature', () => {
    const a = generateNoteKey('a.example/log');
    const b = generateNoteKey('b.example/log');
    const note = signNote('two signers\n', [a.skey, b.skey]);
    const byA = verifyNote(note, a.vkey);
    expect(byA.verified.map((s) => s.name)).toEqual(['a.example/log']);
    expect(byA.unknown.map((s) => s.name)).toEqual(['b.example/log']);
    expect(verifyNote(note, [a.vkey, b.vkey]).verified).toHaveLength(2);
    expect(codeOf(() => verifyNote(note, generateNoteKey('c.example/log').vkey))).toBe('no-known-signature');
    expect(codeOf(() => verifyNote(note, []))).toBe('no-known-signature');
    // Same name, other key (so another key ID): unknown, ignored.
    expect(codeOf(() => verifyNote(note, generateNoteKey('a.example/log').vkey))).toBe('no-known-signature');
  });

  it("rejects the note when a known key's signature fails, even beside a valid one", () => {
    const a = generateNoteKey('a.example/log');
    const b = generateNoteKey('b.example/log');
    const signedByA = signNote('the text\n', a.skey);
    const otherByB = signNote('another text\n', b.skey);
    const forged = signedByA + otherByB.slice(otherByB.indexOf('— '));
    expect(codeOf(() => verifyNote(forged, a.vkey))).toBe('ok'); // b unknown: ignored
    expect(codeOf(() => verifyNote(forged, [a.vkey, b.vkey]))).toBe('bad-signature');
  });

  it('rejects a tampered text, signature or key', () => {
    const { skey, vkey } = generateNoteKey('a.example/log');
    const note = signNote('origin\n42\n', skey);
    expect(codeOf(() => verifyNote(note.replace('42', '43'), vkey))).toBe('bad-signature');
    const sigAt = note.lastIndexOf(' ') + 20;
    const flipped = note.slice(0, sigAt) + (note[sigAt] === 'A' ? 'B' : 'A') + note.slice(sigAt + 1);
    expect(codeOf(() => verifyNote(flipped, vkey))).toBe('bad-signature');
    const bytes = Buffer.from(note);
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] ^= 0x01;
      expect(codeOf(() => verifyNote(copy, vkey))).not.toBe('ok');
    }
    expect(codeOf(() => verifyNote(note, vkey.slice(0, -2) + (vkey.at(-2) === 'A' ? 'B=' : 'A=')))).not.toBe('ok');
  });

  it('separates the text from the signatures at the last blank line', () => {
    const { skey, vkey } = generateNoteKey('a.example/log');
    const text = 'paragraph one\n\nparagraph two\n';
    expect(verifyNote(signNote(text, skey), vkey).text).toBe(text);
  });

  it('rejects malformed notes', () => {
    const { skey, vkey } = generateNoteKey('a.example/log');
    const note = signNote('text\n', skey);
    const line = note.slice(note.indexOf('— '));
    const cases: Record<string, string | Uint8Array> = {
      'no blank line': `text\n${line}`,
      'no final newline': note.slice(0, -1),
      'no signature': 'text\n\n',
      'a carriage return': note.replace('text\n', 'text\r\n'),
      'a tab': note.replace('text', 'te\txt'),
      'hyphens for the dash': note.replace('— ', '-- '),
      'no space after the dash': note.replace('— ', '—'),
      'a name with a plus': note.replace('— a.example/log', '— a.example+log'),
      'no signature after the name': note.replace(/ [A-Za-z0-9+/=]+\n$/, '\n'),
      'a signature of 4 bytes': note.replace(/ [A-Za-z0-9+/=]+\n$/, ' AAAAAA==\n'),
      'non-canonical base64': note.replace(/=\n$/, '\n'),
      'invalid UTF-8': Buffer.concat([Buffer.from('te'), Buffer.from([0xff]), Buffer.from(note.slice(2))]),
      'a lone surrogate': note.replace('text', 'te\ud800xt'),
    };
    for (const [what, bad] of Object.entries(cases)) {
      expect([what, codeOf(() => verifyNote(bad, vkey))]).toEqual([what, 'malformed']);
    }
    // A blank line among the signatures makes the lines above it part of the text (the LAST blank line
    // separates), so the signature no longer matches.
    expect(codeOf(() => verifyNote(`${note}\n${line}`, vkey))).toBe('bad-signature');
  });

  it('rejects over-long notes and too many signatures', () => {
    const { skey, vkey } = generateNoteKey('a.example/log');
    const long = signNote(`${'x'.repeat(1 << 20)}\n`, skey);
    expect(codeOf(() => verifyNote(long, vkey))).toBe('too-long');
    expect(codeOf(() => verifyNote(long, vkey, { maxBytes: 2 << 20 }))).toBe('ok');
    const note = signNote('text\n', skey);
    expect(codeOf(() => verifyNote(note, vkey, { maxBytes: 50 }))).toBe('too-long');
    const others = Array.from({ length: 100 }, (_, i) => generateNoteKey(`w${i}.example`).skey);
    const crowded = addSignatures(note, others);
    expect(parseNote(crowded, { maxSignatures: 101 }).signatures).toHaveLength(101);
    expect(codeOf(() => verifyNote(crowded, vkey))).toBe('too-many-signatures');
    expect(codeOf(() => verifyNote(addSignatures(note, others.slice(0, 15)), vkey))).toBe('ok'); // 16 accepted
  });

  it('adds signatures to a note, replacing a line of the same key', () => {
    const a = generateNoteKey('a.example/log');
    const b = generateNoteKey('b.example/w');
    const note = signNote('text\n', a.skey);
    const both = addSignatures(note, b.skey);
    expect(both.startsWith(note)).toBe(true);
    expect(addSignatures(both, b.skey)).toBe(both); // Ed25519 is deterministic: same line, once
    expect(verifyNote(both, [a.vkey, b.vkey]).verified).toHaveLength(2);
  });

  it('refuses to sign a text that a verifier would refuse', () => {
    const { skey } = generateNoteKey('a.example/log');
    expect(() => signNote('no newline', skey)).toThrow(RangeError);
    expect(() => signNote('a\ttab\n', skey)).toThrow(RangeError);
    expect(() => signNote('text\n', [])).toThrow(RangeError);
  });

  it('keeps NoteError for the note and KeyError for keys', () => {
    expect(() => verifyNote('x', GO.vkey)).toThrow(NoteError);
    expect(() => verifyNote(goNote, 'nonsense')).toThrow(KeyError);
  });
});
