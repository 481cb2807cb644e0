import { sign, verify } from 'node:crypto';
import { checkCosignatureBytes, cosignatureBytes } from './cosignature';
import { NoteKeyType, NoteSignerKey, NoteVerifierKey, formatKeyId, isValidKeyName, parseSignerKey, parseVerifierKey } from './note-keys';
import { decodeBase64Strict } from './strict-base64';
import { VerificationError } from './verification-error';

/**
 * C2SP signed notes, https://c2sp.org/signed-note (as golang.org/x/mod/sumdb/note reads them):
 *
 *   <text, ending in a newline>
 *   <blank line>
 *   — <key name> <base64(4-byte key ID || signature)>      (one line per signature, U+2014 then a space)
 *
 * The text is signed including its final newline but not the blank line; it is separated from the
 * signatures by the LAST blank line. The whole note is valid UTF-8 without control characters other
 * than newline. A verifier ignores signatures of unknown keys (name and key ID both must match), rejects
 * the note if a known key's signature fails, and requires at least one known valid signature.
 */
export const NOTE_MAX_BYTES = 1 << 20;
/** golang.org/x/mod/sumdb/note's bound; the spec requires accepting at least 16. */
export const NOTE_MAX_SIGNATURES = 100;

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the key ID. */
  readonly signature: Buffer;
  /** The whole line, without its newline. */
  readonly line: string;
}

export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface VerifiedSignature {
  readonly name: string;
  readonly keyId: number;
  readonly type: NoteKeyType;
  readonly vkey: string;
  /** For a cosignature: the witness's timestamp (POSIX seconds). */
  readonly timestamp?: number;
  /** The signature line as received, without its newline (to store or pass on). */
  readonly line: string;
}

export interface VerifiedNote {
  readonly text: string;
  /** One per known key that signed, in the order of the lines. */
  readonly verified: readonly VerifiedSignature[];
  /** Signatures of keys not given to the verifier (ignored, kept to be passed on). */
  readonly unknown: readonly NoteSignature[];
}

export interface NoteLimits {
  maxBytes?: number;
  maxSignatures?: number;
}

export interface VerifyNoteOptions extends NoteLimits {
  /** POSIX seconds: when given, a cosignature timestamped later is rejected. */
  now?: number;
}

export type NoteErrorCode =
  | 'too-long'
  | 'malformed'
  | 'too-many-signatures'
  | 'ambiguous-key'
  | 'bad-signature'
  | 'no-known-signature'
  | 'cosignature-in-future';

export class NoteError extends VerificationError<NoteErrorCode> {}

/** Splits a note into its text and signature lines; checks the format, not the signatures. */
export function parseNote(note: string | Uint8Array, limits: NoteLimits = {}): ParsedNote {
  const bytes = toBytes(note);
  const maxBytes = limits.maxBytes ?? NOTE_MAX_BYTES;
  if (bytes.length > maxBytes) throw new NoteError('too-long', `the note has ${bytes.length} bytes, more than ${maxBytes}`);
  let message: string;
  try {
    message = UTF8.decode(bytes);
  } catch {
    throw new NoteError('malformed', 'the note is not valid UTF-8');
  }
  if (/[\u0000-\u0009\u000b-\u001f]/.test(message)) throw new NoteError('malformed', 'the note has a control character other than newline');

  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed', 'the note has no blank line before its signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new NoteError('malformed', 'the signature lines must end with a newline');

  const lines = block.slice(0, -1).split('\n');
  const maxSignatures = limits.maxSignatures ?? NOTE_MAX_SIGNATURES;
  if (lines.length > maxSignatures) {
    throw new NoteError('too-many-signatures', `the note has ${lines.length} signatures, more than ${maxSignatures}`);
  }
  return { text, signatures: lines.map(parseSignatureLine) };
}

/**
 * Verifies a note against the given vkeys (the log's, witnesses'…); throws a NoteError unless at least
 * one of them signed it and none of their signatures fails.
 */
export function verifyNote(note: string | Uint8Array, vkeys: string | readonly string[], options: VerifyNoteOptions = {}): VerifiedNote {
  const known = knownKeys(typeof vkeys === 'string' ? [vkeys] : vkeys);
  const { text, signatures } = parseNote(note, options);
  const verified = new Map<string, VerifiedSignature>();
  const unknown = new Map<string, NoteSignature>();
  for (const signature of signatures) {
    const id = `${signature.name}+${formatKeyId(signature.keyId)}`;
    const key = known.get(id);
    if (key === undefined) {
      unknown.set(signature.line, signature);
      continue;
    }
    const timestamp = checkSignature(key, text, signature.signature);
    if (timestamp === false) throw new NoteError('bad-signature', `the signature of ${id} does not verify`);
    if (timestamp !== undefined && options.now !== undefined && timestamp > options.now) {
      throw new NoteError('cosignature-in-future', `the cosignature of ${id} is dated ${timestamp}, after ${options.now}`);
    }
    if (!verified.has(id)) {
      const stamp = timestamp === undefined ? {} : { timestamp };
      verified.set(id, { name: key.name, keyId: key.keyId, type: key.type, vkey: key.vkey, ...stamp, line: signature.line });
    }
  }
  if (verified.size === 0) throw new NoteError('no-known-signature', 'no known key signed the note');
  return { text, verified: [...verified.values()], unknown: [...unknown.values()] };
}

export interface SignNoteOptions {
  /** The time of cosignatures (POSIX seconds); now by default. */
  timestamp?: number;
}

/** Signs `text` (ending in a newline) with each skey: a new signed note. */
export function signNote(text: string, skeys: string | readonly string[], options: SignNoteOptions = {}): string {
  return `${text}\n${signatureLines(text, skeys, options).join('')}`;
}

/**
 * Adds signatures to a signed note (a witness cosigning a checkpoint): keeps its lines, except one of
 * the same key, and appends the new ones. The note's existing signatures are not verified here.
 */
export function addSignatures(note: string | Uint8Array, skeys: string | readonly string[], options: SignNoteOptions = {}): string {
  const { text, signatures } = parseNote(note);
  const signers = (typeof skeys === 'string' ? [skeys] : skeys).map(parseSignerKey);
  const replaced = new Set(signers.map((s) => `${s.name}+${s.keyId}`));
  const kept = signatures.filter((s) => !replaced.has(`${s.name}+${s.keyId}`)).map((s) => `${s.line}\n`);
  return `${text}\n${kept.join('')}${signatureLines(text, signers, options).join('')}`;
}

function signatureLines(text: string, skeys: string | readonly (string | NoteSignerKey)[], options: SignNoteOptions): string[] {
  checkText(text);
  const signers = (typeof skeys === 'string' ? [skeys] : skeys).map((s) => (typeof s === 'string' ? parseSignerKey(s) : s));
  if (signers.length === 0) throw new RangeError('a note is signed by at least one key');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return signers.map((key) => {
    const signature =
      key.type === 'ed25519' ? sign(null, Buffer.from(text, 'utf8'), key.signer) : cosignatureBytes(key.signer, text, timestamp);
    const id = Buffer.alloc(4);
    id.writeUInt32BE(key.keyId);
    return `— ${key.name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
  });
}

/** undefined: a valid Ed25519 signature; a number: a valid cosignature's timestamp; false: invalid. */
function checkSignature(key: NoteVerifierKey, text: string, signature: Buffer): number | undefined | false {
  if (key.type === 'ed25519') {
    return signature.length === 64 && verify(null, Buffer.from(text, 'utf8'), key.verifier, signature) ? undefined : false;
  }
  return checkCosignatureBytes(key.verifier, text, signature) ?? false;
}

function knownKeys(vkeys: readonly string[]): Map<string, NoteVerifierKey> {
  const known = new Map<string, NoteVerifierKey>();
  for (const vkey of vkeys) {
    const key = parseVerifierKey(vkey);
    const id = `${key.name}+${formatKeyId(key.keyId)}`;
    const other = known.get(id);
    if (other !== undefined && !other.publicKey.equals(key.publicKey)) {
      throw new NoteError('ambiguous-key', `two verifier keys have the name and key ID ${id}`);
    }
    known.set(id, key);
  }
  return known;
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith('— ')) throw new NoteError('malformed', 'a signature line starts with an em dash and a space');
  const rest = line.slice(2);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const bytes = space < 0 ? undefined : decodeBase64Strict(rest.slice(space + 1));
  if (!isValidKeyName(name)) throw new NoteError('malformed', `a signature line has an invalid key name ${JSON.stringify(name)}`);
  if (bytes === undefined || bytes.length < 5) throw new NoteError('malformed', `the signature of ${name} is not base64 of a key ID and a signature`);
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line };
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw new RangeError('a note text ends with a newline');
  if (!text.isWellFormed()) throw new RangeError('a note text is well-formed Unicode');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new RangeError('a note text has no control character other than newline');
}

function toBytes(note: string | Uint8Array): Uint8Array {
  if (typeof note !== 'string') return note;
  if (!note.isWellFormed()) throw new NoteError('malformed', 'the note is not well-formed Unicode');
  return Buffer.from(note, 'utf8');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
