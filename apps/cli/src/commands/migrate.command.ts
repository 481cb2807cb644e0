import { copyLog, type CopyLogReport, type LogImportTarget, type LogSource, PostgresLogImport } from '@mel/application';
import { type Database, redact } from '@mel/database';
import { checkEventStoreNamespace, DEFAULT_EVENTSTORE_NAMESPACE, EventStoreDbEventStore, PostgresEventStore, redactConnection } from '@mel/event-store';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withDatabase } from '../database-session';

interface MigrateOptions {
  toEventstore?: string;
  fromEventstore?: string;
  namespace?: string;
}

/** What `ledger migrate` was asked to do. */
export type MigrateTask =
  | { kind: 'schema' }
  | { kind: 'to-eventstore' | 'from-eventstore'; connectionString: string; namespace: string };

/** The task the options name, checked; throws saying what to give instead. */
export function migrateTask(options: MigrateOptions, env: NodeJS.ProcessEnv = process.env): MigrateTask {
  if (options.toEventstore !== undefined && options.fromEventstore !== undefined) {
    throw new Error('give --to-eventstore or --from-eventstore, not both: a copy goes one way (run the command twice to go and come back)');
  }
  const connectionString = options.toEventstore ?? options.fromEventstore;
  if (connectionString === undefined) {
    if (options.namespace !== undefined) throw new Error('--namespace goes with --to-eventstore or --from-eventstore');
    return { kind: 'schema' };
  }
  if (!/^esdb(\+discover)?:\/\/[^\s]+$/.test(connectionString)) {
    throw new Error(
      `${JSON.stringify(redactConnection(connectionString))} is not an EventStoreDB connection string: give esdb://host:2113?tls=false, ` +
        'or esdb://node1:2113,node2:2113,node3:2113 for a cluster (docs/operations.md)',
    );
  }
  const namespace = checkEventStoreNamespace(options.namespace ?? (env.LEDGER_EVENTSTORE_NAMESPACE?.trim() || DEFAULT_EVENTSTORE_NAMESPACE));
  return { kind: options.toEventstore !== undefined ? 'to-eventstore' : 'from-eventstore', connectionString, namespace };
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'create the database roles and apply the pending migrations of infra/postgres (also done by every start); ' +
        'with --to-eventstore or --from-eventstore, copy the event log between PostgreSQL and EventStoreDB and check that every entry is identical on both sides',
    )
    .option('--to-eventstore <connection>', 'copy the PostgreSQL log (DATABASE_URL or the embedded one) into this EventStoreDB, e.g. esdb://node1:2113,node2:2113,node3:2113?tls=false; the namespace there must be empty')
    .option('--from-eventstore <connection>', "copy this EventStoreDB's log into PostgreSQL (DATABASE_URL or the embedded one), whose event_store.events must be empty")
    .option('--namespace <name>', 'the ledger\'s namespace in EventStoreDB (default: LEDGER_EVENTSTORE_NAMESPACE, else "ledger")')
    .action(async (options: MigrateOptions) => {
      const task = migrateTask(options);
      // openDatabase migrates on opening: for the schema the command only has to open and report.
      await withDatabase(program.opts().verbose, async (database) => {
        if (task.kind === 'schema') {
          console.log(`database up to date${database.embedded ? ' (embedded PostgreSQL)' : ''}`);
          return;
        }
        await copyBetweenStores(database, task);
      });
    });
}

async function copyBetweenStores(database: Database, task: Exclude<MigrateTask, { kind: 'schema' }>): Promise<void> {
  const postgresName = `PostgreSQL ${redact(database.appUrl)}${database.embedded ? ' (embedded)' : ''}`;
  const esdbName = `EventStoreDB ${redactConnection(task.connectionString)} (namespace ${task.namespace})`;
  const esdb = new EventStoreDbEventStore({ connectionString: task.connectionString, namespace: task.namespace });
  let source: LogSource & { close(): Promise<void> };
  let target: LogImportTarget & { close(): Promise<void> };
  if (task.kind === 'to-eventstore') {
    source = new PostgresEventStore({ connectionString: database.appUrl, poolSize: 2 });
    target = esdb;
  } else {
    source = esdb;
    target = new PostgresLogImport(database.appUrl);
  }
  const [from, to] = task.kind === 'to-eventstore' ? [postgresName, esdbName] : [esdbName, postgresName];
  process.stderr.write(`migrate: copying the log of ${from} into ${to}; stop the API and every other writer first: what is appended meanwhile is not copied\n`);
  const bar = new SingleBar({ format: 'migrate: {phase} [{bar}] {value}/{total} events', stream: process.stderr, hideCursor: true, noTTYOutput: false, fps: 5 });
  let phase: string | undefined;
  let report: CopyLogReport;
  try {
    report = await copyLog(source, target, {
      onProgress: (at, done, total) => {
        const label = at === 'copy' ? 'copy ' : 'check';
        if (phase !== label) {
          if (phase !== undefined) bar.stop();
          bar.start(total, done, { phase: label });
          phase = label;
        }
        bar.update(done, { phase: label });
      },
    });
    bar.stop();
  } catch (error) {
    bar.stop();
    throw new Error(`${(error as Error).message}${unreachable(error) ? `. Check that ${esdbName} is running and reachable (and its TLS settings: tls=false for an insecure cluster)` : ''}`);
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
  if (report.events === 0) {
    console.log(`the log of ${from} is empty: nothing copied`);
    return;
  }
  console.log(
    `copied ${report.events} events from ${from} into ${to}: every event id, canonical byte string and leaf hash is identical on both sides ` +
      `(root of size ${report.events}: ${report.root}).`,
  );
  const next =
    task.kind === 'to-eventstore'
      ? `set LEDGER_EVENT_STORE=eventstoredb, EVENTSTORE_CONNECTION_STRING=${redactConnection(task.connectionString)}` +
        `${task.namespace === DEFAULT_EVENTSTORE_NAMESPACE ? '' : ` and LEDGER_EVENTSTORE_NAMESPACE=${task.namespace}`}, restart the API, then run \`ledger verify --live\``
      : 'unset LEDGER_EVENT_STORE (or set it to postgres), restart the API, then run `ledger verify --live`';
  console.log(`next: ${next}: the checkpoints already signed verify against the copy.`);
}

/** Whether the error says the server could not be reached (gRPC UNAVAILABLE or DEADLINE_EXCEEDED). */
function unreachable(error: unknown): boolean {
  const type = (error as { type?: unknown }).type;
  return type === 'unavailable' || type === 'deadline-exceeded' || /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED/.test(String((error as Error).message));
}
