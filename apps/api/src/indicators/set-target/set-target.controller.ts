import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsNumber, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { type Actor, indicatorDecider, type IndicatorValue } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { INDICATOR_VALUE_PROPERTY, IsIndicatorValue, PeriodDto } from '../indicator-values.dto';
import { Allow } from '../../auth/access.decorators';

export class SetTargetDto extends CommandBody {
  @ApiProperty({ type: PeriodDto })
  @ValidateNested()
  @Type(() => PeriodDto)
  period!: PeriodDto;

  @ApiProperty({ ...INDICATOR_VALUE_PROPERTY, description: `${INDICATOR_VALUE_PROPERTY.description}; the lower bound when upperValue is given` })
  @IsDefined()
  @IsIndicatorValue()
  value!: IndicatorValue;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 50, description: 'The upper bound of a target range (“30 to 50 a year”)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  upperValue?: number | null;

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
}

@ApiTags('indicators')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('indicators/:indicatorId/targets')
export class SetTargetController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Set the target of an indicator for a period (once; a change is a target correction)' })
  set(@Param('indicatorId', new IdPipe('indicatorId')) id: string, @Body() body: SetTargetDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...target } = body;
    return this.commands.send(req, res, indicatorDecider, id, { type: 'SetTarget', indicatorId: id, ...target, actor, at: effectiveAt(body) });
  }
}
