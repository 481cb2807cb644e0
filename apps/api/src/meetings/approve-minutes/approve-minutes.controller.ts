import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { type Actor, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class ApproveMinutesDto extends CommandBody {
  @ApiProperty({ example: 'd2a84f4b8b650937ec8f73cd8be2c74add5a911ba64df27458ed8229da804a26', description: 'SHA-256 of the minutes, lowercase hex: the minutes are identified, never stored' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'minutesSha256 must be 64 lowercase hex digits' })
  minutesSha256!: string;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId/minutes')
export class ApproveMinutesController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Approve the minutes (procès-verbal) of a closed meeting, identified by their SHA-256' })
  approve(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: ApproveMinutesDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, meetingDecider, id, { type: 'ApproveMinutes', meetingId: id, minutesSha256: body.minutesSha256, actor, at: effectiveAt(body) });
  }
}
