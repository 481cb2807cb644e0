import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { type Actor, indicatorDecider, type IndicatorValue } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { INDICATOR_VALUE_PROPERTY, IsIndicatorValue, SHA256, SHA256_MESSAGE } from '../indicator-values.dto';
import { Allow } from '../../auth/access.decorators';

export class CorrectActualDto extends CommandBody {
  @ApiProperty({ description: 'eventId of the ActualRecorded or ActualCorrected event that holds the period’s current actual' })
  @IsUUID()
  correctsEventId!: string;

  @ApiProperty(INDICATOR_VALUE_PROPERTY)
  @IsDefined()
  @IsIndicatorValue()
  value!: IndicatorValue;

  @ApiPropertyOptional({ description: 'When given, must be the indicator’s unit' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unit?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'SHA-256 of the evidence; absent keeps the evidence of the actual corrected, null removes it',
  })
  @IsOptional()
  @Matches(SHA256, SHA256_MESSAGE)
  evidenceSha256?: string | null;

  @ApiProperty()
  @IsString()
  @Length(1, 2_000)
  reason!: string;
}

@ApiTags('indicators')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('indicators/:indicatorId/actual-corrections')
export class CorrectActualController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Correct the current actual of a period, naming the event corrected and why' })
  correct(@Param('indicatorId', new IdPipe('indicatorId')) id: string, @Body() body: CorrectActualDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, evidenceSha256, ...correction } = body;
    return this.commands.send(req, res, indicatorDecider, id, {
      type: 'CorrectActual',
      indicatorId: id,
      ...correction,
      // Absent keeps the evidence of the actual corrected; null removes it.
      ...(evidenceSha256 !== undefined && { evidenceSha256 }),
      actor,
      at: effectiveAt(body),
    });
  }
}
