import { resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { PostgresEventStore } from '@mel/event-store';
import { ensureLiveVersion, ProjectionRunner, PROJECTIONS, readModelDataSource } from '@mel/projections';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { LiveCommitments } from './live-commitments';

describe('LiveCommitments', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let source: DataSource;
  let ids: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../../../../..')));
    const live = await ensureLiveVersion(db.adminUrl);
    source = readModelDataSource(db.appUrl, live);
    await source.initialize();
    await new ProjectionRunner(store, source, live, PROJECTIONS).catchUp();
    const schema = (source.options as { schema?: string }).schema;
    ids = ((await source.query(`SELECT commitment_id FROM "${schema}".commitments ORDER BY commitment_id`)) as { commitment_id: string }[]).map((r) => r.commitment_id);
  });
  afterAll(async () => {
    await source?.destroy();
    await store?.close();
    await db?.drop();
  });

  /** Counts the statements `source` is sent from now on. */
  function countStatements(): { count: number } {
    const counter = { count: 0 };
    const query = source.query.bind(source);
    jest.spyOn(source, 'query').mockImplementation((...args: Parameters<DataSource['query']>) => {
      counter.count++;
      return query(...args);
    });
    return counter;
  }
  afterEach(() => jest.restoreAllMocks());

  it('reads the ids asked for in one turn in one statement, each answered its own row (null for none)', async () => {
    expect(ids.length).toBeGreaterThanOrEqual(5);
    // What one read of each answers, one at a time.
    const live = new LiveCommitments();
    const alone: (Record<string, unknown> | null)[] = [];
    for (const id of [...ids, 'no-such-commitment']) alone.push(await live.load(source, id));
    expect(alone.slice(0, -1).map((row) => row?.commitmentId)).toEqual(ids);
    expect(alone.at(-1)).toBeNull();

    const statements = countStatements();
    const asked = [...ids].reverse().concat('no-such-commitment', ids[0]);
    const together = await Promise.all(asked.map((id) => live.load(source, id)));
    expect(statements.count).toBe(1);
    expect(together).toEqual(asked.map((id) => alone[ids.indexOf(id)] ?? null));
  });

  it('reads the rows as they are now: nothing is kept between turns', async () => {
    const live = new LiveCommitments();
    const before = await live.load(source, ids[0]);
    const statements = countStatements();
    expect(await live.load(source, ids[0])).toEqual(before);
    expect(await live.load(source, ids[0])).toEqual(before);
    expect(statements.count).toBe(2);
  });
});
