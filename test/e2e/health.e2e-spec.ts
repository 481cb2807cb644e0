import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PostgresEventStore } from '@mel/event-store';
import { AppModule } from '../../apps/api/src/app.module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('GET /health', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const database = { adminUrl: db.adminUrl, appUrl: db.appUrl, embedded: false, close: async () => undefined };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(database)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = `${await app.getUrl()}/health`;
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
    const down = { adminUrl: db.adminUrl, appUrl: 'postgres://ledger_app@127.0.0.1:1/none', embedded: false, close: async () => undefined };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(down)] }).compile();
    const broken = moduleRef.createNestApplication({ logger: false });
    await broken.listen(0, '127.0.0.1');
    try {
      const response = await fetch(`${await broken.getUrl()}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'error', error: { database: { status: 'down' }, eventStore: { status: 'down' } } });
    } finally {
      await broken.close();
    }
  });
});
