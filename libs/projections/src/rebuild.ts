import { Client } from 'pg';
import type { EventStore } from '@mel/event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { createVersion, PROJECTIONS, readModelDataSource, schemaOf, switchLiveVersion } from './read-model-versions';

export interface TableDigest {
  table: string;
  rows: number;
  sha256: string;
}

/**
 * A digest of every table of a read-model version: its rows in primary-key order, as JSON, hashed, read
 * in one snapshot together with the seq the version has applied. Two versions built from the same
 * events up to the same seq have the same digests, whatever order they were built in.
 */
export async function digestVersion(source: DataSource, version: number): Promise<{ position: number; tables: TableDigest[] }> {
  const runner = source.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const [checkpoint] = await runner.query('SELECT coalesce(min(seq), 0) AS seq FROM projections.checkpoints WHERE version = $1', [version]);
    const tables: TableDigest[] = [];
    for (const entity of [...source.entityMetadatas].sort((a, b) => a.tableName.localeCompare(b.tableName))) {
      const [exists] = await runner.query('SELECT to_regclass($1) IS NOT NULL AS present', [`"${schemaOf(version)}"."${entity.tableName}"`]);
      if (!exists.present) {
        tables.push({ table: entity.tableName, rows: -1, sha256: 'missing' }); // a version built before this read model existed
        continue;
      }
      const order = entity.primaryColumns.map((c) => `t."${c.databaseName}"`).join(', ');
      const [row] = await runner.query(
        `SELECT count(*)::int AS rows,
                encode(sha256(convert_to(coalesce(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY ${order}), ''), 'UTF8')), 'hex') AS sha256
         FROM "${schemaOf(version)}"."${entity.tableName}" t`,
      );
      tables.push({ table: entity.tableName, rows: row.rows, sha256: row.sha256 });
    }
    await runner.commitTransaction();
    return { position: Number(checkpoint.seq), tables };
  } finally {
    await runner.release();
  }
}

export interface RebuildOptions {
  adminUrl: string;
  appUrl: string;
  store: EventStore;
  projections?: Projection[];
  onProgress?: (position: number, head: number) => void;
  /** Compare the rebuilt version with the live one, and do not switch. */
  checkOnly?: boolean;
}

export interface RebuildReport {
  version: number;
  previous: number | null;
  position: number;
  /** With `checkOnly`: tables whose digests differ between the live and the rebuilt version, at the same seq. */
  differences: { table: string; live: TableDigest | undefined; rebuilt: TableDigest | undefined }[];
  switched: boolean;
}

/**
 * Builds a new read-model version from seq 0 beside the live one, then (unless `checkOnly`) switches
 * to it: the API keeps reading the live version meanwhile. With `checkOnly`, both versions are brought
 * to the same seq and their digests compared; the rebuilt one is retired.
 */
export async function rebuild(options: RebuildOptions): Promise<RebuildReport> {
  const projections = options.projections ?? PROJECTIONS;
  const previous = await liveVersion(options.adminUrl);
  const version = await createVersion(options.adminUrl, projections);
  const rebuilt = readModelDataSource(options.appUrl, version, projections);
  await rebuilt.initialize();
  try {
    const runner = new ProjectionRunner(options.store, rebuilt, version, projections);
    let position = await runner.catchUp(options.onProgress);
    const differences: RebuildReport['differences'] = [];
    if (previous !== null && options.checkOnly) {
      const live = readModelDataSource(options.appUrl, previous, projections);
      await live.initialize();
      try {
        // The live version at least as far as the rebuilt one, read in one snapshot; then the rebuilt
        // one brought to exactly the same seq, and both compared.
        await new ProjectionRunner(options.store, live, previous, projections).catchUp(undefined, position);
        const liveDigest = await digestVersion(live, previous);
        position = await runner.catchUp(options.onProgress, liveDigest.position);
        const rebuiltDigest = await digestVersion(rebuilt, version);
        if (rebuiltDigest.position !== liveDigest.position) {
          throw new Error(`the rebuilt version reached seq ${rebuiltDigest.position}, the live one ${liveDigest.position}: run the check again`);
        }
        for (const table of new Set([...liveDigest.tables, ...rebuiltDigest.tables].map((d) => d.table))) {
          const [l, r] = [liveDigest.tables.find((d) => d.table === table), rebuiltDigest.tables.find((d) => d.table === table)];
          if (l?.sha256 !== r?.sha256 || l?.rows !== r?.rows) differences.push({ table, live: l, rebuilt: r });
        }
      } finally {
        await live.destroy();
      }
    }
    if (options.checkOnly) {
      await retireVersion(options.adminUrl, version);
      return { version, previous, position, differences, switched: false };
    }
    // Built from empty: the planner's statistics are those of empty tables until analysed.
    await runner.analyze();
    await switchLiveVersion(options.adminUrl, version);
    return { version, previous, position, differences, switched: true };
  } finally {
    await rebuilt.destroy();
  }
}

async function liveVersion(adminUrl: string): Promise<number | null> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT version FROM projections.versions WHERE status = 'live'`);
    return rows.length ? Number(rows[0].version) : null;
  } finally {
    await client.end();
  }
}

async function retireVersion(adminUrl: string, version: number): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`UPDATE projections.versions SET status = 'retired' WHERE version = $1`, [version]);
  } finally {
    await client.end();
  }
}
