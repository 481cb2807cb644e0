import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';
import { IdPagedReadQuery, ReadQuery } from '../read-query.dto';

export const AMENDMENT_STATUSES = ['proposed', 'approved', 'rejected', 'withdrawn', 'in_force'];

export class ListAmendmentsQuery extends IdPagedReadQuery {
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
}

export class AmendmentQuery extends ReadQuery {}
