import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, amendmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { AmendmentEffects } from '../apply-amendment-effects/amendment-effects';
import { Allow } from '../../auth/access.decorators';

/**
 * Brings an approved amendment, signed by every affected party, into force; then applies its changes to
 * its targets (AmendmentEffects) in the same request. The answer is the amendment's (seq, ETag) with the
 * outcome of each effect; an effect a target refused, or one a crash left out, is applied later by
 * POST /amendments/:amendmentId/effects. A retry with the same Idempotency-Key replays the amendment's
 * answer and completes the effects.
 *
 * This synchronous step is interim: when projections arrive, a durable reaction to
 * AmendmentEnteredIntoForce from the store's subscription replaces it, and the effects endpoint remains
 * the recovery path until then.
 */
@ApiTags('amendments')
@ApiHeader({ name: 'If-Match', required: false, description: 'ETag (stream version) of the amendment' })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('amendments/:amendmentId/entry-into-force')
export class BringAmendmentIntoForceController {
  constructor(
    private readonly commands: CommandSender,
    private readonly effects: AmendmentEffects,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Bring an amendment signed by every affected party into force, and apply its changes to its targets (administrator)' })
  @ApiCreatedResponse({ description: 'The amendment’s events, stream version (ETag) and seq, and `effects`: the outcome of each target’s change' })
  async bringIntoForce(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Body() body: CommandBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const answer = await this.commands.send(req, res, amendmentDecider, id, { type: 'BringAmendmentIntoForce', amendmentId: id, actor, at: effectiveAt(body) });
    return { ...answer, effects: await this.effects.apply(id, actor) };
  }
}
