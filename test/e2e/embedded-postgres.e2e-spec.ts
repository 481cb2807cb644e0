import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Database, isAlive, openDatabase, silentLog } from '@mel/database';
import { PostgresEventStore } from '@mel/event-store';

/**
 * The default a new user gets: no DATABASE_URL, an embedded PostgreSQL with its data in a folder that
 * survives restarts, stopped with the process. Runs whatever DATABASE_URL the rest of the suite uses.
 */
describe('the embedded PostgreSQL default', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;
  const opened: Database[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ledger-embedded-'));
    chmodSync(folder, 0o755);
    env = { LEDGER_DATA_DIR: folder, LEDGER_EMBEDDED_PG_PORT: String(await freePort()) };
  });
  afterAll(async () => {
    for (const database of opened) await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const open = async () => {
    const database = await openDatabase({ log: silentLog, env });
    opened.push(database);
    return database;
  };
  const pidFile = () => join(folder, 'postgres', 'postmaster.pid');
  const appendOne = async (database: Database) => {
    const store = new PostgresEventStore({ connectionString: database.appUrl });
    try {
      await store.append('contract-mel-2024', [{ type: 'ContractSigned', occurredAt: '2024-05-07T10:00:00+02:00', actor: { subject: 's', role: 'administrator' }, data: {} }], {
        expectedVersion: 'any',
      });
      return await store.head();
    } finally {
      await store.close();
    }
  };

  it('starts without DATABASE_URL, keeps its data across restarts, and stops with close()', async () => {
    const first = await open();
    expect(first.embedded).toBe(true);
    expect(new URL(first.appUrl).username).toBe('ledger_app');
    expect(await appendOne(first)).toBe(1);
    await first.close();
    expect(existsSync(pidFile())).toBe(false);

    const second = await open();
    expect(await appendOne(second)).toBe(2);
    await second.close();
  });

  it('lets a second opening use the running server, which only the one that started it stops', async () => {
    const owner = await open();
    const guest = await open();
    expect(await appendOne(guest)).toBe(3);
    await guest.close();
    expect(existsSync(pidFile())).toBe(true);
    expect(await appendOne(owner)).toBe(4);
    await owner.close();
    expect(existsSync(pidFile())).toBe(false);
  });

  it('takes over a server left running by a process that was killed', async () => {
    const root = resolve(__dirname, '../..');
    const child = spawn(
      process.execPath,
      [
        '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e',
        "require('./libs/database/src').openDatabase({ log: require('./libs/database/src').silentLog }).then(() => console.log('up'))",
      ],
      { cwd: root, env: { ...process.env, ...env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolveUp, reject) => {
      child.stdout.on('data', (chunk) => String(chunk).includes('up') && resolveUp());
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before the database was up`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const orphanPid = Number(readFileSync(pidFile(), 'utf8').split('\n')[0]);
    expect(isAlive(orphanPid)).toBe(true);

    const database = await open();
    expect(isAlive(orphanPid)).toBe(false);
    expect(await appendOne(database)).toBe(5);
    await database.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
