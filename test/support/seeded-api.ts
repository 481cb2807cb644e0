import { resolve } from 'node:path';
import { loadMelSeed, runSeed } from '@mel/application';
import { PostgresEventStore } from '@mel/event-store';
import { startTestApp, type TestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';
import { fetchAs } from './tokens';

export interface SeededApi {
  db: TestDatabase;
  api: TestApp;
  store: PostgresEventStore;
  /** GET as the public would: the parsed JSON body; a 503 (read models catching up) is retried as Retry-After says. */
  get(path: string): Promise<{ status: number; headers: Headers; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * For a `describe`: a new database with the MEL contract seeded (as `npm start` does on an empty ledger),
 * the API started on it, and a store client; closed and dropped after the tests.
 */
export function seededApi(): SeededApi {
  const context = {} as SeededApi;
  beforeAll(async () => {
    context.db = await createTestDatabase();
    context.store = new PostgresEventStore({ connectionString: context.db.appUrl });
    await runSeed(context.store, loadMelSeed(resolve(__dirname, '../..')));
    context.api = await startTestApp(context.db);
  });
  afterAll(async () => {
    await context.api?.close();
    await context.store?.close();
    await context.db?.drop();
  });
  context.get = async (path: string) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchAs(`${context.api.url}${path}`);
      if (response.status !== 503 || attempt === 10) return { status: response.status, headers: response.headers, body: await response.json() };
      await new Promise((r) => setTimeout(r, 1000 * Number(response.headers.get('retry-after') ?? 1)));
    }
  };
  return context;
}
