import { Client } from 'pg';

/** Rows of one table in which a searched text was found. */
export interface TextFound {
  table: string;
  /** What was searched for and found. */
  text: string;
  rows: number;
  /** The start of one matching row, cast to text. */
  sample: string;
}

export interface ScanOptions {
  /** Schemas not to scan (the system's own are never scanned). */
  exceptSchemas?: readonly string[];
}

/**
 * Every table of every schema of the database (plain, partitioned and materialised views; the system
 * catalogs and other sessions' temporary schemas aside), each row cast to text and searched for each
 * of `texts`, case-insensitively, as text and as the hex of its UTF-8 bytes (how a bytea column
 * prints). Answers where they were found; [] when nowhere. Connects with `adminUrl` (a superuser), so
 * that no table is skipped for want of a grant.
 */
export async function findTextInDatabase(adminUrl: string, texts: readonly string[], options: ScanOptions = {}): Promise<TextFound[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
          AND NOT (n.nspname = ANY($1::text[]))
        ORDER BY 1, 2`,
      [options.exceptSchemas ?? []],
    );
    if (tables.length === 0) throw new Error('the scan found no table at all: check the connection');
    const found: TextFound[] = [];
    for (const { schema, name } of tables) {
      const table = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
      for (const text of texts) {
        const { rows } = await client.query<{ rows: number; sample: string | null }>(
          `SELECT count(*)::int AS rows, min(left(t::text, 300)) AS sample
             FROM ${table} AS t
            WHERE strpos(lower(t::text), lower($1)) > 0
               OR strpos(t::text, encode(convert_to($1, 'UTF8'), 'hex')) > 0`,
          [text],
        );
        if (rows[0].rows > 0) found.push({ table: `${schema}.${name}`, text, rows: rows[0].rows, sample: rows[0].sample ?? '' });
      }
    }
    return found;
  } finally {
    await client.end();
  }
}
