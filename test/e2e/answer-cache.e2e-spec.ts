import { seededApi } from '../support/seeded-api';
import { startTestApp, type TestApp } from '../support/test-app';
import { fetchAs, type TestActor } from '../support/tokens';
import { AnswerCache } from '../../apps/api/src/queries/answer-cache';

/**
 * Kept answers of reads (ADR 15): the same bytes with a strong ETag and 304 while the read models stay
 * where they were; a new answer once they move; never to a reader the route refuses, nor past the rate
 * limit; never for answers that hold names.
 */
describe('the answer cache', () => {
  const ledger = seededApi();
  const mel: TestActor = { subject: 'user-mel', role: 'signatory-representative', partyId: 'party-mel' };
  const auditor: TestActor = { subject: 'auditor-1', role: 'auditor' };
  const cache = () => ledger.api.app.get(AnswerCache);

  async function read(path: string, actor: TestActor | null = auditor, headers: Record<string, string> = {}) {
    const response = await fetchAs(`${ledger.api.url}${path}`, { headers }, actor);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  }

  beforeAll(async () => void (await ledger.get(`/commitments?seq=${await ledger.store.head()}`)));

  it('answers the same bytes again from the cache, with a strong ETag, and 304 to If-None-Match', async () => {
    const first = await read('/commitments?limit=3');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const hits = cache().hits;
    const second = await read('/commitments?limit=3');
    expect(cache().hits).toBe(hits + 1);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('etag')).toBe(etag);
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // The same headers as the router's answers: security headers, the rate limit's.
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    expect(second.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(second.headers.get('x-ratelimit-limit')).toBe(first.headers.get('x-ratelimit-limit'));
    const notModified = await read('/commitments?limit=3', auditor, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    // A new request's first answer (not yet kept) answers 304 too.
    const fresh = await read('/overview');
    expect((await read('/overview', auditor, { 'if-none-match': `W/${fresh.headers.get('etag')}` })).status).toBe(304);
    expect((await read('/overview', auditor, { 'if-none-match': '"something-else"' })).status).toBe(200);
  });

  it('answers anew once the read models moved: a write is seen, without waiting for it by seq, once applied', async () => {
    const before = JSON.parse((await read('/commitments/mobilimel')).text);
    expect(JSON.parse((await read('/commitments/mobilimel')).text)).toEqual(before);
    const written = await fetchAs(
      `${ledger.api.url}/commitments/mobilimel/reports`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reportId: 'r-cache', period: '2025', summary: 'rapport', evidence: [] }) },
      mel,
    );
    expect(written.status).toBe(201);
    const { seq } = (await written.json()) as { seq: number };
    expect((await read(`/commitments/mobilimel?seq=${seq}`)).status).toBe(200); // the read models have applied it
    const after = JSON.parse((await read('/commitments/mobilimel')).text);
    expect(after.lastSeq).toBe(seq);
    expect(after.lastSeq).not.toBe(before.lastSeq);
  });

  it('never answers a kept answer to a reader the route refuses, nor without a valid token', async () => {
    expect((await read('/governance/bodies')).status).toBe(200);
    expect((await read('/governance/bodies')).status).toBe(200);
    const publicReader = await read('/governance/bodies', { subject: 'visitor-1', role: 'public' });
    expect(publicReader.status).toBe(403);
    expect(publicReader.headers.get('content-type')).toContain('application/problem+json');
    expect((await read('/governance/bodies', null)).status).toBe(401);
    const forged = await fetch(`${ledger.api.url}/governance/bodies`, { headers: { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA' } });
    expect(forged.status).toBe(401);
    // The same answer to another role that may read it: computed for that role, then kept for it too.
    const secretary = { subject: 'secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
    const hits = cache().hits;
    const forSecretary = await read('/governance/bodies', secretary);
    expect(forSecretary.status).toBe(200);
    expect(cache().hits).toBe(hits);
    expect(forSecretary.text).toBe((await read('/governance/bodies')).text);
  });

  it('answers a kept answer before Express, with the headers and bytes the router’s path gives', async () => {
    const path = '/governance/meetings?limit=5';
    expect((await read(path)).status).toBe(200);
    expect((await read(path)).status).toBe(200); // kept, and the headers of such a request seen in the middleware
    const express = ledger.api.app.getHttpAdapter().getInstance() as { handle: (...args: unknown[]) => void };
    const handle = jest.spyOn(express, 'handle');
    try {
      const hits = cache().hits;
      const first = await read(path);
      expect(handle).not.toHaveBeenCalled();
      // With an Origin header it takes Express's middleware (CORS looks at it): with no origin listed, CORS adds nothing.
      const routed = await read(path, auditor, { origin: 'https://example.test' });
      expect(handle).toHaveBeenCalledTimes(1);
      expect(cache().hits).toBe(hits + 2);
      expect(first.status).toBe(200);
      expect(first.text).toBe(routed.text);
      const comparable = (headers: Headers) => [...headers].filter(([name]) => !['date', 'x-ratelimit-remaining', 'x-ratelimit-reset'].includes(name));
      expect(comparable(first.headers)).toEqual(comparable(routed.headers));
      expect(first.headers.get('strict-transport-security')).toBeTruthy();
      const notModified = await read(path, auditor, { 'if-none-match': first.headers.get('etag')! });
      expect([notModified.status, notModified.text, handle.mock.calls.length]).toEqual([304, '', 1]);
      // Without a token, the router answers (401).
      expect((await read(path, null)).status).toBe(401);
      expect(handle).toHaveBeenCalledTimes(2);
    } finally {
      handle.mockRestore();
    }
  });

  it('keeps no refusal and no answer that holds names', async () => {
    const { entries } = cache().size;
    expect((await read('/commitments?limit=0')).status).toBe(400);
    expect((await read('/commitments/no-such-commitment')).status).toBe(404);
    expect((await read('/governance/bodies/copil-cvs')).status).toBe(200);
    expect((await read('/governance/bodies/copil-cvs')).status).toBe(200);
    expect(cache().size.entries).toBe(entries);
  });
});

describe('the answer cache and the rate limit', () => {
  const ledger = seededApi();
  let limited: TestApp;
  const previous = process.env.LEDGER_RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    process.env.LEDGER_RATE_LIMIT_PER_MINUTE = '3';
    limited = await startTestApp(ledger.db);
    await ledger.get(`/commitments?seq=${await ledger.store.head()}`);
  });
  afterAll(async () => {
    await limited?.close();
    process.env.LEDGER_RATE_LIMIT_PER_MINUTE = previous;
  });

  it('counts answers from the cache against the same limit as the router: 429 past it', async () => {
    const head = await ledger.store.head();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetchAs(`${limited.url}/governance/bodies${i === 0 ? `?seq=${head}` : ''}`);
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      else expect(response.headers.get('x-ratelimit-remaining')).toBe(String(3 - i - 1));
    }
    expect(limited.app.get(AnswerCache).hits).toBeGreaterThanOrEqual(1);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
