import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { PostgresEventStore } from '@mel/event-store';
import { MemoryTree, parseSignerKey, verifierKeyOf, verifyCheckpoint } from '@mel/ledger';
import { Pool } from 'pg';
import { buildProgram } from '../../apps/cli/src/program';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** `ledger keygen` and `ledger checkpoint`, the CLI's own code in process, on a seeded test database. */
describe('ledger keygen and ledger checkpoint', () => {
  let db: TestDatabase;
  let dir: string;
  let store: PostgresEventStore;
  let stdout = '';
  let stderr = '';
  const names = ['DATABASE_URL', 'DATABASE_APP_URL', 'LEDGER_SIGNING_KEY', 'LEDGER_SIGNING_KEY_FILE', 'LEDGER_DATA_DIR', 'LEDGER_ORIGIN'] as const;
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  const ledger = async (...args: string[]) => {
    stdout = '';
    stderr = '';
    await buildProgram().exitOverride().parseAsync(['node', 'ledger', ...args]);
    return stdout;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../..')));
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    for (const name of names) delete process.env[name];
    process.env.DATABASE_URL = db.adminUrl;
    process.env.DATABASE_APP_URL = db.appUrl;
    process.env.LEDGER_DATA_DIR = join(dir, 'data'); // never the repository's .data
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('keygen writes an skey only its owner may read, prints the vkey, and never overwrites a key', async () => {
    const file = join(dir, 'keys', 'log.key');
    const printed = (await ledger('keygen', '--origin', 'example.org/test-log', '--out', file)).trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const skey = readFileSync(file, 'utf8').trim();
    expect(parseSignerKey(skey)).toMatchObject({ name: 'example.org/test-log', type: 'ed25519' });
    expect(printed).toBe(verifierKeyOf(skey));
    expect(stdout).not.toContain('PRIVATE');
    expect(stderr).toContain('LEDGER_SIGNING_KEY_FILE=');

    await expect(ledger('keygen', '--out', file)).rejects.toThrow(/exists already/);
    expect(readFileSync(file, 'utf8').trim()).toBe(skey);
    await expect(ledger('keygen', '--origin', 'has space', '--out', join(dir, 'other.key'))).rejects.toThrow(/not a valid key name/);
    expect(existsSync(join(dir, 'other.key'))).toBe(false);
  });

  it('keygen writes, by default, the key file the API looks for in the data folder', async () => {
    const vkey = (await ledger('keygen')).trim();
    const file = join(dir, 'data', 'ledger-signing.key');
    expect(verifierKeyOf(readFileSync(file, 'utf8').trim())).toBe(vkey);
    expect(vkey.startsWith('lillemetropole.fr/contrat-de-ville-2024-2030+')).toBe(true);
    expect(stderr).toContain('the API and `ledger checkpoint` sign with it');
  });

  it('checkpoint extends the tree and signs it now with the configured key, printing the note', async () => {
    const keyFile = join(dir, 'checkpoint.key');
    await ledger('keygen', '--out', keyFile);
    const vkey = stdout.trim();
    process.env.LEDGER_SIGNING_KEY_FILE = keyFile;

    const note = await ledger('checkpoint');
    expect(stderr).toMatch(/the tree now covers \d+ leaves \(was 0\)/);
    expect(stderr).toMatch(/signed size \d+/);
    const { checkpoint } = verifyCheckpoint(note, vkey);
    expect(checkpoint.size).toBe(await store.head());
    const pool = new Pool({ connectionString: db.appUrl, max: 1 });
    pool.on('error', () => undefined); // the database is dropped with its connections at the end
    try {
      const auditor = new MemoryTree();
      for (const row of (await pool.query<{ canonical: Buffer }>('SELECT canonical FROM event_store.events ORDER BY seq')).rows) auditor.appendEntry(row.canonical);
      expect(checkpoint.rootHash).toEqual(auditor.root());
      expect((await pool.query('SELECT reason FROM ledger.checkpoints WHERE size = $1', [checkpoint.size])).rows).toEqual([{ reason: 'manual' }]);
    } finally {
      await pool.end();
    }

    // Nothing new: the same checkpoint, not a second one.
    expect(await ledger('checkpoint')).toBe(note);
    expect(stderr).toMatch(/was signed already \(manual/);

    await store.append('party-cli', [{ type: 'PartyRegistered', occurredAt: '2025-01-01T00:00:00Z', actor: { subject: 'u', role: 'administrator' }, data: { partyId: 'cli' } }], { expectedVersion: 'no-stream' });
    expect(verifyCheckpoint(await ledger('checkpoint'), vkey).checkpoint.size).toBe(checkpoint.size + 1);
  });

  it('checkpoint refuses a signing key file that is not a C2SP skey, saying which', async () => {
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'not a key\n');
    process.env.LEDGER_SIGNING_KEY_FILE = bad;
    await expect(ledger('checkpoint')).rejects.toThrow(/bad\.key is not a C2SP signer key/);
  });
});
