import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, partyDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { RegisterPartyDto } from './register-party.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('parties')
@Allow('administrator')
@Controller('parties')
export class RegisterPartyController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Register a party (signatory or partner) with its SIREN, INSEE code or RNA number (administrator)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async register(@Body() body: RegisterPartyDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { partyId = uuidv7(), name, kind, identifiers } = body;
    const answer = await this.commands.send(request, response, partyDecider, partyId, {
      type: 'RegisterParty',
      partyId,
      name,
      kind,
      identifiers: { ...identifiers },
      actor,
      at: effectiveAt(body),
    });
    response.setHeader('Location', `/parties/${partyId}`);
    return { id: partyId, ...answer };
  }
}
