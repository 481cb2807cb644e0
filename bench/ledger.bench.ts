/**
 * npm run bench:ledger — the verifiable ledger at scale, on a log of BENCH_ENTRIES events (default
 * 1,000,000) in a fresh PostgreSQL database made for the run and dropped after it (DATABASE_URL's
 * server, or the embedded one):
 *
 * 1. proofs from the stored tree (ledger.tree_nodes): the root at a random size, the inclusion proof of
 *    a random leaf in a random size, the consistency proof between two random sizes, p50/p99 ms each
 *    (target p99 ≤ 5 ms), against a baseline measured in the same run: a primary-key SELECT of one event;
 * 2. the offline verification of an audit export of the whole log (`ledger export --audit`, then
 *    `ledger verify <dir>`, in process), target ≤ 20 s, against two baselines: reading the entries file
 *    and hashing it (SHA-256), and reading it, splitting its lines and building the Merkle tree only.
 *    The verification replays every event with the domain (the CLI's replay hook): the log is a
 *    realistic history written through the deciders by generateHistory (libs/application), which the
 *    replay must accept.
 *
 * Prints the figures as it goes, then one JSON line.
 */
import { createHash, randomInt } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointSigner, DEFAULT_ORIGIN, generateHistory, loadMelSeed, PostgresTree } from '@mel/application';
import { projectRoot } from '@mel/database';
import { PostgresEventStore } from '@mel/event-store';
import {
  entryLines,
  fetchConsistencyProof,
  fetchInclusionProof,
  fetchRoot,
  formatKeyId,
  generateNoteKey,
  leafHash,
  parseSignerKey,
  signCheckpoint,
  TreeBuilder,
  verifyConsistency,
  verifyInclusion,
} from '@mel/ledger';
import { Client, Pool } from 'pg';
import { writeAuditExport } from '../apps/cli/src/commands/export.command';
import { buildProgram } from '../apps/cli/src/program';
import { openBenchDatabase, pad, round } from './support';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const WARMUP = 200;
/** Checkpoints signed along the log besides the export's, so that the verifier checks consistency proofs between them. */
const CHECKPOINTS = 10;

interface Latency {
  p50Ms: number;
  p99Ms: number;
}

async function latency(samples: number, one: () => Promise<void>): Promise<Latency> {
  for (let i = 0; i < WARMUP; i++) await one();
  const ms = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    await one();
    ms[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  ms.sort();
  return { p50Ms: round(ms[Math.floor(samples * 0.5)]), p99Ms: round(ms[Math.min(samples - 1, Math.floor(samples * 0.99))]) };
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { seconds: round((performance.now() - t0) / 1000), value };
}

async function main(): Promise<void> {
  if (!Number.isSafeInteger(ENTRIES) || ENTRIES < 2000) throw new Error('BENCH_ENTRIES must be a whole number ≥ 2000 (the generated history starts with the MEL seed)');
  const database = await openBenchDatabase(`ledger_bench_tree_${process.pid}`);
  const { appUrl } = database;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-export-'));
  const savedKey = process.env.LEDGER_SIGNING_KEY;
  const key = generateNoteKey(DEFAULT_ORIGIN);
  process.env.LEDGER_SIGNING_KEY = key.skey; // the export signs with it (never a key file in .data)
  let endPool = async () => {};
  try {
    console.log(`PostgreSQL ${database.settings.serverVersion}${database.embedded ? ' (embedded)' : ''}; a log of ${ENTRIES} events; ${SAMPLES} samples per latency after ${WARMUP} warm-up`);

    // The log: a realistic history through the deciders, appended in concurrent batches (group commit).
    const store = new PostgresEventStore({ connectionString: appUrl, poolSize: 4 });
    const fill = await timed(() =>
      generateHistory(store, {
        events: ENTRIES,
        seedSteps: loadMelSeed(projectRoot()),
        onProgress: (written, target) => {
          if (written % 50_000 < 1000) process.stderr.write(`\rbench: writing the log, ${written}/${target} events`);
        },
      }),
    );
    await store.close();
    process.stderr.write('\n');
    console.log(`log written in ${fill.seconds} s (${fill.value.streams} streams, ${Object.keys(fill.value.byType).length} event types)`);

    const pool = new Pool({ connectionString: appUrl, max: 4 });
    endPool = () => ((endPool = async () => {}), pool.end());
    const tree = new PostgresTree(pool);
    const extend = await timed(() => tree.extend({ onBatch: (size, head) => size % 100_000 < 10_000 && process.stderr.write(`\rbench: tree ${size}/${head}`) }));
    process.stderr.write('\n');
    console.log(`tree of ${extend.value} leaves stored in ${extend.seconds} s`);

    // Checkpoints along the log (as the schedule would sign them), then the export's at the head.
    const keyId = formatKeyId(parseSignerKey(key.skey).keyId);
    // Jitter within half a gap (1,000 at most): the sizes stay increasing and within the log at any BENCH_ENTRIES.
    const jitter = Math.max(1, Math.min(1000, Math.floor(ENTRIES / (2 * (CHECKPOINTS + 1)))));
    const sizes = Array.from({ length: CHECKPOINTS }, (_, i) => Math.floor(((i + 1) * ENTRIES) / (CHECKPOINTS + 1)) + randomInt(jitter));
    for (const size of sizes) {
      const root = await fetchRoot(tree.fetch, size);
      await pool.query('INSERT INTO ledger.checkpoints (size, root, note, key_id, reason) VALUES ($1, $2, $3, $4, $5)', [
        size,
        root,
        signCheckpoint({ origin: DEFAULT_ORIGIN, size, rootHash: root }, key.skey),
        keyId,
        'bench',
      ]);
    }
    await new CheckpointSigner(pool, tree, { ...key, name: DEFAULT_ORIGIN, source: 'bench' }).sign('schedule');

    // 1. Proofs from the stored tree, and the baseline.
    const n = extend.value;
    const size = () => 1 + randomInt(n);
    const baseline = await latency(SAMPLES, async () => {
      await pool.query('SELECT canonical FROM event_store.events WHERE seq = $1', [size()]);
    });
    const root = await latency(SAMPLES, async () => {
      await fetchRoot(tree.fetch, size());
    });
    const inclusion = await latency(SAMPLES, async () => {
      const s = size();
      await fetchInclusionProof(tree.fetch, randomInt(s), s);
    });
    const consistency = await latency(SAMPLES, async () => {
      const s2 = size();
      await fetchConsistencyProof(tree.fetch, 1 + randomInt(s2), s2);
    });
    // The proofs are right (one of each, checked).
    const [s1, s2] = [size(), size()].sort((a, b) => a - b);
    const index = randomInt(s2);
    const leaf = (await pool.query('SELECT leaf_hash FROM event_store.events WHERE seq = $1', [index + 1])).rows[0].leaf_hash;
    const [r1, r2] = [await fetchRoot(tree.fetch, s1), await fetchRoot(tree.fetch, s2)];
    verifyInclusion(index, s2, leaf, await fetchInclusionProof(tree.fetch, index, s2), r2);
    verifyConsistency(s1, s2, await fetchConsistencyProof(tree.fetch, s1, s2), r1, r2);
    console.log('query                     p50 ms  p99 ms');
    for (const [label, figures] of [
      ['baseline: event by seq', baseline],
      ['root at a size', root],
      ['inclusion proof', inclusion],
      ['consistency proof', consistency],
    ] as const) {
      console.log(`${label.padEnd(24)} ${pad(figures.p50Ms, 7)} ${pad(figures.p99Ms, 7)}`);
    }

    // 2. The audit export, and its offline verification against the baselines.
    const exported = await timed(() => writeAuditExport({ adminUrl: database.adminUrl, appUrl, embedded: false, close: async () => undefined }, dir));
    await endPool();
    const file = join(dir, 'entries.jsonl');
    const bytes = exported.value.files['entries.jsonl'].bytes;
    console.log(`audit export written in ${exported.seconds} s: ${exported.value.entries} entries, ${Math.round(bytes / 1e6)} MB, ${exported.value.checkpoints.length} checkpoints`);

    const readAndHash = await timed(async () => {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
      return hash.digest('hex');
    });
    const treeOnly = await timed(async () => {
      const builder = new TreeBuilder();
      for await (const line of entryLines(createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)) builder.append(leafHash(line));
      return builder.root().toString('base64');
    });
    if (treeOnly.value !== exported.value.root) throw new Error('the tree of the export is not the signed one');
    const out: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void out.push(args.join(' '));
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const loadBefore = loadavg()[0];
    let verify;
    try {
      verify = await timed(() => buildProgram().exitOverride().parseAsync(['node', 'ledger', 'verify', dir, '--key', key.vkey]));
    } finally {
      console.log = log;
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = round((cpu.user + cpu.system) / 1e6);
    const rssMb = Math.round(Math.max(process.memoryUsage().rss, rssBefore) / 1e6);
    // What else the machine was doing meanwhile (the verification uses two threads: see ADR 10).
    const load = round((loadBefore + loadavg()[0]) / 2);
    console.log(out.join('\n'));
    console.log('offline verification      seconds');
    console.log(`baseline: read + SHA-256 ${pad(readAndHash.seconds, 7)}`);
    console.log(`baseline: lines + tree   ${pad(treeOnly.seconds, 7)}`);
    console.log(`ledger verify <export>   ${pad(verify.seconds, 7)}  (target ≤ 20 s; ${cpuSeconds} s of CPU in all threads, rss ${rssMb} MB, load average ${load} on ${availableParallelism()} cores)`);

    console.log(
      JSON.stringify({
        benchmark: 'ledger',
        server: database.settings.serverVersion,
        embedded: database.embedded,
        entries: n,
        samples: SAMPLES,
        fillSeconds: fill.seconds,
        treeExtendSeconds: extend.seconds,
        proofs: { baselineSelectBySeq: baseline, root, inclusion, consistency },
        export: { seconds: exported.seconds, bytes, checkpoints: exported.value.checkpoints.length },
        offlineVerify: {
          seconds: verify.seconds,
          cpuSeconds,
          baselineReadAndHashSeconds: readAndHash.seconds,
          baselineLinesAndTreeSeconds: treeOnly.seconds,
          rssMb,
          loadAverage: load,
          cores: availableParallelism(),
        },
      }),
    );
  } finally {
    if (savedKey === undefined) delete process.env.LEDGER_SIGNING_KEY;
    else process.env.LEDGER_SIGNING_KEY = savedKey;
    rmSync(dir, { recursive: true, force: true });
    await endPool(); // before the database is dropped under its connections (a failure midway)
    await database.close();
  }
}

main().catch((error) => {
  console.error(`bench:ledger failed: ${error.message}`);
  process.exit(1);
});
