import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, contractDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { CompleteRevisionDto, StartRevisionDto } from './contract-lifecycle.dto';
import { Allow } from '../../auth/access.decorators';

/**
 * The lifecycle of the contract after its signatures (DESIGN §1), one endpoint per use case: entry into
 * force, mid-term revision (from 2027: `effectiveAt` is the date checked), its completion, closure (from
 * 2030-12-31). All recorded by an administrator; each answers 201 with the seq it produced.
 */
@ApiTags('contracts')
@ApiHeader({ name: 'If-Match', required: false, description: 'ETag (stream version) the change applies to' })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('contracts/:contractId')
export class ContractLifecycleController {
  constructor(private readonly commands: CommandSender) {}

  @Post('entry-into-force')
  @ApiOperation({ summary: 'Bring the contract signed by all its parties into force (administrator)' })
  enterIntoForce(@Param('contractId', new IdPipe('contractId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, contractDecider, id, { type: 'EnterIntoForce', contractId: id, actor, at: effectiveAt(body) });
  }

  @Post('revisions')
  @ApiOperation({ summary: 'Start the mid-term revision of the contract in force, from 2027-01-01 (administrator)' })
  startRevision(@Param('contractId', new IdPipe('contractId')) id: string, @Body() body: StartRevisionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, contractDecider, id, { type: 'StartRevision', contractId: id, reason: body.reason, actor, at: effectiveAt(body) });
  }

  @Post('revisions/completion')
  @ApiOperation({ summary: 'Complete the revision under way with its conclusion; the contract is in force again (administrator)' })
  completeRevision(@Param('contractId', new IdPipe('contractId')) id: string, @Body() body: CompleteRevisionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, contractDecider, id, { type: 'CompleteRevision', contractId: id, conclusion: body.conclusion, actor, at: effectiveAt(body) });
  }

  @Post('closure')
  @ApiOperation({ summary: 'Close the contract, from the end of the contrat de ville (2030-12-31) (administrator)' })
  close(@Param('contractId', new IdPipe('contractId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, contractDecider, id, { type: 'CloseContract', contractId: id, actor, at: effectiveAt(body) });
  }
}
