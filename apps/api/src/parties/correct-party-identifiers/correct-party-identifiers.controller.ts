import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { type Actor, partyDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { PartyIdentifiersDto } from '../identifiers.dto';
import { Allow } from '../../auth/access.decorators';

export class CorrectPartyIdentifiersDto extends CommandBody {
  @ApiProperty({ type: PartyIdentifiersDto, description: 'The whole set of identifiers after the correction: an absent one becomes null' })
  @IsObject()
  @ValidateNested()
  @Type(() => PartyIdentifiersDto)
  identifiers!: PartyIdentifiersDto;

  @ApiProperty({ example: 'SIREN relevé dans le répertoire Sirene' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

@ApiTags('parties')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('parties/:partyId/identifier-corrections')
export class CorrectPartyIdentifiersController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Correct or complete the identifiers of a party (administrator)' })
  correct(@Param('partyId', new IdPipe('partyId')) id: string, @Body() body: CorrectPartyIdentifiersDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, partyDecider, id, {
      type: 'CorrectPartyIdentifiers',
      partyId: id,
      identifiers: { ...body.identifiers },
      reason: body.reason,
      actor,
      at: effectiveAt(body),
    });
  }
}
