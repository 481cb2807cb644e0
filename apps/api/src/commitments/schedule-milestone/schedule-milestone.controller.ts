import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsString, Length, Matches } from 'class-validator';
import { type Actor, commitmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class ScheduleMilestoneDto extends CommandBody {
  @ApiProperty({ example: 'ms-1' })
  @Matches(ID_PATTERN)
  milestoneId!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ example: '2025-06-30' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  dueDate!: string;
}

@ApiTags('commitments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('commitments/:commitmentId/milestones')
export class ScheduleMilestoneController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Schedule a milestone of a commitment (OCDS status starts at scheduled)' })
  schedule(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: ScheduleMilestoneDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...milestone } = body;
    return this.commands.send(req, res, commitmentDecider, id, { type: 'ScheduleMilestone', commitmentId: id, ...milestone, actor, at: effectiveAt(body) });
  }
}
