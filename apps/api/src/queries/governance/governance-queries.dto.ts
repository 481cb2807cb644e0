import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';
import { ToInteger } from '../../shared/dto';
import { ReadQuery } from '../read-query.dto';

/** A calendar date YYYY-MM-DD that exists (not 2025-02-30): one error per field. */
function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value,
        defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD`,
      },
    },
    options,
  );
}

export class GovernanceBodyQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'The roster on this date (YYYY-MM-DD); default today', example: '2024-05-07' })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

export class ListMeetingsQuery extends ReadQuery {
  @ApiPropertyOptional({ example: 'copil-cvs' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'bodyId must be 1 to 100 letters, digits or . _ : -' })
  bodyId?: string;

  @ApiPropertyOptional({ description: 'Meetings on or after this date (YYYY-MM-DD)', example: '2025-01-01' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Meetings on or before this date (YYYY-MM-DD)', example: '2025-12-31' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
