import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { type Actor, evaluationCycleDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class SubmitContributionDto extends CommandBody {
  @ApiPropertyOptional({
    example: 'party-mel',
    description: 'The contributing party: the party of the bearer token when absent; an administrator names the party it records for',
  })
  @IsOptional()
  @Matches(ID_PATTERN)
  partyId?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 10_000)
  summary?: string | null;

  @ApiProperty({ description: 'SHA-256 of the documents contributed, lowercase hex: documents are identified, never stored' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[0-9a-f]{64}$/, { each: true, message: 'each of documentSha256s must be 64 lowercase hex digits (SHA-256)' })
  documentSha256s!: string[];
}

@ApiTags('evaluation-cycles')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('evaluation-cycles/:cycleId/contributions')
export class SubmitContributionController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Submit the requested contribution of one’s party to an evaluation cycle (once)' })
  submit(@Param('cycleId', new IdPipe('cycleId')) id: string, @Body() body: SubmitContributionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, evaluationCycleDecider, id, {
      type: 'SubmitContribution',
      cycleId: id,
      // Without a party of its own (an administrator), the actor names one; the decider refuses none.
      partyId: (body.partyId ?? actor.partyId) as string,
      summary: body.summary,
      documentSha256s: body.documentSha256s,
      actor,
      at: effectiveAt(body),
    });
  }
}
