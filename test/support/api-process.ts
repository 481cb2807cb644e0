import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_ORIGIN } from '@mel/application';
import { generateNoteKey } from '@mel/ledger';
import './tokens'; // LEDGER_AUTH_KEY, which the child reads to accept the tests' tokens

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'apps/api/src/main.ts');
/** Lines of the child's output kept, to tell what happened when a test fails. */
const KEPT_LINES = 400;

export interface ApiProcessOptions {
  /** Administrator connection (DATABASE_URL of the child: migrations at start). */
  adminUrl: string;
  /** The application role's connection (DATABASE_APP_URL). */
  appUrl: string;
  /** More environment for the child (LOG_LEVEL, LEDGER_CHECKPOINT_INTERVAL_SECONDS…). */
  env?: Record<string, string>;
  /** How long a start may take before it is a failure. Default 90 s. */
  startTimeoutMs?: number;
}

/** A free TCP port of 127.0.0.1 (free when asked: the child binds it just after). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The API as `npm start` runs it (apps/api/src/main.ts), in a child process of its own, through
 * ts-node (transpile only: no build needed), on the database given and on one port for its whole life,
 * so that clients keep their URL across restarts. start() waits until /health answers 200; kill()
 * sends a signal and waits for the exit. The signing key is one per ApiProcess: checkpoints signed
 * before and after a restart verify with the same key (`vkey`).
 */
export class ApiProcess {
  readonly signingKey = generateNoteKey(DEFAULT_ORIGIN);
  readonly dataDir = mkdtempSync(join(tmpdir(), 'ledger-api-process-'));
  /** Milliseconds each start took, from spawn to the first 200 of /health. */
  readonly startTimes: number[] = [];
  private child?: ChildProcess;
  private exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output: string[] = [];
  private port = 0;

  constructor(private readonly options: ApiProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the child wrote (stdout and stderr). */
  logs(lines = 60): string {
    return this.output.slice(-lines).join('\n');
  }

  /** Lines of its output that match `pattern`, since the first start. */
  linesMatching(pattern: RegExp): string[] {
    return this.output.filter((line) => pattern.test(line));
  }

  /** Starts the API (the first time on a free port, then on the same one); answers how long it took, in ms. */
  async start(): Promise<number> {
    if (this.running) throw new Error('the API process is running already');
    this.port ||= await freePort();
    const started = performance.now();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: this.options.adminUrl,
      DATABASE_APP_URL: this.options.appUrl,
      HOST: '127.0.0.1',
      PORT: String(this.port),
      LOG_LEVEL: 'warn',
      LEDGER_DATA_DIR: this.dataDir,
      LEDGER_SIGNING_KEY: this.signingKey.skey,
      LEDGER_RATE_LIMIT_PER_MINUTE: '1000000',
      LEDGER_EVENT_STORE: 'postgres',
      ...this.options.env,
    };
    delete env.LEDGER_SIGNING_KEY_FILE;
    const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-r', require.resolve('tsconfig-paths/register'), MAIN], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.output.push(line);
      if (this.output.length > 2 * KEPT_LINES) this.output = this.output.slice(-KEPT_LINES);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 90_000);
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`the API exited while starting (${JSON.stringify(await this.exited)}):\n${this.logs()}`);
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (response.status === 200) {
          const ms = Math.round(performance.now() - started);
          this.startTimes.push(ms);
          return ms;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.kill('SIGKILL');
    throw new Error(`the API did not answer /health with 200 within ${this.options.startTimeoutMs ?? 90_000} ms:\n${this.logs()}`);
  }

  /** Sends `signal` (SIGKILL: a crash) and waits until the process is gone; answers how it ended. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    if (!this.child || !this.exited) return undefined;
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** A graceful stop (SIGTERM, as an orchestrator does), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    if (!this.running) return this.exited;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the process if it runs, and removes its data folder. */
  async dispose(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));
