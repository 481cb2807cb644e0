import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeBase64Strict } from './strict-base64';
import { VerificationError } from './verification-error';

/**
 * Keys of C2SP signed notes (https://c2sp.org/signed-note), in the text forms of golang.org/x/mod/sumdb/note:
 *
 *   verifier key  vkey = <name>+<hex key ID>+<base64(type || 32-byte Ed25519 public key)>
 *   signer key    skey = PRIVATE+KEY+<name>+<hex key ID>+<base64(type || 32-byte Ed25519 seed)>
 *   key ID        = SHA-256(<name> || 0x0A || type || public key)[:4], big-endian uint32
 *
 * Two signature types: 0x01, Ed25519 over the note text (the log's checkpoints), and 0x04, the
 * timestamped Ed25519 witness cosignature of https://c2sp.org/tlog-cosignature (cosignature.ts).
 * A key name is non-empty, well-formed, without Unicode white space or '+'.
 */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE = 0x04;

export type NoteKeyType = 'ed25519' | 'cosignature/v1';

export interface NoteVerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: NoteKeyType;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  readonly verifier: KeyObject;
  /** The vkey text. */
  readonly vkey: string;
}

export interface NoteSignerKey extends NoteVerifierKey {
  readonly signer: KeyObject;
}

export type KeyErrorCode = 'malformed-key' | 'bad-key-name' | 'unknown-key-type' | 'key-id-mismatch';

/** A vkey or skey that cannot be used. */
export class KeyError extends VerificationError<KeyErrorCode> {}

/** A fresh key pair for `name`: keep `skey` secret, publish `vkey`. */
export function generateNoteKey(name: string, type: NoteKeyType = 'ed25519'): { skey: string; vkey: string } {
  checkName(name);
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
  const skey = formatKey(`PRIVATE+KEY+${name}`, name, typeByte(type), seed, publicKeyOf(privateKey));
  return { skey, vkey: verifierKeyOf(skey) };
}

/** The vkey that verifies what `skey` signs. */
export function verifierKeyOf(skey: string): string {
  const key = parseSignerKey(skey);
  return formatKey(key.name, key.name, typeByte(key.type), key.publicKey, key.publicKey);
}

export function parseVerifierKey(vkey: string): NoteVerifierKey {
  const [name, id, data] = splitKey(vkey, 3, 'a vkey is <name>+<key ID>+<key>');
  const { type, key } = decodeKeyData(data, vkey);
  checkName(name);
  const keyId = checkKeyId(name, id, type, key, vkey);
  return { name, keyId, type: typeName(type), publicKey: key, verifier: publicKeyObject(key), vkey };
}

export function parseSignerKey(skey: string): NoteSignerKey {
  // Never put the skey itself in an error message.
  const [private1, private2, name, id, data] = splitKey(skey, 5, 'an skey is PRIVATE+KEY+<name>+<key ID>+<key>');
  if (private1 !== 'PRIVATE' || private2 !== 'KEY') throw new KeyError('malformed-key', 'an skey starts with PRIVATE+KEY+');
  const { type, key: seed } = decodeKeyData(data, 'the skey');
  checkName(name);
  const signer = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = publicKeyOf(signer);
  const keyId = checkKeyId(name, id, type, publicKey, `the skey of ${name}`);
  const vkey = formatKey(name, name, type, publicKey, publicKey);
  return { name, keyId, type: typeName(type), publicKey, verifier: publicKeyObject(publicKey), vkey, signer };
}

/** SHA-256(name || 0x0A || type || public key)[:4] as a big-endian uint32. */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, type])).update(publicKey).digest().readUInt32BE(0);
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && name.isWellFormed() && !/[\p{White_Space}+]/u.test(name);
}

export function typeByte(type: NoteKeyType): number {
  return type === 'ed25519' ? SIGNATURE_TYPE_ED25519 : SIGNATURE_TYPE_COSIGNATURE;
}

function typeName(type: number): NoteKeyType {
  return type === SIGNATURE_TYPE_ED25519 ? 'ed25519' : 'cosignature/v1';
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new KeyError('bad-key-name', `the key name ${JSON.stringify(name)} is empty or has white space or '+'`);
  }
}

/** Splits at the first count - 1 '+' signs (base64 has '+' too). */
function splitKey(text: string, count: number, shape: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let i = 1; i < count; i++) {
    const at = rest.indexOf('+');
    if (at < 0) throw new KeyError('malformed-key', shape);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

function decodeKeyData(data: string, what: string): { type: number; key: Buffer } {
  const bytes = decodeBase64Strict(data);
  if (bytes === undefined || bytes.length === 0) throw new KeyError('malformed-key', `the key data of ${what} is not base64`);
  const type = bytes[0];
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE) {
    const hex = type.toString(16).padStart(2, '0');
    throw new KeyError('unknown-key-type', `signature type 0x${hex} of ${what} is not supported (0x01 Ed25519, 0x04 cosignature/v1)`);
  }
  if (bytes.length !== 33) throw new KeyError('malformed-key', `an Ed25519 key of ${what} has 32 bytes, not ${bytes.length - 1}`);
  return { type, key: bytes.subarray(1) };
}

function checkKeyId(name: string, id: string, type: number, publicKey: Buffer, what: string): number {
  if (!/^[0-9a-fA-F]{8}$/.test(id)) throw new KeyError('malformed-key', `the key ID of ${what} is not 8 hex digits`);
  const keyId = noteKeyId(name, type, publicKey);
  if (parseInt(id, 16) !== keyId) {
    throw new KeyError('key-id-mismatch', `the key ID of ${what} is not SHA-256(name, 0x0A, type, public key)[:4] = ${formatKeyId(keyId)}`);
  }
  return keyId;
}

function formatKey(prefix: string, name: string, type: number, key: Uint8Array, publicKey: Uint8Array): string {
  const data = Buffer.concat([Buffer.from([type]), key]).toString('base64');
  return `${prefix}+${formatKeyId(noteKeyId(name, type, publicKey))}+${data}`;
}

function publicKeyOf(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

function publicKeyObject(raw: Buffer): KeyObject {
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    throw new KeyError('malformed-key', 'the public key is not an Ed25519 point');
  }
}

// DER headers of Ed25519 keys (RFC 8410): what precedes the raw 32 bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
