import { resolve } from 'node:path';
import { CommandExecutor, loadMelSeed, runSeed } from '@mel/application';
import { type Actor, commitmentDecider } from '@mel/domain';
import { PostgresEventStore, type StoredEvent } from '@mel/event-store';
import type { DataSource } from 'typeorm';
import type { Tables } from './tables';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { CommitmentRow } from './commitments/commitment-row.entity';
import { commitmentsProjection } from './commitments/commitments.projection';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { createVersion, ensureLiveVersion, readModelDataSource } from './read-model-versions';

const projectRoot = resolve(__dirname, '../../..');
const admin: Actor = { subject: 'user-admin', role: 'administrator' };

describe('ProjectionRunner', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let version: number;
  const sources: DataSource[] = [];

  const dataSource = async () => {
    const source = readModelDataSource(db.appUrl, version);
    await source.initialize();
    sources.push(source);
    return source;
  };
  const rows = async (source: DataSource) =>
    (await source.getRepository(CommitmentRow).find({ order: { commitmentId: 'ASC' } })).map(({ updatedOn, ...row }) => ({ ...row, updatedOn: updatedOn.toISOString() }));

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(projectRoot));
    // Some money and reports on top of the seed, so that doubling an event would show in the sums.
    const executor = new CommandExecutor(store);
    for (const year of [2024, 2025, 2026]) {
      await executor.execute(commitmentDecider as never, 'mobilimel', {
        type: 'RecordFunding', commitmentId: 'mobilimel', transaction: 'disbursement', year, amountCents: 1_000_00 * year, partyId: 'party-mel', actor: admin, at: `${year}-06-30T10:00:00Z`,
      } as never);
    }
    version = await ensureLiveVersion(db.adminUrl);
  });
  afterAll(async () => {
    for (const source of sources) await source.destroy();
    await store?.close();
    await db?.drop();
  });

  it('creates the live version once, as the migration role, readable by the application', async () => {
    expect(await ensureLiveVersion(db.adminUrl)).toBe(version);
    const source = await dataSource();
    const [owner] = await source.query(`SELECT tableowner FROM pg_tables WHERE schemaname = $1 AND tablename = 'commitments'`, [`rm_v${version}`]);
    expect(owner).toEqual({ tableowner: 'ledger_migrator' });
  });

  it('catches up from seq 0 in batches, and projects the seed’s commitments', async () => {
    const source = await dataSource();
    const batches: number[] = [];
    const runner = new ProjectionRunner(store, source, version, [commitmentsProjection], { batchSize: 25 });
    const position = await runner.catchUp((p) => batches.push(p));
    expect(position).toBe(await store.head());
    expect(batches.length).toBeGreaterThan(3);
    const projected = await source.getRepository(CommitmentRow).find();
    expect(projected).toHaveLength(10);
    expect(projected.every((r) => r.status === 'in_progress')).toBe(true);
    const mobilimel = projected.find((r) => r.commitmentId === 'mobilimel')!;
    expect(mobilimel).toMatchObject({ ownerPartyId: 'party-mel', priority: 2, disbursedCents: String(1_000_00 * (2024 + 2025 + 2026)) });
  });

  /** The commitments projection, dying at its n-th event as a killed process would. */
  const dyingAt = (n: number): Projection => {
    let applied = 0;
    return {
      ...commitmentsProjection,
      async apply(event: StoredEvent, tables: Tables) {
        if (++applied === n) throw new Error('killed');
        await commitmentsProjection.apply(event, tables);
      },
    };
  };

  it('loses nothing and doubles nothing when it crashes between batches, and resumes', async () => {
    // A version of its own, fed by a projector that dies in the middle of its third batch.
    const crashVersion = await createVersion(db.adminUrl);
    const reference = await dataSource();
    const crashing = readModelDataSource(db.appUrl, crashVersion);
    await crashing.initialize();
    sources.push(crashing);
    await expect(new ProjectionRunner(store, crashing, crashVersion, [dyingAt(60)], { batchSize: 25, commitEveryMs: 0 }).catchUp()).rejects.toThrow('killed');
    const [{ seq }] = await crashing.query('SELECT seq FROM projections.checkpoints WHERE version = $1', [crashVersion]);
    expect(Number(seq)).toBe(50); // two whole batches, nothing of the third

    await new ProjectionRunner(store, crashing, crashVersion, [commitmentsProjection], { batchSize: 25 }).catchUp();
    expect(await rows(crashing)).toEqual(await rows(reference));
  });

  it('builds new tables in memory over several batches, writes them once at the end, and loses nothing on a crash before', async () => {
    const reference = await dataSource();
    const fresh = await createVersion(db.adminUrl);
    const source = readModelDataSource(db.appUrl, fresh);
    await source.initialize();
    sources.push(source);
    const written = async () => {
      const [{ seq }] = await source.query('SELECT seq FROM projections.checkpoints WHERE version = $1', [fresh]);
      const [{ n }] = await source.query(`SELECT count(*)::int AS n FROM "rm_v${fresh}".commitments`);
      return { seq: Number(seq), rows: n };
    };
    // Dies in its third batch: nothing was written, the checkpoint stayed at 0.
    await expect(new ProjectionRunner(store, source, fresh, [dyingAt(60)], { batchSize: 25 }).catchUp()).rejects.toThrow('killed');
    expect(await written()).toEqual({ seq: 0, rows: 0 });

    // Catches up again: between batches nothing is written; at the end, every row and the checkpoint at once.
    const seen: { seq: number; rows: number }[] = [];
    const last = await store.head();
    const watching: Projection = {
      ...commitmentsProjection,
      async apply(event: StoredEvent, tables: Tables) {
        if (event.seq % 25 === 1 && event.seq < last - 25) seen.push(await written()); // each batch but the last
        await commitmentsProjection.apply(event, tables);
      },
    };
    const head = await new ProjectionRunner(store, source, fresh, [watching], { batchSize: 25 }).catchUp();
    expect(head).toBe(last);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((s) => s.seq === 0 && s.rows === 0)).toBe(true);
    expect(await written()).toEqual({ seq: head, rows: 10 });
    expect(await rows(source)).toEqual(await rows(reference));
  });

  it('lets two runners race on one version without applying any event twice', async () => {
    const raceVersion = await createVersion(db.adminUrl);
    const [a, b] = [readModelDataSource(db.appUrl, raceVersion), readModelDataSource(db.appUrl, raceVersion)];
    await Promise.all([a.initialize(), b.initialize()]);
    sources.push(a, b);
    const run = (source: DataSource) => new ProjectionRunner(store, source, raceVersion, [commitmentsProjection], { batchSize: 10 }).catchUp().catch((e: Error) => e);
    const outcomes = await Promise.all([run(a), run(b)]);
    // A runner that lost a race stops with an error; what was applied is whole and single.
    await new ProjectionRunner(store, a, raceVersion, [commitmentsProjection], { batchSize: 10 }).catchUp();
    expect(outcomes.some((o) => typeof o === 'number')).toBe(true);
    expect(await rows(a)).toEqual(await rows(await dataSource()));
  });

  it('follows the store live once caught up', async () => {
    const source = await dataSource();
    const runner = new ProjectionRunner(store, source, version, [commitmentsProjection]);
    const controller = new AbortController();
    const head = await store.head();
    let reached = () => {};
    const reachedHead = new Promise<void>((r) => (reached = r));
    const following = runner.follow(controller.signal, (position) => position > head && reached());
    await new CommandExecutor(store).execute(commitmentDecider as never, 'mobilimel', {
      type: 'ReportProgress', commitmentId: 'mobilimel', reportId: 'r-2025', period: '2025', summary: 'rapport', evidence: [], actor: admin, at: '2026-01-15T10:00:00Z',
    } as never);
    await reachedHead;
    controller.abort();
    await following;
    const row = await source.getRepository(CommitmentRow).findOneByOrFail({ commitmentId: 'mobilimel' });
    expect(row.reports).toBe(1);
    expect(Number(row.lastSeq)).toBe(await store.head());
  });
});
