import { Module } from '@nestjs/common';
import { AddAgendaItemController } from './add-agenda-item/add-agenda-item.controller';
import { ApproveMinutesController } from './approve-minutes/approve-minutes.controller';
import { CheckQuorumController } from './check-quorum/check-quorum.controller';
import { MeetingLifecycleController } from './meeting-lifecycle/meeting-lifecycle.controller';
import { RecordAttendanceController } from './record-attendance/record-attendance.controller';
import { RecordDecisionController } from './record-decision/record-decision.controller';
import { RecordVoteController } from './record-vote/record-vote.controller';
import { RescheduleMeetingController } from './reschedule-meeting/reschedule-meeting.controller';
import { ScheduleMeetingController } from './schedule-meeting/schedule-meeting.controller';
import { TableMotionController } from './table-motion/table-motion.controller';

/** Meetings (séances) of the governance bodies: one folder per use case. */
@Module({
  controllers: [
    ScheduleMeetingController,
    AddAgendaItemController,
    MeetingLifecycleController,
    RescheduleMeetingController,
    RecordAttendanceController,
    CheckQuorumController,
    TableMotionController,
    RecordVoteController,
    RecordDecisionController,
    ApproveMinutesController,
  ],
})
export class MeetingsModule {}
