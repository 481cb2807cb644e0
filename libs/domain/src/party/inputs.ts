import type { Actor, Role } from '../shared/decider';
import { ensure } from '../shared/rules';
import { ID_PATTERN } from '../shared/values';

/**
 * Validation of command inputs shared by the Party, Contract and Amendment deciders. Commands come from
 * HTTP bodies: any field may be missing, of the wrong type or huge. Each check below turns that into a
 * DomainRuleError `ValueMustBeValid` naming the field, never a TypeError.
 *
 * (Generic helpers: they belong with `shared/values.ts`, and live here until they are moved there.)
 */

const ROLES: readonly Role[] = ['administrator', 'body-secretary', 'signatory-representative', 'auditor', 'public'];

/** Identifiers of aggregates and of things inside them: they end up in stream ids (`party-<id>`). */
const ID = ID_PATTERN;

/** A value of unknown type, safe to put in a message: strings as they are (cut), others by their type. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 100 ? `${value.slice(0, 100)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : `(${Array.isArray(value) ? 'list' : typeof value})`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertRecord(value: unknown, field: string): asserts value is Record<string, unknown> {
  ensure(isRecord(value), 'ValueMustBeValid', `${field} must be an object`, field);
}

/** Refuses any key of `record` not in `allowed`, naming it (`changes.deleteEverything`). */
export function assertOnlyKeys(record: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(record)) {
    ensure(allowed.includes(key), 'ValueMustBeValid', `${field}.${key} is unknown; allowed: ${allowed.join(', ')}`, `${field}.${key}`);
  }
}

export function assertId(value: unknown, field: string): asserts value is string {
  ensure(
    typeof value === 'string' && ID.test(value),
    'ValueMustBeValid',
    `${field} must be an identifier of 1 to 100 letters, digits, '.', '_', ':' or '-'`,
    field,
  );
}

export function assertList(value: unknown, field: string, min = 0, max = 1000): asserts value is unknown[] {
  ensure(Array.isArray(value) && value.length >= min && value.length <= max, 'ValueMustBeValid', `${field} must be a list of ${min} to ${max} items`, field);
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

export function assertBoolean(value: unknown, field: string): asserts value is boolean {
  ensure(typeof value === 'boolean', 'ValueMustBeValid', `${field} must be true or false`, field);
}

export function assertYear(value: unknown, field: string, min = 2000, max = 2100): asserts value is number {
  ensure(Number.isInteger(value) && (value as number) >= min && (value as number) <= max, 'ValueMustBeValid', `${field} must be a year`, field);
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An ISO 8601 date and time with its offset, such as `2024-05-07T10:00:00+02:00`. */
export function assertInstant(value: unknown, field: string): asserts value is string {
  const match = typeof value === 'string' && value.length <= 40 ? INSTANT.exec(value) : null;
  const day = match?.[1];
  const valid = day !== undefined && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
  ensure(valid, 'ValueMustBeValid', `${field} must be an ISO 8601 date and time with its offset`, field);
}

/**
 * The calendar date of an instant as written, in its own offset: `2027-01-01T00:30:00+01:00` is
 * 1 January 2027 in Lille, which is the legal date, although it is still 2026 in UTC.
 */
export function dateOf(instant: string): string {
  return instant.slice(0, 10);
}

/** What every command carries: a known type is checked by the decider, the actor and date here. */
export function assertContext(command: unknown): void {
  assertRecord(command, 'command');
  const actor = command.actor as Partial<Actor> | undefined;
  ensure(
    isRecord(actor) && typeof actor.subject === 'string' && actor.subject.length > 0 && ROLES.includes(actor.role as Role),
    'ValueMustBeValid',
    'actor must be the authenticated actor (subject and role)',
    'actor',
  );
  assertInstant(command.at, 'at');
}

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
