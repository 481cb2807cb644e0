import { Module } from '@nestjs/common';
import { CorrectActualController } from './correct-actual/correct-actual.controller';
import { CorrectTargetController } from './correct-target/correct-target.controller';
import { DefineIndicatorController } from './define-indicator/define-indicator.controller';
import { RecordActualController } from './record-actual/record-actual.controller';
import { SetBaselineController } from './set-baseline/set-baseline.controller';
import { SetTargetController } from './set-target/set-target.controller';

/** Indicators: baseline, targets and actuals per period, corrections: one folder per use case. */
@Module({
  controllers: [
    DefineIndicatorController,
    SetBaselineController,
    SetTargetController,
    RecordActualController,
    CorrectTargetController,
    CorrectActualController,
  ],
})
export class IndicatorsModule {}
