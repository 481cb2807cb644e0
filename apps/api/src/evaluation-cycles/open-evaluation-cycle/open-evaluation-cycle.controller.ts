import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, evaluationCycleDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { OpenEvaluationCycleDto } from './open-evaluation-cycle.dto';
import { Allow } from '../../auth/access.decorators';

/**
 * One cycle per kind and year: the decider sees one stream, so the id is derived from them
 * (`mid-term-2027`, `annual-review-2025`) and a second opening is refused (409 AggregateMustNotExistYet).
 * That also makes opening retry-safe without a client-chosen id.
 */
export function cycleIdOf(kind: string, year: number): string {
  return `${kind}-${year}`;
}

@ApiTags('evaluation-cycles')
@Allow('administrator')
@Controller('evaluation-cycles')
export class OpenEvaluationCycleController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Open an evaluation cycle (administrator); its id is <kind>-<year>, one cycle per kind and year' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async open(@Body() body: OpenEvaluationCycleDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { effectiveAt: _at, kind, year, scope, questions } = body;
    const cycleId = cycleIdOf(kind, year);
    const answer = await this.commands.send(request, response, evaluationCycleDecider, cycleId, {
      type: 'OpenEvaluationCycle',
      cycleId,
      kind,
      year,
      scope: { priorities: scope.priorities, priorityActionCommitmentIds: scope.priorityActionCommitmentIds ?? [] },
      questions,
      actor,
      at: effectiveAt(body),
    });
    response.setHeader('Location', `/evaluation-cycles/${cycleId}`);
    return { id: cycleId, ...answer };
  }
}
