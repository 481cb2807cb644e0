import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { type Actor, amendmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class SignAmendmentDto extends CommandBody {
  @ApiPropertyOptional({ type: String, nullable: true,
    example: 'party-caf',
    description:
      'Only for an administrator recording a paper signature: the party that signed, under the mandate named in the bearer token. ' +
      'A representative signs for the party of the bearer token and names no other.',
  })
  @IsOptional()
  @Matches(ID_PATTERN)
  onBehalfOfPartyId?: string | null;
}

@ApiTags('amendments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('amendments/:amendmentId/signatures')
export class SignAmendmentController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Sign an approved amendment for one’s party (an affected party, once)' })
  sign(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Body() body: SignAmendmentDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, amendmentDecider, id, {
      type: 'SignAmendment',
      amendmentId: id,
      ...(body.onBehalfOfPartyId != null && { onBehalfOfPartyId: body.onBehalfOfPartyId }),
      actor,
      at: effectiveAt(body),
    });
  }
}
