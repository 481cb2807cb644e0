import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CheckpointSigner, DEFAULT_ORIGIN, loadMelSeed, PostgresTree, runSeed } from '@mel/application';
import { withDatabase } from '@mel/database';
import { PostgresEventStore } from '@mel/event-store';
import { canonicalBytes, formatKeyId, generateNoteKey, MemoryTree, parseSignerKey, signCheckpoint, TreeBuilder } from '@mel/ledger';
import { Client, Pool } from 'pg';
import { buildProgram } from '../../apps/cli/src/program';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

type Envelope = Record<string, unknown> & { seq: number; streamId: string; streamVersion: number; recordedAt: string };

/**
 * Someone with the database superuser's rights rewrites the log behind the application's back
 * (DESIGN §3: the triggers stop accidents, not a superuser): `session_replication_role = replica`
 * disables the append-only triggers, and a consistent tamperer rewrites the canonical bytes, the
 * leaf hash (the CHECK holds it to the bytes) and the jsonb columns together, renumbering seqs and
 * stream versions so that every entry still looks right on its own.
 *
 * The auditor kept the checkpoints signed at 157 (after the MEL seed) and 163 (six events later).
 * On a fresh copy of that database per tamper, `ledger verify --live` (the stored tree compared too)
 * and `ledger export --audit` + the offline `ledger verify` must fail and name the first entry the
 * evidence no longer vouches for: with the stored tree left as it was, the two leaves under the first
 * stored node that disagrees; from the checkpoints alone, the entries since the last one that holds.
 */
describe('tampering with the database behind the application is detected, at the first index', () => {
  const SEEDED = 157;
  const SIGNED = 163;
  let base: TestDatabase;
  let root: string;
  let copies = 0;
  const key = generateNoteKey(DEFAULT_ORIGIN);
  const attacker = generateNoteKey(DEFAULT_ORIGIN);
  const serverUrl = process.env.DATABASE_URL!;
  const names = ['DATABASE_URL', 'DATABASE_APP_URL', 'LEDGER_SIGNING_KEY'] as const;
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  let stdout: string[] = [];
  const ledger = (...args: string[]) => {
    stdout = [];
    return buildProgram().exitOverride().parseAsync(['node', 'ledger', ...args]);
  };
  const kept = () => join(root, 'kept');

  beforeAll(async () => {
    base = await createTestDatabase();
    root = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
    mkdirSync(kept());
    const store = new PostgresEventStore({ connectionString: base.appUrl });
    const pool = new Pool({ connectionString: base.appUrl, max: 2 });
    pool.on('error', () => undefined); // the database is dropped with its connections at the end
    try {
      await runSeed(store, loadMelSeed(resolve(__dirname, '../..')));
      const signer = new CheckpointSigner(pool, new PostgresTree(pool), { ...key, name: DEFAULT_ORIGIN, source: 'test' });
      const first = await signer.sign('schedule');
      const parties = ['party-party-mel', 'party-party-etat', 'party-party-region-hdf'];
      for (let i = 0; i < 6; i++) {
        const streamId = parties[i % 3];
        const partyId = streamId.slice('party-'.length);
        await store.append(
          streamId,
          [{ type: 'PartyRenamed', data: { partyId, name: `Nom ${i} de ${partyId}`, reason: 'changement de nom' }, occurredAt: `2025-0${i + 1}-15T10:00:00Z`, actor: { subject: 'user-admin', role: 'administrator' } }],
          { expectedVersion: await store.streamVersion(streamId) },
        );
      }
      const second = await signer.sign('meeting-closed:copil-2025');
      expect([first.size, second.size]).toEqual([SEEDED, SIGNED]);
      // What the auditor kept, as it was published.
      for (const checkpoint of [first, second]) writeFileSync(join(kept(), `${checkpoint.size}.checkpoint`), checkpoint.note);
    } finally {
      await pool.end();
      await store.close();
    }
    process.env.LEDGER_SIGNING_KEY = key.skey; // the operator's own key, for `ledger export --audit`
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    jest.spyOn(console, 'log').mockImplementation((...args) => void stdout.push(args.join(' ')));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    rmSync(root, { recursive: true, force: true });
    await base?.drop();
  });

  /** A fresh copy of the base database (CREATE DATABASE … TEMPLATE), tampered by `tamper` as the superuser. */
  async function tamperedCopy(tamper?: (admin: Client, log: Envelope[]) => Promise<void>): Promise<{ name: string; drop(): Promise<void> }> {
    const name = `${base.name}_copy${++copies}`;
    await onServer((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(base.name)}`));
    const admin = new Client({ connectionString: withDatabase(base.adminUrl, name) });
    await admin.connect();
    try {
      await admin.query('SET session_replication_role = replica');
      const { rows } = await admin.query<{ canonical: Buffer }>('SELECT canonical FROM event_store.events ORDER BY seq');
      await tamper?.(
        admin,
        rows.map((r) => JSON.parse(r.canonical.toString('utf8')) as Envelope),
      );
    } finally {
      await admin.end();
    }
    process.env.DATABASE_URL = withDatabase(base.adminUrl, name);
    process.env.DATABASE_APP_URL = withDatabase(base.appUrl, name);
    return { name, drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)) };
  }

  /** `ledger verify --live` and, when `offline` is given, `ledger export --audit` + `ledger verify <dir>`, each with the kept checkpoints and the real key. */
  async function expectFailures(live: [number, string, RegExp?], offline?: [number, string, RegExp?]): Promise<void> {
    const check = async (args: string[], [index, code, message]: [number, string, RegExp?]) => {
      await expect(ledger('verify', ...args, '--checkpoints', kept(), '--key', key.vkey)).rejects.toThrow(`verification failed at index ${index} (${code})`);
      expect(stdout.join('\n')).toMatch(new RegExp(`^FAILED at index ${index}: `));
      if (message) expect(stdout.join('\n')).toMatch(message);
    };
    await check(['--live'], live);
    if (offline) {
      const dir = join(root, `export${copies}`);
      await ledger('export', '--audit', dir);
      await check([dir], offline);
    }
  }

  it('an untampered database verifies, live and exported', async () => {
    const copy = await tamperedCopy();
    try {
      await ledger('verify', '--live', '--checkpoints', kept(), '--key', key.vkey);
      expect(stdout.join('\n')).toMatch(new RegExp(`^verified ${SIGNED} entries, 2 checkpoints \\(sizes ${SEEDED}, ${SIGNED}\\)`));
      const dir = join(root, 'untampered');
      await ledger('export', '--audit', dir);
      await ledger('verify', dir, '--checkpoints', kept(), '--key', key.vkey);
      expect(stdout.join('\n')).toMatch(new RegExp(`^verified ${SIGNED} entries, 2 checkpoints \\(sizes ${SEEDED}, ${SIGNED}\\)`));
    } finally {
      await copy.drop();
    }
  });

  it('(a) one byte of one entry changed, its leaf hash and columns recomputed', async () => {
    const copy = await tamperedCopy(async (admin, log) => {
      const entries = log.map((e) => canonicalBytes(e));
      const bytes = entries[160];
      const at = bytes.indexOf('"name":"Nom 3') + '"name":"'.length;
      bytes[at] = 'M'.charCodeAt(0); // "Nom 3 …" becomes "Mom 3 …": still canonical JSON, still a valid event
      await rewriteRows(admin, 160, entries.slice(160));
    });
    try {
      await expectFailures(
        [160, 'tree-node-mismatch', /the stored tree node 1\/80 over entries 160\.\.161 is .*: an entry among 160\.\.161 changed/],
        [SEEDED, 'root-mismatch', /the first 163 entries do not have the root signed for size 163 in .*kept\/163\.checkpoint.*: an entry among 157\.\.162 was changed/],
      );
    } finally {
      await copy.drop();
    }
  });

  it('(b) one entry deleted, the later seqs and stream versions shifted down', async () => {
    const copy = await tamperedCopy(async (admin, log) => {
      await rewriteRows(admin, 161, renumbered(log.filter((e) => e.seq !== 162)).slice(161));
    });
    try {
      await expectFailures(
        [160, 'tree-node-mismatch', /over entries 160\.\.161/],
        [SEEDED, 'checkpoint-beyond-log', /the checkpoint of size 163 in .* is signed for more entries than the log's 162: entries were removed/],
      );
    } finally {
      await copy.drop();
    }
  });

  it('(c) one entry inserted, the later seqs shifted up', async () => {
    const copy = await tamperedCopy(async (admin, log) => {
      const forged: Envelope = {
        ...log[157],
        eventId: '01900000-0000-7000-8000-00000000beef',
        correlationId: '01900000-0000-7000-8000-00000000beef',
        data: { partyId: 'party-mel', name: 'Métropole', reason: 'ajout' },
      };
      await rewriteRows(admin, 158, renumbered([...log.slice(0, 158), forged, ...log.slice(158)]).slice(158));
    });
    try {
      await expectFailures([158, 'tree-node-mismatch', /over entries 158\.\.159/], [SEEDED, 'root-mismatch']);
    } finally {
      await copy.drop();
    }
  });

  it('(d) two entries swapped, their seqs, versions and clocks put back in order', async () => {
    const copy = await tamperedCopy(async (admin, log) => {
      const swapped = [...log];
      swapped[157] = { ...log[159], recordedAt: log[157].recordedAt };
      swapped[159] = { ...log[157], recordedAt: log[159].recordedAt };
      await rewriteRows(admin, 157, renumbered(swapped).slice(157));
    });
    try {
      // The stored node over 156..157 disagrees, and checkpoint 157 vouches for entry 156.
      await expectFailures([157, 'tree-node-mismatch', /over entries 156\.\.157 .*: entry 157 changed/], [SEEDED, 'root-mismatch']);
    } finally {
      await copy.drop();
    }
  });

  it('(e) the tail replaced, the tree rebuilt and the checkpoints re-signed with another key', async () => {
    const copy = await tamperedCopy(async (admin, log) => {
      const tail = log.slice(160).map((e, i) => ({ ...e, data: { ...(e.data as object), name: `Nom réécrit ${i}` } }));
      const entries = renumbered([...log.slice(0, 160), ...tail]);
      await rewriteRows(admin, 160, entries.slice(160));
      // The attacker makes the stored tree and the checkpoints agree with the rewritten log.
      await admin.query('DELETE FROM ledger.cosignatures');
      await admin.query('DELETE FROM ledger.checkpoints');
      await admin.query('DELETE FROM ledger.tree_nodes');
      const builder = new TreeBuilder();
      const memory = new MemoryTree();
      const nodes: { level: number; index: number; hash: Buffer }[] = [];
      for (const entry of entries) {
        nodes.push(...builder.appendEntry(entry).slice(1));
        memory.appendEntry(entry);
      }
      await admin.query('INSERT INTO ledger.tree_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
        nodes.map((n) => n.level),
        nodes.map((n) => String(n.index)),
        nodes.map((n) => n.hash),
      ]);
      const keyId = formatKeyId(parseSignerKey(attacker.skey).keyId);
      for (const size of [SEEDED, SIGNED]) {
        const note = signCheckpoint({ origin: DEFAULT_ORIGIN, size, rootHash: memory.root(size) }, attacker.skey);
        await admin.query('INSERT INTO ledger.checkpoints (size, root, note, key_id, reason) VALUES ($1, $2, $3, $4, $5)', [size, memory.root(size), note, keyId, 'schedule']);
      }
    });
    try {
      const rootMismatch = /the first 163 entries do not have the root signed for size 163 in .*kept\/163\.checkpoint/;
      await expectFailures([SEEDED, 'root-mismatch', rootMismatch], [SEEDED, 'root-mismatch', rootMismatch]);
      // Without the auditor's checkpoints, the attacker's own are not signed by the log's key.
      await expect(ledger('verify', '--live', '--key', key.vkey)).rejects.toThrow('verification failed at index 0 (checkpoint-signature)');
      expect(stdout.join('\n')).toMatch(/^FAILED at index 0: the checkpoint of size 157 in ledger\.checkpoints \(size 157\) does not verify: no known key signed the note/);
    } finally {
      await copy.drop();
    }
  });

  async function onServer(work: (client: Client) => Promise<unknown>): Promise<void> {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
});

/** Envelopes with seq = index + 1 and each stream's versions 1, 2, 3… in log order, as canonical bytes. */
function renumbered(log: Envelope[]): Buffer[] {
  const versions = new Map<string, number>();
  return log.map((e, i) => {
    const version = (versions.get(e.streamId) ?? 0) + 1;
    versions.set(e.streamId, version);
    return canonicalBytes({ ...e, seq: i + 1, streamVersion: version });
  });
}

/**
 * Replaces every row after seq `after` by `entries` (seq after + 1, …), every column derived from the
 * bytes as event_store.append_batch derives them, and the leaf hash recomputed (the CHECK wants it).
 */
async function rewriteRows(admin: Client, after: number, entries: Buffer[]): Promise<void> {
  await admin.query('DELETE FROM event_store.events WHERE seq > $1', [after]);
  await admin.query(
    `INSERT INTO event_store.events (seq, event_id, stream_id, stream_version, type, schema_version, occurred_at, recorded_at,
                                     actor, correlation_id, causation_id, data, canonical, leaf_hash)
     SELECT r.seq, r."eventId", r."streamId", r."streamVersion", r.type, r."schemaVersion", r."occurredAt", r."recordedAt",
            r.actor, r."correlationId", r."causationId", r.data, u.bytes, sha256('\\x00'::bytea || u.bytes)
     FROM unnest($1::bytea[]) AS u(bytes)
     CROSS JOIN LATERAL jsonb_to_record(convert_from(u.bytes, 'UTF8')::jsonb) AS r(
       seq bigint, "eventId" uuid, "streamId" text, "streamVersion" integer, type text, "schemaVersion" integer,
       "occurredAt" timestamptz, "recordedAt" timestamptz, actor jsonb, "correlationId" text, "causationId" text, data jsonb)`,
    [entries],
  );
}
