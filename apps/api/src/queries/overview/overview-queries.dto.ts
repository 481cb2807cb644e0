import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy, IsOptional, type ValidationOptions } from 'class-validator';
import { ReadQuery } from '../read-query.dto';

/** A calendar date YYYY-MM-DD that exists (not 2025-02-30). */
function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^\d{4}-\d{2}-\d{2}$/.test(value) &&
          !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
          new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value,
        defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD`,
      },
    },
    options,
  );
}

export class DashboardQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'Milestones due before this date (YYYY-MM-DD) and not met are late; default today (UTC)', example: '2024-09-03' })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}
