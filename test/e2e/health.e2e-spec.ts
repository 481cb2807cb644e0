import { PostgresEventStore } from '@mel/event-store';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('GET /health', () => {
  let db: TestDatabase;
  let app: TestApp;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    url = `${app.url}/health`;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 200 with the database reachable and the store head', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up', embedded: false }, eventStore: { status: 'up', head: 0 } },
    });
  });

  it('reports the new head after an append', async () => {
    const store = new PostgresEventStore({ connectionString: db.appUrl });
    await store.append('party-200093201', [{ type: 'PartyRegistered', occurredAt: '2024-05-07T10:00:00Z', actor: { subject: 'u', role: 'administrator' }, data: {} }], {
      expectedVersion: 'no-stream',
    });
    await store.close();
    const body = (await (await fetch(url)).json()) as { info: { eventStore: { head: number } } };
    expect(body.info.eventStore.head).toBe(1);
  });

  it('answers 503 when the database cannot be reached', async () => {
    const broken = await startTestApp({ adminUrl: db.adminUrl, appUrl: 'postgres://ledger_app@127.0.0.1:1/none' });
    try {
      const response = await fetch(`${broken.url}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'error', error: { database: { status: 'down' }, eventStore: { status: 'down' } } });
    } finally {
      await broken.close();
    }
  });
});
