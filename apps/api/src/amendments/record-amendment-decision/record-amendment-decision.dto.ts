import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { CommandBody, ID_PATTERN } from '../../shared/dto';

/**
 * Names the decision only: its facts (the body's function, the quorum, the outcome, what it was about)
 * are read from the meeting's record, never taken from the client.
 */
export class AmendmentDecisionDto extends CommandBody {
  @ApiProperty({ example: 'copil-2025-06-12', description: 'The meeting of the steering body where the decision was taken' })
  @Matches(ID_PATTERN)
  meetingId!: string;

  @ApiProperty({ example: 'decision-2025-06-12-1', description: 'The decision recorded at that meeting' })
  @Matches(ID_PATTERN)
  decisionId!: string;
}
