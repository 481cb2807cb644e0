import { createHash, type Hash } from 'node:crypto';
import { deterministicEventId, derivedEventId, generateHistory, type HistoryReport, loadMelSeed, type SeedStep } from '@mel/application';
import { projectRoot } from '@mel/database';
import { type EventStore, openEventStore, type StoredEvent } from '@mel/event-store';
import { canonicalize } from '@mel/ledger';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withDatabase } from '../database-session';

interface GenerateOptions {
  events: string;
  seed: string;
  concurrency?: string;
  digest: boolean;
  json?: boolean;
}

/** Events a step of the seed writes at most (the ids beyond the first derive from it). */
const EVENTS_PER_SEED_STEP = 16;
/** Pages read back for the digest and the check of what the ledger holds. */
const PAGE = 10_000;

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'fill an empty ledger with a realistic history of the contract from 2024 to 2030 (the MEL seed, then parties, commitments, ' +
        'funding, reports, indicators, bodies, meetings, votes, amendments, evaluations), every event decided by the domain and ' +
        'appended through the store; the same --seed and --events give the same history. The ledger must be empty or hold only the MEL seed',
    )
    .requiredOption('--events <n>', 'how many events the ledger holds once done, the seed’s included (at least 2000)')
    .option('--seed <s>', 'the random seed: a whole number; the same seed gives the same history', '2024')
    .option('--concurrency <n>', 'streams written at once (default 64); the history does not depend on it')
    .option('--no-digest', 'do not read the history back to print its digest (saves time on millions of events)')
    .option('--json', 'print the report as one JSON object')
    .action(async (options: GenerateOptions) => {
      const events = wholeNumber(options.events, '--events');
      if (events < 2000) throw new Error(`--events ${events} is too few: a history has at least 2000 events (the MEL seed alone has about 160)`);
      const seed = wholeNumber(options.seed, '--seed');
      const concurrency = options.concurrency === undefined ? undefined : wholeNumber(options.concurrency, '--concurrency');
      if (concurrency === 0) throw new Error('--concurrency must be at least 1');
      const seedSteps = loadMelSeed(projectRoot());

      await withDatabase(program.opts().verbose, async (database) => {
        const store = openEventStore({ appUrl: database.appUrl, poolSize: 4 });
        const bar = new SingleBar({ format: 'generate [{bar}] {percentage}% {value}/{total} events {duration_formatted}', stream: process.stderr, hideCursor: true, noTTYOutput: false });
        try {
          await assertOnlyTheSeed(store, seedSteps);
          const started = performance.now();
          bar.start(events, 0);
          const report = await generateHistory(store, {
            events,
            seed,
            seedSteps,
            ...(concurrency !== undefined && { concurrency }),
            onProgress: (written) => bar.update(written),
          });
          bar.update(report.events);
          bar.stop();
          const seconds = round((performance.now() - started) / 1000);
          const head = await store.head();
          let digest: string | undefined;
          if (options.digest) {
            const reading = new SingleBar({ format: 'digest   [{bar}] {percentage}% {value}/{total} events', stream: process.stderr, hideCursor: true, noTTYOutput: false });
            reading.start(head, 0);
            try {
              digest = await historyDigest(store, (position) => reading.update(position));
            } finally {
              reading.stop();
            }
          }
          printReport(report, { seconds, head, digest, json: options.json === true });
        } finally {
          bar.stop();
          await store.close();
        }
      });
    });
}

/**
 * A SHA-256 of the history that does not depend on when, nor in which interleaving of its streams, it
 * was written: each stream's events in stream order, canonical JSON (RFC 8785) of the envelope without
 * `seq` and `recordedAt` (the store assigns them at commit), one digest per stream, then one over the
 * streams sorted by id. Two runs of `ledger generate` with the same --seed and --events give the same
 * digest; the leaf hashes cannot be the same, since each covers its event's recordedAt.
 */
export async function historyDigest(store: Pick<EventStore, 'readAll'>, onProgress?: (position: number) => void): Promise<string> {
  const streams = new Map<string, Hash>();
  let position = 0;
  for (;;) {
    const page: StoredEvent[] = await store.readAll(position, PAGE);
    if (page.length === 0) break;
    for (const event of page) {
      const { seq: _seq, recordedAt: _recordedAt, canonical: _canonical, leafHash: _leafHash, ...content } = event;
      let hash = streams.get(event.streamId);
      if (!hash) streams.set(event.streamId, (hash = createHash('sha256')));
      hash.update(canonicalize(content)).update('\n');
    }
    position = page[page.length - 1].seq;
    onProgress?.(position);
  }
  const all = createHash('sha256');
  for (const streamId of [...streams.keys()].sort()) all.update(`${streamId} ${streams.get(streamId)!.digest('hex')}\n`);
  return all.digest('hex');
}

/**
 * The history is a whole, written after the MEL seed: the ledger must be empty, or hold events of the
 * seed only (complete, as `npm start` and `ledger seed` leave it, or interrupted: the run completes it).
 * Anything else is refused before anything is written.
 */
async function assertOnlyTheSeed(store: EventStore, steps: SeedStep[]): Promise<void> {
  const head = await store.head();
  if (head === 0) return;
  const seedIds = new Set<string>();
  for (const step of steps) {
    const first = deterministicEventId(`seed:${step.key}`, step.command.at);
    for (let i = 0; i < EVENTS_PER_SEED_STEP; i++) seedIds.add(derivedEventId(first, i));
  }
  const refuse = (what: string) =>
    new Error(
      `the ledger already holds ${head} events, ${what}: ledger generate writes a whole history into an empty ledger, or one holding only the MEL seed. ` +
        'Nothing was written. Point DATABASE_URL at a new database (e.g. createdb ledger_generated), or, for the embedded PostgreSQL, set LEDGER_DATA_DIR to an empty folder; then run it again',
    );
  if (head > steps.length * EVENTS_PER_SEED_STEP) throw refuse('more than the MEL seed has');
  for (let position = 0; position < head; ) {
    const page = await store.readAll(position, Math.min(PAGE, head - position));
    if (page.length === 0) break;
    const stranger = page.find((event) => !seedIds.has(event.eventId));
    if (stranger) throw refuse(`not only the MEL seed (seq ${stranger.seq}, ${stranger.type} on ${stranger.streamId}, is not of the seed)`);
    position = page[page.length - 1].seq;
  }
}

function printReport(report: HistoryReport, run: { seconds: number; head: number; digest?: string; json: boolean }): void {
  const eventsPerSec = report.writingSeconds > 0 ? Math.round(report.generated / report.writingSeconds) : report.generated;
  if (run.json) {
    const { byType: _byType, ...rest } = report;
    console.log(JSON.stringify({ ...rest, byType: report.byType, head: run.head, seconds: run.seconds, eventsPerSec, ...(run.digest && { historySha256: run.digest }) }));
    return;
  }
  console.log(
    `generated ${report.events} events with seed ${report.seed}: ${report.seedEvents} of the MEL seed, ${report.generated} written by this run on ${report.streams} streams, ` +
      `in ${run.seconds} s (planning ${report.planningSeconds} s, writing ${report.writingSeconds} s, ${eventsPerSec} events/s)`,
  );
  console.log(`effective dates ${report.effectiveFrom.slice(0, 10)} … ${report.effectiveTo.slice(0, 10)}; head: seq ${run.head}`);
  console.log('events written by aggregate:');
  const width = Math.max(...Object.keys(report.byAggregate).map((a) => a.length));
  for (const [aggregate, count] of Object.entries(report.byAggregate)) console.log(`  ${aggregate.padEnd(width)} ${String(count).padStart(9)}`);
  if (run.digest) console.log(`history sha256 ${run.digest} (each stream's events without seq and recordedAt: the same for the same --seed and --events)`);
}

function wholeNumber(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new Error(`${option} must be a whole number, not ${JSON.stringify(value)}`);
  return n;
}

const round = (n: number) => Math.round(n * 100) / 100;
