import { fetchConsistencyProof, fetchRoot, formatKeyId, parseSignerKey, signCheckpoint, verifyConsistency } from '@mel/ledger';
import type { Pool } from 'pg';
import type { PostgresTree } from './postgres-tree';
import type { SigningKey } from './signing-key';

/** Session-wide lock of whoever signs: one checkpoint at a time across processes. */
const SIGNING_LOCK = 72103981553244;

/** A signed checkpoint as stored. */
export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  /** The C2SP signed note, with any witness cosignatures added since. */
  note: string;
  keyId: string;
  /** Why it was signed: `schedule`, `meeting-closed:<meetingId>`, `manual`, `start`. */
  reason: string;
  signedAt: string;
}

interface CheckpointRow {
  size: string;
  root: Buffer;
  note: string;
  key_id: string;
  reason: string;
  signed_at: Date;
}

export const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  size: Number(row.size),
  root: row.root,
  note: row.note,
  keyId: row.key_id,
  reason: row.reason,
  signedAt: row.signed_at.toISOString(),
});

/**
 * Signs the tree's head as a C2SP checkpoint (DESIGN §4), with a key the database never sees. Never two
 * roots for one size: a size already signed answers the stored checkpoint, the table's key refuses a
 * second row, and a new checkpoint is signed only if the tree is consistent with the last one (an
 * RFC 6962 consistency proof, checked before signing) — a log rewritten behind the application's back
 * is refused a signature rather than covered by one.
 */
export class CheckpointSigner {
  readonly keyId: string;

  constructor(
    private readonly pool: Pool,
    private readonly tree: PostgresTree,
    private readonly key: SigningKey,
  ) {
    const parsed = parseSignerKey(key.skey);
    this.keyId = formatKeyId(parsed.keyId);
  }

  get origin(): string {
    return this.key.name;
  }

  get verifierKey(): string {
    return this.key.vkey;
  }

  /** Extends the tree to the store's head and signs it, unless that size is signed already. */
  async sign(reason: string): Promise<StoredCheckpoint> {
    await this.tree.extend();
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [SIGNING_LOCK]);
      try {
        const size = await this.tree.size();
        const existing = await client.query<CheckpointRow>('SELECT * FROM ledger.checkpoints WHERE size = $1', [size]);
        if (existing.rows.length) return toCheckpoint(existing.rows[0]);
        const root = await fetchRoot(this.tree.fetch, size);
        const last = await client.query<CheckpointRow>('SELECT * FROM ledger.checkpoints ORDER BY size DESC LIMIT 1');
        if (last.rows.length) {
          const previous = toCheckpoint(last.rows[0]);
          if (previous.size > size) throw new Error(`refusing to sign: a checkpoint of size ${previous.size} exists, the tree has only ${size} leaves`);
          try {
            verifyConsistency(previous.size, size, await fetchConsistencyProof(this.tree.fetch, previous.size, size), previous.root, root);
          } catch (error) {
            throw new Error(`refusing to sign: the tree of size ${size} is not consistent with the checkpoint of size ${previous.size} (${(error as Error).message}); run \`ledger verify --live\``);
          }
        }
        const note = signCheckpoint({ origin: this.key.name, size, rootHash: root }, this.key.skey);
        await client.query(
          'INSERT INTO ledger.checkpoints (size, root, note, key_id, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (size) DO NOTHING',
          [size, root, note, this.keyId, reason],
        );
        const stored = toCheckpoint((await client.query<CheckpointRow>('SELECT * FROM ledger.checkpoints WHERE size = $1', [size])).rows[0]);
        if (!stored.root.equals(root)) throw new Error(`the checkpoint of size ${size} holds another root than the tree's: run \`ledger verify --live\``);
        return stored;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SIGNING_LOCK]);
      }
    } finally {
      client.release();
    }
  }
}

/** The checkpoints, latest first (`before`: sizes below it), at most `limit`. */
export async function listCheckpoints(pool: Pool, options: { before?: number; limit?: number } = {}): Promise<StoredCheckpoint[]> {
  const { rows } = await pool.query<CheckpointRow>(
    'SELECT * FROM ledger.checkpoints WHERE ($1::bigint IS NULL OR size < $1) ORDER BY size DESC LIMIT $2',
    [options.before ?? null, options.limit ?? 100],
  );
  return rows.map(toCheckpoint);
}

/** The latest checkpoint whose tree holds leaf `index` (size > index), if any. */
export async function checkpointCovering(pool: Pool, index: number): Promise<StoredCheckpoint | undefined> {
  const { rows } = await pool.query<CheckpointRow>('SELECT * FROM ledger.checkpoints WHERE size > $1 ORDER BY size DESC LIMIT 1', [index]);
  return rows.length ? toCheckpoint(rows[0]) : undefined;
}
