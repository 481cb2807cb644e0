import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_ORIGIN, loadMelSeed, runSeed } from '@mel/application';
import { PostgresEventStore } from '@mel/event-store';
import { canonicalize, generateNoteKey, signCheckpoint, verifyCheckpoint } from '@mel/ledger';
import { Client } from 'pg';
import { buildProgram } from '../../apps/cli/src/program';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** `ledger export --audit` and `ledger verify` (offline and --live) on a seeded database, the CLI's own code in process. */
describe('ledger export --audit and ledger verify', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let root: string;
  const key = generateNoteKey(DEFAULT_ORIGIN);
  const names = ['DATABASE_URL', 'DATABASE_APP_URL', 'LEDGER_SIGNING_KEY'] as const;
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  let stdout: string[] = [];
  let stderr: string[] = [];
  const ledger = (...args: string[]) => {
    stdout = [];
    stderr = [];
    return buildProgram().exitOverride().parseAsync(['node', 'ledger', ...args]);
  };
  const printed = () => stdout.join('\n');
  const dir = (name: string) => join(root, name);
  const renameParty = async (name: string) => {
    const version = await store.streamVersion('party-party-mel');
    await store.append('party-party-mel', [{ type: 'PartyRenamed', data: { partyId: 'party-mel', name, reason: 'test' }, occurredAt: '2025-06-01T10:00:00Z', actor: { subject: 'user-admin', role: 'administrator' } }], {
      expectedVersion: version,
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../..')));
    process.env.DATABASE_URL = db.adminUrl;
    process.env.DATABASE_APP_URL = db.appUrl;
    process.env.LEDGER_SIGNING_KEY = key.skey;
    root = mkdtempSync(join(tmpdir(), 'ledger-verify-'));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
    jest.spyOn(console, 'log').mockImplementation((...args) => void stdout.push(args.join(' ')));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    rmSync(root, { recursive: true, force: true });
    await store?.close();
    await db?.drop();
  });

  it('writes every entry, every checkpoint, the key, a README and a manifest, after signing a checkpoint at the head', async () => {
    const head = await store.head();
    await ledger('export', '--audit', dir('first'));
    expect(printed()).toContain(`audit export written to ${dir('first')}: ${head} entries, 1 checkpoints (sizes ${head})`);
    expect(readdirSync(dir('first')).sort()).toEqual(['README.md', 'checkpoints', 'entries.jsonl', 'log.vkey', 'manifest.json']);

    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ canonical: Buffer }>('SELECT canonical FROM event_store.events ORDER BY seq');
    const checkpoints = await admin.query<{ size: string; reason: string }>('SELECT size, reason FROM ledger.checkpoints');
    await admin.end();
    expect(checkpoints.rows).toEqual([{ size: String(head), reason: 'export' }]);

    const file = readFileSync(join(dir('first'), 'entries.jsonl'));
    expect(file).toEqual(Buffer.concat(rows.map((r) => Buffer.concat([r.canonical, Buffer.from('\n')]))));
    const lines = file.toString('utf8').split('\n').slice(0, -1);
    lines.forEach((line, i) => {
      expect(JSON.parse(line).seq).toBe(i + 1);
      expect(canonicalize(JSON.parse(line))).toBe(line);
    });

    const note = readFileSync(join(dir('first'), 'checkpoints', `${head}.checkpoint`), 'utf8');
    expect(verifyCheckpoint(note, key.vkey).checkpoint.size).toBe(head);
    expect(readFileSync(join(dir('first'), 'log.vkey'), 'utf8')).toBe(`${key.vkey}\n`);
    const manifest = JSON.parse(readFileSync(join(dir('first'), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'mel-ledger-audit-export/1', origin: DEFAULT_ORIGIN, vkey: key.vkey, entries: head, treeSize: head, checkpoints: [head] });
    for (const [name, { bytes, sha256 }] of Object.entries(manifest.files as Record<string, { bytes: number; sha256: string }>)) {
      const content = readFileSync(join(dir('first'), name));
      expect([name, content.length, createHash('sha256').update(content).digest('hex')]).toEqual([name, bytes, sha256]);
    }
    expect(Object.keys(manifest.files).sort()).toEqual(['README.md', `checkpoints/${head}.checkpoint`, 'entries.jsonl', 'log.vkey']);
    expect(readFileSync(join(dir('first'), 'README.md'), 'utf8')).toMatch(/line \*i\* \(from 0\) is the exact canonical bytes/);
  });

  it('verifies an export without opening any database', async () => {
    process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/nothing';
    try {
      await ledger('verify', dir('first'), '--key', key.vkey);
    } finally {
      process.env.DATABASE_URL = db.adminUrl;
    }
    const head = await store.head();
    expect(printed()).toMatch(new RegExp(`^verified ${head} entries, 1 checkpoints \\(sizes ${head}\\), root [A-Za-z0-9+/]{43}=$`));
    expect(stderr.join('')).not.toMatch(/warning/);
  });

  it('takes the key from the export when none is given, and warns that it proves only self-consistency', async () => {
    await ledger('verify', dir('first'));
    expect(printed()).toMatch(/^verified /);
    expect(stderr.join('')).toMatch(/warning: no --key or --key-file: trusting the key that comes with the export itself/);
    writeFileSync(join(root, 'trusted.vkey'), `# the MEL's key\n${key.vkey}\n`);
    await ledger('verify', dir('first'), '--key-file', join(root, 'trusted.vkey'));
    expect(printed()).toMatch(/^verified /);
  });

  it('holds a later export to the checkpoints the auditor kept from an earlier one', async () => {
    const first = await store.head();
    mkdirSync(dir('kept'));
    cpSync(join(dir('first'), 'checkpoints'), dir('kept'), { recursive: true });
    await renameParty('MEL');
    await renameParty('Métropole Européenne de Lille');
    await ledger('export', '--audit', dir('second'));
    await ledger('verify', dir('second'), '--key', key.vkey, '--checkpoints', dir('kept'));
    expect(printed()).toMatch(new RegExp(`^verified ${first + 2} entries, 2 checkpoints \\(sizes ${first}, ${first + 2}\\)`));
  });

  it('fails on anything in the auditor folder that is not a checkpoint of this log', async () => {
    mkdirSync(dir('junk'));
    writeFileSync(join(dir('junk'), 'notes.txt'), 'checkpoints to keep\n');
    await expect(ledger('verify', dir('second'), '--key', key.vkey, '--checkpoints', dir('junk'))).rejects.toThrow(/verification failed at index 0 \(checkpoint-malformed\)/);
    expect(printed()).toMatch(/^FAILED at index 0: .*junk\/notes\.txt is not a signed checkpoint: /);

    mkdirSync(dir('forged'));
    const other = generateNoteKey(DEFAULT_ORIGIN);
    writeFileSync(join(dir('forged'), '3.checkpoint'), signCheckpoint({ origin: DEFAULT_ORIGIN, size: 3, rootHash: Buffer.alloc(32, 1) }, other.skey));
    await expect(ledger('verify', dir('second'), '--key', key.vkey, '--checkpoints', dir('forged'))).rejects.toThrow(/at index 0 \(checkpoint-signature\)/);
    expect(printed()).toMatch(/^FAILED at index 0: the checkpoint of size 3 in .*forged\/3\.checkpoint does not verify: no known key signed the note/);
  });

  it('fails an export verified with another key than the log\'s', async () => {
    const other = generateNoteKey(DEFAULT_ORIGIN);
    await expect(ledger('verify', dir('second'), '--key', other.vkey)).rejects.toThrow(/verification failed at index 0 \(checkpoint-signature\)/);
  });

  it('replays every event with the domain: an unknown stream type is named at its index', async () => {
    cpSync(dir('second'), dir('edited'), { recursive: true });
    const path = join(dir('edited'), 'entries.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = lines[3].replace(/"streamId":"party-/, '"streamId":"partie-');
    writeFileSync(path, lines.join('\n'));
    await expect(ledger('verify', dir('edited'), '--key', key.vkey)).rejects.toThrow(/at index 3 \(unknown-stream-type\)/);
    expect(printed()).toMatch(/^FAILED at index 3: entry 3, PartyRegistered \(version 1 of partie-.*\), does not replay: no aggregate of the domain owns stream partie-/);
  });

  it('verifies the database itself (--live), its stored tree included, with the checkpoints kept', async () => {
    await renameParty('MEL again'); // one entry after the last checkpoint: checked, not covered by a signature
    await ledger('verify', '--live', '--key', key.vkey, '--checkpoints', dir('kept'));
    const head = await store.head();
    expect(printed()).toMatch(new RegExp(`^verified ${head} entries, 2 checkpoints \\(sizes ${head - 3}, ${head - 1}\\)`));
    expect(stderr.join('')).toMatch(/the last 1 entries \(from index \d+\) are checked but no checkpoint covers them yet/);
    expect(stderr.join('')).toMatch(/the \d+ nodes of the stored tree agree with the entries/);
  });

  it('refuses what it cannot do, saying what to type instead', async () => {
    await expect(ledger('verify')).rejects.toThrow(/give the directory of an audit export, or --live/);
    await expect(ledger('verify', dir('first'), '--live')).rejects.toThrow(/one of them/);
    await expect(ledger('verify', dir('first'), '--key', 'not-a-key')).rejects.toThrow(/--key: "not-a-key" is not a C2SP verifier key/);
    await expect(ledger('verify', dir('nowhere'), '--key', key.vkey)).rejects.toThrow(/is not an audit export/);
    await expect(ledger('export', '--audit', dir('first'))).rejects.toThrow(/is not empty: write the audit export into a new or empty directory/);
    await expect(ledger('export')).rejects.toThrow(/--dir <dir> for the open data, --audit <dir> for the audit export/);
  });
});
