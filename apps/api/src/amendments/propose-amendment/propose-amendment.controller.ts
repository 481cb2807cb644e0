import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, amendmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { ProposeAmendmentDto } from './propose-amendment.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('amendments')
@Allow('administrator', 'body-secretary', 'signatory-representative')
@Controller('amendments')
export class ProposeAmendmentController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Propose an amendment (avenant) to the contract and/or commitments, with the change to each target' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async propose(@Body() body: ProposeAmendmentDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { effectiveAt: _at, amendmentId = uuidv7(), ...proposal } = body;
    const answer = await this.commands.send(request, response, amendmentDecider, amendmentId, {
      type: 'ProposeAmendment',
      amendmentId,
      actor,
      at: effectiveAt(body),
      ...proposal,
    });
    response.setHeader('Location', `/amendments/${amendmentId}`);
    return { id: amendmentId, ...answer };
  }
}
