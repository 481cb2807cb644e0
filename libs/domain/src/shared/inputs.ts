import type { Actor, Role } from './decider';
import { ensure } from './rules';
import { assertSha256, assertText, ID_PATTERN } from './values';

/**
 * Guards of command inputs, shared by every decider. Commands come from HTTP bodies: any field may be
 * missing, of the wrong type or huge. Each guard turns that into a DomainRuleError `ValueMustBeValid`
 * naming the field (a JSON path such as `body.members[2].memberId`), never a TypeError; no message
 * stringifies a value that has not been checked (quote one with `shown`).
 *
 * Internal to the domain: the package index does not export this module (the domain values and rules
 * other layers use are in `values.ts` and `rules.ts`).
 */

// ---- messages ---------------------------------------------------------------------------------

/**
 * A value of unknown type, safe to put in a message: strings as they are (cut at 100 characters),
 * numbers, booleans, null and undefined as written, anything else by its kind only, since an object
 * parsed from JSON may carry a `toString` that is not a function.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 100 ? `${value.slice(0, 100)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return '(a list)';
  return typeof value === 'object' ? '(an object)' : `(a ${typeof value})`;
}

// ---- what every command carries ---------------------------------------------------------------

const ROLES: readonly Role[] = ['administrator', 'body-secretary', 'signatory-representative', 'auditor', 'public'];

/**
 * The shape every command shares: an object with a type (whether the decider knows it is for the
 * decider to say), the authenticated actor (a subject and a known role) and the effective date `at`.
 */
export function assertContext(command: unknown): asserts command is { type: string; actor: Actor; at: string } {
  ensure(isRecord(command) && typeof command.type === 'string', 'ValueMustBeValid', 'a command is an object with a type', 'type');
  const actor = command.actor;
  ensure(
    isRecord(actor) && typeof actor.subject === 'string' && actor.subject.length > 0 && ROLES.includes(actor.role as Role),
    'ValueMustBeValid',
    'actor must be the authenticated actor (subject and role)',
    'actor',
  );
  assertInstant(command.at, 'at');
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An ISO 8601 date and time with its offset, such as `2024-05-07T10:00:00+02:00`, on a day that exists. */
export function assertInstant(value: unknown, field: string): asserts value is string {
  const match = typeof value === 'string' && value.length <= 40 ? INSTANT.exec(value) : null;
  const day = match?.[1];
  const valid = day !== undefined && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
  ensure(valid, 'ValueMustBeValid', `${field} must be an ISO 8601 date and time with its offset`, field);
}

/**
 * The calendar date (YYYY-MM-DD) of an instant as written, in its own offset: `2027-01-01T00:30:00+01:00`
 * is 1 January 2027 in Lille, which is the legal date, although it is still 2026 in UTC.
 */
export function dateOf(instant: unknown, field = 'at'): string {
  assertInstant(instant, field);
  return instant.slice(0, 10);
}

// ---- records ----------------------------------------------------------------------------------

/** An object that is not a list (nor null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `what` says what is expected, such as `a member: { memberId, partyId, votingRight }`. */
export function assertRecord(value: unknown, field: string, what = 'an object'): asserts value is Record<string, unknown> {
  ensure(isRecord(value), 'ValueMustBeValid', `${field} must be ${what}`, field);
}

/** Refuses any key of `record` not in `allowed`, naming it (`changes.deleteEverything`). */
export function assertOnlyKeys(record: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(record)) {
    ensure(allowed.includes(key), 'ValueMustBeValid', `${field}.${key} is unknown; allowed: ${allowed.join(', ')}`, `${field}.${key}`);
  }
}

/** Own-property lookup: ids such as `constructor` or `__proto__` must not find Object.prototype's members. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

// ---- identifiers ------------------------------------------------------------------------------

/**
 * An identifier of an aggregate or of a thing inside one (`ID_PATTERN`): it ends up in stream ids
 * (`party-<id>`). Member ids are pseudonymous: a person's name never goes into an event (DESIGN §6).
 */
export function assertId(value: unknown, field: string): asserts value is string {
  ensure(
    typeof value === 'string' && ID_PATTERN.test(value),
    'ValueMustBeValid',
    `${field} must be an identifier of 1 to 100 letters, digits, '.', '_', ':' or '-', never a name`,
    field,
  );
}

/** A list of distinct identifiers. */
export function assertIdList(value: unknown, field: string, min = 0, max = 1000): asserts value is string[] {
  assertList(value, field, min, max);
  const seen = new Set<string>();
  value.forEach((id, i) => {
    assertId(id, `${field}[${i}]`);
    ensure(!seen.has(id), 'ValueMustBeValid', `${field}[${i}] ${id} appears twice`, `${field}[${i}]`);
    seen.add(id);
  });
}

// ---- lists ------------------------------------------------------------------------------------

export function assertList(value: unknown, field: string, min = 0, max = 1000): asserts value is unknown[] {
  ensure(Array.isArray(value) && value.length >= min && value.length <= max, 'ValueMustBeValid', `${field} must be a list of ${min} to ${max} items`, field);
}

/**
 * A list of `min`..`max` items, distinct by `key`, each checked by `item` (given the field of the item,
 * such as `documentSha256s[2]`) and returned as `item` returns it.
 */
export function validateList<T>(
  value: unknown,
  field: string,
  min: number,
  max: number,
  item: (value: unknown, field: string) => T,
  key: (item: T) => unknown = (t) => t,
): T[] {
  assertList(value, field, min, max);
  const items: T[] = [];
  const keys = new Set<unknown>();
  value.forEach((v: unknown, i) => {
    const checked = item(v, `${field}[${i}]`);
    ensure(!keys.has(key(checked)), 'ValueMustBeValid', `${field}[${i}] appears twice`, `${field}[${i}]`);
    keys.add(key(checked));
    items.push(checked);
  });
  return items;
}

/** The item check of `validateList` for a list of texts of at most `max` characters. */
export function textItem(max: number): (value: unknown, field: string) => string {
  return (value, field) => {
    assertText(value, field, max);
    return value;
  };
}

// ---- scalars ----------------------------------------------------------------------------------

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

export function assertYear(value: unknown, field: string, min = 2000, max = 2100): asserts value is number {
  ensure(Number.isInteger(value) && (value as number) >= min && (value as number) <= max, 'ValueMustBeValid', `${field} must be a year`, field);
}

/** A text of at most `max` characters, or null when absent (undefined or null). */
export function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  assertText(value, field, max);
  return value;
}

/** A SHA-256 digest in lowercase hex, or null when absent (undefined or null). */
export function optionalSha256(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  assertSha256(value, field);
  return value;
}

// ---- free JSON --------------------------------------------------------------------------------

const MAX_JSON_DEPTH = 32;

/**
 * A free JSON object (not an array, not null), made only of JSON values, at most `maxChars` once
 * serialised and `MAX_JSON_DEPTH` levels deep, with at least one key.
 */
export function assertJsonObject(value: unknown, field: string, maxChars = 100_000): asserts value is Record<string, unknown> {
  ensure(isRecord(value) && Object.keys(value).length > 0, 'ValueMustBeValid', `${field} must be a non-empty JSON object`, field);
  ensure(isJson(value, 0), 'ValueMustBeValid', `${field} must hold only JSON values, at most ${MAX_JSON_DEPTH} levels deep`, field);
  ensure(JSON.stringify(value).length <= maxChars, 'ValueMustBeValid', `${field} must be at most ${maxChars} characters of JSON`, field);
}

function isJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  if (typeof value !== 'object') return false; // undefined, function, symbol, bigint
  const prototype = Object.getPrototypeOf(value);
  // A plain object's prototype is Object.prototype of some realm (vm contexts have their own), or null;
  // Date, Map and class instances have another prototype in between.
  if (prototype !== null && Object.getPrototypeOf(prototype) !== null) return false;
  return Object.values(value).every((item) => isJson(item, depth + 1));
}
