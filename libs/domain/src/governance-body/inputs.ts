import type { Actor } from '../shared/decider';
import { ensure } from '../shared/rules';
import { ID_PATTERN } from '../shared/values';

/**
 * Input guards shared by the GovernanceBody and Meeting deciders. Commands will come from HTTP bodies:
 * a missing field, a wrong type or a huge string becomes a DomainRuleError naming the field, never a
 * TypeError. Kept out of the aggregate modules so that `export *` from the package index cannot clash.
 */

const ID = ID_PATTERN;

/**
 * An identifier: letters, digits and `. _ : -`, at most 100 characters, no spaces. Member ids are
 * pseudonymous: a person's name never goes into an event (DESIGN §6).
 */
export function assertId(value: unknown, field: string): asserts value is string {
  ensure(
    typeof value === 'string' && ID.test(value),
    'ValueMustBeValid',
    `${field} must be an identifier (letters, digits, . _ : -, at most 100 characters), never a name`,
    field,
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertRecord(value: unknown, field: string, what: string): asserts value is Record<string, unknown> {
  ensure(isRecord(value), 'ValueMustBeValid', `${field} must be ${what}`, field);
}

export function assertBoolean(value: unknown, field: string): asserts value is boolean {
  ensure(typeof value === 'boolean', 'ValueMustBeValid', `${field} must be true or false`, field);
}

/** A whole number within [min, max]. */
export function assertInteger(value: unknown, field: string, min: number, max: number): asserts value is number {
  ensure(
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
    'ValueMustBeValid',
    `${field} must be a whole number from ${min} to ${max}`,
    field,
  );
}

export function assertList(value: unknown, field: string, min: number, max: number): asserts value is unknown[] {
  ensure(
    Array.isArray(value) && value.length >= min && value.length <= max,
    'ValueMustBeValid',
    `${field} must be a list of ${min} to ${max} entries`,
    field,
  );
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The shape every command shares: a type, the authenticated actor, the effective date `at` (ISO 8601). */
export function assertCommandShape(command: unknown): asserts command is { type: string; actor: Actor; at: string } {
  ensure(isRecord(command) && typeof command.type === 'string', 'ValueMustBeValid', 'a command is an object with a type', 'type');
  const actor = command.actor;
  ensure(
    isRecord(actor) && typeof actor.role === 'string' && typeof actor.subject === 'string',
    'ValueMustBeValid',
    'the command carries no authenticated actor',
    'actor',
  );
  const at = command.at;
  ensure(
    typeof at === 'string' && INSTANT.test(at) && !Number.isNaN(Date.parse(at)),
    'ValueMustBeValid',
    'at must be an ISO 8601 date or date-time with a time zone',
    'at',
  );
}

/** The calendar day after `date` (YYYY-MM-DD). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Own-property lookup: ids such as `constructor` must not find Object.prototype's members. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
