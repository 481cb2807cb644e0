import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from './command-sender';
import { ExecuteDomainCommandHandler } from './execute-domain-command';
import { IdempotencyKeys } from './idempotency';

/** The command path shared by every feature: CommandBus (dispatch only), the generic handler, keys. */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [ExecuteDomainCommandHandler, IdempotencyKeys, CommandSender],
  exports: [CommandSender],
})
export class CommandsModule {}
