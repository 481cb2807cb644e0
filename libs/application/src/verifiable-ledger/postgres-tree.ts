import { type EventStore, PostgresEventStore } from '@mel/event-store';
import { type FetchNodes, type NodeRef, refKey, rootPlan, TreeBuilder } from '@mel/ledger';
import type { Pool, PoolClient } from 'pg';

/** Where the leaves come from when the log is not event_store.events: the port's head and readAll. */
export type LeafSource = Pick<EventStore, 'head' | 'readAll'>;

export interface ExtendOptions {
  /** Leaves read and added per transaction. Default 10,000. */
  batchSize?: number;
  /** Stop at this size (default: the store's head). */
  upTo?: number;
  onBatch?: (size: number, head: number) => void;
  /**
   * Leaves the caller already holds, in seq order (a subscription's batch): those from the tree's size
   * on are used instead of reading them again. The rest, if any, are read as always.
   */
  leaves?: readonly { seq: number; leafHash: Buffer }[];
}

/**
 * The RFC 6962 tree of the log, in PostgreSQL (ADR 8, ADR 9): perfect subtrees in `ledger.tree_nodes`
 * (level 0 is `event_store.events.leaf_hash`, leaf index = seq - 1), added in seq order by `extend`,
 * which moves `ledger.tree_head` in the same transaction. Roots and proofs for any size up to the
 * head come from O(log n) nodes fetched in one query (`fetch`, for libs/ledger's plans).
 *
 * When the log is in another store (EventStoreDB, ADR 11), give that store: the leaves are read
 * through the port (`head`, `readAll`), level 0 included when a plan needs a leaf; the nodes stored in
 * `ledger.tree_nodes` are the same whichever store holds the log. Given the PostgreSQL store, or
 * nothing, the tree reads event_store.events itself, as it always has.
 */
export class PostgresTree {
  /** The frontier of the tree as this process last extended it (valid while tree_head says the same size). */
  private builder?: TreeBuilder;
  /** The log's store when it is not event_store.events. */
  private readonly leaves?: LeafSource;

  constructor(
    private readonly pool: Pool,
    store?: LeafSource,
  ) {
    if (store !== undefined && !(store instanceof PostgresEventStore)) this.leaves = store;
  }

  /** How many leaves the stored tree covers. */
  async size(): Promise<number> {
    const { rows } = await this.pool.query<{ size: string }>('SELECT size FROM ledger.tree_head');
    return Number(rows[0].size);
  }

  /** The hashes of `refs`, in order; throws if one is not stored (beyond the tree's size). */
  readonly fetch: FetchNodes = (refs) => fetchNodes(this.pool, refs, this.leaves);

  /**
   * Adds the leaves appended to the store since the tree's size, batch after batch, each batch's new
   * nodes and the new size in one transaction (two processes extending at once serialise on the head
   * row). Answers the new size.
   */
  async extend(options: ExtendOptions = {}): Promise<number> {
    const batchSize = options.batchSize ?? 10_000;
    const client = await this.pool.connect();
    try {
      const head = options.upTo ?? (this.leaves ? await this.leaves.head() : Number((await client.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM event_store.events')).rows[0].head));
      for (;;) {
        await client.query('BEGIN');
        try {
          const size = Number((await client.query<{ size: string }>('SELECT size FROM ledger.tree_head FOR UPDATE')).rows[0].size);
          if (size >= head) {
            await client.query('COMMIT');
            return size;
          }
          const builder = this.builder?.size === size ? this.builder : await resume(client, size, this.leaves);
          const rows =
            givenLeaves(options.leaves, size, head, batchSize) ??
            (this.leaves
              ? (await this.leaves.readAll(size, Math.min(batchSize, head - size))).map((e) => ({ seq: e.seq, leaf_hash: e.leafHash }))
              : (
                  await client.query<{ seq: string; leaf_hash: Buffer }>(
                    'SELECT seq, leaf_hash FROM event_store.events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3',
                    [size, head, batchSize],
                  )
                ).rows);
          const levels: number[] = [];
          const indexes: string[] = [];
          const hashes: Buffer[] = [];
          for (const [i, row] of rows.entries()) {
            if (Number(row.seq) !== size + i + 1) throw new Error(`the log has no event at seq ${size + i + 1}: the tree cannot go past a gap`);
            for (const node of builder.append(row.leaf_hash).slice(1)) {
              levels.push(node.level);
              indexes.push(String(node.index));
              hashes.push(node.hash);
            }
          }
          if (rows.length === 0) throw new Error(`the log has no event at seq ${size + 1} although its head is ${head}`);
          // The new nodes and the new size in one statement (a data-modifying WITH runs whole).
          await client.query(
            `WITH nodes AS (INSERT INTO ledger.tree_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[]))
             UPDATE ledger.tree_head SET size = $4, updated_at = now()`,
            [levels, indexes, hashes, builder.size],
          );
          await client.query('COMMIT');
          this.builder = builder;
          options.onBatch?.(builder.size, head);
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          this.builder = undefined;
          throw error;
        }
      }
    } finally {
      client.release();
    }
  }
}

/** The given leaves from `size + 1` to `head` (at most `batchSize`), if they start there. */
function givenLeaves(leaves: ExtendOptions['leaves'], size: number, head: number, batchSize: number): { seq: number; leaf_hash: Buffer }[] | undefined {
  const from = leaves?.filter((leaf) => leaf.seq > size && leaf.seq <= head).slice(0, batchSize);
  if (!from?.length || from[0].seq !== size + 1) return undefined;
  return from.map((leaf) => ({ seq: leaf.seq, leaf_hash: leaf.leafHash }));
}

/** The frontier at `size`, from the stored nodes of the root plan. */
async function resume(client: PoolClient, size: number, leafSource?: LeafSource): Promise<TreeBuilder> {
  const refs = rootPlan(size).refs;
  return TreeBuilder.resume(size, await fetchNodes(client, refs, leafSource));
}

async function fetchNodes(db: Pick<Pool, 'query'>, refs: readonly NodeRef[], leafSource?: LeafSource): Promise<Buffer[]> {
  if (refs.length === 0) return [];
  if (leafSource) return fetchWithLeavesFrom(db, refs, leafSource);
  const inner = refs.filter((r) => r.level > 0);
  const leaves = refs.filter((r) => r.level === 0);
  const { rows } = await db.query<{ level: number; idx: string; hash: Buffer }>(
    `SELECT level, idx, hash FROM ledger.tree_nodes WHERE (level, idx) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))
     UNION ALL
     SELECT 0::smallint, seq - 1, leaf_hash FROM event_store.events WHERE seq = ANY($3::bigint[])`,
    [inner.map((r) => r.level), inner.map((r) => String(r.index)), leaves.map((r) => String(r.index + 1))],
  );
  const found = new Map(rows.map((row) => [refKey({ level: Number(row.level), index: Number(row.idx) }), row.hash]));
  return refs.map((ref) => {
    const hash = found.get(refKey(ref));
    if (!hash) throw new Error(`node ${ref.level}/${ref.index} is not in the stored tree: extend the tree first`);
    return hash;
  });
}

/**
 * The nodes of `refs` when the leaves are in another store: inner nodes from ledger.tree_nodes, each
 * leaf (a plan names at most a few) read through the port; a leaf that is not there yet is missing.
 */
async function fetchWithLeavesFrom(db: Pick<Pool, 'query'>, refs: readonly NodeRef[], leafSource: LeafSource): Promise<Buffer[]> {
  const inner = refs.filter((r) => r.level > 0);
  const found = new Map<string, Buffer>();
  const [rows, leaves] = await Promise.all([
    inner.length === 0
      ? Promise.resolve([])
      : db
          .query<{ level: number; idx: string; hash: Buffer }>(
            'SELECT level, idx, hash FROM ledger.tree_nodes WHERE (level, idx) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[]))',
            [inner.map((r) => r.level), inner.map((r) => String(r.index))],
          )
          .then((result) => result.rows),
    Promise.all(refs.filter((r) => r.level === 0).map((r) => leafSource.readAll(r.index, 1))),
  ]);
  for (const row of rows) found.set(refKey({ level: Number(row.level), index: Number(row.idx) }), row.hash);
  for (const [event] of leaves) if (event) found.set(refKey({ level: 0, index: event.seq - 1 }), event.leafHash);
  return refs.map((ref) => {
    const hash = found.get(refKey(ref));
    if (!hash) throw new Error(`node ${ref.level}/${ref.index} is not in the stored tree: extend the tree first`);
    return hash;
  });
}
