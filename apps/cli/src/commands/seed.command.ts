import { loadMelSeed, runSeed } from '@mel/application';
import { projectRoot } from '@mel/database';
import { openEventStore } from '@mel/event-store';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withDatabase } from '../database-session';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description(
      'load the MEL contract (press kit of 7 May 2024, the 26 QPV) as events with their real dates; running it again changes nothing',
    )
    .action(async () => {
      const steps = loadMelSeed(projectRoot());
      await withDatabase(program.opts().verbose, async (database) => {
        const store = openEventStore({ appUrl: database.appUrl, poolSize: 2 });
        const bar = new SingleBar({ format: 'seed [{bar}] {value}/{total} steps', stream: process.stderr, hideCursor: true, noTTYOutput: false });
        bar.start(steps.length, 0);
        try {
          const report = await runSeed(store, steps, (done) => bar.update(done));
          bar.stop();
          console.log(
            report.written === 0
              ? `the MEL contract was already in the ledger: nothing written (head: seq ${report.head})`
              : `seeded ${report.written} of ${report.steps} steps, ${report.events} events (head: seq ${report.head})`,
          );
        } finally {
          bar.stop();
          await store.close();
        }
      });
    });
}
