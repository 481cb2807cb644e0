import { Command } from 'commander';
import { registerCheckpoint } from './commands/checkpoint.command';
import { registerErasePerson } from './commands/erase-person.command';
import { registerExport } from './commands/export.command';
import { registerGenerate } from './commands/generate.command';
import { registerKeygen } from './commands/keygen.command';
import { registerMigrate } from './commands/migrate.command';
import { registerRebuild } from './commands/rebuild.command';
import { registerSeed } from './commands/seed.command';
import { registerStatus } from './commands/status.command';
import { registerToken } from './commands/token.command';
import { registerVerify } from './commands/verify.command';

/** The `ledger` command: one file per subcommand under commands/. */
export function buildProgram(): Command {
  const program = new Command('ledger')
    .description(
      'The governance and commitment ledger of the Contrat de ville et des solidarités (Métropole Européenne de Lille).\n' +
        'Uses DATABASE_URL when set, otherwise the embedded PostgreSQL in .data/.',
    )
    .option('-v, --verbose', 'say more about what is done')
    .showHelpAfterError('(run ledger --help for the commands)');
  registerCheckpoint(program);
  registerErasePerson(program);
  registerExport(program);
  registerGenerate(program);
  registerKeygen(program);
  registerMigrate(program);
  registerRebuild(program);
  registerSeed(program);
  registerStatus(program);
  registerToken(program);
  registerVerify(program);
  return program;
}
