import { parse as parseQuery } from 'node:querystring';
import fc from 'fast-check';
import { ID_PATTERN, PERSON_ID_PATTERN } from '@mel/domain';
import { seededApi } from '../support/seeded-api';
import {
  CaseCounter,
  DATEISH,
  encode,
  expectShareOfCases,
  type HostileCaller,
  hostileCallers,
  hostileText,
  hostileUrlValue,
  INJECTIONS,
  NUMBERISH,
  problemFault,
  PROPERTY_TIMEOUT,
  runs,
  sendableHeader,
  UNICODE_EDGES,
} from '../support/hostile';

/**
 * Hostile input to every read (issue 7, part 4): every GET endpoint of the OpenAPI document, each of
 * its query parameters and path parameters, with the tokens of every role and junk tokens. An oracle
 * written from the DTOs' contracts says, for each request, whether it is valid; then:
 * - a valid request answers 200 (or the 404 of a thing that does not exist, or the ledger's own rules
 *   on tree sizes), and an invalid one a 4xx: never a 2xx for an input that is not valid;
 * - every refusal is a 4xx application/problem+json naming a rule; never a 5xx;
 * - the store's head does not move (checked after each property and sweep).
 *
 * Two parts: a sweep that gives every documented parameter (and every path parameter) each value of a
 * core hostile list once, and a fast-check property that draws routes, callers, parameters (documented,
 * unknown, repeated, with array or object syntax), values (valid, hostile text, raw %-escapes, numbers
 * and dates out of range) at random. The requests and the cases are counted; the suite asserts its
 * share of the ≥ 10,000 hostile cases per CI run (test/support/hostile.ts). HOSTILE_SOAK=1 multiplies
 * the runs by 20 for a longer soak (HOSTILE_SOAK=N by N).
 *
 * Decisions (what is valid):
 * - Unknown query parameters are refused (400 whitelistValidation), on every route, including those
 *   that take none (the ledger's key, checkpoints, receipts, a person of the directory) — except
 *   /health, whose answer never depends on its query (probes add what they like).
 * - Express 5 parses query strings with Node's querystring ("simple"), not qs: `a[]=1` and `a[b]=1` are
 *   parameters named "a[]" and "a[b]" (unknown: 400); a repeated parameter `a=1&a=2` is an array, which
 *   no parameter accepts (400). Invalid %-escapes in a query (%ED%A0%80, %C0%AF, %FF) read as U+FFFD.
 * - Integers (seq, limit, priority, horizon, after, before, size, index, from, to) are decimal digits
 *   only: not "", " 5", "0x10", "1e2", "1.0", "+5" nor full-width digits; within their bounds.
 * - seq names a seq a command answered: beyond the store's head it is refused (400
 *   SeqMustNotExceedTheHead), at once, rather than waited for 2 s and answered 503.
 * - Instants (asOf, the audit trail's from and to) are ISO 8601 date-times with a time zone and a real
 *   date, within the years 1000–9999 (written, and once in UTC; class-validator's IsISO8601 reads no
 *   year below 1000): +275760-09-13, 9999-12-31T23:59-23:59 (the year 10000 in UTC), 0099-…, week and
 *   ordinal dates, a space for the T are refused. Offsets up to ±23:59 are valid (ISO 8601), though
 *   PostgreSQL reads none beyond ±15:59: the API hands it UTC. An asOf before 2024 is valid: it answers
 *   the state before the contract (empty lists, 404 for one thing).
 * - Calendar dates (on, from, to of meetings) are YYYY-MM-DD of a real day; 0000-01-01 is one (ISO
 *   8601's year 0) and simply matches nothing.
 * - Free text filters (ambition) hold no control character (NUL cannot reach PostgreSQL); other text —
 *   injection-shaped, RTL overrides, emoji, combining marks — is valid and simply matches nothing.
 * - A list's cursor (`after`) is the base64url of an id; one that decodes to anything else is refused
 *   (400), as a history's cursor already was.
 * - A path whose %-escapes are no UTF-8 (%FF, %C0%AF) is refused by Express (400
 *   RequestMustBeWellFormed, named by the problem details filter); dot segments ('..', %2e%2e) are
 *   resolved by the client before sending, so the sweep does not send them as parameters (a separate
 *   test sends traversal-shaped paths and expects problem details).
 */
describe('hostile input to every read endpoint', () => {
  const ledger = seededApi();
  const counter = new CaseCounter('hostile-reads');
  const startedAt = Date.now();
  let routes: ReadRoute[] = [];
  let callers: HostileCaller[] = [];
  let facts: Facts;

  beforeAll(async () => {
    const head = await ledger.store.head();
    expect((await ledger.get(`/commitments?seq=${head}`)).status).toBe(200); // the read models are there
    const spec = (await (await fetch(`${ledger.api.url}/openapi.json`)).json()) as OpenApi;
    routes = Object.entries(spec.paths)
      .filter(([, methods]) => 'get' in methods)
      .map(([path, methods]) => ({
        path,
        query: (methods.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true })),
        pathParams: (methods.get!.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      }));
    callers = (await hostileCallers()).filter((c) => c.authorization === undefined || sendableHeader(c.authorization));
    facts = await learnFacts(head);
  });

  /** GET `path` as `caller`, counted; the answer's status, content type and text. */
  async function send(path: string, caller: HostileCaller): Promise<Answer> {
    const response = await fetch(`${ledger.api.url}${path}`, { headers: caller.authorization === undefined ? {} : { authorization: caller.authorization } });
    const text = await response.text();
    counter.add(response.status);
    return { status: response.status, contentType: response.headers.get('content-type'), text, headers: response.headers };
  }

  /** Sends one request and checks its answer against the oracle; a description of the fault, or undefined. */
  async function check(route: ReadRoute, rawPath: Record<string, string>, pairs: [string, string | undefined][], caller: HostileCaller): Promise<string | undefined> {
    const url = urlOf(route, rawPath, pairs);
    const sent = new URL(`${ledger.api.url}${url}`);
    const expectation = expect_(route, rawPath, sent.search.slice(1), caller);
    const answer = await send(url, caller);
    const fault = judge(expectation, answer);
    return fault && `GET ${url} as ${caller.label} → ${answer.status} ${answer.text.slice(0, 240)}: ${fault} (expected ${JSON.stringify(expectation)})`;
  }

  /** What the API must answer, from the DTOs' contracts and the seeded ledger's facts. */
  function expect_(route: ReadRoute, rawPath: Record<string, string>, search: string, caller: HostileCaller): Expectation {
    const decoded: Record<string, string> = {};
    for (const [name, raw] of Object.entries(rawPath)) {
      try {
        decoded[name] = decodeURIComponent(raw);
      } catch {
        return { statuses: [400], rule: 'RequestMustBeWellFormed' };
      }
    }
    if (route.path === '/health') return { statuses: [200] };
    if (!isPublic(route.path)) {
      if (caller.kind === 'refused') return { statuses: [401] };
      if (caller.kind === 'public') return { statuses: [403], rule: 'RoleMayNotDoThis' };
    }
    const invalid: Expectation = { statuses: [400], type: 'RequestMustBeValid' };
    for (const [name, value] of Object.entries(decoded)) if (!pathKind(name).check(value, {})) return invalid;
    const query = parseQuery(search) as Record<string, string | string[]>;
    const known = new Map(route.query.map((p) => [p.name, p]));
    for (const [name, value] of Object.entries(query)) {
      const kind = known.has(name) ? queryKind(route.path, name) : undefined;
      if (!kind || typeof value !== 'string' || !kind.check(value, query as Record<string, string>)) return invalid;
    }
    for (const p of route.query) if (p.required && query[p.name] === undefined) return invalid;
    return semantics(route, decoded, query as Record<string, string>) ?? invalid;
  }

  /** Beyond the DTOs: what each route refuses or answers for a valid request (undefined: refused 400). */
  function semantics(route: ReadRoute, path: Record<string, string>, query: Record<string, string>): Expectation | undefined {
    const int = (name: string) => (query[name] === undefined ? undefined : Number(query[name]));
    if (query.seq !== undefined && !route.path.startsWith('/ledger/') && int('seq')! > facts.head) return undefined;
    if (LIST_CURSOR_IDS[route.path] && query.after !== undefined && !ID_PATTERN.test(Buffer.from(query.after, 'base64url').toString('utf8'))) return undefined;
    switch (route.path) {
      case '/ledger/proofs/inclusion': {
        if ((query.seq === undefined) === (query.index === undefined)) return undefined;
        const index = query.seq !== undefined ? int('seq')! - 1 : int('index')!;
        const size = int('size') ?? facts.checkpoint;
        return size > facts.treeSize || index >= size ? undefined : { statuses: [200] };
      }
      case '/ledger/proofs/consistency': {
        const to = int('to') ?? facts.checkpoint;
        return to > facts.treeSize || int('from')! > to ? undefined : { statuses: [200] };
      }
      case '/ledger/checkpoints/{size}':
        return facts.checkpointSizes.has(Number(path.size)) ? { statuses: [200] } : { statuses: [404], rule: 'CheckpointMustExist' };
      case '/ledger/receipts/{seq}':
        return Number(path.seq) <= facts.checkpoint ? { statuses: [200] } : Number(path.seq) <= facts.head ? { statuses: [409] } : { statuses: [404], rule: 'EventMustExist' };
      case '/directory/people/{personId}':
        return { statuses: [404], rule: 'AggregateMustExist' }; // the seed registers no person
    }
    const [name] = route.pathParams.filter((p) => p !== 'partyId' || !route.path.endsWith('/dashboard'));
    if (name === undefined) return { statuses: [200] };
    const known = facts.ids.get(name)?.has(path[name]) ?? false;
    return known && query.asOf === undefined ? { statuses: [200] } : { statuses: known ? [200, 404] : [404], rule: 'AggregateMustExist' };
  }

  /** The seeded ledger's facts the oracle needs: the head, the tree, the checkpoints, the ids that exist. */
  async function learnFacts(head: number): Promise<Facts> {
    const latest = await ledger.get('/ledger/checkpoints/latest');
    const list = await ledger.get('/ledger/checkpoints?limit=500');
    const trail = await ledger.get(`/audit-trail?limit=500`);
    expect(trail.body.items.length).toBe(head);
    const streamIds: string[] = [...new Set<string>(trail.body.items.map((l: { streamId: string }) => l.streamId))];
    const of = (aggregate: string) => new Set(streamIds.filter((s) => s.startsWith(`${aggregate}-`) && ID_PATTERN.test(s.slice(aggregate.length + 1))).map((s) => s.slice(aggregate.length + 1)));
    const bodies = of('governance-body');
    const ids = new Map<string, Set<string>>([
      ['commitmentId', of('commitment')],
      ['indicatorId', of('indicator')],
      ['bodyId', bodies],
      ['meetingId', of('meeting')],
      ['amendmentId', of('amendment')],
      ['partyId', of('party')],
      ['documentId', of('document')],
      ['contractId', of('contract')],
      ['cycleId', of('evaluation-cycle')],
    ]);
    const commitments = (await ledger.get('/commitments?limit=200')).body.items as { ambition: string; qpv: string[]; communes: string[] }[];
    const facts: Facts = {
      head,
      treeSize: head,
      checkpoint: latest.body.size,
      checkpointSizes: new Set(list.body.items.map((c: { size: number }) => c.size)),
      ids,
      streamIds,
      subjects: [...new Set<string>(trail.body.items.map((l: { actor: { subject: string } }) => l.actor.subject))],
      types: [...new Set<string>(trail.body.items.map((l: { type: string }) => l.type))],
      ambitions: [...new Set(commitments.map((c) => c.ambition))],
      qpv: [...new Set(['QN05972M', ...commitments.flatMap((c) => c.qpv)])],
      communes: [...new Set(['59350', ...commitments.flatMap((c) => c.communes)])],
    };
    // The oracle's premises: every event is in the tree, and the latest checkpoint covers them all.
    expect((await ledger.get(`/ledger/proofs/inclusion?seq=${head}&size=${head}`)).status).toBe(200);
    expect(facts.checkpoint).toBe(head);
    for (const name of ['commitmentId', 'partyId', 'bodyId', 'indicatorId', 'contractId']) expect({ name, seeded: ids.get(name)!.size > 0 }).toEqual({ name, seeded: true });
    return facts;
  }

  // -------------------------------------------------------------------------------------------------
  // Parameter kinds: what each accepts (the DTOs' contract), valid values to draw, hostile ones.

  const MAX = Number.MAX_SAFE_INTEGER;
  const integer = (min: number, max: number): Kind => ({
    check: (v) => /^-?\d{1,16}$/.test(v) && Number(v) >= min && Number(v) <= max,
    valid: fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max: Math.min(max, min + 1_000) })).map(String),
    hostile: fc.oneof(fc.constantFrom(...NUMBERISH, String(min - 1), String(max + 1)), fc.double().map(String), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String)),
  });
  const oneOf = (...values: string[]): Kind => ({ check: (v) => values.includes(v), valid: fc.constantFrom(...values), hostile: fc.constantFrom(...values.map((v) => v.toUpperCase()), ...values.map((v) => ` ${v}`), '') });
  const matching = (pattern: RegExp, examples: () => string[]): Kind => ({
    check: (v) => pattern.test(v),
    valid: fc.oneof(
      fc.constantFrom(...examples()),
      fc.stringMatching(pattern).filter((v) => v.length <= 200),
    ),
  });
  const id = (examples: () => string[]) => matching(ID_PATTERN, examples);
  const instant = (cheap: boolean): Kind => ({
    check: isInstant,
    // Reads of the read models as of a date replay the log: the valid dates come from a few, so that
    // the API's cache of replays serves most; the audit trail and the histories take any.
    valid: cheap
      ? fc.oneof(
          fc.date({ min: new Date('0900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()),
          fc.tuple(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2031-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 })).map(([d, offset]) => withOffset(d, offset)),
          fc.constantFrom('1000-01-01T00:00:00Z', '1000-01-01T00:30:00+01:00', '9999-12-31T23:59:59.999Z', '2024-05-07T10:00:00+02:00', '2024-05-07T10:00+02:00', '2024-05-07T08:00:00.123456789Z'),
        )
      : fc.constantFrom('2019-06-01T00:00:00Z', '2024-05-08T00:00:00+02:00'),
    hostile: fc.constantFrom(...DATEISH),
  });
  const calendarDate: Kind = {
    check: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v,
    valid: fc.oneof(
      fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom('2024-05-07', '2024-02-29', '2030-12-31'),
    ),
    hostile: fc.constantFrom(...DATEISH),
  };
  const listCursor = (examples: () => string[]): Kind => ({
    check: (v) => /^[A-Za-z0-9_-]{1,200}$/.test(v),
    valid: fc.oneof(fc.constantFrom(...examples()), fc.stringMatching(ID_PATTERN)).map((v) => Buffer.from(v, 'utf8').toString('base64url')),
    hostile: fc.oneof(fc.constantFrom('AA', 'AAAA', '_w', '-_-_', '////', 'a'.repeat(201)), fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => Buffer.from(b).toString('base64url'))),
  });
  const historyCursor: Kind = {
    check: (v, query) => {
      if (!/^[A-Za-z0-9_-]{1,200}$/.test(v)) return false;
      const [clock, position, ...rest] = Buffer.from(v, 'base64url').toString('utf8').split(':');
      return clock === (query.clock ?? 'effective') && rest.length === 0 && /^-?\d{1,16}$/.test(position ?? '');
    },
    valid: fc.tuple(fc.constantFrom('effective', 'recorded'), fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }))).map(([c, p]) => Buffer.from(`${c}:${p}`).toString('base64url')),
    hostile: fc.constantFrom(...['effective:x', 'recorded:1:2', 'effective:', ':1', 'effective:99999999999999999', 'recorded:-1e3'].map((c) => Buffer.from(c).toString('base64url')), 'AA'),
  };
  const NO_CONTROL = /^[^\x00-\x1f\x7f]*$/;
  const text = (max: number, examples: () => string[]): Kind => ({
    check: (v) => v.length <= max && NO_CONTROL.test(v),
    valid: fc.oneof(fc.constantFrom(...examples()), fc.string({ maxLength: 40 }), fc.constantFrom(...INJECTIONS, ...UNICODE_EDGES)),
    hostile: fc.constantFrom('x'.repeat(max + 1), 'a\u0000b', '\t', 'line\nbreak'),
  });
  /** The lists paginated by the base64url of an id: which id. */
  const LIST_CURSOR_IDS: Record<string, string> = { '/commitments': 'commitmentId', '/amendments': 'amendmentId', '/indicators': 'indicatorId' };
  const AUDIT_TOKEN = /^[^\s\x00-\x1f\x7f]{1,200}$/;

  /** The kind of a documented query parameter of `route` (undefined: the oracle does not know it). */
  function queryKind(route: string, name: string): Kind | undefined {
    const history = route.endsWith('/history');
    switch (name) {
      case 'seq':
        if (route === '/ledger/proofs/inclusion') return integer(1, MAX);
        return { ...integer(0, MAX), valid: fc.oneof(fc.integer({ min: 0, max: facts.head }), fc.constantFrom(0, facts.head, facts.head + 1, MAX)).map(String) };
      case 'asOf':
        return instant(route === '/audit-trail' || history || route === '/commitments/{commitmentId}');
      case 'clock':
        return oneOf('effective', 'recorded');
      case 'limit': {
        const max = history ? 100 : ({ '/commitments': 200, '/amendments': 200, '/indicators': 200, '/governance/meetings': 500, '/audit-trail': 500, '/ledger/checkpoints': 500 } as Record<string, number>)[route];
        return max === undefined ? undefined : integer(1, max);
      }
      case 'after':
        if (history) return historyCursor;
        if (route === '/audit-trail') return { ...integer(0, MAX), valid: fc.oneof(fc.integer({ min: 0, max: facts.head + 5 }), fc.constant(MAX)).map(String) };
        return listCursor(() => [...(facts.ids.get(LIST_CURSOR_IDS[route] ?? 'amendmentId') ?? []), 'zzz']);
      case 'ownerPartyId':
      case 'partyId':
        return route === '/audit-trail' ? matching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, () => [...facts.ids.get('partyId')!]) : id(() => [...facts.ids.get('partyId')!]);
      case 'commitmentId':
        return id(() => [...facts.ids.get('commitmentId')!]);
      case 'bodyId':
        return id(() => [...facts.ids.get('bodyId')!]);
      case 'priority':
        return integer(1, 6);
      case 'horizon':
        return integer(2024, 2030);
      case 'ambition':
        return text(500, () => facts.ambitions);
      case 'q': // words searched in the text: free text with at least one word, no control character
        return { ...text(200, () => ['santé mentale', 'MOBILITE', 'jeunes quartiers', '100%', 'a_b']), check: (v) => v.length <= 200 && NO_CONTROL.test(v) && /\S/.test(v) };
      case 'status':
        return route === '/commitments'
          ? oneOf('draft', 'proposed', 'adopted', 'in_progress', 'suspended', 'completed', 'withdrawn', 'superseded')
          : route === '/amendments'
            ? oneOf('proposed', 'approved', 'rejected', 'withdrawn', 'in_force')
            : undefined;
      case 'qpv':
        return matching(/^QN\d{5}[A-Z]$/, () => facts.qpv);
      case 'commune':
        return matching(/^\d{5}$/, () => facts.communes);
      case 'on':
        return calendarDate;
      case 'from':
      case 'to':
        if (route === '/governance/meetings') return calendarDate;
        if (route === '/audit-trail') return instant(true);
        if (route === '/ledger/proofs/consistency') return integer(0, MAX);
        return undefined;
      case 'streamId':
        return matching(/^[a-z][a-z0-9]*(?:-[A-Za-z0-9._~:]+)+$/, () => facts.streamIds);
      case 'actor':
        return matching(AUDIT_TOKEN, () => facts.subjects);
      case 'decision':
        return matching(AUDIT_TOKEN, () => ['copil-cvs', 'dossier de presse du 7 mai 2024']);
      case 'type':
        return matching(/^[A-Z][A-Za-z0-9]{0,99}$/, () => facts.types);
      case 'before':
        return integer(1, MAX);
      case 'index':
        return integer(0, MAX);
      case 'size':
        return integer(1, MAX);
      default:
        return undefined;
    }
  }

  /** The kind of a path parameter. */
  function pathKind(name: string): Kind {
    if (name === 'personId') return matching(PERSON_ID_PATTERN, () => ['person-3f2504e0-4f89-41d3-9a0c-0305e82c3301']);
    if (name === 'size') return { ...integer(0, MAX), valid: fc.oneof(fc.constantFrom(...[...facts.checkpointSizes].map(String)), integer(0, MAX).valid) };
    if (name === 'seq') return { ...integer(1, MAX), valid: fc.oneof(fc.integer({ min: 1, max: facts.head + 3 }), fc.constant(MAX)).map(String) };
    return id(() => [...(facts.ids.get(name) ?? []), 'does-not-exist']);
  }

  // -------------------------------------------------------------------------------------------------

  it('knows every GET endpoint and every query parameter of the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const unknown = routes.flatMap((r) => r.query.filter((p) => !queryKind(r.path, p.name)).map((p) => `${r.path}?${p.name}`));
    expect(unknown).toEqual([]); // a new parameter needs its kind here
  });

  it('answers every documented parameter given each core hostile value as its contract says, and writes nothing', async () => {
    const head = await ledger.store.head();
    const core = [
      ...['%ED%A0%80', '%C0%AF', '%00', '%FF', '%', '%E2%80%AE', '%0D%0AX-Injected:%201'],
      ...['', '-1', '1.5', '1e309', '0x10', 'NaN', '99999999999999999999', ' 5'].map(encode),
      ...['+275760-09-13T00:00:00Z', '2024-02-30T00:00:00Z', '9999-12-31T23:59:00-23:59', '2024-05-07T12:00:00+16:00', '0000-01-01'].map(encode),
      ...["' OR '1'='1", '{"$gt":""}', '../../etc/passwd', '{{7*7}}', '*)(uid=*', 'e\u0301😀', 'x'.repeat(600)].map(encode),
    ];
    const admin = callers.find((c) => c.label === 'administrator')!;
    const faults: string[] = [];
    for (const route of routes) {
      const rawPath = Object.fromEntries(route.pathParams.map((p) => [p, encode(firstValid(p))]));
      for (const { name } of route.query) {
        const required = route.query.filter((p) => p.required && p.name !== name).map((p): [string, string] => [p.name, '1']);
        for (const value of core) {
          const fault = await check(route, rawPath, [...required, [name, value]], admin);
          if (fault) faults.push(fault);
        }
        for (const pairs of [[[name, '1'], [name, '2']], [[`${name}[]`, '1']], [[`${name}[a]`, '1']], [[name, undefined]]] as [string, string | undefined][][]) {
          const fault = await check(route, rawPath, [...required, ...pairs], admin);
          if (fault) faults.push(fault);
        }
      }
      for (const unknown of ['a[]', 'a[b]', '__proto__', 'constructor', 'toString', '%00', 'x'.repeat(300)]) {
        const fault = await check(route, rawPath, [[unknown, '1']], admin);
        if (fault) faults.push(fault);
      }
      for (const name of route.pathParams) {
        for (const value of ['%ED%A0%80', '%C0%AF', '%00', '%FF', '%2F', '%E2%80%AE', ...[' ', '-1', '1e3', 'x'.repeat(101), "' OR '1'='1", '😀', '0x10'].map(encode)]) {
          const fault = await check(route, { ...rawPath, [name]: value }, [], admin);
          if (fault) faults.push(fault);
        }
      }
    }
    expect(faults).toEqual([]);
    expect(await ledger.store.head()).toBe(head);
  });

  it('answers random hostile queries, paths and callers as the contract says, never a 5xx, and writes nothing', async () => {
    const head = await ledger.store.head();
    const caseOf = (route: ReadRoute) =>
      fc.record({
        route: fc.constant(route),
        // Mostly members, so that most cases get past the access guard to the parameters.
        caller: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...callers.filter((c) => c.kind === 'member')) }, { weight: 1, arbitrary: fc.constantFrom(...callers) }),
        path: fc.record(Object.fromEntries(route.pathParams.map((name) => [name, pathValue(name)]))) as fc.Arbitrary<Record<string, string>>,
        pairs: queryPairs(route),
      });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(...routes.map(caseOf)),
        async ({ route, caller, path, pairs }) => {
          // Node's limit of 16 kB of request line and headers has its own test (hostile-commands).
          fc.pre(urlOf(route, path, pairs).length + (caller.authorization?.length ?? 0) < 15_000);
          const fault = await check(route, path, pairs, caller);
          if (fault) throw new Error(fault);
        },
      ),
      { numRuns: runs(3_000) },
    );
    expect(await ledger.store.head()).toBe(head);
  }, PROPERTY_TIMEOUT);

  it('answers traversal-shaped paths with problem details', async () => {
    const head = await ledger.store.head();
    const admin = callers.find((c) => c.label === 'administrator')!;
    const faults: string[] = [];
    for (const path of ['/commitments/..', '/commitments/%2e%2e/history', '/commitments/x/..%2F..%2F..%2Fetc%2Fpasswd', '/governance/bodies/.%2e/history', '/../../etc/passwd', '/ledger/receipts/..', '/commitments/x/history/..', '/%2e%2e/health']) {
      const answer = await send(path, admin);
      const fault = answer.status === 200 ? undefined : problemFault(answer.status, answer.contentType, answer.text);
      // A dot segment resolved by the client may land on a real route (a 200 there is that route's).
      if (fault) faults.push(`GET ${path} → ${answer.status}: ${fault}`);
    }
    expect(faults).toEqual([]);
    expect(await ledger.store.head()).toBe(head);
  });

  it('ran its share of the ≥ 10,000 hostile cases of a CI run (and the run its total, when it finishes last)', () => {
    expectShareOfCases(counter, startedAt);
  });

  // -------------------------------------------------------------------------------------------------
  // Drawing requests

  function firstValid(name: string): string {
    if (name === 'personId') return 'person-3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    if (name === 'size' || name === 'seq') return '1';
    return [...(facts.ids.get(name) ?? ['does-not-exist'])][0] ?? 'does-not-exist';
  }

  /** A path parameter, escaped for the URL: mostly valid, or hostile; never a dot segment nor empty. */
  function pathValue(name: string): fc.Arbitrary<string> {
    const kind = pathKind(name);
    return fc
      .oneof({ weight: 4, arbitrary: kind.valid.map(encode) }, { weight: 2, arbitrary: hostileUrlValue }, { weight: 1, arbitrary: (kind.hostile ?? hostileText).map(encode) })
      .filter((raw) => raw.length > 0 && !/^(\.|%2e){1,2}$/i.test(raw));
  }

  /** The query of one request: documented parameters (valid or not), and now and then unknown, repeated or bracketed ones. */
  function queryPairs(route: ReadRoute): fc.Arbitrary<[string, string | undefined][]> {
    const documented = route.query.map(({ name, required }) => {
      const kind = queryKind(route.path, name)!;
      const value = fc.oneof(
        { weight: 6, arbitrary: kind.valid.map(encode) },
        { weight: 2, arbitrary: (kind.hostile ?? hostileText).map(encode) },
        { weight: 2, arbitrary: hostileUrlValue },
      );
      const pair = value.map((v): [string, string | undefined] => [name, v]);
      return fc.oneof({ weight: required ? 1 : 3, arbitrary: fc.constant(undefined) }, { weight: required ? 7 : 1, arbitrary: pair });
    });
    const names = route.query.map((p) => p.name);
    const extra = fc.oneof(
      fc.tuple(fc.constantFrom('a[]', 'a[b]', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', '[]', 'a.b', '$where', 'LIMIT', 'x'.repeat(300)), hostileUrlValue),
      fc.tuple(hostileText.map(encode), hostileUrlValue),
      ...(names.length > 0
        ? [
            fc.tuple(fc.constantFrom(...names), fc.constantFrom('1', '2024-05-07T00:00:00Z', 'effective', 'party-mel')), // repeated when the name is already there
            fc.tuple(fc.constantFrom(...names).chain((n) => fc.constantFrom(`${n}[]`, `${n}[0]`, `${n}[a]`, `${n}[__proto__]`)), fc.constantFrom('1', 'x')),
          ]
        : []),
    );
    return fc
      .tuple(fc.tuple(...documented), fc.option(fc.array(extra, { minLength: 1, maxLength: 2 }), { freq: 6, nil: undefined }), fc.integer({ min: 0, max: 9 }))
      .map(([picked, extras, nameOnly]) => {
        const pairs = [...picked.filter((p) => p !== undefined), ...(extras ?? [])] as [string, string | undefined][];
        // Now and then a parameter without "=" (it reads as "").
        if (nameOnly === 0 && pairs.length > 0) pairs[0] = [pairs[0][0], undefined];
        return pairs;
      });
  }
});

// ---------------------------------------------------------------------------------------------------

interface OpenApi {
  paths: Record<string, { get?: { parameters?: { name: string; in: string; required?: boolean }[] } }>;
}

interface ReadRoute {
  path: string;
  query: { name: string; required: boolean }[];
  pathParams: string[];
}

interface Kind {
  /** Whether the API must accept this (decoded) value, given the rest of the query. */
  check: (value: string, query: Record<string, string>) => boolean;
  valid: fc.Arbitrary<string>;
  hostile?: fc.Arbitrary<string>;
}

interface Facts {
  head: number;
  treeSize: number;
  checkpoint: number;
  checkpointSizes: Set<number>;
  ids: Map<string, Set<string>>;
  streamIds: string[];
  subjects: string[];
  types: string[];
  ambitions: string[];
  qpv: string[];
  communes: string[];
}

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  headers: Headers;
}

/** The statuses allowed, and for a refusal the rule or the problem type it must name. */
interface Expectation {
  statuses: number[];
  rule?: string;
  type?: string;
}

/** The path and query of a request: path parameters and query pairs as given (already escaped). */
function urlOf(route: ReadRoute, rawPath: Record<string, string>, pairs: [string, string | undefined][]): string {
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => rawPath[name]);
  const search = pairs.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)).join('&');
  return `${path}${search ? `?${search}` : ''}`;
}

/** Routes open to anyone (ADR 13): open data, the ledger's public proofs and checkpoints, health. */
function isPublic(path: string): boolean {
  return path === '/health' || path.startsWith('/open-data/') || (path.startsWith('/ledger/') && !path.startsWith('/ledger/receipts/'));
}

/** Whether an answer is what was expected: a fault in words, or undefined. */
function judge(expected: Expectation, answer: Answer): string | undefined {
  if (answer.headers.has('x-injected')) return 'a header was injected';
  if (!expected.statuses.includes(answer.status)) return `status ${answer.status}`;
  if (answer.status >= 400) {
    const fault = problemFault(answer.status, answer.contentType, answer.text);
    if (fault) return fault;
    const problem = JSON.parse(answer.text) as { rule: string; type: string };
    if (expected.rule && problem.rule !== expected.rule) return `rule ${problem.rule}, not ${expected.rule}`;
    if (expected.type && !problem.type.endsWith(`/${expected.type}`)) return `type ${problem.type}, not …/${expected.type}`;
    return undefined;
  }
  if (answer.contentType?.startsWith('application/json')) {
    try {
      JSON.parse(answer.text);
    } catch {
      return 'a 200 whose JSON does not parse';
    }
  }
  return undefined;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date-time with a zone, of a real day and time, written with a year from 1000 (class-validator's
 * IsISO8601 reads none below), within 1000-01-01T00:00Z and 9999-12-31T23:59:59.999Z in UTC.
 */
function isInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return false;
  if (m[8] !== 'Z' && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Math.floor(Number(`0${m[7] ?? ''}`) * 1000));
  const offset = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const utc = local.getTime() - offset * 60_000;
  return utc >= Date.parse('1000-01-01T00:00:00Z') && utc <= Date.parse('9999-12-31T23:59:59.999Z');
}

/** `date` written in the zone `offset` minutes from UTC: 2024-05-07T10:00:00.000+02:00. */
function withOffset(date: Date, offset: number): string {
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
