import { createTestDatabase } from '../../../../test/support/test-database';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const opened: PostgresEventStore[] = [];
  const connect = async () => {
    const store = new PostgresEventStore({ connectionString: db.appUrl, pollIntervalMs: 200 });
    opened.push(store);
    return store;
  };
  return {
    store: await connect(),
    connect,
    dispose: async () => {
      await Promise.all(opened.map((s) => s.close()));
      await db.drop();
    },
  };
});
