import { join } from 'node:path';
import { withUser } from './connection-url';
import { startEmbeddedPostgres } from './embedded-postgres';
import type { Log } from './log';
import { APP_ROLE, migrate } from './migrations';
import { projectRoot } from './project-root';

export const DEFAULT_EMBEDDED_PORT = 54329;

export interface Database {
  /** Administrator connection: migrations and maintenance only. */
  adminUrl: string;
  /** What the application connects as: the ledger_app role. */
  appUrl: string;
  /** True when this process started an embedded PostgreSQL (stopped by close()). */
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * The ledger's database, ready to use: DATABASE_URL's server when it is set, otherwise an embedded
 * PostgreSQL with its data in the project's .data/ folder (LEDGER_DATA_DIR), started on port
 * LEDGER_EMBEDDED_PG_PORT (54329). Roles and migrations are brought up to date either way.
 *
 * The application connects as ledger_app: DATABASE_APP_URL when set, else DATABASE_URL's server as
 * ledger_app with LEDGER_APP_PASSWORD (the embedded server generates its own).
 */
export async function openDatabase(options: { log: Log; env?: NodeJS.ProcessEnv }): Promise<Database> {
  const env = options.env ?? process.env;
  const log = options.log;
  if (env.DATABASE_URL) {
    const appPassword = env.LEDGER_APP_PASSWORD || undefined;
    await migrate(env.DATABASE_URL, { appPassword, log });
    return {
      adminUrl: env.DATABASE_URL,
      appUrl: env.DATABASE_APP_URL || withUser(env.DATABASE_URL, APP_ROLE, appPassword),
      embedded: false,
      close: async () => undefined,
    };
  }
  const dataDir = join(env.LEDGER_DATA_DIR || join(projectRoot(), '.data'), 'postgres');
  const port = Number(env.LEDGER_EMBEDDED_PG_PORT || DEFAULT_EMBEDDED_PORT);
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: true, database: 'ledger', log });
  try {
    await migrate(server.adminUrl, { appPassword: server.appPassword, log });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    adminUrl: server.adminUrl,
    appUrl: withUser(server.adminUrl, APP_ROLE, server.appPassword),
    embedded: true,
    close: () => server.stop(),
  };
}
