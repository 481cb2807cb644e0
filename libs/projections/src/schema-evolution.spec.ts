import { resolve } from 'node:path';
import { CommandExecutor, loadMelSeed, runSeed } from '@mel/application';
import { type Actor, commitmentDecider } from '@mel/domain';
import { PostgresEventStore } from '@mel/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { CommitmentRow } from './commitments/commitment-row.entity';
import { ProjectionRunner } from './projection-runner';
import { createVersion, PROJECTIONS, readModelDataSource } from './read-model-versions';

/** FundingRecorded moved to schema version 2 (a currency): both versions, side by side, project alike. */
describe('event schema evolution', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const admin: Actor = { subject: 'user-admin', role: 'administrator' };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ connectionString: db.appUrl });
    await runSeed(store, loadMelSeed(resolve(__dirname, '../../..')));
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('stores a version 1 event as it was written and a version 2 one beside it; both fold and project the same', async () => {
    // As an older ledger wrote it: schema version 1, no currency.
    const version = await store.streamVersion('commitment-mobilimel');
    await store.append('commitment-mobilimel', [{
      type: 'FundingRecorded', schemaVersion: 1, occurredAt: '2024-12-15T10:00:00Z', actor: admin,
      data: { commitmentId: 'mobilimel', transaction: 'disbursement', year: 2024, amountCents: 123_45, partyId: 'party-mel' },
    }], { expectedVersion: version });
    // As today's command path writes it: schema version 2.
    const executor = new CommandExecutor(store);
    await executor.execute(commitmentDecider as never, 'mel-toi-du-territoire', {
      type: 'RecordFunding', commitmentId: 'mel-toi-du-territoire', transaction: 'disbursement', year: 2024, amountCents: 123_45, partyId: 'party-mel', actor: admin, at: '2024-12-15T10:00:00Z',
    } as never);

    const stored = (await store.readAll(0, 10_000)).filter((e) => e.type === 'FundingRecorded');
    expect(stored.map((e) => [e.schemaVersion, (e.data as { currency?: string }).currency])).toEqual([[1, undefined], [2, 'EUR']]);

    // The command path's fold sees both at version 2.
    const [a, b] = await Promise.all([executor.read(commitmentDecider as never, 'mobilimel'), executor.read(commitmentDecider as never, 'mel-toi-du-territoire')]);
    expect((a.state as { funding: unknown }).funding).toEqual((b.state as { funding: unknown }).funding);

    // The projection gives both commitments the same money.
    const v = await createVersion(db.adminUrl);
    const source = readModelDataSource(db.appUrl, v);
    await source.initialize();
    try {
      await new ProjectionRunner(store, source, v, PROJECTIONS).catchUp();
      const rows = await source.getRepository(CommitmentRow).findBy([{ commitmentId: 'mobilimel' }, { commitmentId: 'mel-toi-du-territoire' }]);
      expect(rows.map((r) => r.disbursedCents)).toEqual(['12345', '12345']);
    } finally {
      await source.destroy();
    }
  });
});
