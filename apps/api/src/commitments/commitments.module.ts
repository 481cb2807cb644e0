import { Module } from '@nestjs/common';
import { CommitmentLifecycleController } from './commitment-lifecycle/commitment-lifecycle.controller';
import { CorrectCommitmentController } from './correct-commitment/correct-commitment.controller';
import { DraftCommitmentController } from './draft-commitment/draft-commitment.controller';
import { RecordFundingController } from './record-funding/record-funding.controller';
import { RecordMilestoneStatusController } from './record-milestone-status/record-milestone-status.controller';
import { ReportProgressController } from './report-progress/report-progress.controller';
import { ScheduleMilestoneController } from './schedule-milestone/schedule-milestone.controller';

/** Commitments (engagements): one folder per use case. */
@Module({
  controllers: [
    DraftCommitmentController,
    CommitmentLifecycleController,
    ScheduleMilestoneController,
    RecordMilestoneStatusController,
    RecordFundingController,
    ReportProgressController,
    CorrectCommitmentController,
  ],
})
export class CommitmentsModule {}
