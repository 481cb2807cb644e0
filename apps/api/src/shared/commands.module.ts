import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AggregateReader } from './aggregate-reader';
import { CommandSender } from './command-sender';
import { ExecuteDomainCommandHandler } from './execute-domain-command';
import { IdempotencyKeys } from './idempotency';

/** The command path shared by every feature: CommandBus (dispatch only), the generic handler, keys. */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [ExecuteDomainCommandHandler, IdempotencyKeys, CommandSender, AggregateReader],
  exports: [CommandSender, AggregateReader],
})
export class CommandsModule {}
