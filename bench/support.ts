/**
 * What the benchmarks share: a database made for the run (and dropped after it), the contract's history
 * generated in a child process, progress bars, timing and formatting.
 *
 * This file is also the generator's child process: run with BENCH_GENERATE_INTO (the application
 * role's URL of the database to fill) and BENCH_GENERATE_OPTIONS (JSON: events, seed, concurrency), it
 * writes the history with a progress bar on stderr and prints its report, as one JSON line, on stdout.
 */
import { spawn } from 'node:child_process';
import { Presets, SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { generateHistory, type HistoryReport, loadMelSeed } from '../libs/application/src';
import { APP_ROLE, type Database, migrate, openDatabase, projectRoot, silentLog, withDatabase, withUser } from '../libs/database/src';
import { PostgresEventStore } from '../libs/event-store/src';

/**
 * Node flags of the generator's child process: a larger young generation. The generator allocates much
 * and briefly, and spends a quarter of its time collecting with Node's default. The measures are taken
 * elsewhere, with Node's defaults, as the API and the CLI run.
 */
export const GENERATOR_FLAGS = ['--max-semi-space-size=64'];

export interface GenerateOptions {
  events: number;
  seed: number;
  /** Streams written at once; the generator's default when absent. */
  concurrency?: number;
}

/** A progress bar on stderr. */
export function bar(label: string, unit: string): SingleBar {
  return new SingleBar(
    { format: `${label.padEnd(10)} [{bar}] {percentage}% {value}/{total} ${unit} {duration_formatted}`, stream: process.stderr, hideCursor: true, noTTYOutput: false, etaBuffer: 50 },
    Presets.shades_classic,
  );
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export const round = (n: number) => Math.round(n * 100) / 100;
export const pad = (v: number | string, width: number) => String(v).padStart(width);

/** A database of its own for a benchmark run, migrated, with the application role's URL. */
export interface BenchDatabase {
  name: string;
  adminUrl: string;
  appUrl: string;
  /** DATABASE_URL's server (false) or the embedded PostgreSQL (true). */
  embedded: boolean;
  /** current_setting of server_version, shared_buffers, synchronous_commit. */
  settings: { serverVersion: string; sharedBuffers: string; synchronousCommit: string };
  /** Drops the database (kept with BENCH_KEEP=1, said on stderr), then closes the server if embedded. */
  close(): Promise<void>;
}

/**
 * Creates the database `name` on DATABASE_URL's server (or the embedded PostgreSQL) and brings it to
 * the ledger's migrations, with the application role as the ledger runs it.
 */
export async function openBenchDatabase(name: string): Promise<BenchDatabase> {
  const database: Database = await openDatabase({ log: silentLog });
  const server = new Client({ connectionString: database.adminUrl });
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`);
  const close = async () => {
    if (process.env.BENCH_KEEP === '1') console.error(`kept database ${name}`);
    else await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.end();
    await database.close();
  };
  try {
    const adminUrl = withDatabase(database.adminUrl, name);
    const appPassword = new URL(database.appUrl).password ? decodeURIComponent(new URL(database.appUrl).password) : undefined;
    await migrate(adminUrl, { appPassword, log: silentLog });
    const appUrl = withUser(adminUrl, APP_ROLE, appPassword);
    const setup = new Client({ connectionString: adminUrl });
    await setup.connect();
    const { rows } = await setup.query(
      "SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS b, current_setting('synchronous_commit') AS s",
    );
    await setup.end();
    return {
      name,
      adminUrl,
      appUrl,
      embedded: database.embedded,
      settings: { serverVersion: rows[0].v, sharedBuffers: rows[0].b, synchronousCommit: rows[0].s },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * Generates the history into `appUrl` in a child process given GENERATOR_FLAGS (this file, run as the
 * generator); answers its report. The child's progress bar goes to this process's stderr.
 */
export function generateInChild(appUrl: string, options: GenerateOptions): Promise<HistoryReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...GENERATOR_FLAGS, '-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register'), __filename],
      { env: { ...process.env, BENCH_GENERATE_INTO: appUrl, BENCH_GENERATE_OPTIONS: JSON.stringify(options) }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the generator exited with code ${code}`));
      resolve(JSON.parse(output.trim().split('\n').pop()!) as HistoryReport);
    });
  });
}

/** The child: generates the history into `appUrl`, with a progress bar, and prints its report. */
async function generate(appUrl: string, options: GenerateOptions): Promise<void> {
  const store = new PostgresEventStore({ connectionString: appUrl, poolSize: 4 });
  const progress = bar('generate', 'events');
  progress.start(options.events, 0);
  try {
    const report = await generateHistory(store, {
      events: options.events,
      seed: options.seed,
      seedSteps: loadMelSeed(projectRoot()),
      ...(options.concurrency && { concurrency: options.concurrency }),
      onProgress: (written) => progress.update(written),
    });
    progress.stop();
    console.log(JSON.stringify(report));
  } finally {
    progress.stop();
    await store.close();
  }
}

if (require.main === module && process.env.BENCH_GENERATE_INTO) {
  generate(process.env.BENCH_GENERATE_INTO, JSON.parse(process.env.BENCH_GENERATE_OPTIONS ?? '{}') as GenerateOptions).catch((error) => {
    console.error(`the generator failed: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}
