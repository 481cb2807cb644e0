import { Module } from '@nestjs/common';

/** Amendments (avenants): proposal, decision, signatures, entry into force, effects: one folder per use case. */
@Module({
  controllers: [],
})
export class AmendmentsModule {}
