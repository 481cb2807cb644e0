import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, documentDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { RegisterDocumentDto } from './register-document.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('documents')
@Allow('administrator', 'body-secretary', 'signatory-representative')
@Controller('documents')
export class RegisterDocumentController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Register a document by its SHA-256 (its id): what it is, never its content (administrator, or a party for itself)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async register(@Body() body: RegisterDocumentDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { documentId, title, kind, mediaType, sizeBytes, registeredByPartyId } = body;
    const answer = await this.commands.send(request, response, documentDecider, documentId, {
      type: 'RegisterDocument',
      documentId,
      title,
      kind,
      mediaType,
      sizeBytes,
      registeredByPartyId,
      ...(body.public !== undefined && { public: body.public }),
      actor,
      at: effectiveAt(body),
    });
    response.setHeader('Location', `/documents/${documentId}`);
    return { id: documentId, ...answer };
  }
}
