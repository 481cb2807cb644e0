import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeBase64 } from './bytes';
import { parseCheckpoint, verifyCheckpoint } from './checkpoint';
import { parseVerifierKey } from './note-keys';
import { parseNote, verifyNote } from './signed-note';
import { TESSERA_VKEY } from './testing';

/**
 * C2SP signed notes, vkeys and tlog-checkpoints verified with Web Crypto (Ed25519 in crypto.subtle),
 * against Tessera's signed checkpoints (../shared/vectors/tlog-checkpoint, read in place) and the
 * example of golang.org/x/mod/sumdb/note's documentation; node:crypto only makes test keys here.
 */
const tessera = (n: number): string => readFileSync(vectorsPath(`tlog-checkpoint/tessera-checkpoint.${n}`), 'utf8');

/** The public vectors, read in place beside the project (../shared/vectors): never copied into it. */
function vectorsPath(...parts: string[]): string {
  const candidates = [resolve(process.cwd(), '../shared/vectors'), resolve(__dirname, '../../../../../../shared/vectors')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`the public test vectors are expected at ${candidates[0]} (read in place, never copied)`);
  return join(found, ...parts);
}

const GO = {
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  line: '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
};

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** A test key made with node:crypto, in the vkey text form, and a signer of notes with it. */
function testKey(name: string, type = 0x01): { vkey: string; signNote(text: string): string; line(text: string): string; raw: Buffer; sign(message: Buffer): Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const id = createHash('sha256').update(name).update(Buffer.from([0x0a, type])).update(raw).digest().subarray(0, 4);
  const vkey = `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([type]), raw]).toString('base64')}`;
  const line = (text: string) => `— ${name} ${Buffer.concat([id, sign(null, Buffer.from(text, 'utf8'), privateKey)]).toString('base64')}\n`;
  return { vkey, raw, line, signNote: (text) => `${text}\n${line(text)}`, sign: (message) => sign(null, message, privateKey) };
}

/** Flips one bit of the base64 signature of the note's signature line `index` (0-based), in its 64 signature bytes. */
function flipSignature(note: string, index = 0): string {
  const lines = note.split('\n');
  const at = lines.indexOf('') + 1 + index;
  const [dash, name, sig] = lines[at].split(' ');
  const bytes = Buffer.from(sig, 'base64');
  bytes[bytes.length - 1] ^= 0x01;
  lines[at] = `${dash} ${name} ${bytes.toString('base64')}`;
  return lines.join('\n');
}

describe('C2SP vkeys', () => {
  it('reads a vkey and checks its key ID is SHA-256(name || 0x0A || 0x01 || key)[:4]', async () => {
    const key = await parseVerifierKey(TESSERA_VKEY);
    expect([key.name, key.keyIdHex, key.type, key.publicKey.length]).toEqual(['example.com/log/testdata', '33d7b496', 'ed25519', 32]);
    const plus = await parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6'); // base64 with a '+'
    expect(plus.keyId).toBe(0x7997405c);
    expect((await parseVerifierKey(`  ${GO.vkey}\n`)).name).toBe('PeterNeumann'); // pasted with white space
  });

  it('refuses a key whose ID, name, type or data is wrong', async () => {
    const [name, id, data] = ['example.com/log/testdata', '33d7b496', 'AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx'];
    expect(await codeOf(() => parseVerifierKey(`${name}+00000000+${data}`))).toBe('key-id-mismatch');
    expect(await codeOf(() => parseVerifierKey(`example.com/log/other+${id}+${data}`))).toBe('key-id-mismatch');
    expect(await codeOf(() => parseVerifierKey(`${name}+${id}+${data.slice(0, 20)} ${data.slice(20)}`))).toBe('malformed-key'); // a space inside the base64
    expect(await codeOf(() => parseVerifierKey(`${name}+${id}+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSw`))).toBe('key-id-mismatch'); // another public key
    expect(await codeOf(() => parseVerifierKey(`${name}+${id}+Au${data.slice(2)}`))).toBe('unknown-key-type');
    expect(await codeOf(() => parseVerifierKey(`${name}+${id}`))).toBe('malformed-key');
    expect(await codeOf(() => parseVerifierKey(`a b+${id}+${data}`))).toBe('bad-key-name');
    expect(await codeOf(() => parseVerifierKey(`${name}+${id.slice(1)}+${data}`))).toBe('malformed-key');
  });
});

describe('C2SP signed notes', () => {
  it('verifies the Go reference example, and refuses it with a flipped bit or another text', async () => {
    const key = await parseVerifierKey(GO.vkey);
    const note = `${GO.text}\n${GO.line}`;
    const verified = await verifyNote(note, [key]);
    expect(verified.text).toBe(GO.text);
    expect(verified.verified.map((s) => `${s.name}+${s.keyIdHex}`)).toEqual(['PeterNeumann+c74f20a3']);
    expect(await codeOf(() => verifyNote(flipSignature(note), [key]))).toBe('bad-signature');
    expect(await codeOf(() => verifyNote(note.replace('answer', 'Answer'), [key]))).toBe('bad-signature');
  });

  it('signs the text up to its final newline, not the blank line, split at the last blank line', async () => {
    const k = testKey('mel.example/ledger');
    const key = await parseVerifierKey(k.vkey);
    const text = 'first\n\nsecond\n'; // a blank line inside the text: the last one separates the signatures
    const note = k.signNote(text);
    expect(parseNote(note).text).toBe(text);
    expect((await verifyNote(note, [key])).text).toBe(text);
    // The same signature over the text with the blank line included does not verify.
    const withBlank = `${text}\n${k.line(`${text}\n`)}`;
    expect(await codeOf(() => verifyNote(withBlank, [key]))).toBe('bad-signature');
  });

  it('ignores unknown keys, needs one known signature, and refuses a malformed note', async () => {
    const log = testKey('mel.example/ledger');
    const other = testKey('other.example/log');
    const text = 'mel.example/ledger\n3\nWqx3HImawpLnS/Gv4ubjAvi1WIOy0b8Ze0amvqbavKk=\n';
    const both = `${text}\n${other.line(text)}${log.line(text)}`;
    const verified = await verifyNote(both, [await parseVerifierKey(log.vkey)]);
    expect(verified.verified.map((s) => s.name)).toEqual(['mel.example/ledger']);
    expect(verified.unknown.map((s) => s.name)).toEqual(['other.example/log']);
    expect(await codeOf(async () => verifyNote(log.signNote(text), [await parseVerifierKey(other.vkey)]))).toBe('no-known-signature');
    for (const bad of [text, `${text}\n`, `${text}\n— x`, `${text}\n${log.line(text).replace('—', '-')}`, `${text}\n${log.line(text).trimEnd()}`, `a\u0007\n\n${log.line('a\u0007\n')}`]) {
      expect(await codeOf(async () => verifyNote(bad, [await parseVerifierKey(log.vkey)]))).toBe('malformed-note');
    }
  });

  it('checks a witness cosignature (tlog-cosignature, type 0x04) over the checkpoint body with its timestamp', async () => {
    const log = testKey('mel.example/ledger');
    const witness = testKey('witness.example/w1', 0x04);
    const body = `mel.example/ledger\n0\n${encodeBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(0))))}\n`;
    const stamp = Buffer.alloc(8);
    stamp.writeBigUInt64BE(1_760_000_000n);
    const cosig = witness.sign(Buffer.from(`cosignature/v1\ntime 1760000000\n${body}`, 'utf8'));
    const id = witness.vkey.split('+')[1];
    const line = `— witness.example/w1 ${Buffer.concat([Buffer.from(id, 'hex'), stamp, cosig]).toString('base64')}\n`;
    const note = `${log.signNote(body)}${line}`;
    const verified = await verifyCheckpoint(note, log.vkey, { witnesses: [witness.vkey] });
    expect(verified.cosignatures.map((c) => [c.name, c.timestamp])).toEqual([['witness.example/w1', 1_760_000_000]]);
    expect(await codeOf(() => verifyCheckpoint(flipSignature(note, 1), log.vkey, { witnesses: [witness.vkey] }))).toBe('bad-signature');
    // Without the witness's key, its line is ignored.
    expect((await verifyCheckpoint(flipSignature(note, 1), log.vkey)).cosignatures).toEqual([]);
  });
});

describe('C2SP tlog-checkpoints of Tessera’s test log', () => {
  it.each(Array.from({ length: 16 }, (_, n) => n))('checkpoint %i verifies with the log key, of that size', async (n) => {
    const { checkpoint, key } = await verifyCheckpoint(tessera(n), TESSERA_VKEY);
    expect(checkpoint.origin).toBe('example.com/log/testdata');
    expect(checkpoint.size).toBe(n);
    expect(key.keyIdHex).toBe('33d7b496');
  });

  it('states the root of size 15 and the empty tree’s at size 0', async () => {
    expect(encodeBase64((await verifyCheckpoint(tessera(15), TESSERA_VKEY)).checkpoint.rootHash)).toBe('rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=');
    expect(encodeBase64((await verifyCheckpoint(tessera(0), TESSERA_VKEY)).checkpoint.rootHash)).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('refuses a checkpoint whose size, root or signature was changed, or another log’s key', async () => {
    const note = tessera(7);
    const [origin, size, root] = note.split('\n');
    expect(await codeOf(() => verifyCheckpoint(note.replace(`\n${size}\n`, '\n8\n'), TESSERA_VKEY))).toBe('bad-signature');
    const otherRoot = `${root[0] === 'A' ? 'B' : 'A'}${root.slice(1)}`;
    expect(await codeOf(() => verifyCheckpoint(note.replace(root, otherRoot), TESSERA_VKEY))).toBe('bad-signature');
    expect(await codeOf(() => verifyCheckpoint(flipSignature(note), TESSERA_VKEY))).toBe('bad-signature');
    expect(await codeOf(() => verifyCheckpoint(note, testKey(origin).vkey))).toBe('no-known-signature');
    expect(await codeOf(() => verifyCheckpoint(note, GO.vkey))).toBe('no-known-signature');
  });

  it('parses checkpoint bodies strictly', () => {
    const root = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
    expect(parseCheckpoint(`o\n0\n${root}\next one\n`).extensions).toEqual(['ext one']);
    for (const bad of [`o\n0\n${root}`, `o\n01\n${root}\n`, `o\n-1\n${root}\n`, `\n0\n${root}\n`, `o\n0\n${root.slice(4)}\n`, `o\n0\n${root}\n\n`, `o\n0\n`, `o\n9007199254740993\n${root}\n`]) {
      expect(() => parseCheckpoint(bad)).toThrow(expect.objectContaining({ code: 'malformed-checkpoint' }));
    }
  });
});
