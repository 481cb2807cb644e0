import { type Bytes, VerifyError, decodeBase64Strict, decodeUtf8, encodeBase64, sameBytes } from './bytes';
import { type Checkpoint, type CheckpointErrorCode, parseCheckpoint } from './checkpoint';
import { type ProofErrorCode, leafHash, verifyInclusion } from './merkle';
import { type KeyErrorCode, type VerifierKey, parseVerifierKey } from './note-keys';
import { type NoteErrorCode, parseNote, verifyNote } from './signed-note';

/** A receipt as `GET /ledger/receipts/:seq` answers it (hashes and bytes in base64). */
export interface Receipt {
  seq?: number;
  leafIndex: number;
  /** base64 of the entry's canonical bytes: the leaf's data. */
  canonical: string;
  leafHash: string;
  checkpoint: { size: number; rootHash: string; note: string; keyId?: string; reason?: string; signedAt?: string };
  inclusionProof: string[];
}

/** The four checks, in the order a reader follows them. */
export type ReceiptCheckName = 'leaf-hash' | 'inclusion' | 'checkpoint' | 'signature';
export const RECEIPT_CHECKS: readonly ReceiptCheckName[] = ['leaf-hash', 'inclusion', 'checkpoint', 'signature'];

export type ReceiptReason =
  | 'ok'
  | 'malformed-receipt' // a field that is missing, or bytes that are not canonical base64
  | 'leaf-hash-mismatch' // SHA-256(0x00 || canonical bytes) is not the receipt's leaf hash
  | ProofErrorCode
  | NoteErrorCode
  | KeyErrorCode
  | CheckpointErrorCode
  | 'size-mismatch' // the signed note's tree size is not the receipt's checkpoint size
  | 'root-hash-mismatch'; // the signed note's root is not the receipt's checkpoint root

export interface ReceiptCheck {
  readonly check: ReceiptCheckName;
  readonly ok: boolean;
  /** 'ok', or why the check failed: a stable code the page words in the reader's language. */
  readonly reason: ReceiptReason;
  /** In English, for people (the page shows it as the technical detail). */
  readonly detail: string;
}

export interface ReceiptVerdict {
  /** Yes only when every check passed. */
  readonly ok: boolean;
  /** 'ok' or the first failing check's reason. */
  readonly reason: ReceiptReason;
  /** The first failing check. */
  readonly failed?: ReceiptCheckName;
  readonly checks: readonly ReceiptCheck[];
  readonly leafIndex: number;
  /** The tree size the leaf was proven in (the signed note's, else the receipt's). */
  readonly treeSize: number;
  /** The trusted key's name and ID, when it parses. */
  readonly keyName?: string;
  readonly keyId?: string;
  /** The base64 of SHA-256(0x00 || canonical bytes), when they decode. */
  readonly computedLeafHash?: string;
}

/**
 * Verifies a receipt in the browser against a trusted verifier key (C2SP vkey of the log), each check on
 * its own so that the verdict names every failure:
 *  - leaf-hash: the canonical bytes hash to the receipt's leaf hash (RFC 6962 leaf, 0x00 prefix);
 *  - inclusion: that leaf hash is at leafIndex in the tree of the signed checkpoint (RFC 9162 §2.1.3.2
 *    against the note's size and root);
 *  - checkpoint: the note is a well-formed C2SP checkpoint of the log (origin = the key's name) whose size
 *    and root are the ones the receipt states;
 *  - signature: the note is signed by the trusted key (Ed25519, C2SP signed note).
 * Never throws: a malformed receipt is a "no".
 */
export async function verifyReceipt(receipt: Receipt, trustedVerifierKey: string): Promise<ReceiptVerdict> {
  const r = (receipt ?? {}) as Partial<Receipt>;
  const cp = (r.checkpoint ?? {}) as Partial<Receipt['checkpoint']>;
  const leafIndex = typeof r.leafIndex === 'number' ? r.leafIndex : NaN;

  // The trusted key, and the checkpoint body the note carries (read before any signature check).
  let key: VerifierKey | undefined;
  let keyError: VerifyError | undefined;
  try {
    key = await parseVerifierKey(trustedVerifierKey);
    if (key.type !== 'ed25519') throw new VerifyError<CheckpointErrorCode>('not-a-log-key', `the key ${key.name} is a witness's cosignature key, not a log's Ed25519 key`);
  } catch (error) {
    keyError = asVerifyError(error);
    key = undefined;
  }
  let signed: Checkpoint | undefined;
  let noteError: VerifyError | undefined;
  try {
    if (typeof cp.note !== 'string') throw new VerifyError('malformed-receipt', 'the receipt has no checkpoint note');
    signed = parseCheckpoint(parseNote(cp.note).text);
  } catch (error) {
    noteError = asVerifyError(error);
  }

  const checks: ReceiptCheck[] = [];
  const pass = (check: ReceiptCheckName, detail: string) => checks.push({ check, ok: true, reason: 'ok', detail });
  const fail = (check: ReceiptCheckName, error: unknown) => {
    const e = asVerifyError(error);
    checks.push({ check, ok: false, reason: e.code as ReceiptReason, detail: e.message });
  };

  // 1. leaf-hash
  const canonical = typeof r.canonical === 'string' ? decodeBase64Strict(r.canonical) : undefined;
  const stated = typeof r.leafHash === 'string' ? decodeBase64Strict(r.leafHash) : undefined;
  let computed: Bytes | undefined;
  try {
    if (canonical === undefined) throw new VerifyError('malformed-receipt', 'the canonical bytes are not base64');
    computed = await leafHash(canonical);
    if (stated === undefined) throw new VerifyError('malformed-receipt', 'the leaf hash is not base64');
    if (!sameBytes(computed, stated)) throw new VerifyError('leaf-hash-mismatch', `SHA-256(0x00 || canonical bytes) is ${encodeBase64(computed)}, the receipt says ${r.leafHash}`);
    pass('leaf-hash', `SHA-256(0x00 || canonical bytes) = ${r.leafHash}`);
  } catch (error) {
    fail('leaf-hash', error);
  }

  // 2. inclusion, against what the note signs (the receipt's own fields if the note cannot be read).
  const treeSize = signed?.size ?? (typeof cp.size === 'number' ? cp.size : NaN);
  try {
    const root = signed?.rootHash ?? (typeof cp.rootHash === 'string' ? decodeBase64Strict(cp.rootHash) : undefined);
    if (!Array.isArray(r.inclusionProof)) throw new VerifyError('malformed-receipt', 'the receipt has no inclusion proof');
    const proof = r.inclusionProof.map((p, i) => {
      const bytes = typeof p === 'string' ? decodeBase64Strict(p) : undefined;
      if (bytes === undefined) throw new VerifyError('malformed-receipt', `proof element ${i} is not base64`);
      return bytes;
    });
    if (stated === undefined) throw new VerifyError('malformed-receipt', 'the leaf hash is not base64');
    if (root === undefined) throw new VerifyError('malformed-receipt', 'the checkpoint root is not base64');
    await verifyInclusion(leafIndex, treeSize, stated, proof, root);
    pass('inclusion', `leaf ${leafIndex} is in the tree of size ${treeSize} (${proof.length} hashes)`);
  } catch (error) {
    fail('inclusion', error);
  }

  // 3. checkpoint: the note's body is a checkpoint of this log, of the size and root the receipt states.
  try {
    if (signed === undefined) throw noteError;
    if (signed.size !== cp.size) throw new VerifyError('size-mismatch', `the signed note is of size ${signed.size}, the receipt says ${cp.size}`);
    const root = typeof cp.rootHash === 'string' ? decodeBase64Strict(cp.rootHash) : undefined;
    if (root === undefined || !sameBytes(root, signed.rootHash)) {
      throw new VerifyError('root-hash-mismatch', `the signed note's root is ${encodeBase64(signed.rootHash)}, the receipt says ${cp.rootHash}`);
    }
    if (key !== undefined && signed.origin !== key.name) {
      throw new VerifyError<CheckpointErrorCode>('origin-mismatch', `the checkpoint's origin is ${JSON.stringify(signed.origin)}, not the key's name ${JSON.stringify(key.name)}`);
    }
    pass('checkpoint', `${signed.origin}, size ${signed.size}, root ${encodeBase64(signed.rootHash)}`);
  } catch (error) {
    fail('checkpoint', error);
  }

  // 4. signature by the trusted key.
  try {
    if (key === undefined) throw keyError;
    if (typeof cp.note !== 'string') throw new VerifyError('malformed-receipt', 'the receipt has no checkpoint note');
    await verifyNote(cp.note, [key]);
    pass('signature', `signed by ${key.name}+${key.keyIdHex}`);
  } catch (error) {
    fail('signature', error);
  }

  const failed = checks.find((c) => !c.ok);
  return {
    ok: failed === undefined,
    reason: failed?.reason ?? 'ok',
    ...(failed && { failed: failed.check }),
    checks,
    leafIndex,
    treeSize,
    ...(key && { keyName: key.name, keyId: key.keyIdHex }),
    ...(computed && { computedLeafHash: encodeBase64(computed) }),
  };
}

function asVerifyError(error: unknown): VerifyError {
  if (error instanceof VerifyError) return error;
  return new VerifyError('malformed-receipt', error instanceof Error ? error.message : String(error));
}

/** The log entry an event's canonical bytes hold (the ledger's envelope), when they read as one. */
export interface LedgerEntry {
  seq?: number;
  streamId?: string;
  streamVersion?: number;
  type?: string;
  schemaVersion?: number;
  occurredAt?: string;
  recordedAt?: string;
  eventId?: string;
  actor?: { subject?: string; role?: string; partyId?: string; mandate?: string };
  data?: unknown;
  [key: string]: unknown;
}

/** The canonical bytes read as UTF-8 JSON; undefined when they are not (a receipt of tampered bytes). */
export function decodeEntry(canonical: string): { text?: string; entry?: LedgerEntry } {
  const bytes = decodeBase64Strict(canonical);
  const text = bytes && decodeUtf8(bytes);
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { text, entry: value as LedgerEntry } : { text };
  } catch {
    return { text };
  }
}
