import { Module } from '@nestjs/common';
import { CloseEvaluationCycleController } from './close-evaluation-cycle/close-evaluation-cycle.controller';
import { OpenEvaluationCycleController } from './open-evaluation-cycle/open-evaluation-cycle.controller';
import { RecordFindingController } from './record-finding/record-finding.controller';
import { RequestContributionController } from './request-contribution/request-contribution.controller';
import { RespondToFindingController } from './respond-to-finding/respond-to-finding.controller';
import { SubmitContributionController } from './submit-contribution/submit-contribution.controller';

/** Evaluation cycles: annual reviews, the 2027 mid-term evaluation, the final one: one folder per use case. */
@Module({
  controllers: [
    OpenEvaluationCycleController,
    RequestContributionController,
    SubmitContributionController,
    RecordFindingController,
    RespondToFindingController,
    CloseEvaluationCycleController,
  ],
})
export class EvaluationCyclesModule {}
