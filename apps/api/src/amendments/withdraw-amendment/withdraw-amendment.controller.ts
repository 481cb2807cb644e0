import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { type Actor, amendmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class WithdrawAmendmentDto extends CommandBody {
  @ApiProperty({ example: 'remplacé par l’avenant n° 2' })
  @IsString()
  @Length(1, 2_000)
  reason!: string;
}

@ApiTags('amendments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('amendments/:amendmentId/withdrawal')
export class WithdrawAmendmentController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Withdraw a proposed amendment (an administrator, or the party that proposed it)' })
  withdraw(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Body() body: WithdrawAmendmentDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, amendmentDecider, id, { type: 'WithdrawAmendment', amendmentId: id, reason: body.reason, actor, at: effectiveAt(body) });
  }
}
