import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt, IdPipe } from '../../shared/dto';
import { RecordAttendanceDto } from './record-attendance.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId/attendance')
export class RecordAttendanceController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record who of the roster is present, absent, excused or represented by a proxy' })
  record(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: RecordAttendanceDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const attendance = body.attendance.map(({ memberId, status, proxyMemberId }) => ({ memberId, status, ...(proxyMemberId !== undefined && { proxyMemberId }) }));
    return this.commands.send(req, res, meetingDecider, id, { type: 'RecordAttendance', meetingId: id, attendance, actor, at: effectiveAt(body) });
  }
}
