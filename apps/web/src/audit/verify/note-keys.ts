import { type Bytes, VerifyError, concat, decodeBase64Strict, isWellFormed, readUint32, sha256, utf8 } from './bytes';

/**
 * C2SP signed-note verifier keys (https://c2sp.org/signed-note), as libs/ledger/src/note-keys.ts:
 *
 *   vkey   = <name>+<hex key ID>+<base64(type || 32-byte Ed25519 public key)>
 *   key ID = SHA-256(<name> || 0x0A || type || public key)[:4], a big-endian uint32
 *
 * Type 0x01 is Ed25519 over the note text (the log's checkpoints); 0x04 is the timestamped witness
 * cosignature of https://c2sp.org/tlog-cosignature. A key name is non-empty, well-formed, without
 * Unicode white space or '+'.
 */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE = 0x04;

export type NoteKeyType = 'ed25519' | 'cosignature/v1';

export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  /** The key ID as the vkey writes it: 8 lower-case hex digits. */
  readonly keyIdHex: string;
  readonly type: NoteKeyType;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Bytes;
  /** The vkey text, trimmed. */
  readonly vkey: string;
}

export type KeyErrorCode = 'malformed-key' | 'bad-key-name' | 'unknown-key-type' | 'key-id-mismatch';

/** SHA-256(name || 0x0A || type || public key)[:4] as a big-endian uint32. */
export async function noteKeyId(name: string, type: number, publicKey: Uint8Array): Promise<number> {
  return readUint32(await sha256(concat(utf8(name), Uint8Array.of(0x0a, type), publicKey)));
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && isWellFormed(name) && !/[\p{White_Space}+]/u.test(name);
}

/**
 * Parses a vkey (surrounding white space is ignored: a pasted key often ends in a newline); rejects with
 * a VerifyError<KeyErrorCode> when it is malformed or its key ID is not the hash of its name and key.
 */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const vkey = String(text).trim();
  // Split at the first two '+' signs: base64 has '+' too.
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new VerifyError<KeyErrorCode>('malformed-key', 'a vkey is <name>+<key ID>+<key>');
  const [name, id, data] = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
  const bytes = decodeBase64Strict(data);
  if (bytes === undefined || bytes.length === 0) throw new VerifyError<KeyErrorCode>('malformed-key', 'the key data is not base64');
  const type = bytes[0];
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE) {
    throw new VerifyError<KeyErrorCode>('unknown-key-type', `signature type 0x${type.toString(16).padStart(2, '0')} is not supported (0x01 Ed25519, 0x04 cosignature/v1)`);
  }
  if (bytes.length !== 33) throw new VerifyError<KeyErrorCode>('malformed-key', `an Ed25519 key has 32 bytes, not ${bytes.length - 1}`);
  if (!isValidKeyName(name)) throw new VerifyError<KeyErrorCode>('bad-key-name', `the key name ${JSON.stringify(name)} is empty or has white space or '+'`);
  if (!/^[0-9a-fA-F]{8}$/.test(id)) throw new VerifyError<KeyErrorCode>('malformed-key', 'the key ID is not 8 hex digits');
  const publicKey = bytes.slice(1);
  const keyId = await noteKeyId(name, type, publicKey);
  if (parseInt(id, 16) !== keyId) {
    throw new VerifyError<KeyErrorCode>('key-id-mismatch', `the key ID ${id} is not SHA-256(name, 0x0A, type, public key)[:4] = ${formatKeyId(keyId)}`);
  }
  return { name, keyId, keyIdHex: formatKeyId(keyId), type: type === SIGNATURE_TYPE_ED25519 ? 'ed25519' : 'cosignature/v1', publicKey, vkey };
}

/** Ed25519 with Web Crypto: false (never a throw) for a signature of the wrong length or a key that is not a point. */
export async function verifyEd25519(publicKey: Bytes, message: Bytes, signature: Bytes): Promise<boolean> {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return false;
  }
  try {
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return false;
  }
}
