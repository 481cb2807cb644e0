import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { type EventEnvelope, PostgresEventStore } from '@mel/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { buildProgram } from '../program';

const EVENTS = 2500;

/** Each stream's events in order, without what the store assigns at commit (seq, recordedAt): what "the same history" means. */
async function historyOf(store: PostgresEventStore): Promise<Omit<EventEnvelope, 'seq' | 'recordedAt'>[]> {
  const events: EventEnvelope[] = [];
  for (let page = await store.readAll(0, 10_000); page.length > 0; page = await store.readAll(page[page.length - 1].seq, 10_000)) events.push(...page);
  return events
    .map(({ seq: _seq, recordedAt: _recordedAt, ...rest }) => {
      const { canonical: _c, leafHash: _l, ...content } = rest as typeof rest & { canonical?: unknown; leafHash?: unknown };
      return content;
    })
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.streamVersion - b.streamVersion));
}

/** `ledger generate`, the CLI's own code in process, into databases made for it. */
describe('ledger generate', () => {
  const dbs: TestDatabase[] = [];
  const stores: PostgresEventStore[] = [];
  let dir: string;
  let stdout = '';
  const names = ['DATABASE_URL', 'DATABASE_APP_URL', 'LEDGER_DATA_DIR', 'LEDGER_EVENT_STORE'] as const;
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));

  /** Runs `ledger generate …` on `db`; answers what it printed on stdout. */
  const generate = async (db: TestDatabase, ...args: string[]) => {
    process.env.DATABASE_URL = db.adminUrl;
    process.env.DATABASE_APP_URL = db.appUrl;
    stdout = '';
    try {
      await buildProgram().exitOverride().parseAsync(['node', 'ledger', 'generate', ...args]);
    } finally {
      process.env.DATABASE_URL = saved.DATABASE_URL; // the tests' server, where createTestDatabase makes databases
      delete process.env.DATABASE_APP_URL;
    }
    return stdout;
  };
  const digestIn = (output: string) => /history sha256 ([0-9a-f]{64})/.exec(output)?.[1];
  const database = async (seeded = false) => {
    const db = await createTestDatabase();
    const store = new PostgresEventStore({ connectionString: db.appUrl });
    dbs.push(db);
    stores.push(store);
    if (seeded) await runSeed(store, loadMelSeed(resolve(__dirname, '../../../..')));
    return { db, store };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-generate-'));
    for (const name of names) if (name !== 'DATABASE_URL') delete process.env[name];
    process.env.LEDGER_DATA_DIR = join(dir, 'data'); // never the repository's .data
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const store of stores) await store.close();
    for (const db of dbs) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is deterministic: the same seed into two databases (one empty, one holding the MEL seed; other concurrency) gives the same history', async () => {
    const a = await database();
    const b = await database(true);
    const first = await generate(a.db, '--events', String(EVENTS), '--seed', '11');
    const second = await generate(b.db, '--events', String(EVENTS), '--seed', '11', '--concurrency', '5');
    console.info(`ledger generate --events ${EVENTS}: ${first.split('\n')[0]}`);

    expect(first).toMatch(new RegExp(`^generated ${EVENTS} events with seed 11: \\d+ of the MEL seed`));
    expect(first).toMatch(/events written by aggregate:\n {2}amendment +\d+\n {2}commitment +\d+/);
    expect(await a.store.head()).toBe(EVENTS);
    expect(await b.store.head()).toBe(EVENTS);
    expect(digestIn(first)).toEqual(expect.stringMatching(/^[0-9a-f]{64}$/));
    expect(digestIn(second)).toBe(digestIn(first));
    // The digest aside: event by event, each stream's envelopes are the same (ids, dates, actors, data).
    const [historyA, historyB] = [await historyOf(a.store), await historyOf(b.store)];
    expect(historyA).toHaveLength(EVENTS);
    expect(historyB).toEqual(historyA);
    // And only recordedAt/seq differ: the leaf hashes cannot be equal (they cover recordedAt), the content is.
    const [leafA] = await a.store.readAll(EVENTS - 1, 1);
    const [leafB] = await b.store.readAll(EVENTS - 1, 1);
    expect(leafA.leafHash.equals(leafB.leafHash)).toBe(false);
  });

  it('gives another history for another seed', async () => {
    const c = await database();
    const output = await generate(c.db, '--events', String(EVENTS), '--seed', '12', '--json');
    const report = JSON.parse(output.trim().split('\n').pop()!);
    expect(report).toMatchObject({ seed: 12, events: EVENTS, head: EVENTS, historySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Object.values(report.byAggregate as Record<string, number>).reduce((s, n) => s + n, 0)).toBe(report.generated);
    const again = await database();
    const same = JSON.parse((await generate(again.db, '--events', String(EVENTS), '--seed', '11', '--json')).trim().split('\n').pop()!);
    expect(same.historySha256).not.toBe(report.historySha256);
  });

  it('writes the smallest history, 2000 events, for any seed (its fixed parts leave less room for commitments)', async () => {
    for (const seed of [1, 7, 2024]) {
      const e = await database();
      const output = await generate(e.db, '--events', '2000', '--seed', String(seed), '--no-digest');
      expect(output).toMatch(new RegExp(`^generated 2000 events with seed ${seed}`));
      expect(output).not.toContain('history sha256');
      expect(await e.store.head()).toBe(2000);
    }
  });

  it('refuses a ledger that holds more than the MEL seed, and writes nothing', async () => {
    const d = await database(true);
    await d.store.append('party-stray', [{ type: 'PartyRegistered', occurredAt: '2024-06-01T10:00:00Z', actor: { subject: 'u', role: 'administrator' }, data: {} }], { expectedVersion: 'no-stream' });
    const head = await d.store.head();
    await expect(generate(d.db, '--events', '2000')).rejects.toThrow(/already holds \d+ events, not only the MEL seed \(seq \d+, PartyRegistered on party-stray.*Nothing was written/);
    expect(await d.store.head()).toBe(head);
  });

  it('refuses too few events or a seed that is not a number, before opening the database', async () => {
    const unreachable = { adminUrl: 'postgres://nobody@127.0.0.1:1/none', appUrl: 'postgres://nobody@127.0.0.1:1/none' } as TestDatabase;
    await expect(generate(unreachable, '--events', '1999')).rejects.toThrow(/at least 2000 events/);
    await expect(generate(unreachable, '--events', '2000', '--seed', 'abc')).rejects.toThrow(/--seed must be a whole number/);
  });
});
