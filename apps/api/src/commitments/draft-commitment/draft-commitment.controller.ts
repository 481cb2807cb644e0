import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, commitmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { DraftCommitmentDto } from './draft-commitment.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('commitments')
@Allow('administrator', 'signatory-representative')
@Controller('commitments')
export class DraftCommitmentController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Draft a commitment (engagement) of a party' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async draft(@Body() body: DraftCommitmentDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { effectiveAt: _at, commitmentId = uuidv7(), ...terms } = body;
    const answer = await this.commands.send(request, response, commitmentDecider, commitmentId, {
      type: 'DraftCommitment',
      commitmentId,
      actor,
      at: effectiveAt(body),
      ...terms,
    });
    response.setHeader('Location', `/commitments/${commitmentId}`);
    return { id: commitmentId, ...answer };
  }
}
