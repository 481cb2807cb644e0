import { openEventStore } from '@mel/event-store';
import { ensureLiveVersion, rebuild } from '@mel/projections';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withDatabase } from '../database-session';

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('build a new version of the read models from seq 0 beside the live one, then switch to it without downtime')
    .option('--check', 'compare a digest of every rebuilt read model with the live one at the same seq; exit 1 on any difference; do not switch')
    .action(async (options: { check?: boolean }) => {
      await withDatabase(program.opts().verbose, async (database) => {
        await ensureLiveVersion(database.adminUrl);
        const store = openEventStore({ appUrl: database.appUrl, poolSize: 2 });
        const bar = new SingleBar({ format: 'rebuild [{bar}] seq {value}/{total}', stream: process.stderr, hideCursor: true });
        let started = false;
        try {
          const report = await rebuild({
            adminUrl: database.adminUrl,
            appUrl: database.appUrl,
            store,
            checkOnly: options.check,
            onProgress: (position, head) => {
              if (!started) bar.start(head, 0);
              started = true;
              bar.update(position);
            },
          });
          bar.stop();
          for (const d of report.differences) {
            console.log(`DIFFERENT ${d.table}: live ${d.live?.rows ?? 0} rows ${d.live?.sha256 ?? '-'} / rebuilt ${d.rebuilt?.rows ?? 0} rows ${d.rebuilt?.sha256 ?? '-'}`);
          }
          if (options.check) {
            console.log(report.differences.length === 0 ? `read models identical to a rebuild at seq ${report.position}` : `${report.differences.length} read model(s) differ at seq ${report.position}`);
            if (report.differences.length > 0) process.exitCode = 1;
          } else {
            console.log(`read models rebuilt as version ${report.version} up to seq ${report.position}; live now (was ${report.previous ?? 'none'})`);
          }
        } finally {
          bar.stop();
          await store.close();
        }
      });
    });
}
