import { generateLocalTokenJwk, loadLocalTokenKey, type LocalTokenKey, signClaims } from '@mel/application';

/**
 * Bearer tokens for the tests: one local Ed25519 key per test process (LEDGER_AUTH_KEY, which the API
 * under test reads too), never a file. A test names who acts as an actor object, as before tokens.
 */
process.env.LEDGER_AUTH_KEY ??= JSON.stringify(generateLocalTokenJwk());

/** Who acts, as a test names it: a subject, a role, a party, a mandate (turned into token claims). */
export type TestActor = { subject?: string; role?: string; partyId?: string; mandate?: string };

/** An auditor: reads everything, writes nothing — the reader of the tests' GETs. */
export const auditor: TestActor = { subject: 'auditor-1', role: 'auditor' };

let key: LocalTokenKey | undefined;
const tokens = new Map<string, Promise<string>>();

export function testTokenKey(): LocalTokenKey {
  return (key ??= loadLocalTokenKey({ env: process.env, dataDir: '/nonexistent' }));
}

/** A token for `actor`, signed with the test key (claims unchecked: the API judges them), valid 8 hours. */
export function tokenFor(actor: TestActor): Promise<string> {
  const id = JSON.stringify(actor);
  let token = tokens.get(id);
  if (!token) tokens.set(id, (token = signClaims(testTokenKey(), actor)));
  return token;
}

/** The Authorization header of `actor` (none for null). */
export async function authorization(actor: TestActor | null = auditor): Promise<Record<string, string>> {
  return actor ? { authorization: `Bearer ${await tokenFor(actor)}` } : {};
}

/** fetch with `actor`'s token (an auditor's by default; null: no token). */
export async function fetchAs(url: string, init: RequestInit = {}, actor: TestActor | null = auditor): Promise<Response> {
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(await authorization(actor)) } });
}
