/**
 * npm run bench:http — the API as its users feel it, over HTTP on loopback, on a realistic ledger: the
 * contract's history from the MEL seed to 2030, BENCH_EVENTS events (default 1,000,000) written by
 * generateHistory through the deciders and the store's append (in a child process, as
 * bench:projections does), in a database made for the run (DATABASE_URL's server, or the embedded
 * PostgreSQL), dropped after it unless BENCH_KEEP=1.
 *
 * The API runs as a separate child process, as in production: `node` on the build of `nest build api`
 * (dist/) when it exists and is not older than the sources, else the sources through ts-node
 * (transpile only); BENCH_API=dist|ts-node forces one; the output says which. Its start is timed until
 * it listens, until its read models reached the store's head (GET /commitments?seq=<head> answers 200)
 * and until its Merkle tree did (the start checkpoint at the head); then it is watched idle for 3 s.
 * Then autocannon (keep-alive, loopback), endpoint after endpoint:
 *
 *   baselines, measured in the same run: a minimal Node HTTP server answering a fixed JSON (what this
 *   machine and the client can do at all), the same server answering the bytes of the first page of
 *   GET /commitments (that response without any work), GET /ledger/key (the API's whole HTTP pipeline
 *   — helmet, CORS, body parser, logger, throttler, guard, filters — without the database) and
 *   GET /health (the pipeline and two trivial queries);
 *
 *   a command at a fixed rate of BENCH_COMMAND_RATE (500) requests/s: POST /commitments/:id/reports by
 *   the owner's representative (a signatory-representative token of the owning party), a new report id
 *   each time, on random commitments still open. autocannon's overallRate lets each connection send its
 *   share of every second back to back at the start of the second, all connections at once; so that the
 *   commands come spread over the second, as from independent users, the rate is run by
 *   BENCH_COMMAND_CLIENTS (10) autocannon instances of one connection each, at rate/10 each, started
 *   0.1 s apart. Every answer must be 201, and every acknowledged report must be in the log exactly
 *   once (a report the client stopped waiting for when a load ended may be there too; nothing else).
 *   Target p99 ≤ 25 ms at the full rate;
 *
 *   the main reads at full speed with BENCH_CONNECTIONS (32) connections: GET /commitments?limit=50,
 *   GET /commitments/:id (random ids), GET /governance/meetings, GET /governance/bodies,
 *   GET /parties/:id/dashboard (random owners), GET /overview. Target ≥ 3,000 requests/s with
 *   p99 ≤ 20 ms each, on a store of 1,000,000 events. GET /open-data/commitments.json is not loaded: one
 *   answer is the whole register (hundreds of MB at 1,000,000 events); BENCH_OPEN_DATA=1 fetches it
 *   once at the end, timed and weighed.
 *
 * Each endpoint: first one request at a time for up to 2 s ("alone": what a request costs when the API
 * does nothing else; an endpoint slower than BENCH_SLOW_MS, 1000, alone is not loaded: the connections
 * would only pile requests up); then BENCH_WARMUP (2) s not measured, and BENCH_DURATION (15) s measured
 * (baselines: half), each followed by waiting until the API answers GET /ledger/key quickly again. For
 * each: requests/s, p50/p99/p99.9/max latency over the 2xx answers (every response timed here from its
 * write, in ms; autocannon's own histogram keeps whole milliseconds), non-2xx and errors, and where the
 * CPU went meanwhile: the API process (/proc/<pid>/stat, all threads; and its main thread's event loop
 * utilization), the PostgreSQL backends of the run's database, this process (autocannon) and the rest
 * of the machine (other work on it). The API's memory (VmRSS, VmHWM; heap from process.memoryUsage())
 * after its start and after the loads. The heap, the event loop utilization and the CPU profiles come
 * from a probe loaded into the API's process with `node -r` (written to a temporary folder) that
 * answers over the IPC channel: the API's code is unchanged.
 *
 * Prints a table, then, as its last line, one JSON object with every figure and whether the targets are
 * met. BENCH_EVENTS=20000 for a quick run (2000 at least); BENCH_SEED, BENCH_CONCURRENCY as
 * bench:projections. BENCH_PROFILE=DIR profiles the API's main thread during each measured load
 * (inspector, through the probe), writes DIR/<load>.cpuprofile (Chrome DevTools opens them) and prints
 * where the time went; a profiled run's figures are not the benchmark's.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_ORIGIN, generateLocalTokenJwk, loadLocalTokenKey, type LocalTokenKey, mintToken, Random } from '../libs/application/src';
import { projectRoot } from '../libs/database/src';
import { PostgresEventStore } from '../libs/event-store/src';
import { generateNoteKey } from '../libs/ledger/src';
import { generateInChild, openBenchDatabase, pad, round, timed } from './support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 2024);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const BASELINE_DURATION = Math.max(3, Math.round(DURATION / 2));
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const COMMAND_RATE = Number(process.env.BENCH_COMMAND_RATE ?? 500);
const COMMAND_CLIENTS = Number(process.env.BENCH_COMMAND_CLIENTS ?? 10);
const API_MODE = process.env.BENCH_API ?? 'auto';
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
const TARGETS = { commandRate: COMMAND_RATE, commandP99Ms: 25, readRequestsPerSec: 3000, readP99Ms: 20 };
/** Why GET /open-data/commitments.json is fetched once and not loaded: see its size in the output. */
const OPEN_DATA = '/open-data/commitments.json';
const FETCH_OPEN_DATA = process.env.BENCH_OPEN_DATA === '1';
/** One request at a time before each load: for up to so many seconds, at most so many requests. */
const ALONE_SECONDS = 2;
const ALONE_REQUESTS = 50;
/** An endpoint whose one request alone takes longer than this is not loaded. */
const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 1000);
/** Seconds the API is watched doing nothing after its start. */
const IDLE_SECONDS = 3;
const CLOCK_TICKS = 100; // USER_HZ of /proc/<pid>/stat on Linux

// ---- autocannon (no type declarations are published: what this file uses of its programmatic API) --

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  timeout?: number;
  overallRate?: number;
  ignoreCoordinatedOmission?: boolean;
  requests: AutocannonRequest[];
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = require('autocannon') as Autocannon;

// ---- the probe loaded into the API's process ---------------------------------------------------------

/**
 * Loaded with `node -r` into the API's process: answers the bench over the IPC channel (memory, event
 * loop utilization since the last ask, CPU profiles of the main thread). It does not keep the process
 * alive and changes nothing in the API.
 */
const PROBE = `'use strict';
const { performance } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
let last = performance.eventLoopUtilization();
let session;
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params || {}, (error, result) => (error ? reject(error) : resolve(result))));
process.on('message', async (message) => {
  if (!message || typeof message.probe !== 'string') return;
  const answer = (value) => process.send({ probe: message.probe, id: message.id, ...value });
  try {
    if (message.probe === 'memory') return answer({ memory: process.memoryUsage() });
    if (message.probe === 'elu') {
      const now = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(now, last);
      last = now;
      return answer({ utilization });
    }
    if (message.probe === 'profile-start') {
      if (!session) {
        session = new (require('node:inspector').Session)();
        session.connect();
        await post('Profiler.enable');
      }
      await post('Profiler.start');
      return answer({});
    }
    if (message.probe === 'profile-stop') {
      const { profile } = await post('Profiler.stop');
      writeFileSync(message.file, JSON.stringify(profile));
      return answer({ file: message.file });
    }
    answer({ error: 'unknown probe ' + message.probe });
  } catch (error) {
    answer({ error: String(error && error.stack || error) });
  }
});
if (process.channel) process.channel.unref();
`;

/** The minimal HTTP server of the baselines: a fixed JSON at /, the bytes of BENCH_PAYLOAD_FILE at /payload. */
const PLAIN_SERVER = `'use strict';
const http = require('node:http');
const fs = require('node:fs');
const small = Buffer.from(JSON.stringify({ status: 'ok', info: { database: { status: 'up' } } }));
let payload = Buffer.alloc(0);
process.on('message', (message) => {
  if (message && message.payload) payload = fs.readFileSync(message.payload);
  process.send({ loaded: payload.length });
});
const server = http.createServer((request, response) => {
  const body = request.url === '/payload' ? payload : small;
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  response.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
`;

// ---- figures ---------------------------------------------------------------------------------------

interface CpuSnapshot {
  at: number;
  server: number;
  postgres: Map<number, number>;
  bench: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
}

/** Cores used on average over a load (1 = one core busy all the time). */
interface CpuShare {
  server: number;
  apiEventLoop?: number;
  postgres: number | null;
  client: number;
  rest: number;
  machine: number;
}

interface LoadFigures {
  label: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSec: number;
  rate?: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytesPerResponse: number;
  cpu: CpuShare;
  /** The API's CPU per request, all threads, in ms. */
  serverCpuMsPerRequest: number;
  /** One request at a time, before the load: p50 and max in ms. */
  alone: { requests: number; p50Ms: number; maxMs: number; statusCodes: Record<string, number> };
  /** The answers of the warm-up before the measure (not in the figures). */
  warmup: { seconds: number; statusCodes: Record<string, number>; drainSeconds: number };
  /** How long the API took, after the load, to answer what it still had (0 for the plain server). */
  drainSeconds: number;
  /** Why the load was not run. */
  skipped?: string;
  /** A few non-2xx answers, to say why. */
  refusals?: string[];
  profile?: ProfileSummary;
}

interface ProfileSummary {
  file: string;
  byPlace: { place: string; percent: number }[];
  byFunction: { fn: string; percent: number }[];
}

interface Memory {
  rssMb: number;
  peakRssMb: number;
  heapUsedMb?: number;
  heapTotalMb?: number;
  externalMb?: number;
}

// ---- the API child process ---------------------------------------------------------------------------

interface Api {
  child: ChildProcess;
  pid: number;
  url: string;
  mode: 'dist' | 'ts-node';
  /** Why this way of running it (dist or ts-node). */
  note: string;
  logFile: string;
  /** Its exit code once it exited (-1: by a signal). */
  readonly exited?: number;
  probe<T>(message: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** How to run the API: the build when it exists and is not older than the sources (or as BENCH_API says). */
function apiCommand(root: string): { mode: 'dist' | 'ts-node'; args: string[]; note: string } {
  const dist = join(root, 'dist/apps/api/apps/api/src/main.js');
  const tsNode = { mode: 'ts-node' as const, args: ['-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register'), join(root, 'apps/api/src/main.ts')] };
  if (API_MODE === 'ts-node') return { ...tsNode, note: 'BENCH_API=ts-node' };
  if (!existsSync(dist)) {
    if (API_MODE === 'dist') throw new Error(`BENCH_API=dist: ${relative(root, dist)} does not exist; run npx nest build api first`);
    return { ...tsNode, note: `no build in ${relative(root, dist)} (npx nest build api makes one)` };
  }
  const built = statSync(dist).mtimeMs;
  const newer = newestSource(root);
  if (newer.mtimeMs > built && API_MODE !== 'dist') {
    return { ...tsNode, note: `the build is older than ${relative(root, newer.file)}; not used (BENCH_API=dist forces it)` };
  }
  return { mode: 'dist', args: [dist], note: newer.mtimeMs > built ? `BENCH_API=dist, though older than ${relative(root, newer.file)}` : 'the build of nest build api' };
}

function newestSource(root: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const mtimeMs = statSync(path).mtimeMs;
        if (mtimeMs > newest.mtimeMs) newest = { file: path, mtimeMs };
      }
    }
  };
  walk(join(root, 'apps/api/src'));
  for (const lib of readdirSync(join(root, 'libs'))) if (existsSync(join(root, 'libs', lib, 'src'))) walk(join(root, 'libs', lib, 'src'));
  return newest;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Answers of the probe (or of the plain server) by id, over a child's IPC channel. */
function ipc(child: ChildProcess) {
  let next = 0;
  const waiting = new Map<number, (value: Record<string, unknown>) => void>();
  child.on('message', (message: Record<string, unknown>) => {
    const resolve = typeof message?.id === 'number' ? waiting.get(message.id) : undefined;
    if (resolve) {
      waiting.delete(message.id as number);
      resolve(message);
    }
  });
  return <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the API's probe did not answer ${JSON.stringify(message.probe)}`));
      }, 60_000);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        if (answer.error) reject(new Error(String(answer.error)));
        else resolve(answer as T);
      });
      child.send({ ...message, id });
    });
}

async function startApi(root: string, work: string, env: NodeJS.ProcessEnv): Promise<Api> {
  const command = apiCommand(root);
  const probeFile = join(work, 'probe.cjs');
  writeFileSync(probeFile, PROBE);
  const port = await freePort();
  const logFile = join(work, 'api.log');
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['-r', probeFile, ...command.args], {
    cwd: root,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  let exited: number | undefined;
  const exit = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : 0);
      done();
    }),
  );
  child.unref();
  return {
    child,
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    mode: command.mode,
    note: command.note,
    logFile,
    probe: ipc(child),
    stop: async () => {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
    get exited() {
      return exited;
    },
  };
}

function apiLogTail(api: Api, lines = 30): string {
  try {
    return readFileSync(api.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `check` every `everyMs` until it answers true; throws after `timeoutMs` or when the API died. */
async function until(api: Api, what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (api.exited !== undefined) throw new Error(`the API exited while waiting for ${what}; its log ends with:\n${apiLogTail(api)}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`the API did not reach ${what} within ${timeoutMs / 1000} s; its log ends with:\n${apiLogTail(api)}`);
    await sleep(everyMs);
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---- CPU and memory from /proc ------------------------------------------------------------------------

function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

function machineCpu(): { busy: number; total: number } {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = values.map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = ticks[3] + ticks[4];
    return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function processMemory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

/** The PostgreSQL backends of the run's database (the API's pools), with their CPU so far. */
async function postgresCpu(monitor: Client | undefined, database: string): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (!monitor) return cpu;
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  for (const { pid } of rows) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== undefined) cpu.set(pid, seconds);
  }
  return cpu;
}

async function cpuSnapshot(serverPid: number, monitor: Client | undefined, database: string): Promise<CpuSnapshot> {
  return {
    at: performance.now(),
    server: processCpuSeconds(serverPid) ?? 0,
    postgres: await postgresCpu(monitor, database),
    bench: process.cpuUsage(),
    machine: machineCpu(),
  };
}

function cpuShare(before: CpuSnapshot, after: CpuSnapshot, postgresVisible: boolean): CpuShare {
  const seconds = (after.at - before.at) / 1000;
  const server = (after.server - before.server) / seconds;
  let postgres = 0;
  for (const [pid, cpu] of after.postgres) postgres += cpu - (before.postgres.get(pid) ?? cpu);
  postgres /= seconds;
  const bench = process.cpuUsage(before.bench);
  const client = (bench.user + bench.system) / 1e6 / seconds;
  const machineTotal = after.machine.total - before.machine.total;
  const machine = machineTotal > 0 ? ((after.machine.busy - before.machine.busy) / machineTotal) * availableParallelism() : 0;
  return {
    server: round(server),
    postgres: postgresVisible ? round(postgres) : null,
    client: round(client),
    rest: round(Math.max(0, machine - server - client - (postgresVisible ? postgres : 0))),
    machine: round(machine),
  };
}

// ---- one load ------------------------------------------------------------------------------------------

interface Load {
  name: string;
  label: string;
  url: string;
  serverPid: number;
  connections: number;
  duration: number;
  /** A fixed rate: `connections` autocannon instances of one connection each, started 1/connections s apart. */
  rate?: number;
  requests: AutocannonRequest[];
  /** The API (drained after each run, profiled when asked); none for the plain server. */
  api?: Api;
}

interface Context {
  monitor?: Client;
  database: string;
  postgresVisible: boolean;
}

/** Counts answers by status, times the 2xx ones (ms, as measured by autocannon from the request's write). */
class Recorder {
  latencies = new Float64Array(1 << 14);
  count = 0;
  bytes = 0;
  statusCodes: Record<string, number> = {};

  record(status: number, bytes: number, ms: number): void {
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    if (status < 200 || status >= 300) return;
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = ms;
    this.bytes += bytes;
  }

  get answered(): number {
    return sum(this.statusCodes);
  }

  percentiles(): { p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number } {
    const sorted = this.latencies.subarray(0, this.count).sort();
    const pct = (p: number) => (this.count === 0 ? NaN : round(sorted[Math.min(this.count - 1, Math.floor(p * this.count))]));
    return { p50Ms: pct(0.5), p99Ms: pct(0.99), p999Ms: pct(0.999), maxMs: this.count ? round(sorted[this.count - 1]) : NaN };
  }
}

function runAutocannon(options: AutocannonOptions, recorder?: Recorder): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ pipelining: 1, timeout: 60, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
    if (recorder) instance.on('response', (_client, status, bytes, ms) => recorder.record(status, bytes, ms));
  });
}

/**
 * Runs `load` for `duration` s. At full speed: one autocannon instance with `connections` connections.
 * At a fixed rate: autocannon's overallRate lets each connection send its share of a second back to
 * back at the start of every second, all connections together; so that the requests come spread over
 * the second as from independent clients, the rate runs as `connections` instances of one connection
 * each (overallRate = rate / connections), started 1/connections s apart.
 */
async function runLoad(load: Load, requests: AutocannonRequest[], duration: number, recorder?: Recorder): Promise<{ non2xx: number; errors: number; timeouts: number }> {
  const base = { url: load.url, requests, duration };
  let results: AutocannonResult[];
  if (!load.rate) results = [await runAutocannon({ ...base, connections: load.connections }, recorder)];
  else {
    const clients = load.connections;
    results = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        await sleep((i * 1000) / clients);
        return runAutocannon({ ...base, connections: 1, overallRate: load.rate! / clients, ignoreCoordinatedOmission: true }, recorder);
      }),
    );
  }
  return {
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
  };
}

/** One request at a time, for up to ALONE_SECONDS (at most ALONE_REQUESTS): what one request costs when the API does nothing else. */
async function alone(load: Load): Promise<{ requests: number; p50Ms: number; maxMs: number; statusCodes: Record<string, number> }> {
  const recorder = new Recorder();
  const started = performance.now();
  for (let i = 0; i < ALONE_REQUESTS && performance.now() - started < ALONE_SECONDS * 1000; i++) {
    const spec = load.requests[0];
    const request = spec.setupRequest ? spec.setupRequest({ ...spec }, {}) : spec;
    const t0 = performance.now();
    const response = await fetch(`${load.url}${request.path}`, { method: request.method ?? 'GET', headers: request.headers, body: request.body });
    const body = await response.arrayBuffer();
    recorder.record(response.status, body.byteLength, performance.now() - t0);
  }
  const { p50Ms, maxMs } = recorder.percentiles();
  return { requests: recorder.answered, p50Ms, maxMs, statusCodes: recorder.statusCodes };
}

/** Waits until the API answers GET /ledger/key within 50 ms three times in a row: the requests left by a load are done. */
async function drain(api: Api | undefined): Promise<number> {
  if (!api) return 0;
  const started = performance.now();
  for (let quick = 0; quick < 3 && performance.now() - started < 600_000; ) {
    const t0 = performance.now();
    await fetch(`${api.url}/ledger/key`).then((r) => r.arrayBuffer()).catch(() => undefined);
    quick = performance.now() - t0 < 50 ? quick + 1 : 0;
    if (quick < 3) await sleep(50);
  }
  return round((performance.now() - started) / 1000);
}

/**
 * One endpoint: one request at a time first (`alone`); then, unless one request alone takes more than
 * SLOW_MS (the load would only pile requests up), WARMUP s not measured and `load.duration` s measured,
 * each followed by draining what the API still had to answer. Every response is timed here.
 */
async function measure(load: Load, context: Context): Promise<LoadFigures> {
  const refusals: string[] = [];
  const requests = load.requests.map((request) => ({
    ...request,
    onResponse: (status: number, body: string) => {
      if ((status < 200 || status >= 300) && refusals.length < 3) refusals.push(`${status} ${body.slice(0, 300)}`);
    },
  }));
  const single = await alone(load);
  if (single.p50Ms > SLOW_MS) {
    return {
      ...emptyFigures(load),
      alone: single,
      skipped: `one request alone takes ${Math.round(single.p50Ms)} ms (more than ${SLOW_MS} ms): ${load.connections} connections would only pile requests up`,
    };
  }
  const warmup = new Recorder();
  if (WARMUP > 0) await runLoad(load, requests, WARMUP, warmup);
  const warmupRefusals = refusals.splice(0);
  const warmupDrain = await drain(load.api);

  const recorder = new Recorder();
  const profileFile = PROFILE_DIR && load.api ? join(PROFILE_DIR, `${load.name}.cpuprofile`) : undefined;
  if (profileFile) await load.api!.probe({ probe: 'profile-start' });
  if (load.api) await load.api.probe({ probe: 'elu' });
  const before = await cpuSnapshot(load.serverPid, context.monitor, context.database);
  const result = await runLoad(load, requests, load.duration, recorder);
  const after = await cpuSnapshot(load.serverPid, context.monitor, context.database);
  const cpu = cpuShare(before, after, context.postgresVisible);
  if (load.api) cpu.apiEventLoop = round((await load.api.probe<{ utilization: number }>({ probe: 'elu' })).utilization);
  let profile: ProfileSummary | undefined;
  if (profileFile) {
    await load.api!.probe({ probe: 'profile-stop', file: profileFile });
    profile = summariseProfile(profileFile);
  }
  const drained = await drain(load.api);

  const answered = recorder.answered;
  const seconds = (after.at - before.at) / 1000;
  return {
    label: load.label,
    connections: load.connections,
    seconds: round(seconds),
    requests: answered,
    // At a fixed rate, each client ran `duration` s, the last one started up to 1 s after the first.
    requestsPerSec: Math.round(answered / (load.rate ? load.duration : seconds)),
    ...(load.rate && { rate: load.rate }),
    ...recorder.percentiles(),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: recorder.statusCodes,
    bytesPerResponse: recorder.count ? Math.round(recorder.bytes / recorder.count) : 0,
    cpu,
    serverCpuMsPerRequest: answered ? round(((after.server - before.server) * 1000) / answered) : NaN,
    alone: single,
    warmup: { seconds: WARMUP, statusCodes: warmup.statusCodes, drainSeconds: warmupDrain },
    drainSeconds: drained,
    ...((refusals.length || warmupRefusals.length) && { refusals: [...refusals, ...warmupRefusals.map((r) => `(warm-up) ${r}`)] }),
    ...(profile && { profile }),
  };
}

function emptyFigures(load: Load): LoadFigures {
  return {
    label: load.label,
    connections: load.connections,
    seconds: 0,
    requests: 0,
    requestsPerSec: 0,
    ...(load.rate && { rate: load.rate }),
    p50Ms: NaN,
    p99Ms: NaN,
    p999Ms: NaN,
    maxMs: NaN,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: {},
    bytesPerResponse: 0,
    cpu: { server: NaN, postgres: null, client: NaN, rest: NaN, machine: NaN },
    serverCpuMsPerRequest: NaN,
    alone: { requests: 0, p50Ms: NaN, maxMs: NaN, statusCodes: {} },
    warmup: { seconds: 0, statusCodes: {}, drainSeconds: 0 },
    drainSeconds: 0,
  };
}

// ---- CPU profiles ----------------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Where the API's main thread spent its samples: by package or project folder, and by function (self time). */
function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  // The probe's own frames (starting and stopping the profiler) are not the API's.
  const probe = new Set<number>();
  const mark = (node: ProfileNode & { children?: number[] }, inside: boolean) => {
    const here = inside || node.callFrame.url.endsWith('/probe.cjs');
    if (here) probe.add(node.id);
    for (const child of node.children ?? []) mark(nodes.get(child)!, here);
  };
  mark(profile.nodes[0], false);
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (probe.has(id)) return;
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id)!.callFrame;
    total += delta;
    const place = placeOf(frame.url, frame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + delta);
    const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, time]) => [key, round((100 * time) / (total || 1))] as const);
  return {
    file,
    byPlace: top(byPlace, 12).map(([place, percent]) => ({ place, percent })),
    byFunction: top(byFunction, 15).map(([fn, percent]) => ({ fn, percent })),
  };
}

function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const project = /\/((?:apps|libs)\/[^/]+)\//.exec(url);
  if (project) return project[1];
  return shortUrl(url);
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(`${projectRoot()}/`, '');
}

// ---- the run ---------------------------------------------------------------------------------------------

interface Commitment {
  id: string;
  owner: string;
  status: string;
}

async function main(): Promise<void> {
  if (!Number.isSafeInteger(EVENTS) || EVENTS < 2000) throw new Error('BENCH_EVENTS must be a whole number ≥ 2000 (the generated history starts with the MEL seed)');
  const root = projectRoot();
  const apiVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const database = await openBenchDatabase(`ledger_bench_http_${process.pid}`);
  const work = mkdtempSync(join(tmpdir(), 'ledger-bench-http-'));
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const closing: (() => Promise<unknown>)[] = [];
  const loadBefore = loadavg();
  let failed = false;
  try {
    const { adminUrl, appUrl, settings } = database;
    const monitor = new Client({ connectionString: adminUrl });
    await monitor.connect();
    closing.push(() => monitor.end());
    // The backends' CPU is read from /proc: only when PostgreSQL runs on this machine.
    const { rows: own } = await monitor.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const postgresVisible = processCpuSeconds(own[0].pid) !== undefined;
    const context: Context = { monitor, database: database.name, postgresVisible };
    console.log(
      `PostgreSQL ${settings.serverVersion}${database.embedded ? ' (embedded)' : ''}, shared_buffers=${settings.sharedBuffers}, synchronous_commit=${settings.synchronousCommit}; ` +
        `${EVENTS} events, seed ${SEED}; ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
        `load average ${loadBefore.map(round).join(' ')}`,
    );

    // The history.
    const generation = await timed(() => generateInChild(appUrl, { events: EVENTS, seed: SEED, ...(CONCURRENCY && { concurrency: CONCURRENCY }) }));
    const store = new PostgresEventStore({ connectionString: appUrl, poolSize: 1 });
    const head = await store.head();
    await store.close();
    console.log(`history     ${head} events written in ${round(generation.seconds)} s (${generation.result.streams} streams)`);

    // The API, as a child process.
    const tokenJwk = JSON.stringify(generateLocalTokenJwk());
    const apiEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: adminUrl,
      DATABASE_APP_URL: appUrl,
      LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'warn',
      LEDGER_AUTH_KEY: tokenJwk,
      LEDGER_SIGNING_KEY: generateNoteKey(DEFAULT_ORIGIN).skey,
      LEDGER_RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
      LEDGER_DATA_DIR: join(work, 'data'),
    };
    for (const name of ['LEDGER_EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'LEDGER_AUTH_JWKS_URL', 'LEDGER_AUTH_ISSUER', 'LEDGER_AUTH_AUDIENCE', 'LEDGER_AUTH_KEY_FILE', 'LEDGER_SIGNING_KEY_FILE', 'LEDGER_CORS_ORIGINS', 'PORT', 'HOST']) {
      delete apiEnv[name];
    }
    for (const name of Object.keys(apiEnv)) if (name.startsWith('BENCH_')) delete apiEnv[name];
    const key: LocalTokenKey = loadLocalTokenKey({ env: { LEDGER_AUTH_KEY: tokenJwk }, dataDir: join(work, 'data') });
    const auditor = `Bearer ${await mintToken(key, { subject: 'bench-auditor', role: 'auditor' })}`;

    const started = performance.now();
    const api = await startApi(root, work, apiEnv);
    closing.push(() => api.stop());
    const since = () => round((performance.now() - started) / 1000);
    console.log(`api         ${api.mode} (${api.note}), pid ${api.pid}, ${api.url}`);
    await until(api, 'listening', async () => (await fetch(`${api.url}/ledger/key`)).ok, 300_000);
    const listening = since();
    await until(api, `read models at seq ${head}`, async () => (await fetch(`${api.url}/commitments?limit=1&seq=${head}`, { headers: { authorization: auditor } })).status === 200, 900_000, 200);
    const readModelsAt = since();
    await until(api, `Merkle tree at ${head}`, async () => treeSize(api.url).then((size) => size >= head), 900_000, 250);
    const treeAt = since();
    const memoryAfterStart = await apiMemory(api);
    console.log(
      `api start   listening after ${listening} s, read models at the head after ${readModelsAt} s, Merkle tree (start checkpoint) after ${treeAt} s; ` +
        `RSS ${memoryAfterStart.rssMb} MB (peak ${memoryAfterStart.peakRssMb}), heap ${memoryAfterStart.heapUsedMb} MB`,
    );

    // What the API does when nobody asks anything (its projector and ledger follow the store).
    await api.probe({ probe: 'elu' });
    const idleCpu = processCpuSeconds(api.pid) ?? 0;
    await sleep(IDLE_SECONDS * 1000);
    const idle = {
      seconds: IDLE_SECONDS,
      cores: round(((processCpuSeconds(api.pid) ?? 0) - idleCpu) / IDLE_SECONDS),
      eventLoop: round((await api.probe<{ utilization: number }>({ probe: 'elu' })).utilization),
    };
    console.log(`api idle    ${idle.cores} cores, event loop ${idle.eventLoop} busy, over ${IDLE_SECONDS} s`);

    // What the store holds, from the live read models.
    const commitments = await liveCommitments(adminUrl);
    const random = new Random(SEED);
    const open = commitments.filter((c) => ['adopted', 'in_progress', 'suspended'].includes(c.status));
    const targets = open.length > 0 ? open : commitments.filter((c) => !['completed', 'withdrawn', 'superseded'].includes(c.status));
    if (targets.length === 0) throw new Error('no open commitment to report on in the generated store');
    const owners = [...new Set(commitments.map((c) => c.owner))];
    const ownerTokens = new Map<string, string>();
    for (const owner of new Set(targets.map((c) => c.owner))) {
      ownerTokens.set(owner, `Bearer ${await mintToken(key, { subject: `bench-rep-${owner}`, role: 'signatory-representative', partyId: owner })}`);
    }
    console.log(`store       ${commitments.length} commitments (${targets.length} open, reported on), ${owners.length} owning parties`);

    // The plain server of the baselines, answering also the bytes of the list's first page.
    const listBody = Buffer.from(await (await fetch(`${api.url}/commitments?limit=50`, { headers: { authorization: auditor } })).arrayBuffer());
    const payloadFile = join(work, 'payload.json');
    writeFileSync(payloadFile, listBody);
    const plain = await startPlainServer(payloadFile);
    closing.push(() => plain.stop());

    const get = (path: string, authorization?: string): AutocannonRequest[] => [{ method: 'GET', path, ...(authorization && { headers: { authorization } }) }];
    const getRandom = (paths: () => string, authorization: string): AutocannonRequest[] => [
      { method: 'GET', headers: { authorization }, setupRequest: (request) => ({ ...request, path: paths() }) },
    ];
    const apiLoad = (name: string, label: string, requests: AutocannonRequest[], duration = DURATION, connections = CONNECTIONS): Load => ({
      name,
      label,
      url: api.url,
      serverPid: api.pid,
      connections,
      duration,
      requests,
      api,
    });

    // Baselines.
    const baselines: Record<string, LoadFigures> = {};
    const table: [string, LoadFigures, string][] = [];
    const show = (key: string, figures: LoadFigures, against: string) => {
      table.push([key, figures, against]);
      process.stderr.write(`measured    ${figures.label}: ${figures.requestsPerSec} req/s, p99 ${figures.p99Ms} ms\n`);
    };
    for (const [name, label, load] of [
      ['plain', 'plain node:http, fixed JSON', { ...apiLoad('plain', '', get('/'), BASELINE_DURATION), url: plain.url, serverPid: plain.pid, api: undefined }],
      ['plainList', `plain node:http, ${Math.round(listBody.length / 1024)} kB (the list's page)`, { ...apiLoad('plainList', '', get('/payload'), BASELINE_DURATION), url: plain.url, serverPid: plain.pid, api: undefined }],
      ['ledgerKey', 'GET /ledger/key (API, no database)', apiLoad('ledgerKey', '', get('/ledger/key'), BASELINE_DURATION)],
      ['health', 'GET /health (API, 2 trivial queries)', apiLoad('health', '', get('/health'), BASELINE_DURATION)],
    ] as const) {
      baselines[name] = await measure({ ...load, label }, context);
      show(name, baselines[name], 'baseline');
    }

    // The command, at a fixed rate.
    const runTag = process.pid.toString(36);
    let reportNumber = 0;
    const headBefore = await storeHead(appUrl);
    const reportOn = (): AutocannonRequest => {
      const commitment = random.pick(targets);
      const n = reportNumber++;
      return {
        method: 'POST',
        path: `/commitments/${encodeURIComponent(commitment.id)}/reports`,
        headers: { authorization: ownerTokens.get(commitment.owner)!, 'content-type': 'application/json' },
        body: JSON.stringify({
          reportId: `bench-${runTag}-${n}`,
          period: '2026-S2',
          summary: 'Point d’étape : 42 jeunes du quartier accompagnés vers l’emploi, 12 contrats signés, 3 ateliers avec le conseil citoyen.',
          evidence: [{ sha256: (n.toString(16).padStart(8, '0') + 'ab').repeat(7).slice(0, 64), title: 'Bilan d’activité' }],
        }),
      };
    };
    const commandLoad: Load = {
      ...apiLoad('command', `POST /commitments/:id/reports at ${COMMAND_RATE}/s`, [{ setupRequest: (request) => ({ ...request, ...reportOn() }) }], DURATION, COMMAND_CLIENTS),
      rate: COMMAND_RATE,
    };
    const command = await measure(commandLoad, context);
    // The API finishes the commands the client stopped waiting for: the head, once it stays put.
    let headAfter = await storeHead(appUrl);
    for (let previous = -1; headAfter !== previous; ) {
      await sleep(500);
      [previous, headAfter] = [headAfter, await storeHead(appUrl)];
    }
    // Every report sent (alone, warm-up, measured): each answered 201 must be in the store exactly
    // once; one the client stopped waiting for when a load ended may be there or not; nothing else.
    const phases = [command.alone.statusCodes, command.warmup.statusCodes, command.statusCodes];
    const answered = phases.reduce((n, codes) => n + sum(codes), 0);
    const acknowledged = phases.reduce((n, codes) => n + (codes['201'] ?? 0), 0);
    const unanswered = Math.max(0, reportNumber - answered);
    const stored = await reportsStored(adminUrl, `bench-${runTag}-`);
    const commandCheck = {
      sent: reportNumber,
      answered,
      acknowledged,
      unanswered,
      storeGrewBy: headAfter - headBefore,
      reportsStored: stored.reports,
      distinctReportsStored: stored.distinct,
    };
    show('command', command, 'target');
    // Let the read models follow before the reads.
    await until(api, `read models at seq ${headAfter}`, async () => (await fetch(`${api.url}/commitments?limit=1&seq=${headAfter}`, { headers: { authorization: auditor } })).status === 200, 120_000);

    // The reads, at full speed.
    const reads: Record<string, LoadFigures> = {};
    for (const [name, label, requests] of [
      ['list', 'GET /commitments?limit=50', get('/commitments?limit=50', auditor)],
      ['one', 'GET /commitments/:id (random)', getRandom(() => `/commitments/${encodeURIComponent(random.pick(commitments).id)}`, auditor)],
      ['meetings', 'GET /governance/meetings', get('/governance/meetings', auditor)],
      ['bodies', 'GET /governance/bodies', get('/governance/bodies', auditor)],
      ['dashboard', 'GET /parties/:id/dashboard (random)', getRandom(() => `/parties/${encodeURIComponent(random.pick(owners))}/dashboard`, auditor)],
      ['overview', 'GET /overview', get('/overview', auditor)],
    ] as const) {
      reads[name] = await measure(apiLoad(name, label, [...requests]), context);
      show(name, reads[name], 'target');
    }
    const memoryAtEnd = await apiMemory(api);

    // The open data: one answer is the whole register (every commitment with a release per event), so
    // it is not loaded; with BENCH_OPEN_DATA=1 it is fetched once, timed and weighed, after the memory
    // figures (it needs a lot).
    let openData: { status: number; megabytes: number; seconds: number; peakRssMb: number } | { error: string } | undefined;
    if (FETCH_OPEN_DATA) {
      openData = await timed(async () => {
        const response = await fetch(`${api.url}${OPEN_DATA}`, { signal: AbortSignal.timeout(600_000) });
        return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
      }).then(
        ({ result, seconds }) => ({ status: result.status, megabytes: round(result.bytes / 2 ** 20), seconds: round(seconds), peakRssMb: processMemory(api.pid).peakRssMb }),
        (error: Error) => ({ error: error.message }),
      );
    }
    const loadAfter = loadavg();

    // The figures.
    const commandMet = {
      rate: command.requestsPerSec >= 0.98 * COMMAND_RATE,
      p99: command.p99Ms <= TARGETS.commandP99Ms,
      all201: !command.skipped && acknowledged === answered && command.errors === 0,
      stored:
        stored.reports === stored.distinct &&
        stored.reports === commandCheck.storeGrewBy &&
        stored.reports >= acknowledged &&
        stored.reports <= acknowledged + unanswered,
    };
    const readMet = Object.fromEntries(
      Object.entries(reads).map(([name, figures]) => [
        name,
        !figures.skipped && figures.requestsPerSec >= TARGETS.readRequestsPerSec && figures.p99Ms <= TARGETS.readP99Ms && figures.non2xx === 0 && figures.errors === 0,
      ]),
    );
    const met = {
      command: Object.values(commandMet).every(Boolean),
      commandDetail: commandMet,
      reads: readMet,
      allReads: Object.values(readMet).every(Boolean),
    };
    const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');

    console.log('');
    console.log(
      `${'load'.padEnd(40)} | alone ms | conns |  req/s | p50 ms | p99 ms | p99.9 ms |  max ms | non-2xx | errors | kB/resp | API cores (loop) | PG cores | client | rest | API CPU ms/req | against`,
    );
    for (const [name, f, against] of table) {
      const target =
        against === 'baseline'
          ? 'baseline'
          : f.rate
            ? `≥ ${COMMAND_RATE}/s, p99 ≤ ${TARGETS.commandP99Ms} ms: ${yes(met.command)}`
            : `≥ ${TARGETS.readRequestsPerSec}/s, p99 ≤ ${TARGETS.readP99Ms} ms: ${yes(readMet[name])}`;
      if (f.skipped) {
        console.log(`${f.label.padEnd(40)} | ${pad(f.alone.p50Ms, 8)} | not loaded: ${f.skipped} | ${target}`);
        continue;
      }
      console.log(
        `${f.label.padEnd(40)} | ${pad(f.alone.p50Ms, 8)} | ${pad(f.connections, 5)} | ${pad(f.requestsPerSec, 6)} | ${pad(f.p50Ms, 6)} | ${pad(f.p99Ms, 6)} | ${pad(f.p999Ms, 8)} | ${pad(f.maxMs, 7)} | ` +
          `${pad(f.non2xx, 7)} | ${pad(f.errors, 6)} | ${pad(round(f.bytesPerResponse / 1024), 7)} | ${pad(`${f.cpu.server}${f.cpu.apiEventLoop !== undefined ? ` (${f.cpu.apiEventLoop})` : ''}`, 16)} | ` +
          `${pad(f.cpu.postgres ?? '?', 8)} | ${pad(f.cpu.client, 6)} | ${pad(f.cpu.rest, 4)} | ${pad(f.serverCpuMsPerRequest, 14)} | ${target}`,
      );
    }
    console.log('');
    console.log(
      `columns     alone: p50 of one request at a time before the load; p50…max: every 2xx of the load, timed from its write; cores: CPU used on average ` +
        `(API: its process, all threads, and in brackets its main thread's event loop utilization; PG: the backends of this database; client: this process, ` +
        `autocannon; rest: the rest of the machine — other work on it)`,
    );
    console.log(
      `command     ${COMMAND_CLIENTS} clients of one connection at ${round(COMMAND_RATE / COMMAND_CLIENTS)}/s each; ${acknowledged} of ${answered} answers were 201 ` +
        `(one at a time, warm-up and measure; ${command.non2xx} non-2xx and ${command.errors} errors measured); ${unanswered} left unanswered when a load stopped; ` +
        `the store grew by ${commandCheck.storeGrewBy} events, ${stored.reports} of them this run's reports (${stored.distinct} distinct): ` +
        `${commandMet.stored ? 'every acknowledged report stored once, nothing else' : 'NOT as acknowledged'}`,
    );
    const drains = [...table].filter(([, f]) => f.drainSeconds > 1 || f.warmup.drainSeconds > 1);
    if (drains.length) console.log(`drained     after the load, the API still answered for: ${drains.map(([name, f]) => `${name} ${f.drainSeconds} s`).join(', ')}`);
    for (const [name, f] of table) if (f.refusals) console.log(`refusals    ${name}: ${f.refusals.join(' | ')}`);
    console.log(
      `open data   GET ${OPEN_DATA} not loaded: one answer is the whole register` +
        (!openData
          ? ' (BENCH_OPEN_DATA=1 fetches it once)'
          : 'error' in openData
            ? `; fetched once: failed, ${openData.error}`
            : `; fetched once: ${openData.status}, ${openData.megabytes} MB in ${openData.seconds} s, the API's peak RSS then ${openData.peakRssMb} MB`),
    );
    console.log(
      `api memory  after start RSS ${memoryAfterStart.rssMb} MB, heap ${memoryAfterStart.heapUsedMb}/${memoryAfterStart.heapTotalMb} MB; after the loads RSS ${memoryAtEnd.rssMb} MB ` +
        `(peak ${memoryAtEnd.peakRssMb}), heap ${memoryAtEnd.heapUsedMb}/${memoryAtEnd.heapTotalMb} MB, external ${memoryAtEnd.externalMb} MB`,
    );
    console.log(`machine     load average before ${loadBefore.map(round).join(' ')}, after ${loadAfter.map(round).join(' ')} (${availableParallelism()} cores)`);
    console.log(`targets     command ${yes(met.command)}; reads ${Object.entries(readMet).map(([name, ok]) => `${name} ${yes(ok)}`).join(', ')}`);
    if (PROFILE_DIR) printProfiles(Object.fromEntries(table.map(([name, f]) => [name, f])));

    console.log(
      JSON.stringify({
        benchmark: 'http',
        server: settings.serverVersion,
        embedded: database.embedded,
        api: { version: apiVersion, mode: api.mode, note: api.note, node: process.version },
        commit: gitCommit(root),
        events: head,
        seed: SEED,
        machine: { cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), loadAverageBefore: loadBefore.map(round), loadAverageAfter: loadAfter.map(round) },
        generation: { seconds: round(generation.seconds), streams: generation.result.streams },
        store: { commitments: commitments.length, openCommitments: targets.length, owningParties: owners.length },
        startup: { listeningSeconds: listening, readModelsAtHeadSeconds: readModelsAt, treeAtHeadSeconds: treeAt },
        idle,
        durationSeconds: DURATION,
        warmupSeconds: WARMUP,
        baselines,
        command: { ...command, clients: COMMAND_CLIENTS, check: commandCheck },
        reads,
        openData: { path: OPEN_DATA, loaded: false, ...(openData && { fetchedOnce: openData }) },
        memory: { afterStart: memoryAfterStart, afterLoads: memoryAtEnd },
        targets: TARGETS,
        met,
        profiled: Boolean(PROFILE_DIR),
      }),
    );
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    for (const close of closing.reverse()) await close().catch(() => undefined);
    await database.close();
    if (!failed) rmSync(work, { recursive: true, force: true });
    else console.error(`bench:http: the API's log and the probe are kept in ${work}`);
  }
}

// ---- helpers of the run ------------------------------------------------------------------------------------

/** The commit measured, and whether the working tree differed from it. */
function gitCommit(root: string): { head: string; dirty: boolean } | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { head: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no').length > 0 };
  } catch {
    return null;
  }
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function query<R extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function storeHead(url: string): Promise<number> {
  const [row] = await query<{ head: string | null }>(url, 'SELECT max(seq) AS head FROM event_store.events');
  return Number(row.head ?? 0);
}

/** This run's reports in the log, and how many distinct (commitment, report id) they are. */
async function reportsStored(url: string, prefix: string): Promise<{ reports: number; distinct: number }> {
  const [row] = await query<{ reports: string; distinct: string }>(
    url,
    `SELECT count(*) AS reports, count(DISTINCT (stream_id, data->>'reportId')) AS distinct
       FROM event_store.events WHERE type = 'ProgressReported' AND starts_with(data->>'reportId', $1)`,
    [prefix],
  );
  return { reports: Number(row.reports), distinct: Number(row.distinct) };
}

/** Every commitment of the live read models: id, owner, status. */
async function liveCommitments(url: string): Promise<Commitment[]> {
  const [live] = await query<{ version: number }>(url, `SELECT version FROM projections.versions WHERE status = 'live'`);
  if (!live) throw new Error('the API made no live read-model version');
  const rows = await query<{ id: string; owner: string; status: string }>(
    url,
    `SELECT commitment_id AS id, owner_party_id AS owner, status FROM ${schemaOf(Number(live.version))}.commitments ORDER BY commitment_id`,
  );
  return rows;
}

const schemaOf = (version: number) => `rm_v${version}`;

/** The size of the latest signed checkpoint (0 before the first). */
async function treeSize(url: string): Promise<number> {
  const response = await fetch(`${url}/ledger/checkpoint`);
  if (!response.ok) return 0;
  return Number((await response.text()).split('\n')[1]);
}

async function apiMemory(api: Api): Promise<Memory> {
  const { memory } = await api.probe<{ memory: NodeJS.MemoryUsage }>({ probe: 'memory' });
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return { ...processMemory(api.pid), heapUsedMb: mb(memory.heapUsed), heapTotalMb: mb(memory.heapTotal), externalMb: mb(memory.external) };
}

async function startPlainServer(payloadFile: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', PLAIN_SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exit = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { port?: number }) => message.port && resolve(message.port));
  });
  await new Promise<void>((resolve) => {
    child.on('message', (message: { loaded?: number }) => message.loaded !== undefined && resolve());
    child.send({ payload: payloadFile });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exit;
    },
  };
}

function printProfiles(loads: Record<string, LoadFigures>): void {
  console.log('');
  console.log(`profiles    the API's main thread, self time, per load (files in ${PROFILE_DIR}):`);
  for (const [name, figures] of Object.entries(loads)) {
    if (!figures.profile) continue;
    console.log(`  ${name}: ${figures.profile.byPlace.map((p) => `${p.place} ${p.percent}%`).join(', ')}`);
    for (const fn of figures.profile.byFunction.slice(0, 8)) console.log(`      ${pad(fn.percent, 5)}%  ${fn.fn}`);
  }
}

main().catch((error) => {
  console.error(`bench:http failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
