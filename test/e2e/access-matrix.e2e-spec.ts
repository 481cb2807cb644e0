import { generateLocalTokenJwk, loadLocalTokenKey, signClaims } from '@mel/application';
import { seededApi } from '../support/seeded-api';
import { authorization, type TestActor, testTokenKey } from '../support/tokens';

/**
 * Who may do what (DESIGN §6, issue 6): every endpoint of the OpenAPI document against every role, no
 * token, and tokens that must not be accepted. The expected answer of each pair comes from the table
 * below — written from DESIGN §6 and the domain's rules, not read from the code's decorators — and an
 * endpoint the table does not classify fails the test. A refusal writes nothing.
 */
const A = 'administrator';
const S = 'body-secretary';
const R = 'signatory-representative';
const U = 'auditor';
const P = 'public';
const MEMBERS = [A, S, R, U];
type Expected = 'anyone' | string[];

/** Which roles may call each endpoint (method, OpenAPI path): the first rule that matches. */
const RULES: [method: 'get' | 'post' | 'delete' | 'any', path: RegExp, roles: Expected][] = [
  ['any', /^\/health$/, 'anyone'],
  ['get', /^\/open-data\//, 'anyone'],
  ['get', /^\/ledger\/receipts\//, MEMBERS], // a whole entry: its actor, drafts not yet public
  ['get', /^\/ledger\//, 'anyone'], // key, checkpoints, proofs: hashes and signatures, for anyone to verify
  ['post', /^\/ledger\/checkpoints\/\{size\}\/cosignatures$/, 'anyone'], // witnesses: their own signature is checked
  ['get', /^\/directory\//, MEMBERS],
  ['post', /^\/directory\/people$/, [A, R]],
  ['any', /^\/directory\/people\/\{personId\}(\/erasure)?$/, [A]],
  ['get', /^\/(territories|contract)$/, MEMBERS], // the contract's QPV and terms (issue 9): members' reads, not open data
  ['get', /./, MEMBERS],
  ['post', /^\/parties/, [A]],
  ['post', /^\/governance-bodies/, [A]],
  ['post', /^\/contracts\/\{contractId\}\/signatures$/, [A, R]],
  ['post', /^\/contracts/, [A]],
  ['post', /^\/commitments\/\{commitmentId\}\/adopt$/, [A, S]],
  ['post', /^\/commitments/, [A, R]],
  ['post', /^\/indicators/, [A, R]],
  ['post', /^\/meetings/, [A, S]],
  ['post', /^\/evaluation-cycles\/\{cycleId\}\/(contributions|findings\/\{findingId\}\/responses)$/, [A, R]],
  ['post', /^\/evaluation-cycles/, [A]],
  ['post', /^\/amendments$/, [A, S, R]],
  ['post', /^\/amendments\/\{amendmentId\}\/(approval|rejection)$/, [A, S]],
  ['post', /^\/amendments\/\{amendmentId\}\/(withdrawal|signatures)$/, [A, R]],
  ['post', /^\/amendments\//, [A]],
  ['post', /^\/documents/, [A, S, R]],
];

function expectedFor(method: string, path: string): Expected | undefined {
  return RULES.find(([m, re]) => (m === 'any' || m === method) && re.test(path))?.[2];
}

/** Path parameters: ids of the seeded contract where there is one, else an id that names nothing. */
const PARAMS: Record<string, string> = {
  commitmentId: 'mobilimel',
  partyId: 'party-mel',
  contractId: 'mel-2024',
  bodyId: 'copil-cvs',
  indicatorId: 'paniers-distribues',
  size: '1',
  seq: '1',
};
/** Ids that name nothing in the seed, in the shape their parameter takes. */
const UNSEEDED: Record<string, string> = { personId: 'person-00000000-0000-4000-8000-000000000000' };

const roles: [string, TestActor][] = [
  [A, { subject: 'admin-1', role: A }],
  [S, { subject: 'secretary-1', role: S, mandate: 'copil-cvs' }],
  [R, { subject: 'rep-1', role: R, partyId: 'party-mel' }],
  [U, { subject: 'auditor-1', role: U }],
  [P, { subject: 'citizen-1', role: P }],
];

describe('access: every endpoint against every role, and tokens that must be refused', () => {
  const ledger = seededApi();
  let endpoints: { method: string; path: string; url: string; expected: Expected; seeded: boolean }[];
  const refusedTokens: [string, () => Promise<string>][] = [
    ['expired', () => signClaims(testTokenKey(), { subject: 'admin-1', role: A }, { issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
    ['signed by another key', () => signClaims(loadLocalTokenKey({ env: { LEDGER_AUTH_KEY: JSON.stringify(generateLocalTokenJwk()) }, dataDir: '/nonexistent' }), { subject: 'admin-1', role: A })],
    ['for another audience', () => signClaims(testTokenKey(), { subject: 'admin-1', role: A }, { audience: 'another-api' })],
    ['from another issuer', () => signClaims(testTokenKey(), { subject: 'admin-1', role: A }, { issuer: 'https://idp.example' })],
    ['naming no known role', () => signClaims(testTokenKey(), { subject: 'admin-1', role: 'superuser' })],
    ['with a name as subject', () => signClaims(testTokenKey(), { subject: 'jeanne.exemple@lille.fr', role: A })],
    ['of a representative naming no party', () => signClaims(testTokenKey(), { subject: 'rep-2', role: R })],
  ];

  beforeAll(async () => {
    await ledger.get(`/commitments?seq=${await ledger.store.head()}`); // the read models have caught up with the seed
    const spec = (await (await fetch(`${ledger.api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    endpoints = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => {
        let seeded = true;
        const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          if (PARAMS[name]) return PARAMS[name];
          seeded = false;
          return UNSEEDED[name] ?? 'nothing-here';
        });
        const expected = expectedFor(method, path);
        if (!expected) throw new Error(`${method.toUpperCase()} ${path} is not in the access table of this test: say who may call it`);
        return { method, path, url, expected, seeded };
      }),
    );
  });

  const call = async (method: string, url: string, headers: Record<string, string>) => {
    const response = await fetch(`${ledger.api.url}${url}`, {
      method: method.toUpperCase(),
      headers: { ...headers, ...(method === 'get' ? {} : { 'content-type': 'application/json' }) },
      ...(method === 'get' ? {} : { body: '{}' }),
    });
    const text = await response.text();
    let body: { rule?: string } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: a checkpoint note, a ZIP
    }
    return { status: response.status, rule: body.rule, type: response.headers.get('content-type') ?? '' };
  };

  it('finds every endpoint in the OpenAPI document, each in the access table', () => {
    expect(endpoints.length).toBeGreaterThanOrEqual(90);
    expect(endpoints.filter((e) => e.method === 'post').length).toBeGreaterThanOrEqual(60);
  });

  it.each(roles)('as %s: 2xx on the reads allowed, past the gate on the writes allowed, 403 elsewhere, nothing written on a refusal', async (role, actor) => {
    const headers = await authorization(actor);
    const wrong: string[] = [];
    for (const endpoint of endpoints) {
      const allowed = endpoint.expected === 'anyone' || endpoint.expected.includes(role);
      const before = await ledger.store.head();
      const answer = await call(endpoint.method, endpoint.url, headers);
      const where = `${endpoint.method.toUpperCase()} ${endpoint.url} → ${answer.status} ${answer.rule ?? ''}`;
      if (!allowed) {
        if (answer.status !== 403 || !['RoleMayNotDoThis', 'OnlyAnAdministratorMayDoThis'].includes(answer.rule ?? '')) wrong.push(`${where}: expected 403`);
        if ((await ledger.store.head()) !== before) wrong.push(`${where}: wrote to the store`);
      } else if (endpoint.method === 'get' && endpoint.expected !== 'anyone') {
        // A read allowed answers 2xx for the seeded ids, 404 for an id that names nothing.
        const ok = endpoint.seeded ? answer.status >= 200 && answer.status < 300 : answer.status === 404;
        if (!ok) wrong.push(`${where}: expected ${endpoint.seeded ? '2xx' : '404'}`);
      } else if (answer.status === 401 || (answer.status === 403 && ['RoleMayNotDoThis', 'RouteMustHaveAnAccessRule'].includes(answer.rule ?? ''))) {
        // A write allowed passes the gate: its empty body is then judged on its merits (400, 404, 409…).
        wrong.push(`${where}: expected to pass the access check`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 with WWW-Authenticate, and writes nothing, without a token or with a token that must not be accepted', async () => {
    const attempts: [string, Record<string, string>][] = [
      ['no token', {}],
      ['not a bearer token', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['junk', { authorization: 'Bearer not.a.token' }],
      ...(await Promise.all(refusedTokens.map(async ([name, make]) => [name, { authorization: `Bearer ${await make()}` }] as [string, Record<string, string>]))),
    ];
    const wrong: string[] = [];
    for (const endpoint of endpoints) {
      for (const [name, headers] of attempts) {
        const before = await ledger.store.head();
        const answer = await call(endpoint.method, endpoint.url, headers);
        const where = `${name}: ${endpoint.method.toUpperCase()} ${endpoint.url} → ${answer.status} ${answer.rule ?? ''}`;
        if (endpoint.expected === 'anyone') {
          if (answer.status === 401 || answer.status === 403) wrong.push(`${where}: open to anyone`);
          continue;
        }
        if (answer.status !== 401 || !answer.type.includes('application/problem+json')) wrong.push(`${where}: expected 401 problem details`);
        if ((await ledger.store.head()) !== before) wrong.push(`${where}: wrote to the store`);
      }
    }
    expect(wrong).toEqual([]);
    const answer = await fetch(`${ledger.api.url}/commitments`);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="ledger"');
    const expired = await fetch(`${ledger.api.url}/commitments`, { headers: { authorization: `Bearer ${await refusedTokens[0][1]()}` } });
    expect({ status: expired.status, rule: ((await expired.json()) as { rule: string }).rule }).toEqual({ status: 401, rule: 'TokenMustNotBeExpired' });
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('access: each acts only within its own scope', () => {
  const ledger = seededApi();
  const post = async (path: string, body: object, actor: TestActor) => {
    const before = await ledger.store.head();
    const response = await fetch(`${ledger.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await authorization(actor)) }, body: JSON.stringify(body) });
    const answer = { status: response.status, rule: ((await response.json()) as { rule?: string }).rule };
    return { ...answer, wrote: (await ledger.store.head()) !== before };
  };
  const cafRep = { subject: 'rep-caf', role: R, partyId: 'party-caf' };
  const melRep = { subject: 'rep-mel', role: R, partyId: 'party-mel' };

  it('a representative of one party cannot create, report on or fund another party’s commitments, and its own party can', async () => {
    const draft = {
      commitmentId: 'mobilite-caf-test',
      title: 'Conseil en mobilité',
      description: 'Plateforme qui lève les freins à la mobilité.',
      ownerPartyId: 'party-mel',
      coFunderPartyIds: [],
      priority: 2,
      ambition: 'lever les freins à la mobilité pour tous et favoriser l’insertion des personnes en grande précarité',
      component: 'contrat-de-ville',
      horizon: 2030,
      scope: { qpv: ['QN05972M'], communes: ['59350'] },
      means: { droitCommunCents: 50_000_00, creditsSpecifiquesCents: 20_000_00 },
      budget: [{ year: 2024, amountCents: 70_000_00, status: 'committed' }],
      effectiveAt: '2024-06-03T09:00:00+02:00',
    };
    expect(await post('/commitments', draft, cafRep)).toEqual({ status: 403, rule: 'PartyActsOnlyForItself', wrote: false });
    const report = { reportId: 'r-caf', period: '2025', summary: 'rapport', evidence: [] };
    expect(await post('/commitments/mobilimel/reports', report, cafRep)).toEqual({ status: 403, rule: 'PartyActsOnlyForItself', wrote: false });
    expect(await post('/commitments/mobilimel/funding', { transaction: 'disbursement', year: 2025, amountCents: 100, partyId: 'party-mel' }, cafRep)).toEqual({
      status: 403,
      rule: 'PartyActsOnlyForItself',
      wrote: false,
    });
    expect(await post('/commitments/mobilimel/reports', report, melRep)).toMatchObject({ status: 201, wrote: true });
  });

  // Signing an amendment for another party (403 AmendmentIsSignedByAffectedParties, field onBehalfOfPartyId)
  // is shown by test/e2e/amendment-api.e2e-spec.ts, where amendments are proposed and signed.

  it('a secretary records the meetings of their own body only', async () => {
    const meeting = { meetingId: 'copil-2025-06', bodyId: 'copil-cvs', title: 'Comité de pilotage', date: '2025-06-12' };
    expect(await post('/meetings', meeting, { subject: 'secretary-suivi', role: S, mandate: 'comite-suivi-cvs' })).toEqual({ status: 403, rule: 'OnlyAnAdministratorMayDoThis', wrote: false });
    expect(await post('/meetings', meeting, { subject: 'secretary-copil', role: S, mandate: 'copil-cvs' })).toMatchObject({ status: 201, wrote: true });
  });

  it('an auditor and the public write nothing, even with a valid body', async () => {
    const report = { reportId: 'r-audit', period: '2025', summary: 'rapport', evidence: [] };
    expect(await post('/commitments/mobilimel/reports', report, { subject: 'auditor-2', role: U })).toEqual({ status: 403, rule: 'RoleMayNotDoThis', wrote: false });
    expect(await post('/commitments/mobilimel/reports', report, { subject: 'citizen-2', role: P })).toEqual({ status: 403, rule: 'RoleMayNotDoThis', wrote: false });
  });

  it('records the token’s actor in the envelope, whatever the body says', async () => {
    const answer = await post('/commitments/mobilimel/reports', { reportId: 'r-actor', period: '2026', summary: 'rapport', evidence: [], actor: { subject: 'someone-else', role: A } }, melRep);
    expect(answer).toMatchObject({ status: 400, wrote: false }); // a body naming an actor is refused: unknown field
    await post('/commitments/mobilimel/reports', { reportId: 'r-actor', period: '2026', summary: 'rapport', evidence: [] }, melRep);
    const [last] = (await ledger.store.readStream('commitment-mobilimel')).slice(-1);
    expect(last.actor).toEqual({ subject: 'rep-mel', role: R, partyId: 'party-mel' });
  });
});
