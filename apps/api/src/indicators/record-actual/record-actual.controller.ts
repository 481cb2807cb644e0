import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { type Actor, indicatorDecider, type IndicatorValue } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { INDICATOR_VALUE_PROPERTY, IsIndicatorValue, PeriodDto, SHA256, SHA256_MESSAGE } from '../indicator-values.dto';
import { Allow } from '../../auth/access.decorators';

export class RecordActualDto extends CommandBody {
  @ApiProperty({ type: PeriodDto, description: 'A period that has begun' })
  @ValidateNested()
  @Type(() => PeriodDto)
  period!: PeriodDto;

  @ApiProperty(INDICATOR_VALUE_PROPERTY)
  @IsDefined()
  @IsIndicatorValue()
  value!: IndicatorValue;

  @ApiPropertyOptional({ description: 'When given, must be the indicator’s unit' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unit?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'SHA-256 of the evidence, lowercase hex: documents are identified, never stored' })
  @IsOptional()
  @Matches(SHA256, SHA256_MESSAGE)
  evidenceSha256?: string | null;

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
@Controller('indicators/:indicatorId/actuals')
export class RecordActualController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Record the actual value of an indicator for a period that has begun (once; a change is an actual correction)' })
  record(@Param('indicatorId', new IdPipe('indicatorId')) id: string, @Body() body: RecordActualDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...actual } = body;
    return this.commands.send(req, res, indicatorDecider, id, { type: 'RecordActual', indicatorId: id, ...actual, actor, at: effectiveAt(body) });
  }
}
