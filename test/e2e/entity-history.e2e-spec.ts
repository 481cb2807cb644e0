import { createHash } from 'node:crypto';
import { PostgresEventStore } from '@mel/event-store';
import { apiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { fetchAs } from '../support/tokens';

/**
 * An entity's successive states over HTTP (GET /…/:id/history), on both clocks, around a correction
 * recorded after the fact with an earlier effective date; and the audit trail as of a date.
 */
const mel = { subject: 'user-mel-7', role: 'signatory-representative', partyId: 'party-mel' };
const admin = { subject: 'user-admin-1', role: 'administrator' };
const ORIGINAL = 'Vélo-école des quartiers';
const CORRECTED = 'Vélo-école des quartiers de Roubaix';
const C = '/commitments/velo-ecole';
const pause = () => new Promise((r) => setTimeout(r, 20));
const q = encodeURIComponent;

interface RecordedItem {
  seq: number;
  streamVersion: number;
  eventId: string;
  type: string;
  effectiveAt: string;
  recordedAt: string;
  state: { status: string; terms: { title: string } };
}
interface EffectiveItem {
  effectiveAt: string;
  knownSince: string;
  events: { seq: number; streamVersion: number; eventId: string; type: string; recordedAt: string }[];
  state: { status: string; terms: { title: string } };
}

describe('entity history and the audit trail as of a date', () => {
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;
  /** Recorded instant between the start and the correction. */
  let beforeCorrection: string;
  /** seq of the correction. */
  let correctionSeq: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db);
    store = new PostgresEventStore({ connectionString: db.appUrl });
  });
  afterAll(async () => {
    await store?.close();
    await api?.close();
    await db?.drop();
  });

  const { step } = apiClient(() => ({ api, store }), { actor: mel });
  /** GET, the body parsed; a 503 (read models starting) is retried as Retry-After says. */
  const get = async (path: string) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchAs(`${api.url}${path}`);
      if (response.status !== 503 || attempt === 10) return { status: response.status, headers: response.headers, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
      await new Promise((r) => setTimeout(r, 1000 * Number(response.headers.get('retry-after') ?? 1)));
    }
  };
  /** Every item of a history, page after page. */
  const allPages = async (path: string, limit: number) => {
    const items: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { items: unknown[]; nextCursor: string | null } } = await get(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  };

  it('records a commitment’s life, then a correction of its title effective before its adoption', async () => {
    const drafted = await step('/commitments', {
      commitmentId: 'velo-ecole',
      title: ORIGINAL,
      description: 'Apprendre le vélo aux adultes des QPV',
      ownerPartyId: 'party-mel',
      coFunderPartyIds: [],
      priority: 2,
      ambition: 'lever les freins à la mobilité pour tous',
      component: 'contrat-de-ville',
      horizon: 2030,
      scope: { qpv: ['QN05972M'], communes: ['59350'] },
      means: { droitCommunCents: 10_000_00, creditsSpecifiquesCents: 5_000_00 },
      budget: [{ year: 2024, amountCents: 15_000_00, status: 'committed' }],
      effectiveAt: '2024-05-07T10:00:00+02:00',
    });
    await step(`${C}/propose`, { effectiveAt: '2024-05-20T09:00:00Z' });
    await step(`${C}/adopt`, { effectiveAt: '2024-06-15T10:00:00Z' }, admin);
    await step(`${C}/start`, { effectiveAt: '2024-09-01T08:00:00Z' });
    await pause();
    beforeCorrection = new Date().toISOString();
    await pause();
    const corrected = await step(`${C}/corrections`, {
      correctsEventId: drafted.body.events[0].eventId, field: 'title', value: CORRECTED, reason: 'commune omise', effectiveAt: '2024-06-01T00:00:00Z',
    });
    correctionSeq = corrected.body.seq;
    await step(`${C}/reports`, { reportId: 'r-2024', period: '2024', summary: '120 adultes formés', evidence: [], effectiveAt: '2025-01-20T09:00:00Z' });
  });

  describe('GET /commitments/:id/history', () => {
    it('recorded clock: one item per event in seq order, the old title until the correction’s seq', async () => {
      const response = await get(`${C}/history?clock=recorded`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ streamId: 'commitment-velo-ecole', clock: 'recorded', asOf: null, streamVersion: 6, nextCursor: null });
      const items: RecordedItem[] = response.body.items;
      expect(items.map((i) => [i.streamVersion, i.type, i.state.status])).toEqual([
        [1, 'CommitmentDrafted', 'draft'],
        [2, 'CommitmentProposed', 'proposed'],
        [3, 'CommitmentAdopted', 'adopted'],
        [4, 'CommitmentStarted', 'in_progress'],
        [5, 'CommitmentCorrected', 'in_progress'],
        [6, 'ProgressReported', 'in_progress'],
      ]);
      for (const item of items) expect([item.seq, item.state.terms.title]).toEqual([item.seq, item.seq < correctionSeq ? ORIGINAL : CORRECTED]);
      expect(items.map((i) => i.seq)).toEqual([...items.map((i) => i.seq)].sort((a, b) => a - b));
      expect(items[4]).toMatchObject({ seq: correctionSeq, effectiveAt: '2024-06-01T00:00:00.000Z' });
      expect(Date.parse(items[4].recordedAt)).toBeGreaterThan(Date.parse(beforeCorrection));
      expect(items[0]).toMatchObject({ effectiveAt: '2024-05-07T08:00:00.000Z', state: { exists: true, terms: { ownerPartyId: 'party-mel' } } });
    });

    it('effective clock (the default): the corrected title from the correction’s effective date on', async () => {
      const response = await get(`${C}/history`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ clock: 'effective', asOf: null, streamVersion: 6 });
      const items: EffectiveItem[] = response.body.items;
      expect(items.map((i) => [i.effectiveAt, i.events.map((e) => e.type), i.state.status, i.state.terms.title])).toEqual([
        ['2024-05-07T08:00:00.000Z', ['CommitmentDrafted'], 'draft', ORIGINAL],
        ['2024-05-20T09:00:00.000Z', ['CommitmentProposed'], 'proposed', ORIGINAL],
        ['2024-06-01T00:00:00.000Z', ['CommitmentCorrected'], 'proposed', CORRECTED],
        ['2024-06-15T10:00:00.000Z', ['CommitmentAdopted'], 'adopted', CORRECTED],
        ['2024-09-01T08:00:00.000Z', ['CommitmentStarted'], 'in_progress', CORRECTED],
        ['2025-01-20T09:00:00.000Z', ['ProgressReported'], 'in_progress', CORRECTED],
      ]);
      expect(items[2].events[0]).toMatchObject({ seq: correctionSeq, streamVersion: 5 });
      // What was in force on 15 June 2024 has been said by the ledger only since the correction.
      expect(items[3].knownSince).toBe(items[2].events[0].recordedAt);
      expect(Date.parse(items[1].knownSince)).toBeLessThan(Date.parse(beforeCorrection));
    });

    it('asOf bounds each clock: recorded before the correction, effective before the adoption', async () => {
      const recorded = await get(`${C}/history?clock=recorded&asOf=${q(beforeCorrection)}`);
      expect(recorded.status).toBe(200);
      expect(recorded.body.asOf).toBe(beforeCorrection);
      expect(recorded.body.items.map((i: RecordedItem) => i.type)).toEqual(['CommitmentDrafted', 'CommitmentProposed', 'CommitmentAdopted', 'CommitmentStarted']);
      expect(recorded.body.items.every((i: RecordedItem) => i.state.terms.title === ORIGINAL && i.seq < correctionSeq)).toBe(true);

      const effective = await get(`/commitments/velo-ecole/history?asOf=${q('2024-06-15T11:59:59+02:00')}`);
      expect(effective.status).toBe(200);
      expect(effective.body.items.map((i: EffectiveItem) => [i.effectiveAt, i.state.terms.title])).toEqual([
        ['2024-05-07T08:00:00.000Z', ORIGINAL],
        ['2024-05-20T09:00:00.000Z', ORIGINAL],
        ['2024-06-01T00:00:00.000Z', CORRECTED],
      ]);
      // Inclusive: the adoption's own instant is in.
      expect((await get(`${C}/history?asOf=2024-06-15T10:00:00Z`)).body.items.at(-1).state.status).toBe('adopted');
      // Before the commitment existed: known entity, no state yet.
      expect((await get(`${C}/history?clock=recorded&asOf=2000-01-01T00:00:00Z`)).body).toMatchObject({ streamVersion: 6, items: [], nextCursor: null });
    });

    it('agrees with GET /commitments/:id?asOf= on both clocks', async () => {
      const effective = await get(`${C}?asOf=2024-07-01T00:00:00Z&clock=effective`);
      expect(effective).toMatchObject({ status: 200, body: { title: CORRECTED, status: 'adopted', clock: 'effective', streamVersion: 5 } });
      const recorded = await get(`${C}?asOf=${q(beforeCorrection)}&clock=recorded`);
      expect(recorded).toMatchObject({ status: 200, body: { title: ORIGINAL, status: 'in_progress', clock: 'recorded', streamVersion: 4, reports: 0 } });
      expect((await get(`${C}?asOf=2024-05-01T00:00:00Z`)).status).toBe(404);
    });

    it('pages with a cursor on either clock, each item once', async () => {
      const full = (await get(`${C}/history?clock=recorded`)).body.items as RecordedItem[];
      const recorded = await allPages(`${C}/history?clock=recorded`, 4);
      expect(recorded.pages).toBe(2);
      expect((recorded.items as RecordedItem[]).map((i) => i.seq)).toEqual(full.map((i) => i.seq));
      const effective = await allPages(`${C}/history`, 2);
      expect(effective.pages).toBe(3);
      expect((effective.items as EffectiveItem[]).map((i) => i.effectiveAt)).toEqual((await get(`${C}/history`)).body.items.map((i: EffectiveItem) => i.effectiveAt));
      // A cursor of one clock does not continue the other.
      const first = await get(`${C}/history?clock=recorded&limit=1`);
      const crossed = await get(`${C}/history?clock=effective&after=${first.body.nextCursor}`);
      expect(crossed.status).toBe(400);
      expect(crossed.body).toMatchObject({ field: 'after', rule: 'isCursorOfThisHistory' });
    });
  });

  describe('histories of the other entities', () => {
    it('follows a party, a governance body, an indicator and a document through their own streams', async () => {
      await step('/parties', { partyId: 'party-pe', name: 'Pôle emploi', kind: 'other', identifiers: {}, effectiveAt: '2023-06-01T00:00:00Z' }, admin);
      await step('/parties/party-pe/rename', { name: 'France Travail', reason: 'loi pour le plein emploi', effectiveAt: '2024-01-01T00:00:00+01:00' }, admin);
      const party = await get('/parties/party-pe/history');
      expect(party).toMatchObject({ status: 200, body: { streamId: 'party-party-pe', streamVersion: 2 } });
      expect(party.body.items.map((i: { state: { name: string; formerNames: string[] } }) => [i.state.name, i.state.formerNames])).toEqual([
        ['Pôle emploi', []],
        ['France Travail', ['Pôle emploi']],
      ]);

      await step('/governance-bodies', { bodyId: 'copil', name: 'Comité de pilotage', function: 'pilotage', quorum: { kind: 'fraction', numerator: 1, denominator: 2 }, citizenSeats: 1, effectiveAt: '2024-05-07T12:00:00+02:00' }, admin);
      const body = await get('/governance/bodies/copil/history?clock=recorded');
      expect(body).toMatchObject({ status: 200, body: { streamId: 'governance-body-copil', items: [{ type: 'GovernanceBodyCreated', state: { name: 'Comité de pilotage', function: 'pilotage' } }] } });

      await step('/indicators', { indicatorId: 'ind-velo', title: 'Adultes formés au vélo', level: 'local', measure: 'unit', unit: 'adultes', ascending: true, ownerPartyId: 'party-mel', effectiveAt: '2024-07-01T09:00:00+02:00' });
      expect(await get('/indicators/ind-velo/history')).toMatchObject({ status: 200, body: { streamId: 'indicator-ind-velo', items: [{ state: { definition: { title: 'Adultes formés au vélo' } } }] } });

      const documentId = createHash('sha256').update('compte rendu').digest('hex');
      await step('/documents', { documentId, title: 'Compte rendu', kind: 'minutes', mediaType: 'application/pdf', sizeBytes: 1234, registeredByPartyId: 'party-mel', effectiveAt: '2024-07-02T09:00:00+02:00' });
      expect(await get(`/documents/${documentId}/history`)).toMatchObject({ status: 200, body: { streamId: `document-${documentId}`, items: [{ state: { status: 'current' } }] } });
    });

    it.each([
      '/commitments/nobody/history',
      '/indicators/nobody/history',
      '/governance/bodies/nobody/history',
      '/governance/meetings/nobody/history',
      '/amendments/nobody/history',
      '/parties/nobody/history?clock=recorded',
      '/documents/nobody/history',
      '/contracts/nobody/history',
      '/evaluation-cycles/nobody/history',
    ])('404 problem details for an unknown entity: %s', async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 404, rule: 'AggregateMustExist' });
    });

    it.each([
      ['a clock that is neither', `${C}/history?clock=tomorrow`, 'clock', 'isIn'],
      ['an asOf without a time', `${C}/history?asOf=2024-06-01`, 'asOf', 'matches'],
      ['an asOf without a time zone', `${C}/history?asOf=2024-06-01T00:00:00`, 'asOf', 'matches'],
      ['an asOf that is no date', `${C}/history?asOf=${q('2024-02-30T00:00:00Z')}`, 'asOf', 'isIso8601'],
      ['a limit of 0', `${C}/history?limit=0`, 'limit', 'min'],
      ['a limit over the cap', `${C}/history?limit=1000`, 'limit', 'max'],
      ['a cursor that is not one', `${C}/history?after=${Buffer.from('recorded:x').toString('base64url')}`, 'after', 'isCursorOfThisHistory'],
      ['an unknown parameter', `${C}/history?on=2024-06-01`, 'on', 'whitelistValidation'],
      ['an id that is not one', '/commitments/velo%20ecole/history', 'commitmentId', 'matches'],
      ['an id that is not one, for a meeting', '/governance/meetings/%24%7Bx%7D/history', 'meetingId', 'matches'],
    ])('400 problem details for %s', async (_label, path, field, rule) => {
      const response = await get(path);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 400, type: expect.stringContaining('RequestMustBeValid') });
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    });
  });

  describe('GET /audit-trail?asOf=', () => {
    const trail = async (query: string) => {
      const response = await get(`/audit-trail?streamId=commitment-velo-ecole&${query}`);
      expect(response.status).toBe(200);
      return response.body.items as { seq: number; type: string; occurredAt: string; recordedAt: string }[];
    };

    it('recorded clock (the default): the lines the ledger held then', async () => {
      const then = await trail(`asOf=${q(beforeCorrection)}`);
      expect(then.map((l) => l.type)).toEqual(['CommitmentDrafted', 'CommitmentProposed', 'CommitmentAdopted', 'CommitmentStarted']);
      expect(await trail(`clock=recorded&asOf=${q(beforeCorrection)}`)).toEqual(then);
      const all = await trail('clock=recorded');
      expect(all).toHaveLength(6);
      // Inclusive: as of the correction's own recordedAt, it is in.
      const correction = all.find((l) => l.seq === correctionSeq)!;
      expect((await trail(`asOf=${q(correction.recordedAt)}`)).map((l) => l.seq)).toEqual(all.filter((l) => l.seq <= correctionSeq).map((l) => l.seq));
      expect(await trail('asOf=2000-01-01T00:00:00Z')).toEqual([]);
    });

    it('effective clock: the lines in effect by then, the late correction included, in seq order', async () => {
      const lines = await trail(`clock=effective&asOf=${q('2024-06-10T00:00:00+02:00')}`);
      expect(lines.map((l) => [l.type, l.occurredAt])).toEqual([
        ['CommitmentDrafted', '2024-05-07T08:00:00.000Z'],
        ['CommitmentProposed', '2024-05-20T09:00:00.000Z'],
        ['CommitmentCorrected', '2024-06-01T00:00:00.000Z'],
      ]);
      // The same instant on the recorded clock is long before anything was recorded.
      expect(await trail(`clock=recorded&asOf=${q('2024-06-10T00:00:00+02:00')}`)).toEqual([]);
      // Across the whole ledger too, combined with the other filters.
      const ledger = await get('/audit-trail?clock=effective&asOf=2024-05-08T00:00:00Z&type=CommitmentDrafted');
      expect(ledger.body.items.map((l: { streamId: string }) => l.streamId)).toEqual(['commitment-velo-ecole']);
    });

    it.each([
      ['no date', 'asOf=soon', 'matches'],
      ['no time zone', 'asOf=2024-06-01T00:00:00', 'matches'],
      ['an impossible date', 'asOf=2024-02-30T00:00:00Z', 'isIso8601'],
    ])('400 for an asOf with %s, and for a bad clock', async (_label, query, rule) => {
      const response = await get(`/audit-trail?${query}&clock=recorded`);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'asOf', rule })]));
      const clock = await get(`/audit-trail?asOf=2024-06-01T00:00:00Z&clock=legal`);
      expect(clock.status).toBe(400);
      expect(clock.body.errors).toEqual([expect.objectContaining({ field: 'clock', rule: 'isIn' })]);
    });
  });
});
