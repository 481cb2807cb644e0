import { APP_ROLE, MIGRATION_ROLE } from '@mel/database';
import { Client } from 'pg';
import { createHash } from 'node:crypto';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { amendmentsProjection } from './amendments/amendments.projection';
import { commitmentsProjection } from './commitments/commitments.projection';
import { governanceProjection } from './governance/governance.projection';
import { overviewProjection } from './overview/overview.projection';
import type { Projection } from './projection';

/** Every read model of the ledger. */
export const PROJECTIONS: Projection[] = [commitmentsProjection, governanceProjection, amendmentsProjection, overviewProjection];

/** Session lock taken while versions are created or switched (one process at a time). */
const VERSIONS_LOCK = 5567940404776814420;

export const schemaOf = (version: number) => `rm_v${version}`;

/**
 * A digest of what the code declares: the projections' names and their tables, columns and indices. A
 * live version built with another shape is out of date: it is rebuilt (ADR 6).
 */
export function shapeOf(projections: Projection[] = PROJECTIONS): string {
  const storage = getMetadataArgsStorage();
  const entities = projections.flatMap((p) => p.entities);
  const describe = {
    projections: projections.map((p) => p.name),
    tables: storage.tables.filter((t) => entities.includes(t.target as Function)).map((t) => t.name ?? (t.target as Function).name),
    columns: storage.columns
      .filter((c) => entities.includes(c.target as Function))
      .map((c) => [(c.target as Function).name, c.propertyName, c.mode, JSON.stringify(c.options)]),
    indices: storage.indices.filter((i) => entities.includes(i.target as Function)).map((i) => [(i.target as Function).name, JSON.stringify(i.columns), i.unique ?? false]),
  };
  return createHash('sha256').update(JSON.stringify(describe)).digest('hex').slice(0, 16);
}

export interface LiveVersion {
  version: number;
  /** False when the live version was built from other projections than the code's: rebuild it. */
  current: boolean;
}

/**
 * The live read-model version, created (as version 1, empty) when there is none. Run as DATABASE_URL's
 * user, like the migrations: the schema and its tables belong to the migration role, and the
 * application role may read and write their rows.
 */
export async function ensureLiveVersion(adminUrl: string, projections: Projection[] = PROJECTIONS): Promise<number> {
  return (await liveVersionOf(adminUrl, projections)).version;
}

/** The live version (created when there is none), and whether it has the code's shape. */
export async function liveVersionOf(adminUrl: string, projections: Projection[] = PROJECTIONS): Promise<LiveVersion> {
  return withVersionsLock(adminUrl, async (client) => {
    const { rows } = await client.query(`SELECT version, shape FROM projections.versions WHERE status = 'live'`);
    if (rows.length > 0) return { version: Number(rows[0].version), current: rows[0].shape === shapeOf(projections) };
    const version = await createVersionLocked(client, adminUrl, projections);
    await client.query(`UPDATE projections.versions SET status = 'live', live_since = now() WHERE version = $1`, [version]);
    return { version, current: true };
  });
}

/** A new, empty read-model version beside the live one (status `building`), for a rebuild. */
export async function createVersion(adminUrl: string, projections: Projection[] = PROJECTIONS): Promise<number> {
  return withVersionsLock(adminUrl, (client) => createVersionLocked(client, adminUrl, projections));
}

/** Makes `version` the live one, in one transaction: queries move to it as soon as they see the switch. */
export async function switchLiveVersion(adminUrl: string, version: number): Promise<void> {
  await withVersionsLock(adminUrl, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(`UPDATE projections.versions SET status = 'retired' WHERE status = 'live'`);
      const { rowCount } = await client.query(
        `UPDATE projections.versions SET status = 'live', live_since = now() WHERE version = $1 AND status = 'building'`,
        [version],
      );
      if (rowCount !== 1) throw new Error(`read-model version ${version} is not one being built`);
      await client.query(`NOTIFY read_model_switched, '${version}'`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

/** The live version number, or null when there is none yet. */
export async function currentLiveVersion(source: DataSource): Promise<number | null> {
  const rows: { version: number }[] = await source.query(`SELECT version FROM projections.versions WHERE status = 'live'`);
  return rows.length ? Number(rows[0].version) : null;
}

/**
 * A DataSource on version `version`'s tables, connected as `url`'s user (the application role); with
 * version `'pg_temp'`, on the session's temporary tables (read models as of a date, see as-of.ts).
 */
export function readModelDataSource(url: string, version: number | 'pg_temp', projections: Projection[] = PROJECTIONS): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    schema: version === 'pg_temp' ? version : schemaOf(version),
    entities: projections.flatMap((p) => p.entities),
    synchronize: false,
    logging: false,
    extra: { max: 5 },
  });
}

async function createVersionLocked(client: Client, adminUrl: string, projections: Projection[]): Promise<number> {
  const { rows } = await client.query('SELECT coalesce(max(version), 0) + 1 AS next FROM projections.versions');
  const version = Number(rows[0].next);
  const schema = schemaOf(version);
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${MIGRATION_ROLE}`);
    await client.query(`INSERT INTO projections.versions (version, schema_name, status, shape) VALUES ($1, $2, 'building', $3)`, [
      version,
      schema,
      shapeOf(projections),
    ]);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${APP_ROLE}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  // The tables, as the entities declare them, owned by the migration role.
  const builder = new DataSource({
    type: 'postgres',
    url: adminUrl,
    schema,
    entities: projections.flatMap((p) => p.entities),
    synchronize: false,
    logging: false,
    extra: { options: `-c role=${MIGRATION_ROLE}`, max: 1 },
  });
  await builder.initialize();
  try {
    await builder.synchronize();
  } finally {
    await builder.destroy();
  }
  await client.query(`SET ROLE ${MIGRATION_ROLE}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${APP_ROLE}`);
  await client.query('RESET ROLE');
  return version;
}

async function withVersionsLock<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [VERSIONS_LOCK]);
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
