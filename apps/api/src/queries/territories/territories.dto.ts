import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ReadQuery } from '../read-query.dto';

/** The contract's territory: its QPV (optionally those of one commune), now or as of a date. */
export class TerritoriesQuery extends ReadQuery {
  @ApiPropertyOptional({ example: '59512', description: 'Only the QPV lying in this commune (INSEE code)' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'commune must be an INSEE code (5 digits)' })
  commune?: string;
}

/** The contract as it stands, now or as of a date. */
export class ContractQuery extends ReadQuery {}
