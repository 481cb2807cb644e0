import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PostgresEventStore } from '@mel/event-store';
import {
  type AsOf,
  liveVersionOf,
  materializeAsOf,
  ocdsRecordPackage,
  openDataCsvZip,
  popoloExport,
  PROJECTIONS,
  ProjectionRunner,
  type ReadModelReader,
  readModelDataSource,
  rebuild,
  replayAsOf,
  schemaOf,
} from '@mel/projections';
import type { Command } from 'commander';
import { withDatabase } from '../database-session';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write the open data (commitments.json as OCDS, governance.json as Popolo, csv.zip) from the live read models into a directory')
    .requiredOption('--dir <dir>', 'the directory to write commitments.json, governance.json and csv.zip into (created when missing)')
    .option('--as-of <date-time>', 'the open data as of this ISO 8601 date-time with a time zone, e.g. 2025-12-31T23:59:59+01:00')
    .option('--clock <clock>', 'with --as-of: effective (what was in force then) or recorded (what the ledger said then)', 'effective')
    .action(async (options: { dir: string; asOf?: string; clock: string }) => {
      const asOf = asOfOption(options);
      const dir = resolve(options.dir);
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw new Error(`cannot create ${dir} (${(error as Error).message}): choose a directory you may write to with --dir`);
      }
      await withDatabase(program.opts().verbose, async (database) => {
        const store = new PostgresEventStore({ connectionString: database.appUrl, poolSize: 2 });
        let { version, current } = await liveVersionOf(database.adminUrl);
        if (!current) {
          // The live read models predate this code's projections: rebuild them (as the API would).
          process.stderr.write(`export: read models version ${version} predates these projections; rebuilding them first\n`);
          version = (await rebuild({ adminUrl: database.adminUrl, appUrl: database.appUrl, store })).version;
        }
        const source = readModelDataSource(database.appUrl, version);
        await source.initialize();
        try {
          const position = await new ProjectionRunner(store, source, version, PROJECTIONS).catchUp((at, head) => {
            process.stderr.write(`\rexport: catching up the read models, seq ${at}/${head}`);
          });
          process.stderr.write(`\rexport: read models version ${version} up to seq ${position}\n`);
          const names = ['commitments.json', 'governance.json', 'csv.zip'];
          const write = async (reader: ReadModelReader) => {
            const files: [string, () => Promise<string | Buffer>][] = [
              [names[0], async () => JSON.stringify(await ocdsRecordPackage(reader, undefined, asOf), null, 2) + '\n'],
              [names[1], async () => JSON.stringify(await popoloExport(reader), null, 2) + '\n'],
              [names[2], () => openDataCsvZip(reader)],
            ];
            for (const [index, [name, build]] of files.entries()) {
              process.stderr.write(`export [${index + 1}/${files.length}] ${name}\n`);
              const path = join(dir, name);
              const content = await build();
              try {
                await writeFile(path, content);
              } catch (error) {
                throw new Error(`cannot write ${path} (${(error as Error).message}): check the permissions of ${dir} or choose another --dir`);
              }
            }
          };
          if (!asOf) {
            await write(source);
            console.log(`open data written to ${dir} (seq ${position}): ${names.join(', ')}`);
            return;
          }
          // As of a date: the projections replayed over the events that count then (ADR 7).
          const state = await replayAsOf(store, asOf, PROJECTIONS, 5000, (at, head) => process.stderr.write(`\rexport: replaying the log as of ${asOf.at} (${asOf.clock}), seq ${at}/${head}`));
          process.stderr.write(`\rexport: ${state.applied} events count as of ${asOf.at} on the ${asOf.clock} clock\n`);
          const scratch = readModelDataSource(database.appUrl, 'pg_temp');
          await scratch.initialize();
          try {
            await scratch.transaction(async (manager) => {
              await materializeAsOf(manager, schemaOf(version), state);
              await write(manager);
            });
          } finally {
            await scratch.destroy();
          }
          console.log(`open data as of ${asOf.at} (${asOf.clock} clock) written to ${dir}: ${names.join(', ')}`);
        } finally {
          await source.destroy();
          await store.close();
        }
      });
    });
}

/** The --as-of and --clock options, checked; undefined without --as-of. */
function asOfOption(options: { asOf?: string; clock: string }): AsOf | undefined {
  if (options.clock !== 'effective' && options.clock !== 'recorded') {
    throw new Error(`--clock must be effective or recorded, not ${JSON.stringify(options.clock)}`);
  }
  if (options.asOf === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(options.asOf) || Number.isNaN(Date.parse(options.asOf))) {
    throw new Error(`--as-of must be an ISO 8601 date-time with a time zone, e.g. 2025-12-31T23:59:59+01:00 (got ${JSON.stringify(options.asOf)})`);
  }
  return { clock: options.clock, at: new Date(options.asOf).toISOString() };
}
