import { rebuild } from '@mel/projections';
import { PostgresEventStore } from '@mel/event-store';
import { ApiProcess, sleep } from '../support/api-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import {
  eventsByMarker,
  Gate,
  idempotencyRows,
  ledgerCli,
  type Outcome,
  type PlannedCommand,
  planCommand,
  Random,
  runSeed,
  seededFacts,
  send,
  waitForConvergence,
} from './ledger-load';

/**
 * The API is killed with SIGKILL at random moments while concurrent clients send commands, and started
 * again; then what it acknowledged must be in the store exactly once, what it refused or left
 * unanswered must not be half written, the read models must equal a rebuild and the Merkle tree and the
 * checkpoints must verify. RESILIENCE_SOAK=1 runs longer (more kills, longer loads);
 * RESILIENCE_SEED=n replays the choices of a run (its seed is printed).
 */
const SOAK = process.env.RESILIENCE_SOAK === '1';
const KILLS = Number(process.env.RESILIENCE_KILLS ?? (SOAK ? 12 : 3));
const CLIENTS = 16;
/** Load between a (re)start and the next kill, in ms. */
const LOAD_MS: [number, number] = SOAK ? [3000, 12_000] : [1200, 3500];
/** Share of the unanswered commands whose client retries them, with the same key, once the API is back. */
const RETRY_SHARE = 0.5;
const MAX_ATTEMPTS = 6;

jest.setTimeout(SOAK ? 1_800_000 : 180_000);

describe('crash: the API killed with SIGKILL under load, and restarted', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let store: PostgresEventStore;
  const seed = runSeed();
  const random = new Random(seed);
  const run = `crash${seed.toString(36)}`;
  const commands: PlannedCommand[] = [];
  const figures = {
    seed,
    clients: CLIENTS,
    kills: 0,
    restarts: 0,
    killedInFlight: 0,
    startMs: [] as number[],
    downMs: [] as number[],
    loadSeconds: 0,
  };
  let seedHead = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl, poolSize: 2 });
    api = new ApiProcess({ adminUrl: db.adminUrl, appUrl: db.appUrl, env: { LEDGER_CHECKPOINT_INTERVAL_SECONDS: '2' } });
  });
  afterAll(async () => {
    await api?.dispose();
    await store?.close();
    await db?.drop();
  });

  it('runs the load through the kills and restarts', async () => {
    figures.startMs.push(await api.start()); // seeds the empty ledger, as npm start does
    seedHead = await store.head();
    const facts = await seededFacts(db.appUrl);
    expect(facts.commitments.length).toBeGreaterThan(1);
    expect(facts.bodies.length).toBeGreaterThan(0);

    const gate = new Gate();
    let stopping = false;
    let inFlight = 0;
    let next = 0;
    const attempt = async (command: PlannedCommand) => {
      for (;;) {
        await gate.pass();
        inFlight++;
        let outcome: Outcome;
        try {
          outcome = await send(api.url, command);
        } finally {
          inFlight--;
        }
        command.attempts.push(outcome);
        if (outcome.kind !== 'none' || !command.retryUnanswered || command.attempts.length >= MAX_ATTEMPTS) {
          command.final = outcome;
          return;
        }
      }
    };
    const client = async () => {
      while (!stopping) {
        await gate.pass();
        if (stopping) return;
        const command = planCommand(next++, run, facts, random, RETRY_SHARE);
        commands.push(command);
        await attempt(command);
      }
    };

    const loadStarted = performance.now();
    const clients = Array.from({ length: CLIENTS }, client);
    for (let k = 0; k < KILLS; k++) {
      await sleep(random.int(...LOAD_MS));
      figures.killedInFlight += inFlight;
      const down = performance.now();
      const dead = api.kill('SIGKILL');
      gate.close();
      expect(await dead).toEqual({ code: null, signal: 'SIGKILL' });
      figures.kills++;
      figures.startMs.push(await api.start());
      figures.restarts++;
      figures.downMs.push(Math.round(performance.now() - down));
      gate.open();
    }
    await sleep(random.int(...LOAD_MS));
    stopping = true;
    await Promise.all(clients);
    figures.loadSeconds = Math.round((performance.now() - loadStarted) / 100) / 10;
    expect(figures.kills).toBe(KILLS);
    expect(commands.length).toBeGreaterThan(100);
  });

  it('answered every command 2xx, 4xx or not at all: never a 5xx', () => {
    const errors = commands.flatMap((c) => c.attempts.filter((a) => a.kind === 'error' || a.kind === 'unavailable'));
    expect(errors).toEqual([]);
  });

  it('catches up after the last restart: read models, Merkle tree and a checkpoint at the head', async () => {
    const seen = await waitForConvergence(db.appUrl, 30_000);
    expect(seen).toMatchObject({ readModels: seen.head, tree: seen.head, checkpoint: seen.head });
  });

  it('answers a retry of an acknowledged command with its first answer, writing nothing', async () => {
    const acked = commands.filter((c) => c.final?.kind === 'acked');
    const sample = acked.filter((_, i) => i % Math.max(1, Math.floor(acked.length / 25)) === 0);
    const head = await store.head();
    for (const command of sample) {
      const again = await send(api.url, command);
      const first = command.final as Extract<Outcome, { kind: 'acked' }>;
      expect({ key: command.key, ...again }).toEqual({ key: command.key, ...first, status: 201, replayed: true });
    }
    expect(await store.head()).toBe(head);
    // A graceful stop: Nest closes the app, then re-raises SIGTERM (enableShutdownHooks); no SIGKILL needed.
    const exit = await api.stop();
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGTERM' }]).toContainEqual(exit);
  });

  it('holds every acknowledged command exactly once, and nothing of a refused one nor half of an unanswered one', async () => {
    const { byMarker, strays, head } = await eventsByMarker(db.appUrl, seedHead);
    const keys = await idempotencyRows(db.appUrl);
    const acked = commands.filter((c) => c.final?.kind === 'acked');
    const refused = commands.filter((c) => c.final?.kind === 'refused');
    const unanswered = commands.filter((c) => c.final?.kind === 'none');
    const problems: string[] = [];

    for (const command of acked) {
      const answer = command.final as Extract<Outcome, { kind: 'acked' }>;
      const stored = byMarker.get(command.marker) ?? [];
      if (stored.length !== command.expectedEvents) problems.push(`${command.key} acknowledged (seq ${answer.seq}) but ${stored.length} events carry ${command.marker}`);
      if (JSON.stringify(stored.map((e) => [e.eventId, e.seq])) !== JSON.stringify(answer.events.map((e) => [e.eventId, e.seq]))) {
        problems.push(`${command.key}: the answer names ${JSON.stringify(answer.events)}, the store holds ${JSON.stringify(stored)}`);
      }
      const row = keys.get(`${command.actor.subject} ${command.key}`);
      if (!row || row.status !== 201 || row.firstEventId !== answer.events[0]?.eventId) {
        problems.push(`${command.key}: its Idempotency-Key row is ${JSON.stringify(row)}, its first event ${answer.events[0]?.eventId}`);
      }
    }
    for (const command of refused) {
      if (byMarker.has(command.marker)) problems.push(`${command.key} refused (${JSON.stringify(command.final)}) but ${byMarker.get(command.marker)!.length} events carry ${command.marker}`);
    }
    let unansweredWritten = 0;
    for (const command of unanswered) {
      const stored = byMarker.get(command.marker)?.length ?? 0;
      if (stored !== 0 && stored !== command.expectedEvents) problems.push(`${command.key} unanswered with ${stored} of its ${command.expectedEvents} events`);
      if (stored > 0) unansweredWritten++;
    }
    // Nothing else was written, and no command twice.
    const planned = new Set(commands.map((c) => c.marker));
    for (const [marker, events] of byMarker) {
      if (!planned.has(marker)) problems.push(`${events.length} events carry ${marker}, which no command sent`);
    }
    if (strays.length > 0) problems.push(`events no command of the load wrote: ${JSON.stringify(strays.slice(0, 5))}`);
    const markerEvents = [...byMarker.values()].reduce((sum, events) => sum + events.length, 0);
    expect(problems).toEqual([]);
    expect(head).toBe(seedHead + markerEvents);

    const attempts = commands.reduce((sum, c) => sum + c.attempts.length, 0);
    const retried = commands.filter((c) => c.attempts.length > 1);
    const recovered = retried.filter((c) => c.final?.kind === 'acked');
    const byStatus = refused.reduce<Record<string, number>>((all, c) => {
      const f = c.final as Extract<Outcome, { kind: 'refused' }>;
      const key = `${f.status} ${f.rule ?? ''}`.trim();
      return { ...all, [key]: (all[key] ?? 0) + 1 };
    }, {});
    console.log(
      `crash test (seed ${seed}${SOAK ? ', soak' : ''}): ${commands.length} commands (${attempts} requests) from ${CLIENTS} clients in ${figures.loadSeconds} s; ` +
        `${acked.length} acknowledged (${acked.filter((c) => (c.final as { replayed: boolean }).replayed).length} of them by a retry that found its events already written), ` +
        `${refused.length} refused ${JSON.stringify(byStatus)}, ${unanswered.length} left unanswered (${unansweredWritten} of them written whole, the rest not at all); ` +
        `${figures.kills} SIGKILLs with ${figures.killedInFlight} requests in flight, ${figures.restarts} restarts; ${retried.length} commands retried with their key after a restart, ${recovered.length} then acknowledged; ` +
        `API start ${figures.startMs.join('/')} ms (ts-node), down ${figures.downMs.join('/')} ms per kill; head ${seedHead} → ${head}`,
    );
  });

  it('has read models equal to a rebuild from seq 0', async () => {
    const report = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store, checkOnly: true });
    expect(report.differences).toEqual([]);
    expect(report.position).toBe(await store.head());
  });

  it('verifies with ledger verify --live: every entry, the stored tree, every checkpoint and their consistency', async () => {
    const { stdout, error } = await ledgerCli(db, ['verify', '--live', '--key', api.signingKey.vkey]);
    expect(error).toBeUndefined();
    const head = await store.head();
    const match = /^verified (\d+) entries, (\d+) checkpoints/m.exec(stdout);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBe(head);
    // One checkpoint at the first start, one at each restart (the tree had grown), more on schedule.
    expect(Number(match![2])).toBeGreaterThanOrEqual(KILLS + 1);
    console.log(`crash test: ${stdout.trim()}`);
  });
});
