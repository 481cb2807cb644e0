/**
 * npm run bench:append — the ledger's append path against a plain single-row INSERT, side by side in one
 * run on the same PostgreSQL (DATABASE_URL, or the embedded one), one event per append, at 1, 16 and 64
 * concurrent writers. Prints a table, then one JSON line with the figures and the ratios ledger/plain.
 *
 * Each side writes into a fresh database made for the run and dropped after it, so the user's ledger
 * is never touched. BENCH_APPENDS sets the appends per point (default 20000).
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { APP_ROLE } from '../libs/database/src';
import { PostgresEventStore } from '../libs/event-store/src';
import { openBenchDatabase, pad, round } from './support';

const APPENDS = Number(process.env.BENCH_APPENDS ?? 20_000);
const WRITERS = [1, 16, 64];
const WARMUP = Math.min(2000, APPENDS / 4);

interface Figures {
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

const actor = { subject: 'user-bench', role: 'signatory-representative', partyId: 'party-200093201' };
const data = (i: number) => ({
  reportId: `report-${i}`,
  period: '2025-Q1',
  narrative: 'Accompagnement de 42 jeunes du QPV Lille Sud vers l’emploi; 12 contrats signés.',
  amountCents: 125_000_00 + i,
  qpv: ['QN05901M', 'QN05902M'],
});

async function run(writers: number, total: number, appendOne: (worker: number, i: number) => Promise<void>): Promise<Figures> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, worker) => {
      for (let i = next++; i < total; i = next++) {
        const t0 = process.hrtime.bigint();
        await appendOne(worker, i);
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  const pct = (p: number) => round(latencies[Math.min(total - 1, Math.floor(p * total))]);
  return { eventsPerSec: Math.round(total / seconds), p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

async function plainSide(url: string, writers: number, total: number): Promise<Figures> {
  const pool = new Pool({ connectionString: url, max: writers });
  const insert = (worker: number, i: number) =>
    pool
      .query('INSERT INTO bench_plain (id, stream_id, type, occurred_at, data) VALUES ($1, $2, $3, $4, $5)', [
        randomUUID(),
        `commitment-w${worker}-${i % 10}`,
        'ProgressReported',
        '2025-03-31T10:00:00.000Z',
        data(i),
      ])
      .then(() => undefined);
  await run(writers, WARMUP, insert);
  const figures = await run(writers, total, insert);
  await pool.end();
  return figures;
}

async function ledgerSide(url: string, writers: number, total: number): Promise<Figures> {
  const store = new PostgresEventStore({ connectionString: url, poolSize: 2 });
  const versions = new Map<string, number>();
  const append = async (worker: number, i: number) => {
    const streamId = `commitment-w${writers}-${worker}-${i % 10}`;
    const expected = versions.get(streamId) ?? 0;
    const result = await store.append(streamId, [{ type: 'ProgressReported', occurredAt: '2025-03-31T10:00:00.000Z', actor, data: data(i) }], {
      expectedVersion: expected,
    });
    versions.set(streamId, result.streamVersion);
  };
  await run(writers, WARMUP, append);
  const figures = await run(writers, total, append);
  await store.close();
  return figures;
}

async function main(): Promise<void> {
  const database = await openBenchDatabase(`ledger_bench_${process.pid}`);
  try {
    const { appUrl } = database;
    const setup = new Client({ connectionString: database.adminUrl });
    await setup.connect();
    const { rows } = await setup.query("SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS s, current_setting('fsync') AS f");
    await setup.query(`CREATE TABLE bench_plain (id uuid PRIMARY KEY, stream_id text NOT NULL, type text NOT NULL,
      occurred_at timestamptz NOT NULL, data jsonb NOT NULL)`);
    await setup.query(`GRANT INSERT, SELECT ON bench_plain TO ${APP_ROLE}`);
    await setup.end();
    console.log(
      `PostgreSQL ${rows[0].v}${database.embedded ? ' (embedded)' : ''}, fsync=${rows[0].f}, synchronous_commit=${rows[0].s}; ` +
        `${APPENDS} appends per point, one event each, after ${WARMUP} warm-up appends`,
    );
    console.log('writers | plain ev/s  p50 ms  p99 ms | ledger ev/s  p50 ms  p99 ms | throughput ×  p99 ×');
    const points = [];
    for (const writers of WRITERS) {
      const plain = await plainSide(appUrl, writers, APPENDS);
      const ledger = await ledgerSide(appUrl, writers, APPENDS);
      const point = {
        writers,
        plain,
        ledger,
        throughputRatio: round(ledger.eventsPerSec / plain.eventsPerSec),
        p99Ratio: round(ledger.p99Ms / plain.p99Ms),
      };
      points.push(point);
      console.log(
        `${pad(writers, 7)} | ${pad(plain.eventsPerSec, 10)} ${pad(plain.p50Ms, 7)} ${pad(plain.p99Ms, 7)} | ` +
          `${pad(ledger.eventsPerSec, 11)} ${pad(ledger.p50Ms, 7)} ${pad(ledger.p99Ms, 7)} | ${pad(point.throughputRatio, 12)} ${pad(point.p99Ratio, 5)}`,
      );
    }
    console.log(
      JSON.stringify({
        benchmark: 'append',
        server: rows[0].v,
        embedded: database.embedded,
        appendsPerPoint: APPENDS,
        points,
        ratioLedgerOverPlain: Object.fromEntries(points.map((p) => [p.writers, p.throughputRatio])),
      }),
    );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(`bench:append failed: ${error.message}`);
  process.exit(1);
});
