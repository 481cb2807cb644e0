import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';

const STATUSES = ['draft', 'proposed', 'adopted', 'in_progress', 'suspended', 'completed', 'withdrawn', 'superseded'];

export class ReadYourWritesQuery {
  @ApiPropertyOptional({ description: 'Wait until the read models have applied this seq (a command’s answer), up to 2 s; else 503' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  seq?: number;
}

export class ListCommitmentsQuery extends ReadYourWritesQuery {
  @ApiPropertyOptional({ example: 'party-mel' })
  @IsOptional()
  @Matches(ID_PATTERN)
  ownerPartyId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 6 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(6)
  priority?: number;

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
  @Type(() => Number)
  @IsInt()
  @Min(2024)
  @Max(2030)
  horizon?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class CommitmentAsOfQuery extends ReadYourWritesQuery {
  @ApiPropertyOptional({ description: 'The state as of this date-time (ISO 8601 with a time zone)', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'asOf must carry a time zone' })
  asOf?: string;

  @ApiPropertyOptional({ enum: ['effective', 'recorded'], default: 'effective', description: 'effective: what was in force on that date; recorded: what the ledger said on that date' })
  @IsOptional()
  @IsIn(['effective', 'recorded'])
  clock?: 'effective' | 'recorded';
}
