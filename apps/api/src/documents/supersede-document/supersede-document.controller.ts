import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { type Actor, documentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { AggregateReader } from '../../shared/aggregate-reader';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class SupersedeDocumentDto extends CommandBody {
  @ApiProperty({ description: 'The SHA-256 of the newer document, registered and current' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'supersededBy must be the SHA-256 of a document: 64 lowercase hex digits' })
  supersededBy!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'coquille sur le montant annuel' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string | null;
}

@ApiTags('documents')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary', 'signatory-representative')
@Controller('documents/:documentId/supersede')
export class SupersedeDocumentController {
  constructor(
    private readonly commands: CommandSender,
    private readonly reader: AggregateReader,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Supersede a document by a newer one, registered and current, read from its record (the registering party or an administrator)' })
  async supersede(@Param('documentId', new IdPipe('documentId')) id: string, @Body() body: SupersedeDocumentDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    // The successor's registration is a fact read from its stream, never from the request.
    const { state } = await this.reader.read(documentDecider, body.supersededBy);
    const successor = state.exists && state.documentId ? { documentId: state.documentId, supersededBy: state.supersededBy } : null;
    return this.commands.send(req, res, documentDecider, id, {
      type: 'SupersedeDocument',
      documentId: id,
      supersededBy: body.supersededBy,
      reason: body.reason ?? null,
      successor,
      actor,
      at: effectiveAt(body),
    });
  }
}
