import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, amendmentDecider, decisionFacts, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { AggregateReader } from '../../shared/aggregate-reader';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt, IdPipe } from '../../shared/dto';
import { AmendmentDecisionDto } from './record-amendment-decision.dto';
import { Allow } from '../../auth/access.decorators';

/**
 * Approval and rejection of an amendment by a decision of a governance body. The client names the
 * meeting and the decision; the facts of the decision come from the meeting's stream (`decisionFacts`,
 * 404 AggregateMustExist when the meeting took no such decision), and the Amendment decider judges them
 * (a steering body, quorum reached, about this amendment, with this outcome).
 */
@ApiTags('amendments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('amendments/:amendmentId')
export class RecordAmendmentDecisionController {
  constructor(
    private readonly commands: CommandSender,
    private readonly reader: AggregateReader,
  ) {}

  @Post('approval')
  @ApiOperation({ summary: 'Record the approval of an amendment by a decision of a steering body whose quorum was reached' })
  approve(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Body() body: AmendmentDecisionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.record('ApproveAmendment', id, body, actor, req, res);
  }

  @Post('rejection')
  @ApiOperation({ summary: 'Record the rejection of an amendment by a decision of a steering body whose quorum was reached' })
  reject(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Body() body: AmendmentDecisionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.record('RejectAmendment', id, body, actor, req, res);
  }

  private async record(type: 'ApproveAmendment' | 'RejectAmendment', amendmentId: string, body: AmendmentDecisionDto, actor: Actor, req: Request, res: Response) {
    const { state } = await this.reader.read(meetingDecider, body.meetingId);
    const decision = decisionFacts(state, body.decisionId);
    return this.commands.send(req, res, amendmentDecider, amendmentId, { type, amendmentId, decision, actor, at: effectiveAt(body) });
  }
}
