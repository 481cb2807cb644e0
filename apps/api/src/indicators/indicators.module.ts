import { Module } from '@nestjs/common';

/** Indicators: baseline, targets and actuals per period, corrections: one folder per use case. */
@Module({
  controllers: [],
})
export class IndicatorsModule {}
