import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CheckpointSigner, loadSigningKey, PostgresTree, type StoredCheckpoint } from '@mel/application';
import { type Database, projectRoot } from '@mel/database';
import { type EventStore, openEventStore, PostgresEventStore } from '@mel/event-store';
import { entryLine } from '@mel/ledger';
import {
  type AsOf,
  liveVersionOf,
  materializeAsOf,
  ocdsRecordPackage,
  openDataCsvZip,
  popoloExport,
  PROJECTIONS,
  ProjectionRunner,
  type ReadModelReader,
  readModelDataSource,
  rebuild,
  replayAsOf,
  schemaOf,
} from '@mel/projections';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type Client, Pool } from 'pg';
import { withDatabase } from '../database-session';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write the open data (commitments.json as OCDS, governance.json as Popolo, csv.zip) from the live read models into a directory (--dir), ' +
        'and/or an audit export for `ledger verify` (--audit: every entry\'s canonical bytes, every signed checkpoint, the log\'s public key)',
    )
    .option('--dir <dir>', 'the directory to write commitments.json, governance.json and csv.zip into (created when missing)')
    .option('--audit <dir>', 'the directory (new or empty) to write the audit export into: entries.jsonl, checkpoints/, log.vkey, manifest.json, README.md')
    .option('--as-of <date-time>', 'the open data as of this ISO 8601 date-time with a time zone, e.g. 2025-12-31T23:59:59+01:00')
    .option('--clock <clock>', 'with --as-of: effective (what was in force then) or recorded (what the ledger said then)', 'effective')
    .action(async (options: { dir?: string; audit?: string; asOf?: string; clock: string }) => {
      if (options.dir === undefined && options.audit === undefined) {
        throw new Error('say where to write: --dir <dir> for the open data, --audit <dir> for the audit export (or both)');
      }
      if (options.dir === undefined && options.asOf !== undefined) throw new Error('--as-of applies to the open data: add --dir <dir>');
      const asOf = asOfOption(options);
      const dir = options.dir === undefined ? undefined : resolve(options.dir);
      const audit = options.audit === undefined ? undefined : await emptyDirectory(resolve(options.audit));
      if (dir !== undefined) {
        try {
          await mkdir(dir, { recursive: true });
        } catch (error) {
          throw new Error(`cannot create ${dir} (${(error as Error).message}): choose a directory you may write to with --dir`);
        }
      }
      await withDatabase(program.opts().verbose, async (database) => {
        if (audit !== undefined) {
          const manifest = await writeAuditExport(database, audit);
          console.log(
            `audit export written to ${audit}: ${manifest.entries} entries, ${manifest.checkpoints.length} checkpoints ` +
              `(sizes ${manifest.checkpoints.join(', ')})${manifest.root === null ? ', none signed for it' : `, root ${manifest.root}`}; ` +
              `verify it with \`ledger verify ${audit} --key-file <the log's key>\``,
          );
        }
        if (dir !== undefined) await writeOpenData(database, dir, asOf);
      });
    });
}

/** The open data of the live read models, or as of a date (ADR 7), into `dir`. */
async function writeOpenData(database: Database, dir: string, asOf: AsOf | undefined): Promise<void> {
  const store = openEventStore({ appUrl: database.appUrl, poolSize: 2 });
  let { version, current } = await liveVersionOf(database.adminUrl);
  if (!current) {
    // The live read models predate this code's projections: rebuild them (as the API would).
    process.stderr.write(`export: read models version ${version} predates these projections; rebuilding them first\n`);
    version = (await rebuild({ adminUrl: database.adminUrl, appUrl: database.appUrl, store })).version;
  }
  const source = readModelDataSource(database.appUrl, version);
  await source.initialize();
  try {
    const position = await new ProjectionRunner(store, source, version, PROJECTIONS).catchUp((at, head) => {
      process.stderr.write(`\rexport: catching up the read models, seq ${at}/${head}`);
    });
    process.stderr.write(`\rexport: read models version ${version} up to seq ${position}\n`);
    const names = ['commitments.json', 'governance.json', 'csv.zip'];
    const write = async (reader: ReadModelReader) => {
      const files: [string, () => Promise<string | Buffer>][] = [
        [names[0], async () => JSON.stringify(await ocdsRecordPackage(reader, undefined, asOf), null, 2) + '\n'],
        [names[1], async () => JSON.stringify(await popoloExport(reader), null, 2) + '\n'],
        [names[2], () => openDataCsvZip(reader)],
      ];
      for (const [index, [name, build]] of files.entries()) {
        process.stderr.write(`export [${index + 1}/${files.length}] ${name}\n`);
        const path = join(dir, name);
        const content = await build();
        try {
          await writeFile(path, content);
        } catch (error) {
          throw new Error(`cannot write ${path} (${(error as Error).message}): check the permissions of ${dir} or choose another --dir`);
        }
      }
    };
    if (!asOf) {
      await write(source);
      console.log(`open data written to ${dir} (seq ${position}): ${names.join(', ')}`);
      return;
    }
    // As of a date: the projections replayed over the events that count then (ADR 7).
    const state = await replayAsOf(store, asOf, PROJECTIONS, 5000, (at, head) => process.stderr.write(`\rexport: replaying the log as of ${asOf.at} (${asOf.clock}), seq ${at}/${head}`));
    process.stderr.write(`\rexport: ${state.applied} events count as of ${asOf.at} on the ${asOf.clock} clock\n`);
    const scratch = readModelDataSource(database.appUrl, 'pg_temp');
    await scratch.initialize();
    try {
      await scratch.transaction(async (manager) => {
        await materializeAsOf(manager, schemaOf(version), state);
        await write(manager);
      });
    } finally {
      await scratch.destroy();
    }
    console.log(`open data as of ${asOf.at} (${asOf.clock} clock) written to ${dir}: ${names.join(', ')}`);
  } finally {
    await source.destroy();
    await store.close();
  }
}

/** The --as-of and --clock options, checked; undefined without --as-of. */
function asOfOption(options: { asOf?: string; clock: string }): AsOf | undefined {
  if (options.clock !== 'effective' && options.clock !== 'recorded') {
    throw new Error(`--clock must be effective or recorded, not ${JSON.stringify(options.clock)}`);
  }
  if (options.asOf === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(options.asOf) || Number.isNaN(Date.parse(options.asOf))) {
    throw new Error(`--as-of must be an ISO 8601 date-time with a time zone, e.g. 2025-12-31T23:59:59+01:00 (got ${JSON.stringify(options.asOf)})`);
  }
  return { clock: options.clock, at: new Date(options.asOf).toISOString() };
}

// ---- the audit export (ADR 10) ----------------------------------------------------------------

/** The layout's name and version, in manifest.json. */
export const AUDIT_EXPORT_FORMAT = 'mel-ledger-audit-export/1';

export interface AuditManifest {
  format: string;
  /** The log's name: the checkpoints' origin line and the signing key's name. */
  origin: string;
  /** The log's public key (C2SP vkey), as log.vkey holds it. */
  vkey: string;
  /** Lines of entries.jsonl: the leaves 0..entries-1 (seq 1..entries). */
  entries: number;
  /** The size of the checkpoint signed for this export, and its root (base64); null when it could not be signed. */
  treeSize: number | null;
  root: string | null;
  exportedAt: string;
  /** The sizes of the files under checkpoints/, ascending. */
  checkpoints: number[];
  /** What went wrong while exporting (a checkpoint refused, entries missing): the export will not verify. */
  warnings: string[];
  /** Every other file of the export: its size in bytes and SHA-256 (hex). */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** Rows of event_store.events read per query while writing entries.jsonl. */
const ENTRY_PAGE = 5000;

/**
 * The audit export: extends the tree to the head and signs a checkpoint there (reason `export`), then
 * writes entries.jsonl (the canonical bytes of every entry up to that checkpoint, one per line, in seq
 * order, read page by page), checkpoints/<size>.checkpoint (every stored checkpoint up to it, witness
 * cosignatures included), log.vkey, README.md and manifest.json into `dir`.
 */
export async function writeAuditExport(database: Database, dir: string): Promise<AuditManifest> {
  const pool = new Pool({ connectionString: database.appUrl, max: 3 });
  // pool.end() resolves before its connections are closed: a server that ends one then (a restart, a
  // dropped database) must not crash the process with an unhandled 'error'. A query in use still fails.
  pool.on('error', () => undefined);
  // The log's store (event_store.events, or EventStoreDB: ADR 11); the tree and checkpoints are in PostgreSQL either way.
  const store = openEventStore({ appUrl: database.appUrl, poolSize: 1 });
  try {
    const key = loadSigningKey({
      dataDir: process.env.LEDGER_DATA_DIR || join(projectRoot(), '.data'),
      warn: (message) => process.stderr.write(`warning: ${message}\n`),
    });
    const tree = new PostgresTree(pool, store);
    const treeBar = progressBar('export: tree        [{bar}] {value}/{total} leaves');
    const warnings: string[] = [];
    let signed: StoredCheckpoint | undefined;
    let extending = false;
    try {
      await tree.extend({
        onBatch: (size, head) => {
          if (!extending) treeBar.start(head, size);
          else treeBar.update(size);
          extending = true;
        },
      });
      if (extending) treeBar.stop();
      signed = await new CheckpointSigner(pool, tree, key).sign('export');
      process.stderr.write(`export: checkpoint of size ${signed.size} (${signed.reason}, ${signed.signedAt})\n`);
    } catch (error) {
      if (extending) treeBar.stop();
      // A log rewritten behind the application's back is refused a signature: the export is still the
      // evidence an auditor needs, so it is written, vouched for only by the checkpoints signed before.
      warnings.push(`no checkpoint was signed for this export: ${(error as Error).message}`);
      process.stderr.write(`warning: ${warnings[0]}; exporting the log as it is\n`);
    }
    const upTo = signed?.size ?? (await store.head());

    const files: AuditManifest['files'] = {};
    await mkdir(join(dir, 'checkpoints'));
    const entriesBar = progressBar('export: entries     [{bar}] {value}/{total}');
    entriesBar.start(upTo, 0);
    let count = 0;
    try {
      files['entries.jsonl'] = await writeStreamed(join(dir, 'entries.jsonl'), entryPages(entrySource(pool, store), upTo, (n) => entriesBar.update((count = n))));
    } finally {
      entriesBar.stop();
    }
    if (count !== upTo) {
      warnings.push(`the log holds ${count} entries up to seq ${upTo}: this export will not verify (see \`ledger verify --live\`)`);
      process.stderr.write(`warning: ${warnings[warnings.length - 1]}\n`);
    }

    const checkpoints = await storedCheckpointNotes(pool, signed?.size);
    for (const { size, note } of checkpoints) files[`checkpoints/${size}.checkpoint`] = await writeDigested(join(dir, 'checkpoints', `${size}.checkpoint`), note);
    files['log.vkey'] = await writeDigested(join(dir, 'log.vkey'), `${key.vkey}\n`);
    const manifest: AuditManifest = {
      format: AUDIT_EXPORT_FORMAT,
      origin: key.name,
      vkey: key.vkey,
      entries: count,
      treeSize: signed?.size ?? null,
      root: signed?.root.toString('base64') ?? null,
      exportedAt: new Date().toISOString(),
      checkpoints: checkpoints.map((c) => c.size),
      warnings,
      files,
    };
    files['README.md'] = await writeDigested(join(dir, 'README.md'), auditReadme(manifest));
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await store.close();
    await pool.end();
  }
}

/**
 * The stored checkpoints up to `upTo` (all by default), ascending, each note with the witness
 * cosignatures stored since it was signed (ledger.cosignatures) appended as signature lines.
 */
export async function storedCheckpointNotes(db: Pool | Client, upTo?: number): Promise<{ size: number; note: string }[]> {
  const limit = upTo ?? null;
  const checkpoints = await db.query<{ size: string; note: string }>('SELECT size, note FROM ledger.checkpoints WHERE ($1::bigint IS NULL OR size <= $1) ORDER BY size', [limit]);
  const cosignatures = await db.query<{ size: string; line: string }>(
    'SELECT size, line FROM ledger.cosignatures WHERE ($1::bigint IS NULL OR size <= $1) ORDER BY size, witness, key_id',
    [limit],
  );
  const lines = new Map<number, string[]>();
  for (const row of cosignatures.rows) lines.set(Number(row.size), [...(lines.get(Number(row.size)) ?? []), row.line]);
  return checkpoints.rows.map((row) => {
    const size = Number(row.size);
    const present = new Set(row.note.split('\n'));
    const added = (lines.get(size) ?? []).filter((line) => !present.has(line));
    return { size, note: row.note + added.map((line) => `${line}\n`).join('') };
  });
}

/** Entries after a seq, in seq order, at most `limit`: their seq and canonical bytes. */
type EntryPage = (after: number, upTo: number, limit: number) => Promise<{ seq: number; canonical: Buffer }[]>;

/** The entries from event_store.events, or through the store when the log is elsewhere (EventStoreDB). */
function entrySource(pool: Pool, store: EventStore): EntryPage {
  if (store instanceof PostgresEventStore) {
    return async (after, upTo, limit) =>
      (
        await pool.query<{ seq: string; canonical: Buffer }>('SELECT seq, canonical FROM event_store.events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3', [
          after,
          upTo,
          limit,
        ])
      ).rows.map((row) => ({ seq: Number(row.seq), canonical: row.canonical }));
  }
  return async (after, upTo, limit) => (after >= upTo ? [] : store.readAll(after, Math.min(limit, upTo - after)));
}

/** The lines of entries.jsonl for seq 1..size, a page of rows at a time (the next page read while one is written). */
async function* entryPages(source: EntryPage, size: number, onProgress: (entries: number) => void): AsyncGenerator<Buffer> {
  const page = (after: number) => source(after, size, ENTRY_PAGE);
  let count = 0;
  let next = page(0);
  try {
    for (;;) {
      const rows = await next;
      if (rows.length === ENTRY_PAGE) next = page(rows[rows.length - 1].seq);
      if (rows.length > 0) {
        count += rows.length;
        yield Buffer.concat(rows.map((row) => entryLine(row.canonical)));
        onProgress(count);
      }
      if (rows.length < ENTRY_PAGE) return;
    }
  } finally {
    next.catch(() => undefined); // read ahead, and not wanted when writing failed
  }
}

async function writeStreamed(path: string, chunks: AsyncIterable<Buffer>): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    (async function* () {
      for await (const chunk of chunks) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    })(),
    createWriteStream(path, { flags: 'wx' }),
  );
  return { bytes, sha256: hash.digest('hex') };
}

async function writeDigested(path: string, content: string): Promise<{ bytes: number; sha256: string }> {
  const bytes = Buffer.from(content, 'utf8');
  await writeFile(path, bytes, { flag: 'wx' });
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The audit export goes into a new or empty directory: nothing of an earlier export is mixed in. */
async function emptyDirectory(dir: string): Promise<string> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new Error(`cannot use ${dir} for --audit (${(error as Error).message}): choose a new or empty directory`);
  }
  if (names.length > 0) throw new Error(`${dir} is not empty: write the audit export into a new or empty directory (--audit)`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new Error(`cannot create ${dir} (${(error as Error).message}): choose a directory you may write to with --audit`);
  }
  return dir;
}

function progressBar(format: string): SingleBar {
  return new SingleBar({ format, stream: process.stderr, hideCursor: true, noTTYOutput: false, etaBuffer: 50, fps: 5 });
}

/** README.md of an audit export: the layout, and how to check it with or without this program. */
export function auditReadme(m: Pick<AuditManifest, 'origin' | 'vkey' | 'entries' | 'treeSize' | 'root' | 'exportedAt' | 'checkpoints' | 'warnings'>): string {
  const covered =
    m.treeSize === null
      ? 'NOT covered by a checkpoint signed for this export, which was refused: only the checkpoints signed before vouch for them'
      : `covered by a checkpoint of size ${m.treeSize} signed for this export (root \`${m.root}\`)`;
  const warnings = m.warnings.length ? `\n**Warnings while exporting:**\n\n${m.warnings.map((w) => `- ${w}`).join('\n')}\n` : '';
  return `# Audit export of the ledger ${m.origin}

The event log of the Contrat de ville et des solidarités of the Métropole Européenne de Lille, as its
database held it on ${m.exportedAt}: ${m.entries} entries, ${covered}.
Layout \`${AUDIT_EXPORT_FORMAT}\` (docs/adr/0010 of the ledger).
${warnings}
| file | what it holds |
|---|---|
| \`entries.jsonl\` | line *i* (from 0) is the exact canonical bytes (RFC 8785 JSON, UTF-8) of leaf *i* of the log, the event envelope with \`seq\` = *i* + 1, followed by one newline byte (0x0A). Canonical JSON has no raw newline and UTF-8 has no 0x0A inside a character, so the lines are the entries. |
| \`checkpoints/<size>.checkpoint\` | every checkpoint the log signed up to this export, as a C2SP signed note (https://c2sp.org/tlog-checkpoint): origin, tree size, base64 root; the log's Ed25519 signature and any witness cosignatures (https://c2sp.org/tlog-cosignature). Sizes: ${m.checkpoints.join(', ') || 'none'}. |
| \`log.vkey\` | the log's public key as a C2SP verifier key. It comes with the export: trust the key you got from the Métropole through another channel instead. |
| \`manifest.json\` | origin, key, number of entries, the export's checkpoint, and the size and SHA-256 of every other file. |

## Verify it

With the ledger's command (no database needed):

    ledger verify <this directory> --key-file <the log's vkey you trust> [--checkpoints <the checkpoints you kept>]

It checks every entry (canonical JSON, seq = index + 1, each stream's versions in order, recordedAt
never decreasing, the domain's replay), recomputes the RFC 6962 Merkle tree, compares its root with
every checkpoint (this export's and the ones you kept from earlier), checks every signature and a
consistency proof between successive checkpoints, and prints \`verified …\` or the first index that fails.

By hand, with any RFC 6962 implementation: leaf hash = SHA-256(0x00 ‖ line bytes without the newline),
inner node = SHA-256(0x01 ‖ left ‖ right), over the lines in order; the root of the first N lines must
equal the root of the checkpoint of size N, whose signature verifies with the log's key:

    ${m.vkey}
`;
}
