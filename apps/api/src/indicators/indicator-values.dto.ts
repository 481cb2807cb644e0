import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, Matches, ValidateBy, type ValidationOptions } from 'class-validator';

/** Shared by the use cases that record a value of an indicator: its period and the shape of a value. */

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const SHA256 = /^[0-9a-f]{64}$/;
export const SHA256_MESSAGE = { message: '$property must be 64 lowercase hex digits (SHA-256)' };

/** A number for every measure but `qualitative`, whose values are texts: the Indicator decider checks which. */
export function IsIndicatorValue(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIndicatorValue',
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length >= 1 && value.length <= 10_000),
        defaultMessage: () => '$property must be a finite number, or a text of 1 to 10000 characters for a qualitative indicator',
      },
    },
    options,
  );
}

export const INDICATOR_VALUE_PROPERTY = {
  oneOf: [{ type: 'number' }, { type: 'string', minLength: 1, maxLength: 10_000 }],
  example: 42,
  description: 'A number that matches the measure (a percentage from 0 to 100, a whole count…); a text for a qualitative indicator',
};

/** A range of dates within the contract (IATI period-start / period-end), both inclusive. */
export class PeriodDto {
  @ApiProperty({ example: '2025-01-01' })
  @Matches(DATE, { message: 'start must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  start!: string;

  @ApiProperty({ example: '2025-12-31' })
  @Matches(DATE, { message: 'end must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  end!: string;
}
