import { Injectable } from '@nestjs/common';
import { checkpointCovering, listCheckpoints, type StoredCheckpoint, toCheckpoint } from '@mel/application';
import {
  assembleConsistency,
  assembleInclusion,
  assembleRoot,
  batchPlans,
  consistencyPlan,
  inclusionPlan,
  parseCheckpoint,
  parseNote,
  rootPlan,
} from '@mel/ledger';
import { LedgerService } from './ledger.service';

/** A witness's cosignature of a checkpoint, as stored. */
export interface CosignatureView {
  witness: string;
  keyId: string;
  /** The witness's timestamp (POSIX seconds). */
  time: number;
  receivedAt: string;
}

/** A checkpoint as served: its note carries the witnesses' cosignature lines after the log's signature. */
export interface CheckpointView {
  size: number;
  /** Base64 of the 32-byte RFC 6962 root. */
  rootHash: string;
  /** The C2SP signed note: the log's signature line, then each stored cosignature line. */
  note: string;
  keyId: string;
  reason: string;
  signedAt: string;
  origin: string;
  /** The vkey that verifies the log's signature (null if signed with a key this API no longer holds). */
  verifierKey: string | null;
  cosignatures: CosignatureView[];
}

export interface InclusionView {
  seq: number;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
  rootHash: string;
}

export interface ConsistencyView {
  size1: number;
  size2: number;
  proof: string[];
  root1: string;
  root2: string;
}

export interface ReceiptView {
  seq: number;
  leafIndex: number;
  /** Base64 of the exact bytes hashed into the leaf (RFC 8785 canonical JSON of the envelope). */
  canonical: string;
  leafHash: string;
  checkpoint: { size: number; rootHash: string; note: string; keyId: string; reason: string; signedAt: string };
  inclusionProof: string[];
}

interface CosignatureRow {
  size: string;
  witness: string;
  key_id: string;
  line: string;
  signed_time: string;
  received_at: Date;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The reads of the verifiable ledger: checkpoints with their cosignatures, proofs from the stored tree. */
@Injectable()
export class LedgerReader {
  constructor(private readonly ledger: LedgerService) {}

  /** How many leaves the stored tree covers (proofs are served up to it). */
  treeSize(): Promise<number> {
    return this.ledger.tree.size();
  }

  async latest(): Promise<CheckpointView | undefined> {
    const [latest] = await listCheckpoints(this.ledger.pool, { limit: 1 });
    return latest && (await this.views([latest]))[0];
  }

  async bySize(size: number): Promise<CheckpointView | undefined> {
    const { rows } = await this.ledger.pool.query('SELECT * FROM ledger.checkpoints WHERE size = $1', [size]);
    return rows.length ? (await this.views([toCheckpoint(rows[0])]))[0] : undefined;
  }

  /** Latest first; `before`: sizes below it (the previous page's nextCursor). */
  async list(before: number | undefined, limit: number): Promise<{ items: CheckpointView[]; nextCursor: number | null }> {
    const rows = await listCheckpoints(this.ledger.pool, { before, limit: limit + 1 });
    const items = await this.views(rows.slice(0, limit));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].size : null };
  }

  /** The stored cosignatures of `size` whose lines the note carries. */
  async cosignatures(size: number): Promise<CosignatureView[]> {
    return (await this.cosignatureRows([size])).map(cosignatureView);
  }

  /** Leaf `index` in the tree of `size` (≤ the tree's size): its hash, audit path and the root. One query. */
  async inclusion(index: number, size: number): Promise<InclusionView> {
    const proofPlan = inclusionPlan(index, size);
    const root = rootPlan(size);
    const batch = batchPlans([proofPlan, root]);
    const hashes = await this.ledger.tree.fetch([...batch.refs, { level: 0, index }]);
    const [proofHashes, rootHashes] = batch.split(hashes.slice(0, -1));
    return {
      seq: index + 1,
      leafIndex: index,
      treeSize: size,
      leafHash: b64(hashes[hashes.length - 1]),
      proof: assembleInclusion(proofPlan, proofHashes).map(b64),
      rootHash: b64(assembleRoot(root, rootHashes)),
    };
  }

  /** The tree of size1 as a prefix of the tree of size2 (size1 ≤ size2 ≤ the tree's size). One query. */
  async consistency(size1: number, size2: number): Promise<ConsistencyView> {
    const proofPlan = consistencyPlan(size1, size2);
    const [root1, root2] = [rootPlan(size1), rootPlan(size2)];
    const batch = batchPlans([proofPlan, root1, root2]);
    const [proofHashes, root1Hashes, root2Hashes] = batch.split(await this.ledger.tree.fetch(batch.refs));
    return {
      size1,
      size2,
      proof: assembleConsistency(proofPlan, proofHashes).map(b64),
      root1: b64(assembleRoot(root1, root1Hashes)),
      root2: b64(assembleRoot(root2, root2Hashes)),
    };
  }

  /** The event's canonical bytes and leaf hash, if it exists. */
  async entry(seq: number): Promise<{ canonical: Buffer; leafHash: Buffer } | undefined> {
    return this.ledger.entry(seq);
  }

  /** The latest checkpoint whose tree holds the event `seq`, if any. */
  async covering(seq: number): Promise<CheckpointView | undefined> {
    const checkpoint = await checkpointCovering(this.ledger.pool, seq - 1);
    return checkpoint && (await this.views([checkpoint]))[0];
  }

  private async views(checkpoints: StoredCheckpoint[]): Promise<CheckpointView[]> {
    const rows = await this.cosignatureRows(checkpoints.map((c) => c.size));
    const key = this.ledger.signingKey;
    const keyId = this.ledger.keyId;
    return checkpoints.map((checkpoint) => {
      const mine = rows.filter((row) => Number(row.size) === checkpoint.size);
      return {
        size: checkpoint.size,
        rootHash: b64(checkpoint.root),
        note: checkpoint.note + mine.map((row) => `${row.line}\n`).join(''),
        keyId: checkpoint.keyId,
        reason: checkpoint.reason,
        signedAt: checkpoint.signedAt,
        origin: parseCheckpoint(parseNote(checkpoint.note).text).origin,
        verifierKey: key && keyId === checkpoint.keyId ? key.vkey : null,
        cosignatures: mine.map(cosignatureView),
      };
    });
  }

  private async cosignatureRows(sizes: number[]): Promise<CosignatureRow[]> {
    if (sizes.length === 0) return [];
    const { rows } = await this.ledger.pool.query<CosignatureRow>(
      'SELECT * FROM ledger.cosignatures WHERE size = ANY($1::bigint[]) ORDER BY size DESC, received_at, witness, key_id',
      [sizes],
    );
    return rows;
  }
}

function cosignatureView(row: CosignatureRow): CosignatureView {
  return { witness: row.witness, keyId: row.key_id, time: Number(row.signed_time), receivedAt: row.received_at.toISOString() };
}
