import { Module } from '@nestjs/common';

/** Parties (signatories and partners): one folder per use case. */
@Module({
  controllers: [],
})
export class PartiesModule {}
