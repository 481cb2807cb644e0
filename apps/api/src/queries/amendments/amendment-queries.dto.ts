import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';
import { ToInteger } from '../../shared/dto';
import { ReadQuery } from '../read-query.dto';

export const AMENDMENT_STATUSES = ['proposed', 'approved', 'rejected', 'withdrawn', 'in_force'];

export class ListAmendmentsQuery extends ReadQuery {
  @ApiPropertyOptional({ enum: AMENDMENT_STATUSES })
  @IsOptional()
  @IsIn(AMENDMENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'party-mel', description: 'A party the amendment affects (one that must sign it)' })
  @IsOptional()
  @Matches(ID_PATTERN)
  partyId?: string;

  @ApiPropertyOptional({ example: 'mobilimel', description: 'A commitment the amendment changes' })
  @IsOptional()
  @Matches(ID_PATTERN)
  commitmentId?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AmendmentQuery extends ReadQuery {}
