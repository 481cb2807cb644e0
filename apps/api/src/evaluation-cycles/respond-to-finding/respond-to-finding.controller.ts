import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { type Actor, evaluationCycleDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class RespondToFindingDto extends CommandBody {
  @ApiPropertyOptional({
    example: 'party-mel',
    description: 'The responding party: the party of the bearer token when absent; an administrator names the party it records for',
  })
  @IsOptional()
  @Matches(ID_PATTERN)
  partyId?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 10_000)
  response!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'What the party plans to do about it' })
  @IsOptional()
  @IsString()
  @Length(1, 10_000)
  plannedAction?: string | null;
}

@ApiTags('evaluation-cycles')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('evaluation-cycles/:cycleId/findings/:findingId/responses')
export class RespondToFindingController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Respond to a finding that concerns one’s party (once)' })
  respond(
    @Param('cycleId', new IdPipe('cycleId')) id: string,
    @Param('findingId', new IdPipe('findingId')) findingId: string,
    @Body() body: RespondToFindingDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.commands.send(req, res, evaluationCycleDecider, id, {
      type: 'RespondToFinding',
      cycleId: id,
      findingId,
      partyId: (body.partyId ?? actor.partyId) as string,
      response: body.response,
      plannedAction: body.plannedAction,
      actor,
      at: effectiveAt(body),
    });
  }
}
