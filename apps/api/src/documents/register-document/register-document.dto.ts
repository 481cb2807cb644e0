import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DOCUMENT_KINDS, type DocumentKind } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';

export class RegisterDocumentDto extends CommandBody {
  @ApiProperty({
    example: '3f5a0c1e9b7d2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d',
    description: 'The SHA-256 of the document’s bytes, lowercase hex: it is the document’s id (the ledger never holds the content)',
  })
  @Matches(/^[0-9a-f]{64}$/, { message: 'documentId must be the SHA-256 of the document: 64 lowercase hex digits' })
  documentId!: string;

  @ApiProperty({ example: 'Contrat de ville et des solidarités — dossier de presse' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ enum: DOCUMENT_KINDS, example: 'report' })
  @IsIn(DOCUMENT_KINDS)
  kind!: DocumentKind;

  @ApiProperty({ example: 'application/pdf', description: 'type/subtype (RFC 6838), without parameters' })
  @Matches(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i, { message: 'mediaType must be a media type such as application/pdf' })
  mediaType!: string;

  @ApiProperty({ example: 2_483_117, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  sizeBytes!: number;

  @ApiProperty({ example: 'party-mel', description: 'The party the document is recorded for: the actor’s own party, unless the actor is an administrator' })
  @Matches(ID_PATTERN)
  registeredByPartyId!: string;

  @ApiPropertyOptional({ default: false, description: 'Open data lists public documents only' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}
