import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { type Actor, commitmentDecider, CORRECTABLE_FIELDS, type CorrectableField } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class CorrectCommitmentDto extends CommandBody {
  @ApiProperty({ description: 'eventId of the event of this commitment that the correction corrects' })
  @IsUUID()
  correctsEventId!: string;

  @ApiProperty({ enum: CORRECTABLE_FIELDS, description: 'Clerical fields only: legal terms change by amendment' })
  @IsIn(CORRECTABLE_FIELDS)
  field!: CorrectableField;

  @ApiProperty({ description: 'The corrected value of the field' })
  @IsDefined()
  value!: unknown;

  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

@ApiTags('commitments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('commitments/:commitmentId/corrections')
export class CorrectCommitmentController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Correct a clerical error in a commitment (no legal effect), naming the event corrected' })
  correct(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: CorrectCommitmentDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...correction } = body;
    return this.commands.send(req, res, commitmentDecider, id, { type: 'CorrectCommitment', commitmentId: id, ...correction, actor, at: effectiveAt(body) });
  }
}
