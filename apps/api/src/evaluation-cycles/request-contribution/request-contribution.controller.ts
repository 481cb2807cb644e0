import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { type Actor, evaluationCycleDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class RequestContributionDto extends CommandBody {
  @ApiProperty({ example: 'party-mel', description: 'The party asked to contribute' })
  @Matches(ID_PATTERN)
  partyId!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-03-31', description: 'Within the contract' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  dueDate?: string | null;
}

@ApiTags('evaluation-cycles')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('evaluation-cycles/:cycleId/contribution-requests')
export class RequestContributionController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Request the contribution of a party to an open evaluation cycle (administrator)' })
  request(@Param('cycleId', new IdPipe('cycleId')) id: string, @Body() body: RequestContributionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, evaluationCycleDecider, id, {
      type: 'RequestContribution',
      cycleId: id,
      partyId: body.partyId,
      dueDate: body.dueDate,
      actor,
      at: effectiveAt(body),
    });
  }
}
