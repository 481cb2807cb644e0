import { Module } from '@nestjs/common';

/** Evaluation cycles: annual reviews, the 2027 mid-term evaluation, the final one: one folder per use case. */
@Module({
  controllers: [],
})
export class EvaluationCyclesModule {}
