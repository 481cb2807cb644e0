import { resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { PostgresEventStore } from '@mel/event-store';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ProjectionRunner } from './projection-runner';
import { createVersion, ensureLiveVersion, liveVersionOf, PROJECTIONS, readModelDataSource, shapeOf } from './read-model-versions';
import { digestVersion, rebuild } from './rebuild';

describe('rebuild', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let live: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../../..')));
    live = await ensureLiveVersion(db.adminUrl);
    const source = readModelDataSource(db.appUrl, live);
    await source.initialize();
    await new ProjectionRunner(store, source, live, PROJECTIONS).catchUp();
    await source.destroy();
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const admin = async (sql: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: db.adminUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  it('--check finds a rebuild from seq 0 identical to the live read models, and switches nothing', async () => {
    const report = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store, checkOnly: true });
    expect(report).toMatchObject({ previous: live, switched: false, differences: [], position: await store.head() });
    expect(await admin(`SELECT version, status FROM projections.versions ORDER BY version`)).toEqual([
      { version: live, status: 'live' },
      { version: report.version, status: 'retired' },
    ]);
  });

  it('--check names the read model that drifted from the events', async () => {
    await admin(`UPDATE rm_v${live}.commitments SET reports = reports + 1 WHERE commitment_id = 'mobilimel'`);
    const report = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store, checkOnly: true });
    expect(report.differences.map((d) => d.table)).toEqual(['commitments']);
  });

  it('builds a new version beside the live one and switches to it; the drift is gone', async () => {
    const report = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store });
    expect(report.switched).toBe(true);
    const [{ version }] = await admin(`SELECT version FROM projections.versions WHERE status = 'live'`);
    expect(version).toBe(report.version);
    const [row] = await admin(`SELECT reports FROM rm_v${report.version}.commitments WHERE commitment_id = 'mobilimel'`);
    expect(row.reports).toBe(0);
    const check = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store, checkOnly: true });
    expect(check.differences).toEqual([]);
  });

  it('gives the same digest to versions built in different batch sizes (different physical row orders)', async () => {
    const digests = [];
    for (const batchSize of [1, 500]) {
      const version = await createVersion(db.adminUrl);
      const source = readModelDataSource(db.appUrl, version);
      await source.initialize();
      await new ProjectionRunner(store, source, version, PROJECTIONS, { batchSize }).catchUp();
      digests.push(await digestVersion(source, version));
      await source.destroy();
    }
    expect(digests[0].tables.find((t) => t.table === 'commitments')).toMatchObject({ rows: 10 });
    expect(digests[1]).toEqual(digests[0]);
  });
});

describe('read models whose projections changed', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../../..')));
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('tells that a live version built from other projections is not current, and a rebuild makes one that is', async () => {
    const older = PROJECTIONS.slice(0, 1); // as if only the commitments read model existed
    const built = await liveVersionOf(db.adminUrl, older);
    expect(built).toEqual({ version: expect.any(Number), current: true });
    expect(shapeOf(older)).not.toBe(shapeOf(PROJECTIONS));
    expect(await liveVersionOf(db.adminUrl)).toEqual({ version: built.version, current: false });
    const report = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store });
    expect(await liveVersionOf(db.adminUrl)).toEqual({ version: report.version, current: true });
  });
});
