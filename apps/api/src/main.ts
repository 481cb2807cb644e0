import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadMelSeed, runSeed } from '@mel/application';
import { openDatabase, projectRoot } from '@mel/database';
import { eventStoreConfig, openEventStore } from '@mel/event-store';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { bootstrapLogger } from './logger';

/**
 * The ledger's HTTP service. Without DATABASE_URL it starts an embedded PostgreSQL (data in .data/),
 * brings roles and migrations up to date, then listens on HOST:PORT (127.0.0.1:3000 by default). The
 * event log is in PostgreSQL too unless LEDGER_EVENT_STORE=eventstoredb (EVENTSTORE_CONNECTION_STRING).
 */
async function main(): Promise<void> {
  const log = bootstrapLogger();
  const sink = { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m), debug: (m: string) => log.debug(m) };
  let database;
  try {
    eventStoreConfig(); // a wrong LEDGER_EVENT_STORE or EVENTSTORE_CONNECTION_STRING stops the start here, with what to set
    database = await openDatabase({ log: sink });
  } catch (error) {
    log.fatal((error as Error).message);
    process.exit(1);
  }
  await seedAnEmptyLedger(database.appUrl, log);
  const app = await NestFactory.create(AppModule.forRoot(database), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  configureApp(app);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  try {
    await app.listen(port, host);
  } catch (error) {
    log.fatal(`cannot listen on ${host}:${port}: ${(error as Error).message}. Set PORT (and HOST) to a free address.`);
    await app.close();
    process.exit(1);
  }
  log.info(`ledger API listening on http://${host}:${port} (health: /health)`);
}

/**
 * On an empty ledger, load the MEL contract once (what `ledger seed` does); a ledger with events is left
 * as it is. Without the seed's sources the API starts empty and says how to seed later.
 */
async function seedAnEmptyLedger(appUrl: string, log: ReturnType<typeof bootstrapLogger>): Promise<void> {
  const store = openEventStore({ appUrl, poolSize: 2 });
  try {
    if ((await store.head()) > 0) return;
    let steps;
    try {
      steps = loadMelSeed(projectRoot());
    } catch (error) {
      log.warn(`the ledger is empty and stays so: ${(error as Error).message}; then run npm run ledger -- seed`);
      return;
    }
    const report = await runSeed(store, steps);
    log.info(`empty ledger: loaded the MEL contract, ${report.events} events (head: seq ${report.head})`);
  } finally {
    await store.close();
  }
}

void main();
