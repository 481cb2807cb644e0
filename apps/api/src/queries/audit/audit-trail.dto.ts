import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';

export class AuditTrailQuery {
  @ApiPropertyOptional({ description: 'One entity’s stream, e.g. commitment-mobilimel' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9]*(?:-[A-Za-z0-9._~:]+)+$/)
  streamId?: string;

  @ApiPropertyOptional({ description: 'Who acted: the actor’s subject' })
  @IsOptional()
  @Matches(/^[^\s]{1,200}$/)
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
  @Matches(/^[^\s]{1,200}$/)
  decision?: string;

  @ApiPropertyOptional({ description: 'From this date-time (inclusive), on `clock`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Up to this date-time (inclusive), on `clock`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    description:
      'The trail as of this date-time (ISO 8601 with a time zone), on `clock`: recorded clock, the lines the ledger held then (recordedAt ≤ asOf); ' +
      'effective clock, the lines in effect by then (occurredAt ≤ asOf)',
    example: '2025-01-01T00:00:00Z',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'asOf must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  asOf?: string;

  @ApiPropertyOptional({ enum: ['effective', 'recorded'], default: 'recorded', description: 'The clock of from, to and asOf' })
  @IsOptional()
  @IsIn(['effective', 'recorded'])
  clock?: 'effective' | 'recorded';

  @ApiPropertyOptional({ description: 'Lines after this seq (the nextCursor of the previous page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
