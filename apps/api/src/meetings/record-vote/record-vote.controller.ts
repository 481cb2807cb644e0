import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt, IdPipe } from '../../shared/dto';
import { RecordVoteDto } from './record-vote.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId/motions/:motionId/votes')
export class RecordVoteController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record the vote on a motion: each member’s vote and the counts, which must agree' })
  record(
    @Param('meetingId', new IdPipe('meetingId')) id: string,
    @Param('motionId', new IdPipe('motionId')) motionId: string,
    @Body() body: RecordVoteDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const votes = body.votes.map(({ memberId, option, proxyMemberId }) => ({ memberId, option, ...(proxyMemberId !== undefined && { proxyMemberId }) }));
    const counts = body.counts.map(({ option, value }) => ({ option, value }));
    return this.commands.send(req, res, meetingDecider, id, { type: 'RecordVote', meetingId: id, motionId, votes, counts, actor, at: effectiveAt(body) });
  }
}
