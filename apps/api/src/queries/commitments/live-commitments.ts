import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';

/** The live commitment as `present` shows it, in the entity's property order (see the controller). */
const COMMITMENTS_BY_ID = `SELECT commitment_id AS "commitmentId", title, description, owner_party_id AS "ownerPartyId",
  co_funder_party_ids AS "coFunderPartyIds", priority, ambition, component, horizon, status, outcome, qpv, communes,
  droit_commun_cents::float8 AS "droitCommunCents", credits_specifiques_cents::float8 AS "creditsSpecifiquesCents", budget,
  committed_cents::float8 AS "committedCents", disbursed_cents::float8 AS "disbursedCents", spent_cents::float8 AS "spentCents",
  reports, amendment_ids AS "amendmentIds", stream_version AS "streamVersion", last_seq::float8 AS "lastSeq", updated_on AS "updatedOn"
  FROM commitments WHERE commitment_id = ANY($1::text[])`;

/** At most so many ids in one query. */
const MAX_BATCH = 200;

/**
 * Live commitment rows by id, the ids asked for in one turn of the event loop read in one query
 * (DataLoader, batches scheduled with setImmediate, nothing cached: the answer cache keeps answers,
 * ADR 15). Under load, the first reads of many commitments arrive together: one statement for them
 * instead of one each — a socket write, a database wake-up and a result description fewer per read.
 * One loader per read-model data source (a rebuild switches to another schema).
 */
export class LiveCommitments {
  private readonly loaders = new WeakMap<DataSource, DataLoader<string, Record<string, unknown> | null>>();

  /** The row of commitment `id` in `source`'s read model, or null. */
  load(source: DataSource, id: string): Promise<Record<string, unknown> | null> {
    let loader = this.loaders.get(source);
    if (!loader) {
      const schema = (source.options as { schema?: string }).schema ?? 'public';
      const sql = COMMITMENTS_BY_ID.replace('FROM commitments', `FROM "${schema}".commitments`);
      loader = new DataLoader(
        async (ids: readonly string[]) => {
          const rows: Record<string, unknown>[] = await source.query(sql, [ids]);
          const byId = new Map(rows.map((row) => [row.commitmentId as string, row]));
          return ids.map((id) => byId.get(id) ?? null);
        },
        { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (run) => setImmediate(run) },
      );
      this.loaders.set(source, loader);
    }
    return loader.load(id);
  }
}
