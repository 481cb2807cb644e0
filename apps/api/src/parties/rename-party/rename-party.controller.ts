import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { type Actor, partyDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class RenamePartyDto extends CommandBody {
  @ApiProperty({ example: 'France Travail' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ example: 'Pôle emploi devient France Travail le 1er janvier 2024' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

@ApiTags('parties')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('parties/:partyId/rename')
export class RenamePartyController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Rename a party, keeping its former names (administrator)' })
  rename(@Param('partyId', new IdPipe('partyId')) id: string, @Body() body: RenamePartyDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, partyDecider, id, { type: 'RenameParty', partyId: id, name: body.name, reason: body.reason, actor, at: effectiveAt(body) });
  }
}
