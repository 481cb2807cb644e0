import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ROLE, type EmbeddedPostgres, migrate, silentLog, startEmbeddedPostgres, withUser } from '@mel/database';
import { PostgresEventStore } from '@mel/event-store';
import { rebuild } from '@mel/projections';
import { ApiProcess, freePort, sleep } from '../support/api-process';
import { backgroundCatchUp, eventsByMarker, idempotencyRows, type Outcome, type PlannedCommand, planCommand, Random, read, runSeed, seededFacts, send, waitForConvergence } from './ledger-load';

/**
 * PostgreSQL is stopped (fast shutdown: sessions terminated) and started again while the API, a child
 * process on it, is under a load of commands and reads. Meanwhile the API must answer 503 with
 * Retry-After (problem details), never 500 nor nothing; once the server is back it must serve 2xx again
 * by itself (the same process, never restarted), its background loops (read models, Merkle tree,
 * checkpoints) must catch up, and no acknowledged write may be lost.
 *
 * The server is the test's own (startEmbeddedPostgres on a free port, data in a temporary folder): the
 * machine's PostgreSQL, which others use, is never touched. RESILIENCE_SOAK=1: more outages, longer.
 */
const SOAK = process.env.RESILIENCE_SOAK === '1';
const OUTAGES = SOAK ? 4 : 1;
const DOWN_MS = SOAK ? 20_000 : 5000;
const COMMAND_CLIENTS = 8;
const READ_CLIENTS = 4;
/** Load before the first outage, and between the return of the server and the next outage or the end. */
const UP_MS = SOAK ? 8000 : 3000;
/** Share of the commands whose client retries after a 503 (Retry-After) or no answer, with the same key. */
const RETRY_SHARE = 0.5;
const MAX_ATTEMPTS = 30;
const READS = ['/commitments', '/overview', '/governance/meetings', '/ledger/checkpoint', '/health'];

jest.setTimeout(SOAK ? 1_800_000 : 180_000);

type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'back';

interface Answer {
  what: string;
  startedIn: Phase;
  endedIn: Phase;
  at: number;
  outcome: Outcome;
}

describe('database restart: PostgreSQL stopped and started again under load', () => {
  let folder: string;
  let port: number;
  let server: EmbeddedPostgres;
  let adminUrl: string;
  let appUrl: string;
  let api: ApiProcess;
  const seed = runSeed();
  const random = new Random(seed);
  const run = `dbrestart${seed.toString(36)}`;
  const commands: PlannedCommand[] = [];
  const answers: Answer[] = [];
  const outages: {
    stopMs: number;
    downMs: number;
    startMs: number;
    firstAckAfterMs?: number;
    firstHealthyAfterMs?: number;
    catchUp?: Promise<{ head: number; readModelsMs?: number; treeMs?: number }>;
  }[] = [];
  let phase: Phase = 'up';
  let seedHead = 0;
  let apiPid: number | undefined;

  const startServer = () => startEmbeddedPostgres({ dataDir: join(folder, 'data'), port, persistent: true, database: 'ledger', log: silentLog });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ledger-db-restart-'));
    chmodSync(folder, 0o755); // as root, the server runs as the postgres user, which must reach it
    port = await freePort();
    server = await startServer();
    adminUrl = server.adminUrl;
    await migrate(adminUrl, { appPassword: server.appPassword, log: silentLog });
    appUrl = withUser(adminUrl, APP_ROLE, server.appPassword);
    api = new ApiProcess({ adminUrl, appUrl, env: { LEDGER_CHECKPOINT_INTERVAL_SECONDS: '2', LEDGER_APP_PASSWORD: server.appPassword } });
  });
  afterAll(async () => {
    await api?.dispose();
    await server?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('serves through the outage: 503 with Retry-After while the server is down, 2xx again once it is back, the same process throughout', async () => {
    const startMs = await api.start();
    apiPid = api.pid;
    const store = new PostgresEventStore({ connectionString: appUrl, poolSize: 1 });
    seedHead = await store.head();
    await store.close();
    const facts = await seededFacts(appUrl);

    let stopping = false;
    let next = 0;
    const record = (what: string, startedIn: Phase, outcome: Outcome) => answers.push({ what, startedIn, endedIn: phase, at: performance.now(), outcome });
    const commandClient = async () => {
      while (!stopping) {
        const command = planCommand(next++, run, facts, random, RETRY_SHARE);
        commands.push(command);
        for (;;) {
          const startedIn = phase;
          const outcome = await send(api.url, command);
          record(`POST ${command.path}`, startedIn, outcome);
          command.attempts.push(outcome);
          const again = (outcome.kind === 'unavailable' || outcome.kind === 'none') && command.retryUnanswered && command.attempts.length < MAX_ATTEMPTS;
          if (!again) {
            command.final = outcome;
            break;
          }
          // As Retry-After says (a well-behaved client), with the same Idempotency-Key.
          await sleep(1000 * Number(outcome.kind === 'unavailable' ? (outcome.retryAfter ?? 1) : 1));
        }
        if (command.final.kind !== 'acked' && command.final.kind !== 'refused') await sleep(200); // a client told to wait does not hammer
      }
    };
    const readClient = async () => {
      while (!stopping) {
        const path = random.pick(READS);
        const startedIn = phase;
        const outcome = await read(api.url, path === '/commitments' ? `/commitments?limit=20` : path);
        record(`GET ${path}`, startedIn, outcome);
        if (outcome.kind !== 'acked') await sleep(200);
      }
    };

    const clients = [...Array.from({ length: COMMAND_CLIENTS }, commandClient), ...Array.from({ length: READ_CLIENTS }, readClient)];
    for (let k = 0; k < OUTAGES; k++) {
      await sleep(UP_MS);
      phase = 'stopping';
      const t0 = performance.now();
      await server.stop();
      phase = 'down';
      const t1 = performance.now();
      await sleep(DOWN_MS);
      phase = 'starting';
      const t2 = performance.now();
      server = await startServer();
      phase = 'back';
      const t3 = performance.now();
      const outage: (typeof outages)[number] = { stopMs: Math.round(t1 - t0), downMs: Math.round(t3 - t0), startMs: Math.round(t3 - t2) };
      outage.catchUp = backgroundCatchUp(appUrl, 90_000, () => api.running); // the read models and the tree back at the head of now
      outages.push(outage);
      // Until the API acknowledges commands again (by itself), then some more load.
      const deadline = t3 + 60_000;
      while (performance.now() < deadline && outage.firstAckAfterMs === undefined && api.running) {
        const ack = answers.find((a) => a.at > t3 && a.what.startsWith('POST') && a.outcome.kind === 'acked');
        if (ack) outage.firstAckAfterMs = Math.round(ack.at - t3);
        else await sleep(50);
      }
      const healthy = answers.find((a) => a.at > t3 && a.what === 'GET /health' && a.outcome.kind === 'acked');
      if (healthy) outage.firstHealthyAfterMs = Math.round(healthy.at - t3);
      phase = 'up';
    }
    await sleep(UP_MS);
    stopping = true;
    await Promise.all(clients);
    const catchUps = await Promise.all(outages.map((o) => o.catchUp!));

    const during = answers.filter((a) => a.startedIn === 'down' && a.endedIn === 'down');
    const commandsDown = during.filter((a) => a.what.startsWith('POST'));
    const readsDown = during.filter((a) => a.what.startsWith('GET'));
    const fiveHundreds = answers.filter((a) => a.outcome.kind === 'error');
    const noAnswer = answers.filter((a) => a.outcome.kind === 'none');
    const unavailable = answers.filter((a) => a.outcome.kind === 'unavailable');
    console.log(
      `database restart (seed ${seed}${SOAK ? ', soak' : ''}): ${OUTAGES} outage(s) of ${outages.map((o) => o.downMs).join('/')} ms ` +
        `(fast shutdown ${outages.map((o) => o.stopMs).join('/')} ms, start ${outages.map((o) => o.startMs).join('/')} ms); ` +
        `API start ${startMs} ms (ts-node), never restarted; ${commands.length} commands, ${answers.length} answers ` +
        `(${answers.filter((a) => a.outcome.kind === 'acked').length} 2xx, ${unavailable.length} 503, ${answers.filter((a) => a.outcome.kind === 'refused').length} 4xx, ${fiveHundreds.length} other 5xx, ${noAnswer.length} none); ` +
        `while down: ${commandsDown.length} command answers, ${readsDown.length} read answers; ` +
        `first command acknowledged ${outages.map((o) => o.firstAckAfterMs ?? 'never').join('/')} ms after the server was back, /health 200 after ${outages.map((o) => o.firstHealthyAfterMs ?? 'never').join('/')} ms, ` +
        `read models at the head of then after ${catchUps.map((c) => c.readModelsMs ?? 'never').join('/')} ms, Merkle tree after ${catchUps.map((c) => c.treeMs ?? 'never').join('/')} ms`,
    );

    // The same API process served throughout: never restarted, never silent, never a 500.
    if (!api.running) {
      // E.g. a pg client checked out and idle between two queries when the server shut down: its 'error'
      // event (57P01), with no listener, is an uncaught exception that ends the process.
      console.log(`the API process died during the outage; its last words:\n${api.logs(60)}`);
    }
    expect(api.running).toBe(true);
    expect(api.pid).toBe(apiPid);
    expect(fiveHundreds.map((a) => `${a.what} ${JSON.stringify(a.outcome)}`)).toEqual([]);
    expect(noAnswer.map((a) => `${a.what} ${JSON.stringify(a.outcome)}`)).toEqual([]);
    // While the server was down, every command was answered 503, problem details, Retry-After, naming the rule.
    expect(commandsDown.length).toBeGreaterThan(0);
    for (const answer of commandsDown) {
      expect({ what: answer.what, outcome: answer.outcome }).toEqual({
        what: answer.what,
        outcome: { kind: 'unavailable', status: 503, retryAfter: expect.stringMatching(/^[1-5]$/), rule: 'DatabaseMustBeReachable', problemJson: true },
      });
    }
    // Reads too: 503 with Retry-After (/health in its own format), or 200 for what needs no database.
    expect(readsDown.length).toBeGreaterThan(0);
    for (const answer of readsDown) {
      if (answer.outcome.kind === 'acked') continue;
      expect({ what: answer.what, outcome: answer.outcome }).toEqual({
        what: answer.what,
        outcome: expect.objectContaining({ kind: 'unavailable', status: 503, retryAfter: expect.stringMatching(/^[1-5]$/) }),
      });
      if (answer.what !== 'GET /health') expect(answer.outcome).toMatchObject({ rule: 'DatabaseMustBeReachable', problemJson: true });
    }
    expect(readsDown.some((a) => a.what === 'GET /health' && a.outcome.kind === 'unavailable') || !readsDown.some((a) => a.what === 'GET /health')).toBe(true);
    // Back by itself: commands acknowledged again, and the background loops at the head of then, the
    // read models within seconds (their back-off is capped at 2 s), the Merkle tree within 90 s.
    for (const [i, outage] of outages.entries()) {
      expect({ outage: i + 1, firstAck: outage.firstAckAfterMs !== undefined }).toEqual({ outage: i + 1, firstAck: true });
      expect({ outage: i + 1, readModelsBackWithin15s: (catchUps[i].readModelsMs ?? Infinity) <= 15_000 }).toEqual({ outage: i + 1, readModelsBackWithin15s: true });
      expect({ outage: i + 1, treeBackWithin90s: catchUps[i].treeMs !== undefined }).toEqual({ outage: i + 1, treeBackWithin90s: true });
    }
  });

  it('catches up in the background after the outage: read models, Merkle tree and checkpoint at the head', async () => {
    expect(api.running).toBe(true); // a dead API catches nothing up
    const seen = await waitForConvergence(appUrl, 60_000);
    console.log(`database restart: read models, tree and checkpoint at the head (seq ${seen.head}) ${seen.ms} ms after the load ended`);
    expect(seen).toMatchObject({ readModels: seen.head, tree: seen.head, checkpoint: seen.head });
    const retries = api.linesMatching(/read models: .*trying again|ledger: .*resuming from the tree/);
    console.log(`database restart: the API's background loops retried ${retries.length} times (read models ${retries.filter((l) => l.includes('read models')).length}, ledger ${retries.filter((l) => l.includes('ledger:')).length})`);
  });

  it('lost no acknowledged write, doubled none, and left nothing of a command it did not acknowledge half written', async () => {
    const { byMarker, strays, head } = await eventsByMarker(appUrl, seedHead);
    const keys = await idempotencyRows(appUrl);
    const problems: string[] = [];
    const acked = commands.filter((c) => c.final?.kind === 'acked');
    for (const command of acked) {
      const answer = command.final as Extract<Outcome, { kind: 'acked' }>;
      const stored = byMarker.get(command.marker) ?? [];
      if (JSON.stringify(stored.map((e) => [e.eventId, e.seq])) !== JSON.stringify(answer.events.map((e) => [e.eventId, e.seq]))) {
        problems.push(`${command.key} acknowledged with ${JSON.stringify(answer.events)}, the store holds ${JSON.stringify(stored)}`);
      }
      const row = keys.get(`${command.actor.subject} ${command.key}`);
      if (!row || row.status !== 201) problems.push(`${command.key}: its Idempotency-Key row is ${JSON.stringify(row)}`);
    }
    for (const command of commands.filter((c) => c.final?.kind !== 'acked')) {
      const stored = byMarker.get(command.marker)?.length ?? 0;
      if (command.final?.kind === 'refused' && stored > 0) problems.push(`${command.key} refused but written`);
      if (stored !== 0 && stored !== command.expectedEvents) problems.push(`${command.key} ${command.final?.kind} with ${stored} events`);
    }
    const planned = new Set(commands.map((c) => c.marker));
    for (const [marker, events] of byMarker) if (!planned.has(marker)) problems.push(`${events.length} events carry ${marker}, which no command sent`);
    if (strays.length > 0) problems.push(`events no command wrote: ${JSON.stringify(strays.slice(0, 5))}`);
    expect(problems).toEqual([]);
    const inDoubt = commands.filter((c) => c.final?.kind !== 'acked' && c.final?.kind !== 'refused');
    const retriedAfter503 = commands.filter((c) => c.attempts.some((a) => a.kind === 'unavailable') && c.final?.kind === 'acked');
    console.log(
      `database restart: ${acked.length} commands acknowledged, all in the store once (head ${seedHead} → ${head}); ${retriedAfter503.length} acknowledged after a 503 and a retry with the same key ` +
        `(${retriedAfter503.filter((c) => (c.final as { replayed: boolean }).replayed).length} of them found their events already written); ` +
        `${inDoubt.length} given up after 503s (${inDoubt.filter((c) => byMarker.has(c.marker)).length} of them written whole, the rest not at all)`,
    );
  });

  it('has read models equal to a rebuild from seq 0', async () => {
    await api.stop();
    const store = new PostgresEventStore({ connectionString: appUrl, poolSize: 2 });
    try {
      const report = await rebuild({ adminUrl, appUrl, store, checkOnly: true });
      expect(report.differences).toEqual([]);
      expect(report.position).toBe(await store.head());
    } finally {
      await store.close();
    }
  });
});
