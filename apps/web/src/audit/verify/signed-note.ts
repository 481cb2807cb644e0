import { type Bytes, VerifyError, concat, decodeBase64Strict, decodeUtf8, isWellFormed, readUint32, utf8 } from './bytes';
import { type NoteKeyType, type VerifierKey, formatKeyId, isValidKeyName, verifyEd25519 } from './note-keys';

/**
 * C2SP signed notes, https://c2sp.org/signed-note, read as libs/ledger/src/signed-note.ts (and
 * golang.org/x/mod/sumdb/note) read them:
 *
 *   <text, ending in a newline>
 *   <blank line>
 *   — <key name> <base64(4-byte key ID || signature)>      (one line per signature, U+2014 then a space)
 *
 * The signed message is the text up to and including its final newline, not the blank line; text and
 * signatures are split at the LAST blank line. The note is valid UTF-8 without control characters other
 * than newline. Signatures of unknown keys (name and key ID both must match) are ignored; a known key's
 * signature that fails rejects the note; at least one known key must have signed.
 */
export const NOTE_MAX_BYTES = 1 << 20;
export const NOTE_MAX_SIGNATURES = 100;

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The bytes after the key ID: an Ed25519 signature, or a cosignature's timestamp and signature. */
  readonly signature: Bytes;
  /** The line, without its newline. */
  readonly line: string;
}

export interface ParsedNote {
  /** The signed text, final newline included. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface VerifiedSignature {
  readonly name: string;
  readonly keyId: number;
  readonly keyIdHex: string;
  readonly type: NoteKeyType;
  readonly vkey: string;
  /** For a witness cosignature: its timestamp (POSIX seconds). */
  readonly timestamp?: number;
  readonly line: string;
}

export interface VerifiedNote {
  readonly text: string;
  /** One per known key that signed, in the order of the lines. */
  readonly verified: readonly VerifiedSignature[];
  /** Signatures of keys not given to the verifier: ignored. */
  readonly unknown: readonly NoteSignature[];
}

export type NoteErrorCode = 'malformed-note' | 'too-long' | 'too-many-signatures' | 'ambiguous-key' | 'bad-signature' | 'no-known-signature';

/** Splits a note into its text and its signature lines; checks the format, not the signatures. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  let message: string | undefined;
  let size: number;
  if (typeof note === 'string') {
    if (!isWellFormed(note)) throw new VerifyError<NoteErrorCode>('malformed-note', 'the note is not well-formed Unicode');
    message = note;
    size = utf8(note).length;
  } else {
    message = decodeUtf8(note);
    size = note.length;
    if (message === undefined) throw new VerifyError<NoteErrorCode>('malformed-note', 'the note is not valid UTF-8');
  }
  if (size > NOTE_MAX_BYTES) throw new VerifyError<NoteErrorCode>('too-long', `the note has ${size} bytes, more than ${NOTE_MAX_BYTES}`);
  if (/[\u0000-\u0009\u000b-\u001f]/.test(message)) throw new VerifyError<NoteErrorCode>('malformed-note', 'the note has a control character other than newline');

  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new VerifyError<NoteErrorCode>('malformed-note', 'the note has no blank line before its signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new VerifyError<NoteErrorCode>('malformed-note', 'the signature lines must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > NOTE_MAX_SIGNATURES) {
    throw new VerifyError<NoteErrorCode>('too-many-signatures', `the note has ${lines.length} signatures, more than ${NOTE_MAX_SIGNATURES}`);
  }
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith('\u2014 ')) throw new VerifyError<NoteErrorCode>('malformed-note', 'a signature line starts with an em dash and a space');
  const rest = line.slice(2);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const bytes = space < 0 ? undefined : decodeBase64Strict(rest.slice(space + 1));
  if (!isValidKeyName(name)) throw new VerifyError<NoteErrorCode>('malformed-note', `a signature line has an invalid key name ${JSON.stringify(name)}`);
  if (bytes === undefined || bytes.length < 5) throw new VerifyError<NoteErrorCode>('malformed-note', `the signature of ${name} is not base64 of a key ID and a signature`);
  return { name, keyId: readUint32(bytes), signature: bytes.slice(4), line };
}

/**
 * Verifies a note against the given keys (the log's; witnesses' cosignature keys); rejects with a
 * VerifyError<NoteErrorCode> unless at least one of them signed it and none of their signatures fails.
 */
export async function verifyNote(note: string | Uint8Array, keys: readonly VerifierKey[]): Promise<VerifiedNote> {
  const known = new Map<string, VerifierKey>();
  for (const key of keys) {
    const id = `${key.name}+${formatKeyId(key.keyId)}`;
    const other = known.get(id);
    if (other !== undefined && other.vkey !== key.vkey) throw new VerifyError<NoteErrorCode>('ambiguous-key', `two verifier keys have the name and key ID ${id}`);
    known.set(id, key);
  }
  const { text, signatures } = parseNote(note);
  const verified = new Map<string, VerifiedSignature>();
  const unknown: NoteSignature[] = [];
  for (const signature of signatures) {
    const id = `${signature.name}+${formatKeyId(signature.keyId)}`;
    const key = known.get(id);
    if (key === undefined) {
      unknown.push(signature);
      continue;
    }
    const timestamp = await checkSignature(key, text, signature.signature);
    if (timestamp === false) throw new VerifyError<NoteErrorCode>('bad-signature', `the signature of ${id} does not verify`);
    if (!verified.has(id)) {
      verified.set(id, { name: key.name, keyId: key.keyId, keyIdHex: key.keyIdHex, type: key.type, vkey: key.vkey, ...(timestamp !== undefined && { timestamp }), line: signature.line });
    }
  }
  if (verified.size === 0) throw new VerifyError<NoteErrorCode>('no-known-signature', 'no known key signed the note');
  return { text, verified: [...verified.values()], unknown };
}

/** undefined: a valid Ed25519 signature; a number: a valid cosignature's timestamp; false: invalid. */
async function checkSignature(key: VerifierKey, text: string, signature: Bytes): Promise<number | undefined | false> {
  if (key.type === 'ed25519') return (await verifyEd25519(key.publicKey, utf8(text), signature)) ? undefined : false;
  return (await checkCosignature(key, text, signature)) ?? false;
}

/**
 * https://c2sp.org/tlog-cosignature: the signature is an 8-byte big-endian timestamp then Ed25519 over
 * "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint body. The timestamp when valid.
 */
export async function checkCosignature(key: VerifierKey, body: string, signature: Bytes): Promise<number | undefined> {
  if (signature.length !== 8 + 64) return undefined;
  const high = readUint32(signature, 0);
  const low = readUint32(signature, 4);
  const timestamp = high * 2 ** 32 + low;
  if (!Number.isSafeInteger(timestamp)) return undefined;
  const message = concat(utf8(`cosignature/v1\ntime ${timestamp}\n`), utf8(body));
  return (await verifyEd25519(key.publicKey, message, signature.slice(8))) ? timestamp : undefined;
}
