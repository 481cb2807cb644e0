/**
 * npm run bench:projections — the read side on a realistic ledger: the contract's history from the MEL
 * seed to 2030, BENCH_EVENTS events (default 1,000,000) written by generateHistory through the domain's
 * deciders and the store's append path, then:
 *
 *   (a) catch-up from seq 0 of a new read-model version by the ProjectionRunner, in events/s, beside
 *       the baseline measured in the same run: reading the same events with store.readAll, without
 *       projecting (pages of READ_PAGE events, the runner's batch size);
 *   (b) a full rebuild (libs/projections rebuild: a new version from seq 0, then switched to), in s;
 *   (c) the as-of read of one commitment as GET /commitments/:id?asOf=…&clock=… does it (stateAsOf: the
 *       stream read as of the date on that clock, folded by the domain's decider), for random commitments
 *       and dates on both clocks, p50/p99 in ms, beside the plain read of the live row by primary key.
 *
 * On a database made for the run (DATABASE_URL's server, or the embedded PostgreSQL), dropped after it
 * unless BENCH_KEEP=1. Prints a table, then, as its last line, one JSON object with every figure and
 * whether the targets are met (catch-up ≥ 20,000 events/s, rebuild ≤ 60 s, as-of p99 ≤ 10 ms).
 *
 * BENCH_EVENTS=20000 for a quick run (2000 at least); BENCH_SEED (default 2024), BENCH_CONCURRENCY (streams written at
 * once while generating, default the generator's), BENCH_ASOF_SAMPLES (default 2000 per clock).
 *
 * The history is generated in a child process given a larger young generation (GENERATOR_FLAGS): the
 * generator allocates much and briefly, and spends a quarter of its time collecting with Node's
 * default. The measures are taken in this process, with Node's defaults, as the API and the CLI run.
 */
import { Random } from '../libs/application/src';
import { commitmentDecider } from '../libs/domain/src';
import { PostgresEventStore } from '../libs/event-store/src';
import { CommitmentRow, createVersion, PROJECTIONS, ProjectionRunner, readModelDataSource, rebuild, stateAsOf } from '../libs/projections/src';
import { bar, GENERATOR_FLAGS, generateInChild, openBenchDatabase, pad, round, timed } from './support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 2024);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const SAMPLES = Number(process.env.BENCH_ASOF_SAMPLES ?? 2000);
const READ_PAGE = 2000;
const TARGETS = { catchUpEventsPerSec: 20_000, rebuildSeconds: 60, asOfP99Ms: 10 };

interface Latency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

function latency(values: number[]): Latency {
  const sorted = Float64Array.from(values).sort();
  const pct = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  return { samples: sorted.length, p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

async function main(): Promise<void> {
  const database = await openBenchDatabase(`ledger_bench_projections_${process.pid}`);
  const { adminUrl, appUrl, settings } = database;
  const closing: (() => Promise<unknown>)[] = [];
  try {
    const store = new PostgresEventStore({ connectionString: appUrl, poolSize: 4 });
    closing.push(() => store.close());
    console.log(
      `PostgreSQL ${settings.serverVersion}${database.embedded ? ' (embedded)' : ''}, shared_buffers=${settings.sharedBuffers}, synchronous_commit=${settings.synchronousCommit}; ` +
        `${EVENTS} events, seed ${SEED}`,
    );

    // The history.
    const generation = await timed(() => generateInChild(appUrl, { events: EVENTS, seed: SEED, ...(CONCURRENCY && { concurrency: CONCURRENCY }) }));
    const history = generation.result;
    const head = await store.head();

    // (a) Reading without projecting, then catching up a new version from seq 0.
    const reading = bar('readAll', 'events');
    reading.start(head, 0);
    const readAll = await timed(async () => {
      let position = 0;
      while (position < head) {
        const page = await store.readAll(position, Math.min(READ_PAGE, head - position));
        if (page.length === 0) break;
        position = page[page.length - 1].seq;
        reading.update(position);
      }
      return position;
    });
    reading.stop();

    const version = await createVersion(adminUrl, PROJECTIONS);
    const target = readModelDataSource(appUrl, version, PROJECTIONS);
    await target.initialize();
    const catchingUp = bar('catch-up', 'events');
    catchingUp.start(head, 0);
    const catchUp = await timed(() => new ProjectionRunner(store, target, version, PROJECTIONS).catchUp((position) => catchingUp.update(position)));
    catchingUp.stop();
    await target.destroy();
    if (catchUp.result !== head) throw new Error(`the catch-up stopped at seq ${catchUp.result}, the head is ${head}`);

    // (b) A full rebuild, switched to.
    const rebuilding = bar('rebuild', 'events');
    rebuilding.start(head, 0);
    const rebuilt = await timed(() => rebuild({ adminUrl, appUrl, store, onProgress: (position) => rebuilding.update(position) }));
    rebuilding.stop();

    // (c) One commitment as of a date, on both clocks, against its live row.
    const live = readModelDataSource(appUrl, rebuilt.result.version, PROJECTIONS);
    await live.initialize();
    closing.push(() => live.destroy());
    const rows = live.getRepository(CommitmentRow);
    const ids = (await rows.find({ select: { commitmentId: true }, order: { commitmentId: 'ASC' } })).map((r) => r.commitmentId);
    const [first] = await store.readAll(0, 1);
    const [last] = await store.readAll(head - 1, 1);
    const random = new Random(SEED);
    const between = (from: number, to: number) => new Date(from + random.next() * (to - from)).toISOString();
    const effective = [Date.parse('2024-05-07T00:00:00+02:00'), Date.parse('2030-12-31T23:59:59+01:00')] as const;
    const recorded = [Date.parse(first.recordedAt), Date.parse(last.recordedAt)] as const;
    const draws = Array.from({ length: 2 * SAMPLES + 200 }, (_, i) => {
      const clock = i % 2 === 0 ? ('effective' as const) : ('recorded' as const);
      const [from, to] = clock === 'effective' ? effective : recorded;
      return { id: random.pick(ids), clock, at: between(from, to) };
    });
    const asOf = { effective: [] as number[], recorded: [] as number[] };
    const row: number[] = [];
    let foldedEvents = 0;
    const querying = bar('as-of', 'reads');
    querying.start(draws.length, 0);
    for (const [i, draw] of draws.entries()) {
      const t0 = performance.now();
      const { state, events } = await stateAsOf(store, commitmentDecider, `commitment-${draw.id}`, draw.clock, draw.at);
      const t1 = performance.now();
      const found = await rows.findOneBy({ commitmentId: draw.id });
      const t2 = performance.now();
      if (!found) throw new Error(`commitment ${draw.id} has no live row`);
      if (i >= 200) {
        asOf[draw.clock].push(t1 - t0);
        row.push(t2 - t1);
        foldedEvents += events;
        void state;
      }
      querying.update(i + 1);
    }
    querying.stop();

    // The figures.
    const generationSeconds = round(history.planningSeconds + history.writingSeconds);
    const generationPerSec = Math.round(history.generated / (history.planningSeconds + history.writingSeconds));
    const readAllPerSec = Math.round(head / readAll.seconds);
    const catchUpPerSec = Math.round(head / catchUp.seconds);
    const effectiveLatency = latency(asOf.effective);
    const recordedLatency = latency(asOf.recorded);
    const allLatency = latency([...asOf.effective, ...asOf.recorded]);
    const rowLatency = latency(row);
    const met = {
      catchUp: catchUpPerSec >= TARGETS.catchUpEventsPerSec,
      rebuild: rebuilt.seconds <= TARGETS.rebuildSeconds,
      asOf: allLatency.p99Ms <= TARGETS.asOfP99Ms,
    };
    const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('');
    console.log(`history     ${history.events} events (${history.seedEvents} of the seed), ${history.streams} streams, effective ${history.effectiveFrom.slice(0, 10)} … ${history.effectiveTo.slice(0, 10)}`);
    console.log(`            ${Object.entries(history.byAggregate).map(([a, n]) => `${a} ${n}`).join(', ')}`);
    console.log('');
    console.log('step                          | seconds |    events/s | against');
    console.log(`generate the history          | ${pad(generationSeconds, 7)} | ${pad(generationPerSec, 11)} | ${history.concurrency} streams at once; planning ${history.planningSeconds} s, writing ${history.writingSeconds} s (${Math.round(history.generated / history.writingSeconds)} events/s); ${round(generation.seconds)} s with the seed and the child's start`);
    console.log(`readAll, no projection        | ${pad(round(readAll.seconds), 7)} | ${pad(readAllPerSec, 11)} | baseline, pages of ${READ_PAGE}`);
    console.log(`(a) catch-up from seq 0       | ${pad(round(catchUp.seconds), 7)} | ${pad(catchUpPerSec, 11)} | ${round(catchUpPerSec / readAllPerSec)} × readAll; target ≥ ${TARGETS.catchUpEventsPerSec}: ${yes(met.catchUp)}`);
    console.log(`(b) rebuild (version ${rebuilt.result.version}, live) | ${pad(round(rebuilt.seconds), 7)} | ${pad(Math.round(head / rebuilt.seconds), 11)} | target ≤ ${TARGETS.rebuildSeconds} s: ${yes(met.rebuild)}`);
    console.log('');
    console.log(`(c) one commitment as of a date: ${ids.length} commitments, ${SAMPLES} reads per clock, ${round(foldedEvents / (2 * SAMPLES))} events folded per read`);
    console.log('read                          | p50 ms | p99 ms');
    console.log(`as of, effective clock        | ${pad(effectiveLatency.p50Ms, 6)} | ${pad(effectiveLatency.p99Ms, 6)}`);
    console.log(`as of, recorded clock         | ${pad(recordedLatency.p50Ms, 6)} | ${pad(recordedLatency.p99Ms, 6)}`);
    console.log(`as of, both clocks            | ${pad(allLatency.p50Ms, 6)} | ${pad(allLatency.p99Ms, 6)} | target p99 ≤ ${TARGETS.asOfP99Ms} ms: ${yes(met.asOf)}`);
    console.log(`live row by primary key       | ${pad(rowLatency.p50Ms, 6)} | ${pad(rowLatency.p99Ms, 6)} | baseline`);
    console.log(
      JSON.stringify({
        benchmark: 'projections',
        server: settings.serverVersion,
        embedded: database.embedded,
        events: head,
        seed: SEED,
        generation: {
          seconds: generationSeconds,
          eventsPerSec: generationPerSec,
          planningSeconds: history.planningSeconds,
          writingSeconds: history.writingSeconds,
          wallSeconds: round(generation.seconds),
          nodeFlags: GENERATOR_FLAGS,
          concurrency: history.concurrency,
          streams: history.streams,
          byAggregate: history.byAggregate,
        },
        catchUp: { seconds: round(catchUp.seconds), eventsPerSec: catchUpPerSec, readAllSeconds: round(readAll.seconds), readAllEventsPerSec: readAllPerSec, readAllPage: READ_PAGE, ratioToReadAll: round(catchUpPerSec / readAllPerSec) },
        rebuild: { seconds: round(rebuilt.seconds), eventsPerSec: Math.round(head / rebuilt.seconds), version: rebuilt.result.version },
        asOf: { commitments: ids.length, eventsFoldedPerRead: round(foldedEvents / (2 * SAMPLES)), effective: effectiveLatency, recorded: recordedLatency, all: allLatency, liveRowBaseline: rowLatency },
        targets: TARGETS,
        met,
      }),
    );
  } finally {
    for (const close of closing.reverse()) await close().catch(() => undefined);
    await database.close();
  }
}

main().catch((error) => {
  console.error(`bench:projections failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
