import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { INSTANT_WITH_ZONE, IsInstantInRange, ToInteger } from '../../shared/dto';

/** An actor's subject or a decision's id: no white space nor control character (PostgreSQL text cannot hold NUL). */
const TOKEN = /^[^\s\x00-\x1f\x7f]{1,200}$/;

export class AuditTrailQuery {
  @ApiPropertyOptional({ description: 'One entity’s stream, e.g. commitment-mobilimel' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9]*(?:-[A-Za-z0-9._~:]+)+$/)
  streamId?: string;

  @ApiPropertyOptional({ description: 'Who acted: the actor’s subject' })
  @IsOptional()
  @Matches(TOKEN)
  actor?: string;

  @ApiPropertyOptional({ description: 'On whose behalf: the actor’s party' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/)
  partyId?: string;

  @ApiPropertyOptional({ description: 'What: an event type, e.g. CommitmentAmended' })
  @IsOptional()
  @Matches(/^[A-Z][A-Za-z0-9]{0,99}$/)
  type?: string;

  @ApiPropertyOptional({ description: 'Under which decision or amendment: a decisionId, an amendmentId or an actor’s mandate' })
  @IsOptional()
  @Matches(TOKEN)
  decision?: string;

  @ApiPropertyOptional({ description: 'From this date-time (inclusive, ISO 8601 with a time zone), on `clock`' })
  @IsOptional()
  @Matches(INSTANT_WITH_ZONE, { message: 'from must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantInRange()
  from?: string;

  @ApiPropertyOptional({ description: 'Up to this date-time (inclusive, ISO 8601 with a time zone), on `clock`' })
  @IsOptional()
  @Matches(INSTANT_WITH_ZONE, { message: 'to must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantInRange()
  to?: string;

  @ApiPropertyOptional({
    description:
      'The trail as of this date-time (ISO 8601 with a time zone), on `clock`: recorded clock, the lines the ledger held then (recordedAt ≤ asOf); ' +
      'effective clock, the lines in effect by then (occurredAt ≤ asOf)',
    example: '2025-01-01T00:00:00Z',
  })
  @IsOptional()
  @Matches(INSTANT_WITH_ZONE, { message: 'asOf must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantInRange()
  asOf?: string;

  @ApiPropertyOptional({ enum: ['effective', 'recorded'], default: 'recorded', description: 'The clock of from, to and asOf' })
  @IsOptional()
  @IsIn(['effective', 'recorded'])
  clock?: 'effective' | 'recorded';

  @ApiPropertyOptional({ description: 'Lines after this seq (the nextCursor of the previous page)' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
