import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PostgresEventStore } from '@mel/event-store';
import { liveVersionOf, ocdsRecordPackage, rebuild, openDataCsvZip, popoloExport, PROJECTIONS, ProjectionRunner, readModelDataSource } from '@mel/projections';
import type { Command } from 'commander';
import { withDatabase } from '../database-session';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write the open data (commitments.json as OCDS, governance.json as Popolo, csv.zip) from the live read models into a directory')
    .requiredOption('--dir <dir>', 'the directory to write commitments.json, governance.json and csv.zip into (created when missing)')
    .action(async (options: { dir: string }) => {
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
          const files: [string, () => Promise<string | Buffer>][] = [
            ['commitments.json', async () => JSON.stringify(await ocdsRecordPackage(source), null, 2) + '\n'],
            ['governance.json', async () => JSON.stringify(await popoloExport(source), null, 2) + '\n'],
            ['csv.zip', () => openDataCsvZip(source)],
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
          console.log(`open data written to ${dir} (seq ${position}): ${files.map(([n]) => n).join(', ')}`);
        } finally {
          await source.destroy();
          await store.close();
        }
      });
    });
}
