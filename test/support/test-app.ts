import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DEFAULT_ORIGIN } from '@mel/application';
import type { Database } from '@mel/database';
import { generateNoteKey } from '@mel/ledger';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';
import type { TestDatabase } from './test-database';
import './tokens'; // LEDGER_AUTH_KEY, before the API reads it

export interface TestApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** The API as main.ts builds it, on a test database, listening on a free port of 127.0.0.1. */
export async function startTestApp(db: Pick<TestDatabase, 'adminUrl' | 'appUrl'>): Promise<TestApp> {
  // The checkpoint signing key: one per test file, from the environment, never a file in the repository's .data.
  process.env.LEDGER_SIGNING_KEY ??= generateNoteKey(DEFAULT_ORIGIN).skey;
  // The tests send thousands of requests from one address; the rate limit has its own test (hardening).
  process.env.LEDGER_RATE_LIMIT_PER_MINUTE ??= '1000000';
  const database: Database = { adminUrl: db.adminUrl, appUrl: db.appUrl, embedded: false, close: async () => undefined };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(database)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), close: () => app.close() };
}
