import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';
import { ToInteger } from '../../shared/dto';
import { IdPagedReadQuery, ReadQuery } from '../read-query.dto';

const STATUSES = ['draft', 'proposed', 'adopted', 'in_progress', 'suspended', 'completed', 'withdrawn', 'superseded'];

export class ListCommitmentsQuery extends IdPagedReadQuery {
  @ApiPropertyOptional({
    description: 'Words to find in the title or the description (all of them; case and accents ignored)',
    example: 'mobilité jeunes',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$/, { message: 'q must hold a word and no control character' })
  q?: string;

  @ApiPropertyOptional({ example: 'party-mel' })
  @IsOptional()
  @Matches(ID_PATTERN)
  ownerPartyId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 6 })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(6)
  priority?: number;

  @ApiPropertyOptional({ description: 'An ambition of the enjeu, as the press kit words it (exact text)', example: 'lever les freins à la mobilité pour tous' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[^\x00-\x1f\x7f]*$/, { message: 'ambition must hold no control character' })
  ambition?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'QN05972M' })
  @IsOptional()
  @Matches(/^QN\d{5}[A-Z]$/)
  qpv?: string;

  @ApiPropertyOptional({ example: '59350', description: 'INSEE code' })
  @IsOptional()
  @Matches(/^\d{5}$/)
  commune?: string;

  @ApiPropertyOptional({ example: 2030 })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(2024)
  @Max(2030)
  horizon?: number;
}

/** One commitment, now or as of a date on either clock. */
export class CommitmentAsOfQuery extends ReadQuery {}
