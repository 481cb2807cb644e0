import fc from 'fast-check';
import { ID_PATTERN } from '@mel/domain';
import { seededApi } from '../support/seeded-api';
import {
  CaseCounter,
  encode,
  expectShareOfCases,
  type HostileCaller,
  hostileCallers,
  hostileText,
  hostileUrlValue,
  INJECTIONS,
  problemFault,
  PROPERTY_TIMEOUT,
  runs,
  sendableHeader,
  UNICODE_EDGES,
} from '../support/hostile';

/**
 * Bad input never reaches the store (issue 7, part 4): malformed and hostile bodies, headers and path
 * parameters sent to every command endpoint of the OpenAPI document get a 4xx RFC 9457 answer naming
 * a rule, never a 5xx nor a 2xx, and the store's head does not move. New endpoints are covered as soon
 * as they are documented. On the MEL contract as seeded (one API for the file).
 *
 * - Junk: random bodies (any JSON, not JSON at all, deeply nested), Authorization headers of every
 *   role and junk tokens, If-Match, Idempotency-Key and path parameters, on every POST route; path
 *   parameters never name a seeded thing, so that nothing a junk body might pass for could be recorded.
 * - Schema-shaped: bodies built from each route's documented schema (every field there, with hostile
 *   text — injection-shaped, RTL overrides, emoji, combining marks, lone surrogates — where text goes),
 *   of which one field is poisoned (a value of another type, out of its enum or bounds, or an unknown
 *   field: __proto__, constructor, actor, role…), sent for real seeded ids. The answer must be 400
 *   naming the poisoned field (or 401/403 from the access guard, which comes first): each documented
 *   field is validated, deep into nested objects and arrays. A stale If-Match rides along, so that a
 *   poison the DTOs let through is answered 412 (a failure of this test) rather than recorded.
 * - A sweep: every text field of every documented body given each of lone surrogates, NUL, an RTL
 *   override, a ZWJ emoji, combining marks, SQL and template injections, 10,001 characters; every number
 *   field -1, -0, 1.5, 2^31, 2^53 (+2), ±1e20, 1e308, 5e-324 — with an unknown field beside, so that
 *   the answer is 400 and nothing is recorded, while every field is still validated.
 *
 * The requests are counted; the suite asserts its share of the ≥ 10,000 hostile cases per CI run
 * (test/support/hostile.ts). HOSTILE_SOAK=1 multiplies the runs by 20 (HOSTILE_SOAK=N by N).
 * Transport-level hostility (sizes, content types, charsets, encodings, malformed HTTP) is in
 * hostile-bodies.e2e-spec.ts.
 */
describe('hostile input to every command endpoint', () => {
  const ledger = seededApi();
  const counter = new CaseCounter('hostile-commands');
  const startedAt = Date.now();
  let routes: CommandRoute[] = [];
  let schemas: Record<string, Schema> = {};
  let callers: HostileCaller[] = [];
  const seeded = new Map<string, string[]>();

  beforeAll(async () => {
    const head = await ledger.store.head();
    expect((await ledger.get(`/commitments?seq=${head}`)).status).toBe(200);
    const spec = (await (await fetch(`${ledger.api.url}/openapi.json`)).json()) as OpenApi;
    schemas = spec.components.schemas;
    routes = Object.entries(spec.paths)
      .filter(([, methods]) => methods.post !== undefined)
      .map(([path, methods]) => {
        const content = methods.post!.requestBody?.content ?? {};
        const body = content['application/json']?.schema;
        return { path, pathParams: (methods.post!.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name), body: body && 'oneOf' in body ? body.oneOf!.find((s) => s.type === 'object') : body };
      });
    callers = (await hostileCallers()).filter((c) => c.authorization === undefined || sendableHeader(c.authorization));
    const trail = await ledger.get('/audit-trail?limit=500');
    const streamIds: string[] = [...new Set<string>(trail.body.items.map((l: { streamId: string }) => l.streamId))];
    for (const [param, aggregate] of Object.entries(AGGREGATE_OF)) {
      seeded.set(param, streamIds.filter((s) => s.startsWith(`${aggregate}-`)).map((s) => s.slice(aggregate.length + 1)).filter((id) => ID_PATTERN.test(id)));
    }
  });

  async function post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; contentType: string | null; text: string }> {
    const response = await fetch(`${ledger.api.url}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    counter.add(response.status);
    return { status: response.status, contentType: response.headers.get('content-type'), text };
  }

  it('finds the command endpoints in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(60);
    expect(routes.filter((r) => r.body === undefined).map((r) => r.path)).toEqual(['/amendments/{amendmentId}/effects']);
  });

  // -------------------------------------------------------------------------------------------------
  // Junk

  const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      hostileText,
      fc.double(),
      fc.integer(),
      fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => Number(n)),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(hostileText, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'title', 'priority', 'budget', 'amountCents', 'evidence', 'status', 'effectiveAt', 'actor', 'role')),
        tie('value'),
        { maxKeys: 5 },
      ),
    ),
  })).value;
  const junkBody = fc.oneof(
    { weight: 4, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: hostileText }, // not JSON at all, most of the time
    { weight: 1, arbitrary: fc.constantFrom('{"a":'.repeat(2000), `[${'['.repeat(5000)}${']'.repeat(5000)}]`, `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}') },
  );
  const junkHeader = fc.oneof(hostileText, fc.constantFrom('"1"', '"999"', 'W/"0"', '*', '"-1"', '"1e3"', '"99999999999"', '', ' '));

  it('answers junk with 4xx problem details naming a rule, never 5xx, and writes nothing', async () => {
    const head = await ledger.store.head();
    const known = new Set([...seeded.values()].flat());
    const pathParam = fc
      .oneof(
        fc.constantFrom('c-404', 'QN05972M', '%2e%2e%2fx', '%FF', '%ED%A0%80', '%C0%AF', '%00', 'a'.repeat(300), 'person-00000000-0000-4000-8000-000000000000', '0', '-1', '1e3'),
        fc.string({ minLength: 1, maxLength: 20 }).map(encode),
        hostileUrlValue,
      )
      .filter((raw) => raw.length > 0 && !/^(\.|%2e){1,2}$/i.test(raw) && !known.has(raw));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        junkBody,
        fc.constantFrom(...callers),
        pathParam,
        fc.option(junkHeader, { nil: undefined }),
        fc.option(junkHeader, { nil: undefined }),
        async (route, payload, caller, param, ifMatch, idempotencyKey) => {
          const path = route.path.replace(/\{[^}]+\}/g, () => param);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (caller.authorization !== undefined) headers.authorization = caller.authorization;
          if (ifMatch !== undefined && sendableHeader(ifMatch)) headers['if-match'] = ifMatch;
          if (idempotencyKey !== undefined && sendableHeader(idempotencyKey)) headers['idempotency-key'] = idempotencyKey;
          const answer = await post(path, headers, payload);
          const fault = problemFault(answer.status, answer.contentType, answer.text);
          if (fault) throw new Error(`POST ${path} as ${caller.label} → ${answer.status} ${answer.text.slice(0, 300)}: ${fault} (body ${payload.slice(0, 120)}…)`);
        },
      ),
      { numRuns: runs(1_000) },
    );
    expect(await ledger.store.head()).toBe(head);
  }, PROPERTY_TIMEOUT);

  // -------------------------------------------------------------------------------------------------
  // Schema-shaped bodies with one poisoned field

  it('refuses a documented body with one poisoned field with 400 naming it (or the guard’s 401/403), and writes nothing', async () => {
    const head = await ledger.store.head();
    const withBody = routes.filter((r) => r.body !== undefined);
    const caseOf = (route: CommandRoute) =>
      fc.record({
        route: fc.constant(route),
        // Mostly an administrator (who may call every command route), so that most bodies reach the DTOs.
        caller: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...callers.filter((c) => c.label === 'administrator')) },
          { weight: 2, arbitrary: fc.constantFrom(...callers.filter((c) => c.kind === 'member')) },
          { weight: 1, arbitrary: fc.constantFrom(...callers) },
        ),
        path: fc.record(Object.fromEntries(route.pathParams.map((name) => [name, fc.constantFrom(...validPathValues(name))]))) as fc.Arbitrary<Record<string, string>>,
        poisoned: shaped(route.body!, '').chain((body) => poison(body.value, body.slots)),
        idempotencyKey: fc.option(fc.oneof(hostileText, fc.uuid()), { nil: undefined }),
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(...withBody.map(caseOf)), async ({ route, caller, path, poisoned, idempotencyKey }) => {
        const url = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(path[name]));
        const headers: Record<string, string> = { 'content-type': 'application/json', 'if-match': '"999999"' };
        if (caller.authorization !== undefined) headers.authorization = caller.authorization;
        if (idempotencyKey !== undefined && sendableHeader(idempotencyKey)) headers['idempotency-key'] = idempotencyKey;
        const body = JSON.stringify(poisoned.body);
        const answer = await post(url, headers, body);
        const describe = () => `POST ${url} as ${caller.label}, ${poisoned.field} poisoned with ${JSON.stringify(poisoned.value)?.slice(0, 80)} in ${body.slice(0, 400)} → ${answer.status} ${answer.text.slice(0, 400)}`;
        const fault = problemFault(answer.status, answer.contentType, answer.text);
        if (fault) throw new Error(`${describe()}: ${fault}`);
        // The access guard comes first — after the body is read: a body that is no JSON object, too deep, or with a key named as
        // Object.prototype's is refused then. The witnesses' route is open to anyone (ADR 13), the others need a member's token.
        const early = route.path.startsWith('/ledger/') || PROTOTYPE_NAMES.has(poisoned.field.split('.').pop()!);
        const allowed = early ? [400] : caller.kind === 'refused' ? [401] : caller.kind === 'public' ? [403] : [400, 403];
        if (!allowed.includes(answer.status)) throw new Error(`${describe()}: not ${allowed.join(' or ')}`);
        if (answer.status === 400) {
          const problem = JSON.parse(answer.text) as { field?: string; errors?: { field: string }[] };
          const fields = [problem.field, ...(problem.errors ?? []).map((e) => e.field)];
          if (!fields.includes(poisoned.field)) throw new Error(`${describe()}: the refusal does not name ${poisoned.field}`);
        }
      }),
      { numRuns: runs(1_000) },
    );
    expect(await ledger.store.head()).toBe(head);
  }, PROPERTY_TIMEOUT);

  it('gives every text and number field of every command body each unicode edge, injection and number out of range, and answers 400, never 5xx', async () => {
    const head = await ledger.store.head();
    const texts = ['\uD800', '\uDFFF', 'x\uDBFF', 'a\u0000b', '\u202Eabc\u202C', '👨‍👩‍👧‍👦', 'e\u0301\u0338', "' OR '1'='1", '{{7*7}}', 'x'.repeat(10_001)];
    const numbers = [-1, -0, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e20, -1e20, 1e308, 5e-324];
    const admin = callers.find((c) => c.label === 'administrator')!.authorization!;
    const faults: string[] = [];
    for (const route of routes.filter((r) => r.body !== undefined)) {
      const url = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(validPathValues(name)[0]));
      const example = exampleOf(route.body!, '');
      const cases = [...example.texts.flatMap((field) => texts.map((v): [string, unknown] => [field, v])), ...example.numbers.flatMap((field) => numbers.map((v): [string, unknown] => [field, v]))];
      for (const [field, hostile] of cases) {
        // An unknown field too, so that nothing could be recorded: every field is still validated (stopAtFirstError is off).
        const body = structuredClone(example.value) as Record<string, unknown>;
        set(body, field, hostile);
        body.unknownField = 1;
        const answer = await post(url, { 'content-type': 'application/json', 'if-match': '"999999"', authorization: admin }, JSON.stringify(body));
        const fault = problemFault(answer.status, answer.contentType, answer.text) ?? (answer.status === 400 || answer.status === 403 ? undefined : 'not 400 or 403');
        if (fault) faults.push(`POST ${url} with ${field} = ${JSON.stringify(hostile).slice(0, 40)} → ${answer.status} ${answer.text.slice(0, 200)}: ${fault}`);
      }
    }
    expect(faults).toEqual([]);
    expect(await ledger.store.head()).toBe(head);
  });

  it('ran its share of the ≥ 10,000 hostile cases of a CI run (and the run its total, when it finishes last)', () => {
    expectShareOfCases(counter, startedAt);
  });

  // -------------------------------------------------------------------------------------------------

  /** Path parameters that pass their pipe: seeded ids where there are some. */
  function validPathValues(name: string): string[] {
    if (name === 'personId') return ['person-3f2504e0-4f89-41d3-9a0c-0305e82c3301'];
    if (name === 'size') return ['1', '157'];
    const ids = seeded.get(name) ?? [];
    return ids.length > 0 ? ids.slice(0, 5) : ['x-1'];
  }

  function resolve(schema: Schema): Schema {
    if (schema.$ref) return resolve(schemas[schema.$ref.replace('#/components/schemas/', '')]);
    if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0]), ...(schema.nullable && { nullable: true }) };
    return schema;
  }

  /**
   * A body of `schema`'s shape (every required field, some optional ones; hostile text where text
   * goes), and the places where a poison may go: each field, with its schema, and each object that
   * takes no other field than its documented ones.
   */
  function shaped(schema: Schema, path: string, depth = 0): fc.Arbitrary<{ value: unknown; slots: Slot[] }> {
    const s = resolve(schema);
    if (s.enum) return fc.constantFrom(...s.enum).map((value) => ({ value, slots: [] }));
    if (s.oneOf) return fc.oneof(...s.oneOf.map((branch) => shaped(branch, path, depth)));
    if (s.type === 'string') {
      const text = fc.oneof({ weight: 3, arbitrary: s.example !== undefined ? fc.constant(String(s.example)) : fc.constantFrom('party-mel', 'mobilimel', 'copil-cvs') }, { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS, ...UNICODE_EDGES) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) });
      return text.map((value) => ({ value, slots: [] }));
    }
    if (s.type === 'number' || s.type === 'integer') {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? 1_000_000;
      return fc.oneof(fc.constant(s.example ?? min), fc.integer({ min: Math.ceil(min), max: Math.floor(max) })).map((value) => ({ value, slots: [] }));
    }
    if (s.type === 'boolean') return fc.boolean().map((value) => ({ value, slots: [] }));
    if (s.type === 'array') {
      if (!s.items || depth > 4) return fc.constant({ value: [], slots: [] });
      return fc.array(shaped(s.items, path, depth + 1), { minLength: 1, maxLength: 2 }).map((items) => ({
        value: items.map((i) => i.value),
        // An element's own slots, with their paths as class-validator names them (a[0].b).
        slots: items.flatMap((item, i) => item.slots.map((slot) => ({ ...slot, path: slot.path.replace(path, `${path}[${i}]`) }))),
      }));
    }
    if (s.properties && depth <= 4) {
      const required = new Set(s.required ?? []);
      const fields = Object.entries(s.properties).map(([key, property]) => {
        const field = path ? `${path}.${key}` : key;
        const value = shaped(property, field, depth + 1).map((v) => ({ key, field, property, ...v }));
        return required.has(key) ? value : fc.option(value, { freq: 2, nil: undefined });
      });
      return fc.tuple(...fields).map((present) => {
        const value: Record<string, unknown> = {};
        const slots: Slot[] = [{ path, schema: s, object: true }];
        for (const f of present) {
          if (f === undefined) continue;
          value[f.key] = f.value;
          if (poisonable(f.property)) slots.push({ path: f.field, schema: f.property, object: false });
          slots.push(...f.slots);
        }
        return { value, slots };
      });
    }
    return fc.constant({ value: {}, slots: [] }); // free-form object (a change, say)
  }

  /** A body of `schema`'s shape with every field, from the examples where there are some; and the paths of its text and number fields. */
  function exampleOf(schema: Schema, path: string, depth = 0): { value: unknown; texts: string[]; numbers: string[] } {
    const s = resolve(schema);
    const kind = { texts: s.type === 'string' && !s.enum ? [path] : [], numbers: s.type === 'number' || s.type === 'integer' ? [path] : [] };
    if (s.example !== undefined) return { value: s.example, ...kind };
    if (s.enum) return { value: s.enum[0], ...kind };
    if (s.oneOf) return exampleOf(s.oneOf[0], path, depth);
    if (s.type === 'string') return { value: 'x', ...kind };
    if (s.type === 'number' || s.type === 'integer') return { value: s.minimum ?? 1, ...kind };
    if (s.type === 'boolean') return { value: true, ...kind };
    if (s.type === 'array') {
      if (!s.items || depth > 4) return { value: [], ...kind };
      const item = exampleOf(s.items, `${path}[0]`, depth + 1);
      return { value: [item.value], texts: item.texts, numbers: item.numbers };
    }
    if (s.properties && depth <= 4) {
      const value: Record<string, unknown> = {};
      const texts: string[] = [];
      const numbers: string[] = [];
      for (const [key, property] of Object.entries(s.properties)) {
        const field = exampleOf(property, path ? `${path}.${key}` : key, depth + 1);
        value[key] = field.value;
        texts.push(...field.texts);
        numbers.push(...field.numbers);
      }
      return { value, texts, numbers };
    }
    return { value: {}, texts: [], numbers: [] };
  }

  /** Whether the schema says what a field refuses: a bare `type: object` is what Swagger writes for `unknown` (a correction's value, say). */
  function poisonable(schema: Schema): boolean {
    const s = resolve(schema);
    return !(s.type === 'object' && !s.properties && s.additionalProperties === undefined);
  }

  /** `body` with one slot poisoned: a field given a value its schema refuses, or an object given a field it does not take. */
  function poison(body: unknown, slots: Slot[]): fc.Arbitrary<Poisoned> {
    return fc.constantFrom(...slots).chain((slot) => {
      if (slot.object) {
        return fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype', 'actor', 'role', 'seq', 'streamVersion', 'isAdmin', 'x'), fc.oneof(fc.constant({ isAdmin: true }), fc.constant(1), hostileText)).map(([key, value]) => {
          const copy = structuredClone(body) as Record<string, unknown>;
          const target = slot.path ? (at(copy, slot.path) as Record<string, unknown>) : copy;
          Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
          return { body: copy, field: slot.path ? `${slot.path}.${key}` : key, value };
        });
      }
      return refusedBy(slot.schema).map((value) => {
        const copy = structuredClone(body);
        set(copy, slot.path, value);
        return { body: copy, field: slot.path, value };
      });
    });
  }

  /** A value `schema` refuses whatever the DTO converts: another JSON type, out of the enum, beyond the bounds. */
  function refusedBy(schema: Schema): fc.Arbitrary<unknown> {
    const s = resolve(schema);
    const anObject = fc.constantFrom({ poison: true }, { $gt: '' }, { __proto__: null, x: 1 } as unknown as object);
    if (s.oneOf) return anObject; // a number or a text (an indicator's value): never an object
    if (s.enum) return fc.oneof(fc.constantFrom('💥', 'UNKNOWN', ' ', 99), anObject);
    switch (s.type) {
      case 'string':
        return fc.oneof(fc.integer(), fc.constant(true), anObject, fc.constant(['a']));
      case 'number':
      case 'integer':
        return fc.oneof(
          fc.constantFrom('not a number', '1e309', '0x10', '[1]'),
          anObject,
          fc.constant([1, 2]),
          ...(s.maximum !== undefined ? [fc.constant(s.maximum + 1)] : []),
          ...(s.minimum !== undefined ? [fc.constant(s.minimum - 1)] : []),
        );
      case 'boolean':
        return fc.oneof(fc.constantFrom('yes', 'true', 1, 0), anObject);
      case 'array':
        return fc.oneof(fc.constantFrom('not an array', 5), anObject);
      default:
        return fc.constantFrom('not an object', 7, true); // an object, documented or free-form
    }
  }
});

// ---------------------------------------------------------------------------------------------------

/** Keys the API refuses wherever they are, before any other check (configure-app.ts). */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The aggregate whose stream ids a path parameter names. */
const AGGREGATE_OF: Record<string, string> = {
  partyId: 'party',
  contractId: 'contract',
  commitmentId: 'commitment',
  bodyId: 'governance-body',
  meetingId: 'meeting',
  amendmentId: 'amendment',
  indicatorId: 'indicator',
  cycleId: 'evaluation-cycle',
  documentId: 'document',
};

interface OpenApi {
  paths: Record<string, { post?: { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: Schema }> } } }>;
  components: { schemas: Record<string, Schema> };
}

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  additionalProperties?: unknown;
  example?: unknown;
  minimum?: number;
  maximum?: number;
}

interface CommandRoute {
  path: string;
  pathParams: string[];
  body?: Schema;
}

/** Where a poison may go: a field (path a.b[0].c) and its schema, or an object that takes only its documented fields. */
interface Slot {
  path: string;
  schema: Schema;
  object: boolean;
}

interface Poisoned {
  body: unknown;
  field: string;
  value: unknown;
}

/** The value at `path` (a.b[0].c) of `root`. */
function at(root: unknown, path: string): unknown {
  return steps(path).reduce<unknown>((value, step) => (value as Record<string, unknown>)[step], root);
}

function set(root: unknown, path: string, value: unknown): void {
  const all = steps(path);
  const parent = all.slice(0, -1).reduce<unknown>((v, step) => (v as Record<string, unknown>)[step], root) as Record<string, unknown>;
  Object.defineProperty(parent, all[all.length - 1], { value, enumerable: true, configurable: true, writable: true });
}

function steps(path: string): string[] {
  return path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
}
