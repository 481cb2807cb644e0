import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsNumber, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { type Actor, indicatorDecider, type IndicatorValue } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { INDICATOR_VALUE_PROPERTY, IsIndicatorValue } from '../indicator-values.dto';
import { Allow } from '../../auth/access.decorators';

export class CorrectTargetDto extends CommandBody {
  @ApiProperty({ description: 'eventId of the TargetSet or TargetCorrected event that holds the period’s current target' })
  @IsUUID()
  correctsEventId!: string;

  @ApiProperty(INDICATOR_VALUE_PROPERTY)
  @IsDefined()
  @IsIndicatorValue()
  value!: IndicatorValue;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 50, description: 'The upper bound of a target range' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  upperValue?: number | null;

  @ApiPropertyOptional({ description: 'When given, must be the indicator’s unit' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unit?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 2_000)
  reason!: string;
}

@ApiTags('indicators')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('indicators/:indicatorId/target-corrections')
export class CorrectTargetController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Correct the current target of a period, naming the event corrected and why' })
  correct(@Param('indicatorId', new IdPipe('indicatorId')) id: string, @Body() body: CorrectTargetDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...correction } = body;
    return this.commands.send(req, res, indicatorDecider, id, { type: 'CorrectTarget', indicatorId: id, ...correction, actor, at: effectiveAt(body) });
  }
}
