import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { type Actor, commitmentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class EvidenceDto {
  @ApiProperty({ description: 'SHA-256 of the document, lowercase hex: documents are identified, never stored' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex digits' })
  sha256!: string;

  @ApiProperty({ example: 'Bilan d’activité 2024' })
  @IsString()
  @Length(1, 300)
  title!: string;
}

export class ReportProgressDto extends CommandBody {
  @ApiProperty({ example: 'report-2024' })
  @Matches(ID_PATTERN)
  reportId!: string;

  @ApiProperty({ example: '2024' })
  @IsString()
  @Length(1, 50)
  period!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 10_000)
  summary!: string;

  @ApiProperty({ type: [EvidenceDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence!: EvidenceDto[];
}

@ApiTags('commitments')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'signatory-representative')
@Controller('commitments/:commitmentId/reports')
export class ReportProgressController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Report progress on one’s own commitment, with evidence identified by SHA-256' })
  report(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Body() body: ReportProgressDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { effectiveAt: _at, ...report } = body;
    return this.commands.send(req, res, commitmentDecider, id, { type: 'ReportProgress', commitmentId: id, ...report, actor, at: effectiveAt(body) });
  }
}
