/** Verification of the ledger's receipts and checkpoints in the browser (Web Crypto only). */
export { decodeBase64Strict, encodeBase64, toHex, VerifyError } from './bytes';
export { leafHash, nodeHash, verifyInclusion, HASH_SIZE, type ProofErrorCode } from './merkle';
export { parseVerifierKey, noteKeyId, formatKeyId, verifyEd25519, type VerifierKey, type KeyErrorCode } from './note-keys';
export { parseNote, verifyNote, checkCosignature, type ParsedNote, type VerifiedNote, type NoteErrorCode } from './signed-note';
export { parseCheckpoint, verifyCheckpoint, type Checkpoint, type VerifiedCheckpoint, type CheckpointErrorCode } from './checkpoint';
export { verifyReceipt, decodeEntry, RECEIPT_CHECKS, type Receipt, type ReceiptVerdict, type ReceiptCheck, type ReceiptCheckName, type ReceiptReason, type LedgerEntry } from './receipt';
