import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { type Actor, type DecisionOutcome, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

const OUTCOMES = ['approved', 'rejected'] as const satisfies readonly DecisionOutcome[];

export class RecordDecisionDto extends CommandBody {
  @ApiProperty({ example: 'decision-2025-06-12-1', description: 'The id by which amendments and commitments will cite the decision' })
  @Matches(ID_PATTERN)
  decisionId!: string;

  @ApiProperty({ example: 'motion-avenant-1', description: 'The motion put to the vote' })
  @Matches(ID_PATTERN)
  motionId!: string;

  @ApiPropertyOptional({ enum: OUTCOMES, description: 'The outcome the secretary expects; refused when the vote gives the other (yes > no approves)' })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: DecisionOutcome;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId/decisions')
export class RecordDecisionController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record the decision a vote gives, in a meeting whose quorum was reached' })
  record(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: RecordDecisionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { decisionId, motionId, outcome } = body;
    return this.commands.send(req, res, meetingDecider, id, {
      type: 'RecordDecision',
      meetingId: id,
      decisionId,
      motionId,
      ...(outcome !== undefined && { outcome }),
      actor,
      at: effectiveAt(body),
    });
  }
}
