import { Module } from '@nestjs/common';
import { CorrectPartyIdentifiersController } from './correct-party-identifiers/correct-party-identifiers.controller';
import { RegisterPartyController } from './register-party/register-party.controller';
import { RenamePartyController } from './rename-party/rename-party.controller';

/** Parties (signatories and partners): one folder per use case. */
@Module({
  controllers: [RegisterPartyController, RenamePartyController, CorrectPartyIdentifiersController],
})
export class PartiesModule {}
