import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { type Actor, commitmentDecider, type FundingTransaction } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class RecordFundingDto extends CommandBody {
  @ApiProperty({ enum: ['commitment', 'disbursement', 'expenditure'], description: 'IATI transaction type' })
  @IsIn(['commitment', 'disbursement', 'expenditure'])
  transaction!: FundingTransaction;

  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(2024)
  @Max(2030)
  year!: number;

  @ApiProperty({ example: 1_000_000, description: 'cents of euros' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountCents!: number;

  @ApiProperty({ example: 'party-caf', description: 'The funder: the owner or a co-funder' })
  @Matches(ID_PATTERN)
  partyId!: string;
}

@ApiTags('commitments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('commitments/:commitmentId/funding')
export class RecordFundingController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record money committed, disbursed or spent on a commitment, by its funder' })
  record(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: RecordFundingDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...funding } = body;
    return this.commands.send(req, res, commitmentDecider, id, { type: 'RecordFunding', commitmentId: id, ...funding, actor, at: effectiveAt(body) });
  }
}
