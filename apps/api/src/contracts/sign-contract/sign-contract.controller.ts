import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { type Actor, contractDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class SignContractDto extends CommandBody {
  @ApiPropertyOptional({
    example: 'party-etat',
    description:
      'Only for an administrator recording a party’s (paper) signature under the mandate of its token. A signatory ' +
      'representative signs for the party of its token and leaves this out (or names its own party).',
  })
  @IsOptional()
  @Matches(ID_PATTERN)
  onBehalfOfPartyId?: string;
}

@ApiTags('contracts')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('contracts/:contractId/signatures')
export class SignContractController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Sign the contract for the party of the actor’s token (or record a party’s signature, administrator under a mandate)' })
  sign(@Param('contractId', new IdPipe('contractId')) id: string, @Body() body: SignContractDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, contractDecider, id, {
      type: 'SignContract',
      contractId: id,
      ...(body.onBehalfOfPartyId !== undefined && { onBehalfOfPartyId: body.onBehalfOfPartyId }),
      actor,
      at: effectiveAt(body),
    });
  }
}
