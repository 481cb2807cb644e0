import { Module } from '@nestjs/common';

/** The contract: adoption, signatures, local annexes, revision, closure: one folder per use case. */
@Module({
  controllers: [],
})
export class ContractsModule {}
