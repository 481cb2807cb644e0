import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { type Actor, indicatorDecider, type IndicatorValue } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { DATE, INDICATOR_VALUE_PROPERTY, IsIndicatorValue } from '../indicator-values.dto';
import { Allow } from '../../auth/access.decorators';

export class SetBaselineDto extends CommandBody {
  @ApiProperty(INDICATOR_VALUE_PROPERTY)
  @IsDefined()
  @IsIndicatorValue()
  value!: IndicatorValue;

  @ApiProperty({ example: '2023-12-31', description: 'Date of the observation; it may precede the contract, not the command' })
  @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date!: string;

  @ApiPropertyOptional({ description: 'When given, must be the indicator’s unit' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unit?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2_000)
  comment?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required to replace a baseline already set (re-basing)' })
  @IsOptional()
  @IsString()
  @Length(1, 2_000)
  reason?: string | null;
}

@ApiTags('indicators')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('indicators/:indicatorId/baseline')
export class SetBaselineController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Set the baseline of an indicator (again, with a reason, to re-base it)' })
  set(@Param('indicatorId', new IdPipe('indicatorId')) id: string, @Body() body: SetBaselineDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...baseline } = body;
    return this.commands.send(req, res, indicatorDecider, id, { type: 'SetBaseline', indicatorId: id, ...baseline, actor, at: effectiveAt(body) });
  }
}
