import { ensure } from '../shared/rules';
import { assertOnlyKeys, assertRecord } from '../shared/inputs';

/**
 * How a party is identified in French public registers (DESIGN §1):
 * - SIREN: 9 digits, the last one a Luhn check digit (INSEE's Sirene register: every legal person);
 * - INSEE code of a commune (code officiel géographique): 5 digits, such as 59350 for Lille;
 * - RNA: W followed by 9 digits (répertoire national des associations).
 */
export interface PartyIdentifiers {
  siren: string | null;
  inseeCode: string | null;
  rna: string | null;
}

export const IDENTIFIER_KEYS = ['siren', 'inseeCode', 'rna'] as const;

/** The Luhn checksum over a string of digits (ISO/IEC 7812), as the SIREN uses it. */
export function luhnIsValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function isSiren(value: unknown): value is string {
  return typeof value === 'string' && /^\d{9}$/.test(value) && luhnIsValid(value);
}

export function isInseeCommuneCode(value: unknown): value is string {
  return typeof value === 'string' && /^\d{5}$/.test(value);
}

export function isRna(value: unknown): value is string {
  return typeof value === 'string' && /^W\d{9}$/.test(value);
}

export function assertSiren(value: unknown, field: string): asserts value is string {
  ensure(isSiren(value), 'ValueMustBeValid', `${field} must be a SIREN: 9 digits with a valid Luhn key`, field);
}

export function assertInseeCode(value: unknown, field: string): asserts value is string {
  ensure(isInseeCommuneCode(value), 'ValueMustBeValid', `${field} must be the INSEE code of a commune: 5 digits`, field);
}

export function assertRna(value: unknown, field: string): asserts value is string {
  ensure(isRna(value), 'ValueMustBeValid', `${field} must be an RNA number: W and 9 digits`, field);
}

/**
 * Reads `{ siren?, inseeCode?, rna? }` (absent or null for none) into the normalised form with nulls.
 * None may be known yet (the press kit names partners without their register numbers): the party is
 * then recorded with null identifiers, for an administrator to complete with CorrectPartyIdentifiers.
 */
export function parseIdentifiers(value: unknown, field = 'identifiers'): PartyIdentifiers {
  assertRecord(value, field);
  assertOnlyKeys(value, IDENTIFIER_KEYS, field);
  const read = (key: (typeof IDENTIFIER_KEYS)[number], check: (v: unknown, f: string) => void): string | null => {
    const v = value[key];
    if (v === undefined || v === null) return null;
    check(v, `${field}.${key}`);
    return v as string;
  };
  const identifiers: PartyIdentifiers = {
    siren: read('siren', assertSiren),
    inseeCode: read('inseeCode', assertInseeCode),
    rna: read('rna', assertRna),
  };
  return identifiers;
}
