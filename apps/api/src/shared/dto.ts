import type { PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';
import { RequestFieldError } from './problem-details';

/** An ISO 8601 date-time with a time zone, as command bodies give `effectiveAt` and queries `asOf`. */
export const INSTANT_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const FIRST_INSTANT = Date.parse('1000-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A date-time that is an instant of the years 1000 to 9999 once in UTC (not 9999-12-31T23:59-23:59,
 * which is in the year 10000): what JavaScript's toISOString and PostgreSQL both read back as written,
 * and what IsISO8601 reads at all (it refuses a year below 1000 as written). With the format's own
 * decorators (INSTANT_WITH_ZONE, IsISO8601), which name the other faults.
 */
export function IsInstantInRange(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstantInRange',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Date.parse(value) >= FIRST_INSTANT && Date.parse(value) <= LAST_INSTANT,
        defaultMessage: (args) => `${args?.property} must be an instant between 1000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z`,
      },
    },
    options,
  );
}

/**
 * A query or path integer, before @IsInt and its bounds: decimal digits only. Any other text is left as
 * it is for @IsInt to refuse — where Number() would read "" as 0, "0x10" as 16, "1e2" as 100 and
 * " 5" as 5 — and so is a repeated parameter (an array).
 */
export const ToInteger = (): PropertyDecorator => Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value));

/** What every command body may give: the effective (legal) date of what it records. */
export class CommandBody {
  @ApiPropertyOptional({
    description: 'Effective date and time (ISO 8601 with a time zone) of what is recorded; now when absent.',
    example: '2024-05-07T10:00:00+02:00',
  })
  @IsOptional()
  @Matches(INSTANT_WITH_ZONE, { message: 'effectiveAt must be an ISO 8601 date-time with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsInstantInRange()
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

/** The cursor of a list paginated by id (what readIdCursor reads back): the base64url of the last id. */
export function idCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/**
 * The id a list's cursor (`after`, the nextCursor of the previous page: an id in base64url) names;
 * anything else is refused (400), never handed to the database (which cannot hold a NUL, say).
 */
export function readIdCursor(after: string): string {
  const id = Buffer.from(after, 'base64url').toString('utf8');
  if (!ID_PATTERN.test(id)) throw new RequestFieldError('after', 'isCursorOfThisList', 'after must be the nextCursor of a page of this list');
  return id;
}

/**
 * For `@Query(NoQueryPipe)` on a route that takes no query parameter: any is refused (400
 * whitelistValidation), as the routes that take some refuse those they do not know.
 */
export class NoQueryPipe implements PipeTransform<Record<string, unknown>, Record<string, unknown>> {
  transform(query: Record<string, unknown>): Record<string, unknown> {
    const [name] = Object.keys(query ?? {});
    if (name !== undefined) throw new RequestFieldError(name, 'whitelistValidation', `property ${name} should not exist`);
    return query;
  }
}

export function effectiveAt(body: CommandBody): string {
  return body.effectiveAt ?? new Date().toISOString();
}
