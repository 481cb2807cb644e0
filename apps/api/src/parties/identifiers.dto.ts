import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/**
 * How a party is identified in French public registers; each is absent or null when the party has none
 * (or when it is not known yet). The shape is checked here; the SIREN's Luhn key, and which identifier
 * fits which kind of party (an INSEE code is a commune's, an RNA number an association's), are the
 * domain's to check (422 ValueMustBeValid, naming `identifiers.<key>`).
 */
export class PartyIdentifiersDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: '200093201', description: 'SIREN: 9 digits, the last a Luhn key' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'siren must be 9 digits' })
  siren?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '59350', description: 'INSEE code of a commune (5 digits): communes only, and required for them' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'inseeCode must be the 5-digit INSEE code of a commune' })
  inseeCode?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'W595012345', description: 'RNA number of an association: W and 9 digits' })
  @IsOptional()
  @Matches(/^W\d{9}$/, { message: 'rna must be W followed by 9 digits' })
  rna?: string | null;
}
