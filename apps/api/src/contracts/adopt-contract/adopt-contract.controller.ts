import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, contractDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { AdoptContractDto } from './adopt-contract.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('contracts')
@Allow('administrator')
@Controller('contracts')
export class AdoptContractController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record the adoption of the contract: its components, six priorities, territory and signatories (administrator)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async adopt(@Body() body: AdoptContractDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { effectiveAt: _at, contractId = uuidv7(), ...terms } = body;
    const answer = await this.commands.send(request, response, contractDecider, contractId, {
      type: 'AdoptContract',
      contractId,
      ...terms,
      actor,
      at: effectiveAt(body),
    });
    response.setHeader('Location', `/contracts/${contractId}`);
    return { id: contractId, ...answer };
  }
}
