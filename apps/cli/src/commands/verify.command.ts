import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSigningKey, toRecorded } from '@mel/application';
import { type Database, projectRoot } from '@mel/database';
import { type EventStore, eventStoreConfig, openEventStore } from '@mel/event-store';
import { currentSchemaVersion, DECIDERS, deciderOfStream } from '@mel/domain';
import {
  type CheckpointInput,
  entryLines,
  type FetchStoredNodes,
  type LogVerificationReport,
  type NodeRef,
  parseVerifierKey,
  type ReplayHook,
  ReplayRejection,
  verifyLog,
  type VerifyLogOptions,
} from '@mel/ledger';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Client } from 'pg';
import { withDatabase } from '../database-session';
import { type AuditManifest, storedCheckpointNotes } from './export.command';

interface VerifyOptions {
  live?: boolean;
  checkpoints?: string;
  key: string[];
  keyFile?: string;
  witness: string[];
  quorum: string;
}

/** Options of verifyLog the command sets up the same way for an export and for the database. */
type Common = Pick<VerifyLogOptions, 'trustedKeys' | 'witnesses' | 'quorum' | 'replay'> & { kept: CheckpointInput[] };

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'verify an audit export (ledger export --audit) without any database, or the database itself with --live: every entry, ' +
        'the Merkle root at every checkpoint, every signature, the consistency between checkpoints, the domain replay; ' +
        'prints "verified …" or "FAILED at index I: …" (exit code 1)',
    )
    .argument('[dir]', 'the audit export to verify')
    .option('--live', 'verify the running database (DATABASE_URL or the embedded one) instead of an export, its stored tree included')
    .option('--checkpoints <dir>', 'a folder of checkpoints you kept from earlier: every file there must be a checkpoint of this log')
    .option('--key <vkey>', 'the log key you trust (C2SP vkey, as the Métropole publishes it); repeat it for several', collect, [])
    .option('--key-file <file>', 'a file holding the log key(s) you trust, one vkey per line')
    .option('--witness <vkey>', 'a witness key (cosignature/v1 vkey) whose cosignatures count; repeat it for several', collect, [])
    .option('--quorum <n>', 'how many of the --witness keys must have cosigned each checkpoint', '0')
    .action(async (dir: string | undefined, options: VerifyOptions) => {
      if (Boolean(options.live) === (dir !== undefined)) {
        throw new Error('give the directory of an audit export, or --live to verify the database (one of them)');
      }
      const quorum = Number(options.quorum);
      if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > options.witness.length) {
        throw new Error(`--quorum must be a whole number between 0 and the number of --witness keys (${options.witness.length})`);
      }
      const witnesses = options.witness.map((vkey) => checkedKey(vkey, '--witness'));
      const trusted = await trustedKeys(options);
      const kept = options.checkpoints === undefined ? [] : await checkpointFiles(resolve(options.checkpoints), '--checkpoints', true);
      const common = (trustedKeys: string[]): Common => ({ trustedKeys, witnesses, quorum, replay: domainReplay(), kept });

      let report: LogVerificationReport;
      if (dir !== undefined) {
        const exportDir = resolve(dir);
        if (trusted.length === 0) trusted.push(await exportKey(exportDir));
        report = await verifyExport(exportDir, common(trusted));
      } else {
        report = await withDatabase(program.opts().verbose, async (database) => {
          if (trusted.length === 0) trusted.push(operatorKey());
          return verifyLive(database, common(trusted));
        });
      }

      if (!report.ok) {
        const { index, code, message } = report.failure!;
        console.log(`FAILED at index ${index}: ${message} (${code})`);
        throw new Error(`verification failed at index ${index} (${code})`);
      }
      const sizes = report.checkpoints.map((c) => c.size);
      const shown = sizes.length <= 8 ? sizes.join(', ') : `${sizes.slice(0, 3).join(', ')}, …, ${sizes.slice(-3).join(', ')}`;
      console.log(`verified ${report.entries} entries, ${sizes.length} checkpoints (sizes ${shown}), root ${report.root.toString('base64')}`);
      if (report.uncovered > 0) {
        process.stderr.write(`note: the last ${report.uncovered} entries (from index ${report.entries - report.uncovered}) are checked but no checkpoint covers them yet\n`);
      }
      if (options.live) process.stderr.write(`note: the ${report.storedNodesChecked} nodes of the stored tree agree with the entries\n`);
    });
}

/**
 * The domain's replay for the verifier: each event upcast to its type's current schema version and
 * folded with `evolve` of the aggregate its stream id names (`<aggregate>-<id>`, the longest aggregate
 * name that prefixes it), one state per stream as the command path folds it. Refuses a stream of no
 * known aggregate, a schema version newer than this code knows, and an event `evolve` throws on.
 */
export function domainReplay(): ReplayHook {
  const states = new Map<string, unknown>();
  return (envelope) => {
    const decider = deciderOfStream(envelope.streamId);
    if (decider === undefined) {
      throw new ReplayRejection('unknown-stream-type', `no aggregate of the domain owns stream ${envelope.streamId} (${DECIDERS.map((d) => d.aggregate).join(', ')})`);
    }
    const current = currentSchemaVersion(envelope.type);
    if (envelope.schemaVersion > current) {
      throw new ReplayRejection('replay-rejected', `schema version ${envelope.schemaVersion} of ${envelope.type} is newer than this verifier knows (${current})`);
    }
    let event;
    try {
      event = toRecorded(envelope);
    } catch (error) {
      throw new ReplayRejection('replay-rejected', `it cannot be upcast: ${(error as Error).message}`);
    }
    try {
      states.set(envelope.streamId, decider.evolve(states.get(envelope.streamId) ?? decider.initialState, event));
    } catch (error) {
      throw new ReplayRejection('replay-rejected', `the ${decider.aggregate} aggregate's evolve refuses it: ${(error as Error).message}`);
    }
  };
}

async function verifyExport(dir: string, common: Common): Promise<LogVerificationReport> {
  const entriesPath = join(dir, 'entries.jsonl');
  let bytes: number;
  try {
    bytes = (await stat(entriesPath)).size;
  } catch (error) {
    throw new Error(`${dir} is not an audit export: ${entriesPath} cannot be read (${(error as Error).message})`);
  }
  const exported = existsSync(join(dir, 'checkpoints')) ? await checkpointFiles(join(dir, 'checkpoints'), 'export', false) : [];
  if (exported.length === 0) process.stderr.write(`warning: ${dir} holds no checkpoints/: only checkpoints you kept can vouch for it\n`);

  let read = 0;
  const bar = progressBar('verify [{bar}] {percentage}% | {entries} entries');
  bar.start(bytes, 0, { entries: 0 });
  let report: LogVerificationReport;
  try {
    report = await verifyLog({
      ...common,
      entries: entryLines(
        (async function* () {
          for await (const chunk of createReadStream(entriesPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
            read += chunk.length;
            yield chunk;
          }
        })(),
      ),
      checkpoints: [...exported, ...common.kept],
      workers: workersFor(bytes / 700),
      onProgress: (entries) => bar.update(read, { entries }),
      progressEvery: 20_000,
    });
  } finally {
    bar.stop();
  }
  if (report.ok) await checkManifest(dir, report, read);
  return report;
}

/**
 * The export as its manifest describes it: a difference is told, not failed (the manifest is not
 * signed; the checks above are what count). The SHA-256 of entries.jsonl is not computed again: the
 * verification has just checked every byte of it against the signed roots.
 */
async function checkManifest(dir: string, report: LogVerificationReport, entriesBytes: number): Promise<void> {
  let manifest: AuditManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as AuditManifest;
  } catch (error) {
    process.stderr.write(`warning: no readable manifest.json in ${dir} (${(error as Error).message})\n`);
    return;
  }
  const warn = (what: string) => process.stderr.write(`warning: manifest.json ${what}\n`);
  if (manifest.entries !== report.entries) warn(`says ${manifest.entries} entries, entries.jsonl has ${report.entries}`);
  for (const [name, expected] of Object.entries(manifest.files ?? {})) {
    if (name === 'entries.jsonl') {
      if (expected.bytes !== entriesBytes) warn(`says ${expected.bytes} bytes for entries.jsonl, it has ${entriesBytes}`);
      continue;
    }
    const content = await readFile(join(dir, name)).catch(() => undefined);
    if (content === undefined) warn(`lists ${name}, which is missing`);
    else if (content.length !== expected.bytes || createHash('sha256').update(content).digest('hex') !== expected.sha256) warn(`gives another SHA-256 for ${name} than its content's`);
  }
}

async function verifyLive(database: Database, common: Common): Promise<LogVerificationReport> {
  const client = new Client({ connectionString: database.appUrl });
  await client.connect();
  // The log is event_store.events, or in EventStoreDB (LEDGER_EVENT_STORE, ADR 11): the checkpoints and the tree are in PostgreSQL either way.
  const store = eventStoreConfig().kind === 'postgres' ? undefined : openEventStore({ appUrl: database.appUrl });
  try {
    // One snapshot: the checkpoints, the stored tree and the entries as of one moment (an EventStoreDB log is read up to its head then).
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const stored = (await storedCheckpointNotes(client)).map(({ size, note }) => ({ note, source: `ledger.checkpoints (size ${size})` }));
    const treeSize = Number((await client.query<{ size: string }>('SELECT size FROM ledger.tree_head')).rows[0].size);
    const head = store
      ? await store.head()
      : Number((await client.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM event_store.events')).rows[0].head);
    const bar = progressBar('verify [{bar}] {value}/{total} entries');
    bar.start(head, 0);
    try {
      const report = await verifyLog({
        ...common,
        entries: store ? storeEntries(store, head) : liveEntries(client),
        checkpoints: [...stored, ...common.kept],
        storedTree: { size: treeSize, fetch: (refs) => fetchStoredNodes(client, refs) },
        workers: workersFor(head),
        onProgress: (entries) => bar.update(entries),
        progressEvery: 20_000,
      });
      await client.query('COMMIT');
      return report;
    } finally {
      bar.stop();
    }
  } finally {
    await client.end();
    await store?.close();
  }
}

/** The canonical bytes of the log in seq order up to `head`, read through the store (the next page read while one is verified). */
async function* storeEntries(store: EventStore, head: number): AsyncGenerator<Buffer> {
  const page = (after: number) => (after >= head ? Promise.resolve([]) : store.readAll(after, Math.min(LIVE_PAGE, head - after)));
  let next = page(0);
  try {
    for (;;) {
      const events = await next;
      if (events.length === 0) return;
      next = page(events[events.length - 1].seq);
      for (const event of events) yield event.canonical;
    }
  } finally {
    next.catch(() => undefined);
  }
}

const LIVE_PAGE = 5000;

/** The canonical bytes of event_store.events in seq order, page by page (the next page read while one is verified). */
async function* liveEntries(client: Client): AsyncGenerator<Buffer> {
  const page = (after: number) =>
    client.query<{ seq: string; canonical: Buffer }>('SELECT seq, canonical FROM event_store.events WHERE seq > $1 ORDER BY seq LIMIT $2', [after, LIVE_PAGE]);
  let next = page(0);
  try {
    for (;;) {
      const { rows } = await next;
      if (rows.length === LIVE_PAGE) next = page(Number(rows[rows.length - 1].seq));
      for (const row of rows) yield row.canonical;
      if (rows.length < LIVE_PAGE) return;
    }
  } finally {
    next.catch(() => undefined); // a page read ahead that the verifier, stopped at a failure, no longer wants
  }
}

/** Stored nodes of ledger.tree_nodes, fetched as one index range per level. */
const fetchStoredNodes = async (client: Client, refs: readonly NodeRef[]): ReturnType<FetchStoredNodes> => {
  const ranges = new Map<number, { lo: number; hi: number }>();
  for (const { level, index } of refs) {
    const range = ranges.get(level);
    if (range === undefined) ranges.set(level, { lo: index, hi: index });
    else {
      range.lo = Math.min(range.lo, index);
      range.hi = Math.max(range.hi, index);
    }
  }
  const levels = [...ranges.keys()];
  const { rows } = await client.query<{ level: number; idx: string; hash: Buffer }>(
    `SELECT n.level, n.idx, n.hash FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS r(level, lo, hi)
     JOIN ledger.tree_nodes n ON n.level = r.level AND n.idx BETWEEN r.lo AND r.hi`,
    [levels, levels.map((l) => String(ranges.get(l)!.lo)), levels.map((l) => String(ranges.get(l)!.hi))],
  );
  const found = new Map(rows.map((row) => [`${row.level}/${row.idx}`, row.hash]));
  return refs.map((ref) => found.get(`${ref.level}/${ref.index}`));
};

/**
 * The checkpoints of a folder, each file as it is (sorted by name). A file that is not a checkpoint
 * is the verifier's failure (`checkpoint-malformed`), not skipped; so is anything else there but
 * hidden files when `strict` (the auditor's own folder).
 */
async function checkpointFiles(dir: string, label: string, strict: boolean): Promise<CheckpointInput[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`cannot read the checkpoints in ${dir} (${(error as Error).message})`);
  }
  const inputs: CheckpointInput[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const source = label === 'export' ? `the export's checkpoints/${entry.name}` : path;
    if (entry.isFile()) inputs.push({ note: await readFile(path), source });
    else if (strict) inputs.push({ note: Buffer.alloc(0), source: `${source} (not a file)` });
  }
  return inputs;
}

async function trustedKeys(options: VerifyOptions): Promise<string[]> {
  const keys = options.key.map((vkey) => checkedKey(vkey, '--key'));
  if (options.keyFile !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(options.keyFile), 'utf8');
    } catch (error) {
      throw new Error(`cannot read --key-file ${options.keyFile} (${(error as Error).message})`);
    }
    const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    if (lines.length === 0) throw new Error(`--key-file ${options.keyFile} holds no vkey`);
    keys.push(...lines.map((vkey) => checkedKey(vkey, `--key-file ${options.keyFile}`)));
  }
  return keys;
}

function checkedKey(vkey: string, option: string): string {
  try {
    parseVerifierKey(vkey);
    return vkey;
  } catch (error) {
    throw new Error(`${option}: ${JSON.stringify(vkey.slice(0, 80))} is not a C2SP verifier key (${(error as Error).message})`);
  }
}

/** No key given: the export's own log.vkey, with a warning that it proves only self-consistency. */
async function exportKey(dir: string): Promise<string> {
  let vkey: string;
  try {
    vkey = (await readFile(join(dir, 'log.vkey'), 'utf8')).trim();
  } catch (error) {
    throw new Error(`no --key or --key-file, and ${join(dir, 'log.vkey')} cannot be read (${(error as Error).message})`);
  }
  process.stderr.write(
    `warning: no --key or --key-file: trusting the key that comes with the export itself (log.vkey, ${vkey}); ` +
      'that proves the export is consistent with itself, not that the Métropole signed it: pass the key it publishes with --key\n',
  );
  return checkedKey(vkey, 'log.vkey');
}

/** No key given (--live): the operator's own configured signing key, never a newly generated one. */
function operatorKey(): string {
  const env = process.env;
  const dataDir = env.LEDGER_DATA_DIR || join(projectRoot(), '.data');
  if (!env.LEDGER_SIGNING_KEY && !env.LEDGER_SIGNING_KEY_FILE && !existsSync(join(dataDir, 'ledger-signing.key'))) {
    throw new Error('no --key or --key-file, and no signing key is configured here: give the log key to trust');
  }
  const key = loadSigningKey({ dataDir });
  process.stderr.write(`warning: no --key or --key-file: trusting this installation's own signing key (${key.source}); an auditor passes the published key with --key\n`);
  return key.vkey;
}

/** A worker thread checks the entries beside the replay when the log is long enough and there is a core for it. */
function workersFor(entries: number): number {
  return entries >= 20_000 && availableParallelism() > 1 ? 1 : 0;
}

function progressBar(format: string): SingleBar {
  return new SingleBar({ format, stream: process.stderr, hideCursor: true, noTTYOutput: false, etaBuffer: 50, fps: 5 });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
