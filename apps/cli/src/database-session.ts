import { type Database, type Log, openDatabase } from '@mel/database';

/** What the CLI says while it works goes to stderr, so that stdout carries only results. */
export const cliLog = (verbose: boolean): Log => ({
  info: (m) => console.error(m),
  warn: (m) => console.error(`warning: ${m}`),
  debug: (m) => verbose && console.error(m),
});

/** Opens the ledger's database (DATABASE_URL or the embedded one), runs `work`, then closes it. */
export async function withDatabase<T>(verbose: boolean, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ log: cliLog(verbose) });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
