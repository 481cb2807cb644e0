import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErasureIncompleteError, type ErasureOutcome, PersonErasure } from '@mel/application';
import type { Actor } from '@mel/domain';
import type { Request, Response } from 'express';
import { Allow } from '../../auth/access.decorators';
import { CurrentActor } from '../../shared/actor';
import { effectiveAt } from '../../shared/dto';
import { RuleProblem } from '../../shared/problem-details';
import { PersonIdPipe } from '../person-id.pipe';
import { ErasePersonDto } from './erase-person.dto';

@ApiTags('personal directory')
@Allow('administrator')
@Controller('directory/people/:personId/erasure')
export class ErasePersonController {
  constructor(private readonly erasure: PersonErasure) {}

  @Post()
  @ApiOperation({
    summary: 'Erase a person’s data (GDPR art. 17) (administrator)',
    description:
      'Records PersonDataErased { personId, reason, requestedAt } in the log (no personal data), then deletes the person’s entry from the ' +
      'directory. Read models and open data never held it; the log, the Merkle tree and the checkpoints are untouched, so every proof stays ' +
      'valid. The same as `ledger erase-person`. A second erasure is refused (409 PersonDataIsErasedOnce).',
  })
  @ApiCreatedResponse({ description: 'Erased now: { personId, outcome: "erased", seq, eventId, streamId, erasedAt, directoryRowDeleted }' })
  @ApiOkResponse({ description: 'An erasure the log recorded earlier, whose directory part had not run (a crash), finished now: outcome "completed"' })
  @ApiConflictResponse({ description: 'Problem details PersonDataIsErasedOnce: erased already; nothing written' })
  @ApiServiceUnavailableResponse({ description: 'Problem details ErasureMustBeFinished: the log records the erasure but the directory could not be updated; send the request again' })
  async erase(
    @Param('personId', new PersonIdPipe()) personId: string,
    @Body() body: ErasePersonDto,
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const correlation = request.headers['x-correlation-id'];
    let outcome: ErasureOutcome;
    try {
      outcome = await this.erasure.erase({
        personId,
        reason: body.reason,
        actor,
        at: effectiveAt(body),
        ...(typeof correlation === 'string' && correlation.length > 0 && { correlationId: correlation }),
      });
    } catch (error) {
      if (!(error instanceof ErasureIncompleteError)) throw error;
      throw new RuleProblem(
        503,
        'ErasureMustBeFinished',
        'The erasure is recorded but not finished',
        `the erasure of ${personId} is recorded in the log (seq ${error.seq}) but the directory could not be updated: send this request again to finish it (it will not be recorded twice)`,
        'personId',
        { seq: error.seq },
        1,
      );
    }
    response.status(outcome.outcome === 'erased' ? 201 : 200);
    return outcome;
  }
}
