import fc from 'fast-check';
import { PostgresEventStore } from '@mel/event-store';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { tokenFor } from '../support/tokens';

/**
 * Bad input never reaches the store: malformed and hostile bodies, headers and path parameters sent to
 * every command endpoint of the OpenAPI document get a 4xx RFC 9457 answer, never a 5xx, and the
 * store's head does not move. New endpoints are covered as soon as they are documented.
 */
describe('hostile input to every command endpoint', () => {
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;
  let routes: string[];
  const tokens: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db);
    store = new PostgresEventStore({ connectionString: db.appUrl });
    tokens.push(await tokenFor({ subject: 'user-1', role: 'signatory-representative', partyId: 'party-mel' }), await tokenFor({ subject: 'user-2', role: 'administrator' }));
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(spec.paths)
      .filter(([, methods]) => 'post' in methods)
      .map(([path]) => path);
  });
  afterAll(async () => {
    await store?.close();
    await api?.close();
    await db?.drop();
  });

  it('finds the command endpoints in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });

  const hostileText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom("'; DROP TABLE event_store.events; --", '{{7*7}}', '../../etc/passwd', '\u0000', '\ud800', 'x'.repeat(5000), '%00', 'null'),
  );
  const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      hostileText,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(hostileText, fc.constantFrom('__proto__', 'constructor', 'title', 'priority', 'budget', 'amountCents', 'evidence', 'status')), tie('value'), { maxKeys: 5 }),
    ),
  })).value;
  const body = fc.oneof(
    hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
    hostileText, // not JSON at all, most of the time
    fc.constant('{"a":'.repeat(2000)), // deeply nested, unterminated
    fc.constant(`[${'['.repeat(5000)}${']'.repeat(5000)}]`), // deeply nested, valid
  );
  // The Authorization header: a valid token (a party's representative, an administrator), or junk.
  const actor = fc.oneof(
    fc.constantFrom(0, 1).map((i) => `Bearer ${tokens[i]}`),
    hostileText.map((t) => `Bearer ${t}`),
    fc.constantFrom(0, 1).map((i) => `Bearer ${tokens[i].slice(0, -3)}abc`), // badly signed
    hostileText,
    hostileValue.map((v) => JSON.stringify(v) ?? ''),
  );
  const pathParam = fc.oneof(fc.constantFrom('c-404', 'QN05972M', '..', '%2e%2e', '%FF', ' ', 'a'.repeat(300)), fc.string({ minLength: 1, maxLength: 20 }));

  it('answers 4xx problem details, never 5xx, and writes nothing', async () => {
    const head = await store.head();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        body,
        actor,
        pathParam,
        fc.option(fc.oneof(hostileText, fc.constantFrom('"1"', '"999"', 'W/"0"')), { nil: undefined }),
        fc.option(hostileText, { nil: undefined }),
        async (routeIndex, payload, actorHeader, param, ifMatch, idempotencyKey) => {
          const route = routes[routeIndex % routes.length];
          const path = route.replace(/\{[^}]+\}/g, () => encodeURIComponent(param).replace(/%25/g, '%'));
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          const safe = (v: string) => /^[\t\x20-\x7e]*$/.test(v) && v.length < 4000; // what fetch can send as a header
          if (safe(actorHeader)) headers.authorization = actorHeader;
          if (ifMatch !== undefined && safe(ifMatch)) headers['if-match'] = ifMatch;
          if (idempotencyKey !== undefined && safe(idempotencyKey)) headers['idempotency-key'] = idempotencyKey;
          const response = await fetch(`${api.url}${path}`, { method: 'POST', headers, body: payload });
          const text = await response.text();
          if (response.status >= 500 || response.status < 400) {
            throw new Error(`POST ${path} → ${response.status}: ${text.slice(0, 300)} (body ${payload.slice(0, 120)}…)`);
          }
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          const problem = JSON.parse(text);
          expect(problem).toMatchObject({ status: response.status, type: expect.any(String), title: expect.any(String) });
        },
      ),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 600) },
    );
    expect(await store.head()).toBe(head);
  });
});
