import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { MeetingReasonDto } from './meeting-lifecycle.dto';
import { Allow } from '../../auth/access.decorators';

/**
 * The lifecycle of a meeting (DESIGN §1), one endpoint per use case: convene, postpone, cancel, open the
 * session, close. Each answers 201 with the seq it produced; If-Match applies. Recorded by an
 * administrator or the secretary of the meeting's body.
 */
@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false, description: 'ETag (stream version) the change applies to' })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId')
export class MeetingLifecycleController {
  constructor(private readonly commands: CommandSender) {}

  @Post('convene')
  @ApiOperation({ summary: 'Convene a scheduled meeting (it has an agenda)' })
  convene(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, meetingDecider, id, { type: 'ConveneMeeting', meetingId: id, actor, at: effectiveAt(body) });
  }

  @Post('postpone')
  @ApiOperation({ summary: 'Postpone a meeting that has not voted' })
  postpone(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: MeetingReasonDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, meetingDecider, id, { type: 'PostponeMeeting', meetingId: id, reason: body.reason, actor, at: effectiveAt(body) });
  }

  @Post('cancel')
  @ApiOperation({ summary: 'Cancel a meeting that is scheduled, convened or postponed' })
  cancel(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: MeetingReasonDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, meetingDecider, id, { type: 'CancelMeeting', meetingId: id, reason: body.reason, actor, at: effectiveAt(body) });
  }

  @Post('open')
  @ApiOperation({ summary: 'Open the session of a convened meeting' })
  open(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, meetingDecider, id, { type: 'OpenSession', meetingId: id, actor, at: effectiveAt(body) });
  }

  @Post('close')
  @ApiOperation({ summary: 'Close a meeting in session' })
  close(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, meetingDecider, id, { type: 'CloseMeeting', meetingId: id, actor, at: effectiveAt(body) });
  }
}
