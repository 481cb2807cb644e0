import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { redact } from './connection-url';
import type { Log } from './log';
import { projectRoot } from './project-root';

export const MIGRATION_ROLE = 'ledger_migrator';
export const APP_ROLE = 'ledger_app';

/** Session-level advisory lock taken while migrating, so that two processes starting together wait. */
const MIGRATION_LOCK = 5567940404776814419;

export interface MigrateOptions {
  /** Password the application role logs in with, when the server asks for one. */
  appPassword?: string;
  log: Log;
  /** Folder holding roles.sql and migrations/ (default: infra/postgres of the project). */
  sqlDir?: string;
}

/**
 * Brings a database to the ledger's current schema, as DATABASE_URL's user (an administrator):
 * creates the roles (infra/postgres/roles.sql), then applies each pending migration of
 * infra/postgres/migrations, in name order, in its own transaction, as the migration role.
 * A migration already applied whose file has changed stops everything: history is never rewritten.
 */
export async function migrate(adminUrl: string, options: MigrateOptions): Promise<string[]> {
  const sqlDir = options.sqlDir ?? join(projectRoot(), 'infra/postgres');
  const client = new Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot connect to ${redact(adminUrl)}: ${(error as Error).message}. Check DATABASE_URL, or unset it to use the embedded PostgreSQL.`,
    );
  }
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await createRoles(client, readFileSync(join(sqlDir, 'roles.sql'), 'utf8'), options.appPassword);
    await client.query(`SET ROLE ${MIGRATION_ROLE}`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ledger_meta`);
    await client.query(`CREATE TABLE IF NOT EXISTS ledger_meta.schema_migrations (
      name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Map<string, string>(
      (await client.query('SELECT name, sha256 FROM ledger_meta.schema_migrations')).rows.map((r) => [r.name, r.sha256]),
    );
    const files = readdirSync(join(sqlDir, 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const ran: string[] = [];
    for (const file of files) {
      const sql = readFileSync(join(sqlDir, 'migrations', file), 'utf8');
      const sha256 = createHash('sha256').update(sql).digest('hex');
      const known = applied.get(file);
      if (known !== undefined) {
        if (known !== sha256) {
          throw new Error(
            `migration ${file} was changed after it was applied to this database: restore the file and put the change in a new migration`,
          );
        }
        continue;
      }
      options.log.info(`applying migration ${file}`);
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO ledger_meta.schema_migrations (name, sha256) VALUES ($1, $2)', [file, sha256]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
      ran.push(file);
    }
    return ran;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createRoles(client: Client, rolesSql: string, appPassword: string | undefined): Promise<void> {
  // Roles belong to the whole server: two databases bootstrapped at once may race to create them.
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(rolesSql);
      break;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt < 3 && (code === '23505' || code === '42710' || code === 'XX000')) continue;
      throw new Error(
        `cannot create the ledger's roles: ${(error as Error).message}. DATABASE_URL's user needs CREATEROLE, or an administrator runs infra/postgres/roles.sql first.`,
      );
    }
  }
  if (appPassword) {
    const { rows } = await client.query('SELECT format($1, $2::text) AS sql', [`ALTER ROLE ${APP_ROLE} PASSWORD %L`, appPassword]);
    // The same race on the role's row (XX000 "tuple concurrently updated"; the migration lock is per database).
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(rows[0].sql);
        break;
      } catch (error) {
        if (attempt >= 5 || (error as { code?: string }).code !== 'XX000') throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }
}
