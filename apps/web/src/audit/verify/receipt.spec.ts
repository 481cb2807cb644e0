import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeBase64, utf8 } from './bytes';
import { leafHash } from './merkle';
import { type Receipt, decodeEntry, verifyReceipt } from './receipt';
import { TESSERA_ENTRIES, TESSERA_VKEY, mth, path } from './testing';

/**
 * verifyReceipt: a receipt of Tessera's test log (entry "three", leaf 2, under its signed checkpoint of
 * size 15, read in place) verifies with the log's key, and every tampering names the failing check.
 */
/** The public vectors, read in place beside the project (../shared/vectors): never copied into it. */
function vectorsPath(...parts: string[]): string {
  const candidates = [resolve(process.cwd(), '../shared/vectors'), resolve(__dirname, '../../../../../../shared/vectors')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`the public test vectors are expected at ${candidates[0]} (read in place, never copied)`);
  return join(found, ...parts);
}

const tessera = (n: number): string => readFileSync(vectorsPath(`tlog-checkpoint/tessera-checkpoint.${n}`), 'utf8');

/** A test key made with node:crypto (only the tests sign), as a vkey, and a signer of notes. */
function testKey(name: string, type = 0x01): { vkey: string; signNote(text: string): string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const id = createHash('sha256').update(name).update(Buffer.from([0x0a, type])).update(raw).digest().subarray(0, 4);
  const vkey = `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([type]), raw]).toString('base64')}`;
  return { vkey, signNote: (text) => `${text}\n— ${name} ${Buffer.concat([id, sign(null, Buffer.from(text, 'utf8'), privateKey)]).toString('base64')}\n` };
}

async function tesseraReceipt(index = 2, size = 15): Promise<Receipt> {
  const leaves = TESSERA_ENTRIES.map(utf8);
  const note = tessera(size);
  return {
    leafIndex: index,
    canonical: encodeBase64(leaves[index]),
    leafHash: encodeBase64(await leafHash(leaves[index])),
    checkpoint: { size, rootHash: encodeBase64(await mth(leaves.slice(0, size))), note },
    inclusionProof: (await path(index, leaves.slice(0, size))).map(encodeBase64),
  };
}

/** The base64 text with one bit flipped in its decoded byte `at`. */
function flipBase64(text: string, at: number): string {
  const bytes = Buffer.from(text, 'base64');
  bytes[at] ^= 0x01;
  return bytes.toString('base64');
}

const summary = (verdict: Awaited<ReturnType<typeof verifyReceipt>>) => Object.fromEntries(verdict.checks.map((c) => [c.check, c.reason]));

describe('verifyReceipt', () => {
  it('says yes, each check passed, for every leaf of Tessera’s log under checkpoints 1 to 15', async () => {
    for (const size of [1, 2, 7, 8, 15]) {
      for (let index = 0; index < size; index++) {
        const verdict = await verifyReceipt(await tesseraReceipt(index, size), TESSERA_VKEY);
        expect([index, size, verdict.ok, verdict.reason]).toEqual([index, size, true, 'ok']);
      }
    }
    const verdict = await verifyReceipt(await tesseraReceipt(), TESSERA_VKEY);
    expect(summary(verdict)).toEqual({ 'leaf-hash': 'ok', inclusion: 'ok', checkpoint: 'ok', signature: 'ok' });
    expect([verdict.treeSize, verdict.leafIndex, verdict.keyName, verdict.keyId]).toEqual([15, 2, 'example.com/log/testdata', '33d7b496']);
  });

  it('says no when a byte of the canonical bytes is flipped: the leaf hash', async () => {
    const receipt = await tesseraReceipt();
    const verdict = await verifyReceipt({ ...receipt, canonical: flipBase64(receipt.canonical, 0) }, TESSERA_VKEY);
    expect([verdict.ok, verdict.failed, verdict.reason]).toEqual([false, 'leaf-hash', 'leaf-hash-mismatch']);
    expect(summary(verdict)).toEqual({ 'leaf-hash': 'leaf-hash-mismatch', inclusion: 'ok', checkpoint: 'ok', signature: 'ok' });
  });

  it('says no when the leaf hash is changed to match the flipped bytes: the inclusion', async () => {
    const receipt = await tesseraReceipt();
    const canonical = flipBase64(receipt.canonical, 1);
    const verdict = await verifyReceipt({ ...receipt, canonical, leafHash: encodeBase64(await leafHash(Buffer.from(canonical, 'base64'))) }, TESSERA_VKEY);
    expect(summary(verdict)).toEqual({ 'leaf-hash': 'ok', inclusion: 'root-mismatch', checkpoint: 'ok', signature: 'ok' });
  });

  it('says no when a byte of the proof is flipped, or the proof is cut, or the index moved: the inclusion', async () => {
    const receipt = await tesseraReceipt();
    const flipped = receipt.inclusionProof.map((p, i) => (i === 2 ? flipBase64(p, 31) : p));
    expect(summary(await verifyReceipt({ ...receipt, inclusionProof: flipped }, TESSERA_VKEY)).inclusion).toBe('root-mismatch');
    expect(summary(await verifyReceipt({ ...receipt, inclusionProof: receipt.inclusionProof.slice(1) }, TESSERA_VKEY)).inclusion).toBe('proof-too-short');
    expect(summary(await verifyReceipt({ ...receipt, leafIndex: 3 }, TESSERA_VKEY)).inclusion).toBe('root-mismatch');
    expect(summary(await verifyReceipt({ ...receipt, leafIndex: 15 }, TESSERA_VKEY)).inclusion).toBe('index-out-of-range');
  });

  it('says no when the receipt’s root or size is not the signed note’s: the checkpoint', async () => {
    const receipt = await tesseraReceipt();
    const root = await verifyReceipt({ ...receipt, checkpoint: { ...receipt.checkpoint, rootHash: flipBase64(receipt.checkpoint.rootHash, 0) } }, TESSERA_VKEY);
    expect(summary(root)).toEqual({ 'leaf-hash': 'ok', inclusion: 'ok', checkpoint: 'root-hash-mismatch', signature: 'ok' });
    const size = await verifyReceipt({ ...receipt, checkpoint: { ...receipt.checkpoint, size: 14 } }, TESSERA_VKEY);
    expect(summary(size).checkpoint).toBe('size-mismatch');
  });

  it('says no when the note’s root is changed: the inclusion and the signature', async () => {
    const receipt = await tesseraReceipt();
    const root = receipt.checkpoint.rootHash;
    const otherRoot = flipBase64(root, 5);
    const note = receipt.checkpoint.note.replace(root, otherRoot);
    const verdict = await verifyReceipt({ ...receipt, checkpoint: { ...receipt.checkpoint, note, rootHash: otherRoot } }, TESSERA_VKEY);
    expect(summary(verdict)).toEqual({ 'leaf-hash': 'ok', inclusion: 'root-mismatch', checkpoint: 'ok', signature: 'bad-signature' });
    expect(verdict.failed).toBe('inclusion');
  });

  it('says no when a byte of the signature is flipped, or the trusted key is another: the signature', async () => {
    const receipt = await tesseraReceipt();
    const lines = receipt.checkpoint.note.split('\n');
    const [dash, name, sig] = lines[4].split(' ');
    lines[4] = `${dash} ${name} ${flipBase64(sig, 40)}`;
    const flipped = await verifyReceipt({ ...receipt, checkpoint: { ...receipt.checkpoint, note: lines.join('\n') } }, TESSERA_VKEY);
    expect([flipped.ok, flipped.failed, flipped.reason]).toEqual([false, 'signature', 'bad-signature']);
    const other = await verifyReceipt(receipt, testKey('example.com/log/testdata').vkey);
    expect([other.failed, other.reason]).toEqual(['signature', 'no-known-signature']);
    const elsewhere = await verifyReceipt(receipt, testKey('elsewhere.example/log').vkey);
    expect(summary(elsewhere)).toEqual({ 'leaf-hash': 'ok', inclusion: 'ok', checkpoint: 'origin-mismatch', signature: 'no-known-signature' });
    const malformed = await verifyReceipt(receipt, 'not a key');
    expect(summary(malformed).signature).toBe('malformed-key');
    const witness = await verifyReceipt(receipt, testKey('example.com/log/testdata', 0x04).vkey);
    expect(summary(witness).signature).toBe('not-a-log-key');
  });

  it('never throws on a receipt that is not one', async () => {
    const verdict = await verifyReceipt({ leafIndex: 0, canonical: '!!', leafHash: '', checkpoint: { size: 1, rootHash: '', note: 'x' }, inclusionProof: ['?'] }, TESSERA_VKEY);
    expect(verdict.ok).toBe(false);
    expect(summary(verdict)).toEqual({ 'leaf-hash': 'malformed-receipt', inclusion: 'malformed-receipt', checkpoint: 'malformed-note', signature: 'malformed-note' });
    expect((await verifyReceipt(undefined as unknown as Receipt, TESSERA_VKEY)).ok).toBe(false);
  });

  it('verifies a ledger-style receipt (canonical JSON entry) signed with a fresh key, and decodes its entry', async () => {
    const origin = 'lillemetropole.example/contrat-de-ville';
    const key = testKey(origin);
    const entries = [1, 2, 3].map((seq) => utf8(JSON.stringify({ actor: { role: 'administrator', subject: 'seed' }, data: { name: `Partie ${seq} — Armentières` }, seq, type: 'PartyRegistered' })));
    const root = encodeBase64(await mth(entries));
    const receipt: Receipt = {
      seq: 2,
      leafIndex: 1,
      canonical: encodeBase64(entries[1]),
      leafHash: encodeBase64(await leafHash(entries[1])),
      checkpoint: { size: 3, rootHash: root, note: key.signNote(`${origin}\n3\n${root}\n`) },
      inclusionProof: (await path(1, entries)).map(encodeBase64),
    };
    expect((await verifyReceipt(receipt, key.vkey)).ok).toBe(true);
    expect(decodeEntry(receipt.canonical).entry).toMatchObject({ seq: 2, type: 'PartyRegistered', data: { name: 'Partie 2 — Armentières' } });
    expect(decodeEntry(encodeBase64(Uint8Array.of(0xff, 0xfe)))).toEqual({});
    expect(decodeEntry(encodeBase64(utf8('[1]')))).toEqual({ text: '[1]' });
  });
});
