import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { type Actor, evaluationCycleDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class CloseEvaluationCycleDto extends CommandBody {
  @ApiProperty()
  @IsString()
  @Length(1, 20_000)
  summary!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required for the mid-term evaluation: the capacity of droit commun policies to mobilise' })
  @IsOptional()
  @IsString()
  @Length(1, 20_000)
  droitCommunMobilisation?: string | null;

  @ApiPropertyOptional({ description: 'Required (at least one) for the mid-term evaluation: the orientations needed' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 5_000, { each: true })
  orientations?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'SHA-256 of the evaluation report, lowercase hex' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'reportSha256 must be 64 lowercase hex digits (SHA-256)' })
  reportSha256?: string | null;
}

@ApiTags('evaluation-cycles')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('evaluation-cycles/:cycleId/closure')
export class CloseEvaluationCycleController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Close an evaluation cycle with its conclusions; the parties whose contribution never came are recorded (administrator)' })
  close(@Param('cycleId', new IdPipe('cycleId')) id: string, @Body() body: CloseEvaluationCycleDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...conclusions } = body;
    return this.commands.send(req, res, evaluationCycleDecider, id, { type: 'CloseEvaluationCycle', cycleId: id, ...conclusions, actor, at: effectiveAt(body) });
  }
}
