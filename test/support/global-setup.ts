import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { isAlive, redact, startEmbeddedPostgres } from '../../libs/database/src';
import { ensureWebFrontBuilt } from './web-build';

/**
 * Gives the tests a real PostgreSQL: DATABASE_URL's when set, else an embedded one on a free port with
 * its data in a temporary folder, removed at the end. Each test file makes its own databases on it.
 */
export default async function globalSetup(): Promise<void> {
  process.env.LOG_LEVEL ??= 'silent'; // the API's JSON logs would drown jest's report
  if (process.env.DATABASE_URL) {
    console.log(`\ntests on DATABASE_URL=${redact(process.env.DATABASE_URL)}`);
  } else {
    const port = await freePort();
    const parent = mkdtempSync(join(tmpdir(), 'ledger-test-pg-'));
    chmodSync(parent, 0o755); // as root, the server runs as the postgres user, which must reach it
    const dataDir = join(parent, 'data');
    const log = { info: () => {}, warn: (m: string) => console.warn(m), debug: () => {} };
    const server = await startEmbeddedPostgres({ dataDir, port, persistent: false, database: 'ledger_test', log });
    (globalThis as Record<string, unknown>).__LEDGER_EMBEDDED_PG__ = server;
    process.env.DATABASE_URL = server.adminUrl;
    process.env.LEDGER_APP_PASSWORD = server.appPassword;
    console.log(`\ntests on an embedded PostgreSQL at 127.0.0.1:${port}`);
  }
  await dropDatabasesOfDeadRuns(process.env.DATABASE_URL!);
  ensureWebFrontBuilt(); // the browser tests' API serves dist/web
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Test databases are named ledger_test_<pid>_…: those of processes that died are dropped. */
async function dropDatabasesOfDeadRuns(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname ~ '^ledger_test_[0-9]+_'`);
    for (const { datname } of rows) {
      const pid = Number(datname.split('_')[2]);
      if (isAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
