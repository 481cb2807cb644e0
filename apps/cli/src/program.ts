import { Command } from 'commander';
import { registerExport } from './commands/export.command';
import { registerMigrate } from './commands/migrate.command';
import { registerRebuild } from './commands/rebuild.command';
import { registerSeed } from './commands/seed.command';
import { registerStatus } from './commands/status.command';

/** The `ledger` command: one file per subcommand under commands/. */
export function buildProgram(): Command {
  const program = new Command('ledger')
    .description(
      'The governance and commitment ledger of the Contrat de ville et des solidarités (Métropole Européenne de Lille).\n' +
        'Uses DATABASE_URL when set, otherwise the embedded PostgreSQL in .data/.',
    )
    .option('-v, --verbose', 'say more about what is done')
    .showHelpAfterError('(run ledger --help for the commands)');
  registerExport(program);
  registerMigrate(program);
  registerRebuild(program);
  registerSeed(program);
  registerStatus(program);
  return program;
}
