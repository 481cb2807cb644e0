import type { Command } from 'commander';
import { withDatabase } from '../database-session';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('create the database roles and apply the pending migrations of infra/postgres (also done by every start)')
    .action(async () => {
      // openDatabase migrates on opening: the command only has to open and report.
      await withDatabase(program.opts().verbose, async (database) => {
        console.log(`database up to date${database.embedded ? ' (embedded PostgreSQL)' : ''}`);
      });
    });
}
