import type { PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';
import { RequestFieldError } from './problem-details';

/** What every command body may give: the effective (legal) date of what it records. */
export class CommandBody {
  @ApiPropertyOptional({
    description: 'Effective date and time (ISO 8601 with a time zone) of what is recorded; now when absent.',
    example: '2024-05-07T10:00:00+02:00',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'effectiveAt must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  effectiveAt?: string;
}

/** The domain's identifiers: letters, digits and . _ : - (at most 100). */
export { ID_PATTERN };

/** Path identifiers follow the domain's ID_PATTERN, so that they make valid stream ids. */
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!ID_PATTERN.test(value)) {
      throw new RequestFieldError(this.field, 'matches', `${this.field} must be 1 to 100 letters, digits or . _ : -`);
    }
    return value;
  }
}

export function effectiveAt(body: CommandBody): string {
  return body.effectiveAt ?? new Date().toISOString();
}
