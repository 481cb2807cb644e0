import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { type Actor, commitmentDecider, type MilestoneStatus } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class RecordMilestoneStatusDto extends CommandBody {
  @ApiProperty({ enum: ['scheduled', 'met', 'notMet', 'partiallyMet'], description: 'OCDS milestone status' })
  @IsIn(['scheduled', 'met', 'notMet', 'partiallyMet'])
  status!: MilestoneStatus;
}

@ApiTags('commitments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('commitments/:commitmentId/milestones/:milestoneId/status')
export class RecordMilestoneStatusController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record the status a milestone reached' })
  record(
    @Param('commitmentId', new IdPipe('commitmentId')) id: string,
    @Param('milestoneId', new IdPipe('milestoneId')) milestoneId: string,
    @Body() body: RecordMilestoneStatusDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.commands.send(req, res, commitmentDecider, id, { type: 'RecordMilestoneStatus', commitmentId: id, milestoneId, status: body.status, actor, at: effectiveAt(body) });
  }
}
