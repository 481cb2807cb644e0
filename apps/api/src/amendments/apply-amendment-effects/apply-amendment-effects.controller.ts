import { type ArgumentsHost, Body, Catch, type ExceptionFilter, Controller, Param, Post, UseFilters } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@mel/domain';
import type { Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { IdPipe } from '../../shared/dto';
import { type ProblemDetails, RequestFieldError } from '../../shared/problem-details';
import { AmendmentEffects, type EffectOutcome } from './amendment-effects';
import { Allow } from '../../auth/access.decorators';

/** Some target refused its change: the problem of the first, with what became of every effect. */
export class EffectsRefusedError extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly effects: EffectOutcome[],
  ) {
    super(problem.detail ?? problem.title);
  }
}

@Catch(EffectsRefusedError)
export class EffectsRefusedFilter implements ExceptionFilter {
  catch({ problem, effects }: EffectsRefusedError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(problem.status).type('application/problem+json').json({ ...problem, effects });
  }
}

/**
 * The recovery path of the effects of an amendment (see AmendmentEffects): applies the changes of an
 * amendment in force that are still missing from its targets, and writes nothing when none is. No body:
 * the effects take effect on the date the amendment entered into force.
 */
@ApiTags('amendments')
@Allow('administrator')
@Controller('amendments/:amendmentId/effects')
export class ApplyAmendmentEffectsController {
  constructor(private readonly effects: AmendmentEffects) {}

  @Post()
  @UseFilters(EffectsRefusedFilter)
  @ApiOperation({ summary: 'Apply the changes of an amendment in force to its contract and commitments, those not applied yet (safe to repeat)' })
  @ApiCreatedResponse({ description: 'Every effect, applied now or before (replayed: true), with its stream and seq' })
  async apply(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    const unknownField = body && typeof body === 'object' ? Object.keys(body)[0] : undefined;
    if (unknownField !== undefined) throw new RequestFieldError(unknownField, 'whitelistValidation', `property ${unknownField} should not exist: this command takes no body`);
    const effects = await this.effects.apply(id, actor);
    const refused = effects.find((e) => !e.applied);
    if (refused && !refused.applied) throw new EffectsRefusedError(refused.problem, effects);
    return { amendmentId: id, effects };
  }
}
