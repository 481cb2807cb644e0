import { ApiPropertyOptional } from '@nestjs/swagger';
import type { AsOf } from '@mel/projections';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { INSTANT_WITH_ZONE, IsInstantInRange, ToInteger } from '../shared/dto';

/**
 * What every read accepts (DESIGN §5): read-your-writes (`seq`), and the state as of a date on either
 * clock (`asOf`, `clock`).
 */
export class ReadQuery {
  @ApiPropertyOptional({ description: 'Wait until the read models have applied this seq (a command’s answer), up to 2 s; else 503. A seq beyond the ledger’s head is refused (400)' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(0)
  seq?: number;

  @ApiPropertyOptional({ description: 'The state as of this date-time (ISO 8601 with a time zone)', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @Matches(INSTANT_WITH_ZONE, { message: 'asOf must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantInRange()
  asOf?: string;

  @ApiPropertyOptional({
    enum: ['effective', 'recorded'],
    default: 'effective',
    description: 'With asOf. effective: what was in force on that date, corrections recorded since included; recorded: what the ledger said on that date',
  })
  @IsOptional()
  @IsIn(['effective', 'recorded'])
  clock?: 'effective' | 'recorded';
}

/** A read of a list paginated by an id cursor (`/commitments`, `/amendments`, `/indicators`). */
export class IdPagedReadQuery extends ReadQuery {
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

/** The calendar date (UTC) of a query: its asOf when it has one, otherwise today. */
export function dateOf(query: ReadQuery): string {
  return (query.asOf ? new Date(query.asOf) : new Date()).toISOString().slice(0, 10);
}

/** The query's date on its clock, when it has one. */
export function asOfOf(query: ReadQuery): AsOf | undefined {
  return query.asOf === undefined ? undefined : { clock: query.clock ?? 'effective', at: new Date(query.asOf).toISOString() };
}
