import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { type Actor, contractDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class AnnexLocalPartDto extends CommandBody {
  @ApiProperty({ example: '59350', description: 'INSEE code of a commune of the contract’s territory' })
  @Matches(/^\d{5}$/, { message: 'inseeCode must be the 5-digit INSEE code of a commune' })
  inseeCode!: string;

  @ApiProperty({ example: 'Volet local de Lille' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ description: 'SHA-256 of the deliberated document, lowercase hex' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'documentSha256 must be 64 lowercase hex digits' })
  documentSha256!: string;
}

@ApiTags('contracts')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('contracts/:contractId/local-annexes')
export class AnnexLocalPartController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Annex a commune’s volet local, once per commune; a later one comes through an amendment (administrator)' })
  annex(@Param('contractId', new IdPipe('contractId')) id: string, @Body() body: AnnexLocalPartDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { inseeCode, title, documentSha256 } = body;
    return this.commands.send(req, res, contractDecider, id, { type: 'AnnexLocalPart', contractId: id, inseeCode, title, documentSha256, actor, at: effectiveAt(body) });
  }
}
