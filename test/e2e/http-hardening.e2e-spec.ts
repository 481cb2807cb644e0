import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from '../../apps/api/src/logger';
import { seededApi } from '../support/seeded-api';
import { startTestApp, type TestApp } from '../support/test-app';
import { authorization, tokenFor } from '../support/tokens';

/** The HTTP surface (issue 6, part 4): security headers, CORS, rate limits, body limits, logs without tokens. */
describe('the hardened HTTP surface', () => {
  const ledger = seededApi();
  const rep = { subject: 'rep-mel', role: 'signatory-representative', partyId: 'party-mel' };
  beforeAll(async () => void (await ledger.get(`/commitments?seq=${await ledger.store.head()}`)));

  it('sends security headers on every answer, and says nothing of its framework', async () => {
    for (const path of ['/health', '/commitments', '/open-data/commitments.json', '/no-such-route']) {
      const response = await fetch(`${ledger.api.url}${path}`, { headers: await authorization() });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('lets any web page read the open data and the public proofs, and no other origin the rest of the API', async () => {
    const origin = 'https://example.org';
    const open = await fetch(`${ledger.api.url}/open-data/commitments.json`, { headers: { origin } });
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
    const key = await fetch(`${ledger.api.url}/ledger/key`, { headers: { origin } });
    expect(key.headers.get('access-control-allow-origin')).toBe('*');
    const closed = await fetch(`${ledger.api.url}/commitments`, { headers: { origin, ...(await authorization()) } });
    expect(closed.status).toBe(200);
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${ledger.api.url}/commitments/mobilimel/reports`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over the limit with 413 problem details, writing nothing', async () => {
    const before = await ledger.store.head();
    const response = await fetch(`${ledger.api.url}/commitments/mobilimel/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authorization(rep)) },
      body: JSON.stringify({ reportId: 'r-big', period: '2025', summary: 'x'.repeat(300_000), evidence: [] }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { rule: string }).rule).toBe('BodyMustFitTheLimit');
    expect(await ledger.store.head()).toBe(before);
  });

  it('never writes a bearer token into the logs', () => {
    let written = '';
    const sink = new Writable({ write: (chunk, _encoding, done) => ((written += chunk.toString()), done()) });
    const log = pino({ ...loggerOptions(), level: 'info' }, sink);
    log.info({ req: { method: 'POST', url: '/commitments', headers: { authorization: 'Bearer eyJ.secret.token', cookie: 'session=secret' } } }, 'request completed');
    expect(written).toContain('request completed');
    expect(written).not.toContain('secret');
    expect(written).toContain('[Redacted]');
  });
});

describe('rate limits', () => {
  const ledger = seededApi();
  let limited: TestApp;
  const previous = process.env.LEDGER_RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    process.env.LEDGER_RATE_LIMIT_PER_MINUTE = '5';
    limited = await startTestApp(ledger.db);
    await ledger.get(`/commitments?seq=${await ledger.store.head()}`);
  });
  afterAll(async () => {
    await limited?.close();
    process.env.LEDGER_RATE_LIMIT_PER_MINUTE = previous;
  });

  it('answers 429 problem details with Retry-After past the limit of one client on one route, and writes nothing', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor({ subject: 'rep-mel', role: 'signatory-representative', partyId: 'party-mel' })}` };
    const statuses: number[] = [];
    const before = await ledger.store.head();
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${limited.url}/commitments/mobilimel/reports`, { method: 'POST', headers, body: JSON.stringify({ reportId: `r-limit-${i}`, period: '2025', summary: 'rapport', evidence: [] }) });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await response.json()) as { rule: string }).rule).toBe('RequestsMustStayWithinTheRateLimit');
      } else await response.body?.cancel();
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect(await ledger.store.head()).toBe(before + 5);
    // Another route keeps its own count; health is never limited (probes).
    expect((await fetch(`${limited.url}/commitments?seq=${before + 5}`, { headers: await authorization() })).status).not.toBe(429);
    for (let i = 0; i < 8; i++) expect((await fetch(`${limited.url}/health`)).status).toBe(200);
  });
});
