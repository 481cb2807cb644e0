import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, commitmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { AdoptCommitmentDto, CompleteCommitmentDto, ReasonDto } from './commitment-lifecycle.dto';
import { Allow } from '../../auth/access.decorators';

/**
 * The lifecycle of a commitment (DESIGN §1), one endpoint per use case: propose, adopt, start,
 * suspend, resume, complete, withdraw. Each answers 201 with the seq it produced; If-Match applies.
 */
@ApiTags('commitments')
@ApiHeader({ name: 'If-Match', required: false, description: 'ETag (stream version) the change applies to' })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('commitments/:commitmentId')
export class CommitmentLifecycleController {
  constructor(private readonly commands: CommandSender) {}

  @Post('propose')
  @ApiOperation({ summary: 'Propose a drafted commitment' })
  propose(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, commitmentDecider, id, { type: 'ProposeCommitment', commitmentId: id, actor, at: effectiveAt(body) });
  }

  @Allow('administrator', 'body-secretary')
  @Post('adopt')
  @ApiOperation({ summary: 'Adopt a proposed commitment (administration or a body secretary)' })
  adopt(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: AdoptCommitmentDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, commitmentDecider, id, { type: 'AdoptCommitment', commitmentId: id, decisionId: body.decisionId, actor, at: effectiveAt(body) });
  }

  @Post('start')
  @ApiOperation({ summary: 'Start an adopted commitment' })
  start(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, commitmentDecider, id, { type: 'StartCommitment', commitmentId: id, actor, at: effectiveAt(body) });
  }

  @Post('suspend')
  @ApiOperation({ summary: 'Suspend a commitment in progress' })
  suspend(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, commitmentDecider, id, { type: 'SuspendCommitment', commitmentId: id, reason: body.reason, actor, at: effectiveAt(body) });
  }

  @Post('resume')
  @ApiOperation({ summary: 'Resume a suspended commitment' })
  resume(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, commitmentDecider, id, { type: 'ResumeCommitment', commitmentId: id, actor, at: effectiveAt(body) });
  }

  @Post('complete')
  @ApiOperation({ summary: 'Complete a commitment with its outcome' })
  complete(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: CompleteCommitmentDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, commitmentDecider, id, {
      type: 'CompleteCommitment',
      commitmentId: id,
      outcome: body.outcome,
      summary: body.summary,
      actor,
      at: effectiveAt(body),
    });
  }

  @Post('withdraw')
  @ApiOperation({ summary: 'Withdraw a commitment that is not final' })
  withdraw(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: ReasonDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, commitmentDecider, id, { type: 'WithdrawCommitment', commitmentId: id, reason: body.reason, actor, at: effectiveAt(body) });
  }
}
