import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, governanceBodyDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { CreateGovernanceBodyDto, toQuorumRule } from './create-governance-body.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('governance')
@Allow('administrator')
@Controller('governance-bodies')
export class CreateGovernanceBodyController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Create a governance body (instance de gouvernance) with its function, quorum rule and conseil citoyen seats (administrator)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async create(@Body() body: CreateGovernanceBodyDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { effectiveAt: _at, bodyId = uuidv7(), name, function: fn, quorum, citizenSeats } = body;
    const answer = await this.commands.send(request, response, governanceBodyDecider, bodyId, {
      type: 'CreateGovernanceBody',
      bodyId,
      name,
      function: fn,
      quorum: toQuorumRule(quorum),
      ...(citizenSeats !== undefined && { citizenSeats }),
      actor,
      at: effectiveAt(body),
    });
    response.setHeader('Location', `/governance-bodies/${bodyId}`);
    return { id: bodyId, ...answer };
  }
}
