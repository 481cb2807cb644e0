import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { PostgresEventStore } from '@mel/event-store';
import { buildProgram } from '../../apps/cli/src/program';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** `ledger export --dir`, now and `--as-of` a date, on a seeded database (the CLI's own code, in process). */
describe('ledger export', () => {
  let db: TestDatabase;
  let dir: string;
  const saved = { url: process.env.DATABASE_URL, app: process.env.DATABASE_APP_URL };
  const ledger = (...args: string[]) => buildProgram().exitOverride().parseAsync(['node', 'ledger', ...args]);
  const records = (name = 'commitments.json') => JSON.parse(readFileSync(join(dir, name), 'utf8')).records as { ocid: string; releases: unknown[] }[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../..')));
    await store.close();
    process.env.DATABASE_URL = db.adminUrl;
    process.env.DATABASE_APP_URL = db.appUrl;
    dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const [name, value] of [['DATABASE_URL', saved.url], ['DATABASE_APP_URL', saved.app]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('writes the open data of the live read models', async () => {
    await ledger('export', '--dir', dir);
    expect(records()).toHaveLength(10);
    expect(JSON.parse(readFileSync(join(dir, 'governance.json'), 'utf8')).organizations).toHaveLength(3);
    expect(readFileSync(join(dir, 'csv.zip')).subarray(0, 2).toString()).toBe('PK');
  });

  it('writes the open data as of a date on either clock', async () => {
    await ledger('export', '--dir', dir, '--as-of', '2024-05-06T00:00:00+02:00');
    expect(records()).toEqual([]);
    await ledger('export', '--dir', dir, '--as-of', '2024-05-07T18:00:00+02:00', '--clock', 'effective');
    expect(records()).toHaveLength(10);
    // On the recorded clock the seed was written today: nothing was recorded in 2024.
    await ledger('export', '--dir', dir, '--as-of', '2024-12-31T00:00:00Z', '--clock', 'recorded');
    expect(records()).toEqual([]);
  });

  it('refuses a bad --as-of or --clock with what to type instead', async () => {
    await expect(ledger('export', '--dir', dir, '--as-of', '2024-05-06')).rejects.toThrow(/--as-of must be an ISO 8601 date-time with a time zone, e\.g\./);
    await expect(ledger('export', '--dir', dir, '--as-of', '2024-05-06T00:00:00Z', '--clock', 'legal')).rejects.toThrow(/--clock must be effective or recorded/);
  });
});
