import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { PARTY_KINDS, type PartyKind } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';
import { PartyIdentifiersDto } from '../identifiers.dto';

export class RegisterPartyDto extends CommandBody {
  @ApiPropertyOptional({ example: 'party-mel', description: 'Chosen by the client to make registration retry-safe; generated when absent.' })
  @IsOptional()
  @Matches(ID_PATTERN)
  partyId?: string;

  @ApiProperty({ example: 'Métropole Européenne de Lille', description: 'The organisation’s name (public data; no person is recorded)' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ enum: PARTY_KINDS, example: 'metropolis' })
  @IsIn(PARTY_KINDS)
  kind!: PartyKind;

  @ApiProperty({ type: PartyIdentifiersDto, example: { siren: '200093201' }, description: 'Give {} when none is known yet' })
  @IsObject()
  @ValidateNested()
  @Type(() => PartyIdentifiersDto)
  identifiers!: PartyIdentifiersDto;
}
