import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { type Actor, evaluationCycleDecider, PRIORITY_NUMBERS } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class RecordFindingDto extends CommandBody {
  @ApiProperty({ example: 'finding-1', description: 'The id by which parties respond to it' })
  @Matches(ID_PATTERN)
  findingId!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 10_000)
  text!: string;

  @ApiPropertyOptional({ example: [2], description: 'The enjeux it is about' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PRIORITY_NUMBERS.length)
  @IsIn(PRIORITY_NUMBERS, { each: true })
  priorities?: number[];

  @ApiPropertyOptional({ example: ['mobilimel'], description: 'The commitments it is about' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(ID_PATTERN, { each: true })
  commitmentIds?: string[];

  @ApiProperty({ example: ['party-mel'], description: 'The parties asked to respond' })
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(ID_PATTERN, { each: true })
  concernedPartyIds!: string[];
}

@ApiTags('evaluation-cycles')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('evaluation-cycles/:cycleId/findings')
export class RecordFindingController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record a finding of an evaluation cycle, and the parties it concerns (administrator)' })
  record(@Param('cycleId', new IdPipe('cycleId')) id: string, @Body() body: RecordFindingDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...finding } = body;
    return this.commands.send(req, res, evaluationCycleDecider, id, { type: 'RecordFinding', cycleId: id, ...finding, actor, at: effectiveAt(body) });
  }
}
