import { DomainRuleError, ensure } from './rules';

/** The two components of the contract (DESIGN §1) and the last day of each. */
export const COMPONENTS = {
  'contrat-de-ville': { start: '2024-01-01', end: '2030-12-31', lastYear: 2030 },
  'pacte-local-solidarites': { start: '2024-01-01', end: '2027-12-31', lastYear: 2027 },
} as const;
export type Component = keyof typeof COMPONENTS;

export const PRIORITY_NUMBERS = [1, 2, 3, 4, 5, 6] as const;

/** Identifiers of aggregates and of their parts: letters, digits and . _ : - (at most 100), no spaces (so no names). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** Money in integer cents of euros; never a float (DESIGN §1). */
export function assertCents(value: unknown, field: string): asserts value is number {
  ensure(Number.isSafeInteger(value) && (value as number) >= 0, 'MoneyIsInWholeCents', `${field} must be a whole number of cents ≥ 0`, field);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date YYYY-MM-DD that exists. */
export function assertDate(value: unknown, field: string): asserts value is string {
  const valid = typeof value === 'string' && ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  ensure(valid, 'ValueMustBeValid', `${field} must be a date YYYY-MM-DD`, field);
}

export function assertText(value: unknown, field: string, max = 2000): asserts value is string {
  ensure(typeof value === 'string' && value.trim().length > 0 && value.length <= max, 'ValueMustBeValid', `${field} must be a non-empty text of at most ${max} characters`, field);
}

export function assertOneOf<T extends string | number>(value: unknown, allowed: readonly T[], field: string): asserts value is T {
  ensure(allowed.includes(value as T), 'ValueMustBeValid', `${field} must be one of ${allowed.join(', ')}`, field);
}

/** A SHA-256 digest in lowercase hex: how documents are identified, never by their content. */
export function assertSha256(value: unknown, field: string): asserts value is string {
  ensure(typeof value === 'string' && /^[0-9a-f]{64}$/.test(value), 'ValueMustBeValid', `${field} must be a SHA-256 digest in lowercase hex`, field);
}

export function notFound(what: string): DomainRuleError {
  return new DomainRuleError('AggregateMustExist', `${what} does not exist`);
}
