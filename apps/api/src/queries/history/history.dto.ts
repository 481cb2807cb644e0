import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { INSTANT_WITH_ZONE, IsInstantInRange, ToInteger } from '../../shared/dto';

export { INSTANT_WITH_ZONE };

export const HISTORY_DEFAULT_LIMIT = 50;
export const HISTORY_MAX_LIMIT = 100;

export class EntityHistoryQuery {
  @ApiPropertyOptional({
    enum: ['effective', 'recorded'],
    default: 'effective',
    description:
      'effective: one entry per effective instant, the state in force from it as the ledger knows it now (corrections recorded later count from their effective date); ' +
      'recorded: one entry per event in seq order, what the ledger said once it was recorded',
  })
  @IsOptional()
  @IsIn(['effective', 'recorded'])
  clock?: 'effective' | 'recorded';

  @ApiPropertyOptional({ description: 'Only the entries up to this date-time (inclusive) on `clock`; ISO 8601 with a time zone', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @Matches(INSTANT_WITH_ZONE, { message: 'asOf must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantInRange()
  asOf?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (on the same clock)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: HISTORY_MAX_LIMIT, default: HISTORY_DEFAULT_LIMIT, description: 'Entries per page: each carries a whole state' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(HISTORY_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Accepted as on every query; the history is read from the log itself, which holds every seq a command answered' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(0)
  seq?: number;
}
