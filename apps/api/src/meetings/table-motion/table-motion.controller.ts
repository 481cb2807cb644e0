import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { type Actor, meetingDecider, MOTION_TARGET_KINDS, type MotionTargetKind } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class MotionTargetDto {
  @ApiProperty({ enum: MOTION_TARGET_KINDS })
  @IsIn(MOTION_TARGET_KINDS)
  kind!: MotionTargetKind;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'amendment-2025-01', description: 'The id of what the motion is about; absent or null only for kind other' })
  @IsOptional()
  @Matches(ID_PATTERN)
  id?: string | null;
}

export class TableMotionDto extends CommandBody {
  @ApiProperty({ example: 'motion-avenant-1' })
  @Matches(ID_PATTERN)
  motionId!: string;

  @ApiProperty({ example: 'Le comité de pilotage approuve l’avenant n°1 au contrat de ville et des solidarités.' })
  @IsString()
  @Length(1, 10_000)
  text!: string;

  @ApiProperty({ type: MotionTargetDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MotionTargetDto)
  target!: MotionTargetDto;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'odj-1', description: 'The agenda item the motion comes under' })
  @IsOptional()
  @Matches(ID_PATTERN)
  agendaItemId?: string | null;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId/motions')
export class TableMotionController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Table a motion about an amendment, a commitment, the contract or another subject' })
  table(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: TableMotionDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { motionId, text, target, agendaItemId } = body;
    return this.commands.send(req, res, meetingDecider, id, {
      type: 'TableMotion',
      meetingId: id,
      motionId,
      text,
      target: { kind: target.kind, id: target.id ?? null },
      agendaItemId: agendaItemId ?? null,
      actor,
      at: effectiveAt(body),
    });
  }
}
