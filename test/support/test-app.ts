import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Database } from '@mel/database';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';
import type { TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** The API as main.ts builds it, on a test database, listening on a free port of 127.0.0.1. */
export async function startTestApp(db: Pick<TestDatabase, 'adminUrl' | 'appUrl'>): Promise<TestApp> {
  const database: Database = { adminUrl: db.adminUrl, appUrl: db.appUrl, embedded: false, close: async () => undefined };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(database)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), close: () => app.close() };
}
