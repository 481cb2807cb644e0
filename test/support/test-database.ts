import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { APP_ROLE, migrate, silentLog, withDatabase, withUser } from '@mel/database';

export interface TestDatabase {
  name: string;
  /** Administrator (superuser) connection to this database. */
  adminUrl: string;
  /** The application role's connection, as the API uses. */
  appUrl: string;
  drop(): Promise<void>;
}

/** A new database on the tests' PostgreSQL, migrated like production, dropped by drop(). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the tests through jest, whose global setup sets it');
  const name = `ledger_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const adminUrl = withDatabase(serverUrl, name);
  const appPassword = process.env.LEDGER_APP_PASSWORD || undefined;
  await migrate(adminUrl, { appPassword, log: silentLog });
  return {
    name,
    adminUrl,
    appUrl: withUser(adminUrl, APP_ROLE, appPassword),
    drop: () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)),
  };
}

async function onServer(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
