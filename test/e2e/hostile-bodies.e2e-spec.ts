import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { ID_PATTERN } from '@mel/domain';
import { seededApi } from '../support/seeded-api';
import { CaseCounter, expectShareOfCases, type HostileCaller, hostileCallers, problemFault, PROPERTY_TIMEOUT, ruleOf, runs, sendableHeader } from '../support/hostile';

/** body-parser's limit (configure-app.ts: BODY_LIMIT = '256kb'), in bytes. */
const LIMIT = 256 * 1024;
/** configure-app.ts: MAX_BODY_DEPTH. */
const MAX_DEPTH = 32;

/**
 * Hostile bodies and transport (issue 7, part 4): what arrives before any DTO is read. A property
 * sends every command endpoint bodies around the 256 kB limit (exactly at it, one byte over, far
 * over), deeply nested ones (around the depth limit of 32 and far beyond), huge arrays, many keys,
 * duplicate keys, __proto__/constructor keys, invalid UTF-8, text that is no JSON, under every kind of
 * Content-Type (JSON with and without charsets, wrong charsets, text, forms, XML, +json suffixes,
 * none) and Content-Encoding (gzip, deflate, br — a gzip bomb among them —, corrupt data,
 * unsupported encodings), with the tokens of several roles and junk. The answer must be what the
 * transport rules say (415 for a body that is no JSON or a charset or encoding not read, 413 past the
 * limit once inflated, 400 for what does not parse, is no object, nests too deep or names
 * Object.prototype's keys — all before the access guard), else any 4xx; always application/problem+json
 * naming a rule; never a 5xx nor a 2xx; and the store's head does not move. A stale If-Match rides
 * along, so that nothing a body might pass for could be recorded.
 *
 * Decisions: a POST whose body is not JSON (text/plain, a form, application/merge-patch+json…) is
 * refused 415 BodyMustBeJson — it used to be read as {} and a command taking no field would have run
 * — except the witnesses' cosignature route, which takes text/plain; a POST with no body (or
 * Content-Length: 0) is still read as {}. Compressed bodies (gzip, deflate, br) are accepted, and
 * the limit applies to the inflated body. JSON in UTF-16 is read (body-parser takes any utf-*).
 *
 * Then malformed HTTP on a raw socket (a request line or headers over Node's 16 kB, no colon, a CR
 * in a value, conflicting lengths, smuggling-shaped Transfer-Encoding, unknown methods, NUL): Node's
 * parser refuses them before the application, and the server answers problem details too
 * (configure-app.ts: answerClientErrors). And a keep-alive connection survives an oversized
 * cosignature note. Cases are counted towards the ≥ 10,000 per CI run; HOSTILE_SOAK=1 multiplies the
 * runs by 20 (HOSTILE_SOAK=N by N).
 */
describe('hostile bodies and transport', () => {
  const ledger = seededApi();
  const counter = new CaseCounter('hostile-bodies');
  const startedAt = Date.now();
  let routes: string[] = [];
  let callers: HostileCaller[] = [];
  const seeded = new Map<string, string[]>();

  beforeAll(async () => {
    const head = await ledger.store.head();
    expect((await ledger.get(`/commitments?seq=${head}`)).status).toBe(200);
    const spec = (await (await fetch(`${ledger.api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(spec.paths)
      .filter(([path, methods]) => 'post' in methods && !path.endsWith('/cosignatures'))
      .map(([path]) => path);
    callers = (await hostileCallers()).filter((c) => c.authorization === undefined || sendableHeader(c.authorization));
    const trail = await ledger.get('/audit-trail?limit=500');
    for (const { streamId } of trail.body.items as { streamId: string }[]) {
      const [, aggregate, id] = /^(party|contract|commitment|governance-body|indicator)-(.+)$/.exec(streamId) ?? [];
      if (aggregate && ID_PATTERN.test(id)) seeded.set(aggregate, [...new Set([...(seeded.get(aggregate) ?? []), id])]);
    }
  });

  /** A path of `route` with seeded ids where there are some (so that a body that passed would meet a real thing). */
  function pathOf(route: string): string {
    const param: Record<string, string> = { partyId: 'party', contractId: 'contract', commitmentId: 'commitment', bodyId: 'governance-body', indicatorId: 'indicator' };
    return route.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'personId' ? 'person-3f2504e0-4f89-41d3-9a0c-0305e82c3301' : (seeded.get(param[name])?.[0] ?? 'x-1')));
  }

  async function post(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; contentType: string | null; text: string }> {
    const response = await fetch(`${ledger.api.url}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    counter.add(response.status);
    return { status: response.status, contentType: response.headers.get('content-type'), text };
  }

  it('answers hostile bodies, content types and encodings as the transport rules say, never 5xx nor 2xx, and writes nothing', async () => {
    const head = await ledger.store.head();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...callers.filter((c) => c.label === 'administrator')) }, { weight: 1, arbitrary: fc.constantFrom(...callers) }),
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES.filter((c) => c.kind === 'json')) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
        fc.oneof({ weight: 4, arbitrary: fc.constant(ENCODINGS[0]) }, { weight: 3, arbitrary: fc.constantFrom(...ENCODINGS.slice(1)) }),
        hostileBody,
        async (route, caller, contentType, encoding, body) => {
          const path = pathOf(route);
          const bytes = encoding.encode(body.bytes);
          const headers: Record<string, string> = { 'if-match': '"999999"' };
          if (contentType.header !== undefined) headers['content-type'] = contentType.header;
          if (encoding.header !== undefined) headers['content-encoding'] = encoding.header;
          if (caller.authorization !== undefined) headers.authorization = caller.authorization;
          const expected = expectedOf(contentType, encoding, body);
          const answer = await post(path, headers, bytes);
          const describe = () =>
            `POST ${path} as ${caller.label}, ${contentType.header ?? 'no Content-Type'}, ${encoding.header ?? 'identity'}, ${body.label} (${body.bytes.length} bytes) → ${answer.status} ${answer.text.slice(0, 300)}`;
          const fault = problemFault(answer.status, answer.contentType, answer.text);
          if (fault) throw new Error(`${describe()}: ${fault}`);
          if (expected && (answer.status !== expected.status || (expected.rules && !expected.rules.includes(ruleOf(answer.text)!)))) {
            throw new Error(`${describe()}: expected ${expected.status} ${expected.rules?.join(' or ') ?? ''}`);
          }
        },
      ),
      { numRuns: runs(900) },
    );
    expect(await ledger.store.head()).toBe(head);
  }, PROPERTY_TIMEOUT);

  it('takes a body of exactly the limit, refuses one byte more with 413, and counts the limit once inflated', async () => {
    const head = await ledger.store.head();
    const path = pathOf('/commitments/{commitmentId}/propose');
    const admin = { 'content-type': 'application/json', 'if-match': '"999999"', authorization: callers.find((c) => c.label === 'administrator')!.authorization! };
    const sized = (n: number) => Buffer.from(`{"x":"${'a'.repeat(n - 8)}"}`);
    expect(sized(LIMIT).length).toBe(LIMIT);
    const at = await post(path, admin, sized(LIMIT));
    expect({ status: at.status, rule: ruleOf(at.text) }).toEqual({ status: 400, rule: 'whitelistValidation' }); // read, then refused by the DTO
    const over = await post(path, admin, sized(LIMIT + 1));
    expect({ status: over.status, rule: ruleOf(over.text) }).toEqual({ status: 413, rule: 'BodyMustFitTheLimit' });
    const bomb = await post(path, { ...admin, 'content-encoding': 'gzip' }, gzipSync(sized(50 * LIMIT)));
    expect({ status: bomb.status, rule: ruleOf(bomb.text) }).toEqual({ status: 413, rule: 'BodyMustFitTheLimit' });
    const inflatedAt = await post(path, { ...admin, 'content-encoding': 'gzip' }, gzipSync(sized(LIMIT)));
    expect({ status: inflatedAt.status, rule: ruleOf(inflatedAt.text) }).toEqual({ status: 400, rule: 'whitelistValidation' });
    expect(await ledger.store.head()).toBe(head);
  });

  it('keeps a kept-alive connection usable after refusing an oversized cosignature note', async () => {
    // The note is read to the end even past its limit: the client's next request on the same
    // connection is answered (it used to be reset, the request's socket destroyed mid-body).
    for (let i = 0; i < 3; i++) {
      const big = await post('/ledger/checkpoints/1/cosignatures', { 'content-type': 'text/plain' }, Buffer.from('x'.repeat(300_000)));
      expect({ status: big.status, rule: ruleOf(big.text) }).toEqual({ status: 413, rule: 'BodyMustFitTheLimit' });
      const next = await fetch(`${ledger.api.url}/health`);
      counter.add(next.status);
      expect(next.status).toBe(200);
    }
    const form = await post('/ledger/checkpoints/1/cosignatures', { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('note=x'));
    expect({ status: form.status, rule: ruleOf(form.text) }).toEqual({ status: 415, rule: 'BodyMustBeTextOrJson' });
  });

  it('answers other methods on the command routes with 404 problem details, and writes nothing', async () => {
    const head = await ledger.store.head();
    const faults: string[] = [];
    const admin = callers.find((c) => c.label === 'administrator')!.authorization!;
    for (const route of routes) {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const response = await fetch(`${ledger.api.url}${pathOf(route)}`, { method, headers: { 'content-type': 'application/json', authorization: admin }, body: '{}' });
        const text = await response.text();
        counter.add(response.status);
        const fault = problemFault(response.status, response.headers.get('content-type'), text);
        if (fault || response.status !== 404 || ruleOf(text) !== 'RouteMustExist') faults.push(`${method} ${pathOf(route)} → ${response.status} ${text.slice(0, 200)}${fault ? ` (${fault})` : ''}`);
      }
    }
    expect(faults).toEqual([]);
    expect(await ledger.store.head()).toBe(head);
  });

  it('answers malformed HTTP with problem details, from the server itself', async () => {
    const head = await ledger.store.head();
    const { port } = new URL(ledger.api.url);
    const host = `Host: 127.0.0.1:${port}\r\n`;
    const cases: [string, string | Buffer, number, string?][] = [
      ['a request line over 16 kB', `GET /health?x=${'a'.repeat(20_000)} HTTP/1.1\r\n${host}\r\n`, 431, 'RequestHeadMustFitTheLimit'],
      ['a path over 16 kB', `GET /commitments/${'a'.repeat(20_000)} HTTP/1.1\r\n${host}\r\n`, 431, 'RequestHeadMustFitTheLimit'],
      ['a header over 16 kB', `GET /health HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'RequestHeadMustFitTheLimit'],
      ['an Authorization header over 16 kB', `GET /commitments HTTP/1.1\r\n${host}Authorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'RequestHeadMustFitTheLimit'],
      ['no HTTP at all', 'GARBAGE\r\n\r\n', 400, 'RequestMustBeWellFormed'],
      ['a header without a colon', `GET /health HTTP/1.1\r\n${host}Bad Header\r\n\r\n`, 400, 'RequestMustBeWellFormed'],
      ['a CR alone in a header value', `GET /health HTTP/1.1\r\n${host}X-A: a\rb\r\n\r\n`, 400, 'RequestMustBeWellFormed'],
      // Node reads "GET /commitments" as a request line without version, and the rest as headers: no header is injected into the answer.
      ['CRLF in the request line', `GET /commitments\r\nX-Injected: 1 HTTP/1.1\r\n${host}Connection: close\r\n\r\n`, 401, 'ActorMustBeIdentified'],
      ['NUL in the path', Buffer.from(`GET /he\u0000alth HTTP/1.1\r\n${host}\r\n`, 'latin1'), 400, 'RequestMustBeWellFormed'],
      ['conflicting Content-Length', `POST /commitments HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400, 'RequestMustBeWellFormed'],
      ['Content-Length and Transfer-Encoding', `POST /commitments HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, 400, 'RequestMustBeWellFormed'],
      ['a negative Content-Length', `POST /commitments HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}`, 400, 'RequestMustBeWellFormed'],
      ['a Content-Length past 2^64', `POST /commitments HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 99999999999999999999999\r\n\r\n{}`, 400, 'RequestMustBeWellFormed'],
      ['a chunk size that is no hex', `POST /commitments HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400, 'RequestMustBeWellFormed'],
      ['an unknown method', `FOO /health HTTP/1.1\r\n${host}\r\n`, 400, 'RequestMustBeWellFormed'],
      ['a lower-case method', `get /health HTTP/1.1\r\n${host}\r\n`, 400, 'RequestMustBeWellFormed'],
      ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, 'RequestMustBeWellFormed'],
      ['HTTP/9.9', `GET /health HTTP/9.9\r\n${host}\r\n`, 400, 'RequestMustBeWellFormed'],
      ['an oversized chunked body', `POST /commitments HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${(300_000).toString(16)}\r\n{"x":"${'a'.repeat(300_000 - 8)}"}\r\n0\r\n\r\n`, 413, 'BodyMustFitTheLimit'],
      ['a declared length over the limit', `POST /commitments HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 300000\r\nConnection: close\r\n\r\n${'x'.repeat(300_000)}`, 413, 'BodyMustFitTheLimit'],
    ];
    const faults: string[] = [];
    for (const [label, request, status, rule] of cases) {
      const answer = await raw(Number(port), request);
      counter.add(answer.status);
      const fault = problemFault(answer.status, answer.headers['content-type'] ?? null, answer.body);
      if (answer.headers['x-injected'] !== undefined) faults.push(`${label}: a header was injected`);
      if (fault || answer.status !== status || (rule && ruleOf(answer.body) !== rule)) faults.push(`${label}: ${answer.status} ${answer.headers['content-type']} ${answer.body.slice(0, 200)}${fault ? ` (${fault})` : ''}`);
    }
    expect(faults).toEqual([]);
    expect(await ledger.store.head()).toBe(head);
  });

  it('ran its share of the ≥ 10,000 hostile cases of a CI run (and the run its total, when it finishes last)', () => {
    expectShareOfCases(counter, startedAt);
  });
});

// ---------------------------------------------------------------------------------------------------

interface ContentType {
  header?: string;
  /** json: read as JSON; charset: refused 415 for its charset; other: not JSON (refused 415 when there is a body); unknown: no prediction. */
  kind: 'json' | 'charset' | 'other' | 'unknown';
}

const CONTENT_TYPES: ContentType[] = [
  { header: 'application/json', kind: 'json' },
  { header: 'application/json; charset=utf-8', kind: 'json' },
  { header: 'application/json;charset=UTF-8', kind: 'json' },
  { header: 'APPLICATION/JSON', kind: 'json' },
  { header: 'application/json; charset=utf-16', kind: 'unknown' }, // read as UTF-16: anything may come out
  { header: 'application/json; charset=latin1', kind: 'charset' },
  { header: 'application/json; charset=iso-8859-1', kind: 'charset' },
  { header: 'application/json; charset=koi8-r', kind: 'charset' },
  { header: 'application/json; charset=utf-9', kind: 'unknown' }, // a utf-* charset iconv does not know: 415, or 413 first
  { header: 'text/plain', kind: 'other' },
  { header: 'text/plain; charset=utf-8', kind: 'other' },
  { header: 'text/json', kind: 'other' },
  { header: 'application/x-www-form-urlencoded', kind: 'other' },
  { header: 'multipart/form-data; boundary=xyz', kind: 'other' },
  { header: 'application/xml', kind: 'other' },
  { header: 'application/merge-patch+json', kind: 'other' },
  { header: 'application/vnd.api+json', kind: 'other' },
  { header: 'application/jsonp', kind: 'other' },
  { header: 'application/octet-stream', kind: 'other' },
  { header: '*/*', kind: 'other' },
  { header: 'application/json, text/plain', kind: 'other' },
  { header: '', kind: 'other' },
  { header: 'application/json; charset="utf-8"; boundary=\'x\'', kind: 'unknown' },
];

interface Encoding {
  header?: string;
  encode: (bytes: Buffer) => Buffer;
  /** inflates: the body is read after inflating; unsupported: 415; corrupt: 400. */
  kind: 'identity' | 'inflates' | 'unsupported' | 'corrupt';
}

const ENCODINGS: Encoding[] = [
  { header: undefined, encode: (b) => b, kind: 'identity' },
  { header: 'identity', encode: (b) => b, kind: 'identity' },
  { header: 'gzip', encode: (b) => gzipSync(b), kind: 'inflates' },
  { header: 'deflate', encode: (b) => deflateSync(b), kind: 'inflates' },
  { header: 'br', encode: (b) => brotliCompressSync(b), kind: 'inflates' },
  { header: 'gzip', encode: (b) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), b]), kind: 'corrupt' },
  { header: 'deflate', encode: (b) => b, kind: 'corrupt' },
  { header: 'compress', encode: (b) => b, kind: 'unsupported' },
  { header: 'x-gzip', encode: (b) => gzipSync(b), kind: 'unsupported' },
  { header: 'gzip, gzip', encode: (b) => gzipSync(gzipSync(b)), kind: 'unsupported' },
  { header: 'zstd', encode: (b) => b, kind: 'unsupported' },
];

interface HostileBody {
  label: string;
  bytes: Buffer;
  /** What reading it as JSON gives: a JSON object for the DTOs, or the refusal before them. */
  parsed: 'object' | 'bad-json' | 'not-object' | 'too-deep' | 'very-deep' | 'prototype-key' | 'unknown';
}

const body = (label: string, text: string | Buffer, parsed: HostileBody['parsed']): HostileBody => ({ label, bytes: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), parsed });
const sized = (n: number) => `{"x":"${'a'.repeat(Math.max(0, n - 8))}"}`;
/** `n` nested objects around 1: its depth as configure-app counts it (the 1 is a level) is n + 1. */
const nested = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((d) => body(`${d >= 0 ? '+' : ''}${d} bytes around the limit`, sized(LIMIT + d), 'object')),
  fc.constantFrom(
    body('far over the limit', sized(3 * LIMIT), 'object'),
    body('a JSON object', '{"title":"x","priority":1}', 'object'),
    body('an empty object', '{}', 'object'),
    body('nothing', '', 'object'), // read as {}
    body('white space', '  \n\t ', 'unknown'),
    body('a huge array', `{"effectiveAt":[${'1,'.repeat(100_000)}1]}`, 'object'),
    body('many keys', `{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`, 'object'),
    body('duplicate keys', '{"title":"a","title":{"$gt":""},"title":["b"]}', 'object'),
    body('__proto__', '{"__proto__":{"isAdmin":true}}', 'prototype-key'),
    body('constructor.prototype', '{"a":{"constructor":{"prototype":{"isAdmin":true}}}}', 'prototype-key'),
    body('toString', '{"toString":"x"}', 'prototype-key'),
    body('a deep array', `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'very-deep'),
    body('a deep array alone', `${'['.repeat(120_000)}${']'.repeat(120_000)}`, 'very-deep'),
    body('an array', '[]', 'not-object'),
    body('null', 'null', 'bad-json'), // strict: only { or [ may open it
    body('a string', '"x"', 'bad-json'),
    body('a number', '1', 'bad-json'),
    body('true', 'true', 'bad-json'),
    body('unterminated', '{"a":', 'bad-json'),
    body('unterminated and deep', '{"a":'.repeat(10_000), 'bad-json'),
    body('trailing garbage', '{} x', 'bad-json'),
    body('a BOM first', '\uFEFF{}', 'unknown'),
    body('comments', '{/* a */"a":1}', 'bad-json'),
    body('single quotes', "{'a':1}", 'bad-json'),
    body('NaN', '{"a":NaN}', 'bad-json'),
    body('a huge number', `{"priority":1${'0'.repeat(400)}}`, 'object'),
    body('a lone surrogate escaped', '{"title":"\\ud800"}', 'object'),
    body('NUL escaped', '{"title":"a\\u0000b"}', 'object'),
    body('NUL raw', Buffer.from('{"title":"a\u0000b"}', 'latin1'), 'bad-json'),
    body('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff, 0x22, 0x7d]), 'object'),
    body('binary', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x1f, 0x8b]), 'bad-json'),
    body('form data', 'a=1&b=2', 'bad-json'),
    body('XML', '<?xml version="1.0"?><a>1</a>', 'bad-json'),
  ),
  fc.integer({ min: MAX_DEPTH - 3, max: MAX_DEPTH + 2 }).map((n) => body(`${n} nested objects`, nested(n), n + 1 > MAX_DEPTH ? 'too-deep' : 'object')),
  fc.constantFrom(1_000, 20_000).map((n) => body(`${n} nested objects`, nested(n), 'very-deep')),
);

/** What the transport rules say of a request (undefined: only that it is a 4xx problem, not which). */
function expectedOf(contentType: ContentType, encoding: Encoding, hostile: HostileBody): { status: number; rules?: string[] } | undefined {
  const inflatedSize = hostile.bytes.length;
  const sent = encoding.encode(hostile.bytes).length;
  if (sent === 0) return undefined; // no body: read as {}
  if (contentType.kind === 'other') return { status: 415, rules: ['BodyMustBeJson'] };
  if (contentType.kind === 'unknown') return undefined;
  if (contentType.kind === 'charset') return { status: 415, rules: ['BodyMustBeJson'] };
  if (encoding.kind === 'unsupported') return { status: 415, rules: ['BodyMustBeJson'] };
  if (encoding.kind === 'corrupt') return { status: 400, rules: ['BodyMustBeJson'] };
  if (inflatedSize > LIMIT) return { status: 413, rules: ['BodyMustFitTheLimit'] };
  switch (hostile.parsed) {
    case 'bad-json':
      return { status: 400, rules: ['BodyMustBeJson'] };
    case 'not-object':
      return { status: 400, rules: ['BodyMustBeJsonObject'] };
    case 'too-deep':
      return { status: 400, rules: ['BodyMustNotNestTooDeeply'] };
    case 'very-deep': // whether JSON.parse itself gives up on such depths is V8's affair
      return { status: 400, rules: ['BodyMustNotNestTooDeeply', 'BodyMustBeJsonObject', 'BodyMustBeJson'] };
    case 'prototype-key':
      return { status: 400, rules: ['whitelistValidation'] };
    default:
      return undefined;
  }
}

/** Sends `request` on a new socket and reads the first answer (status, headers, body) until the server closes or it is complete. */
function raw(port: number, request: string | Buffer): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? NaN);
      const bodyText = rest.join('\r\n\r\n');
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: Number.isNaN(length) ? bodyText : Buffer.from(bodyText).subarray(0, length).toString('utf8') });
    };
    const timer = setTimeout(done, 5_000);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
      if (end >= 0 && length !== undefined && Buffer.byteLength(text.slice(end + 4)) >= Number(length)) done();
    });
    socket.on('close', done);
    socket.on('error', () => undefined); // the server may close while we still write: what it answered counts
    socket.write(request);
  });
}
