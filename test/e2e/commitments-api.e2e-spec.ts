import { createHash } from 'node:crypto';
import { PostgresEventStore } from '@mel/event-store';
import { apiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const mel = { subject: 'user-mel-7', role: 'signatory-representative', partyId: 'party-mel' };
const caf = { subject: 'user-caf-2', role: 'signatory-representative', partyId: 'party-caf' };
const admin = { subject: 'user-admin-1', role: 'administrator' };

const commitment = {
  title: 'MobilimEL : conseil en mobilité pour les demandeurs d’emploi',
  description: 'Plateforme qui lève les freins à la mobilité des personnes en recherche d’emploi.',
  ownerPartyId: 'party-mel',
  coFunderPartyIds: ['party-caf'],
  priority: 2,
  ambition: 'lever les freins à la mobilité pour tous et favoriser l’insertion des personnes en grande précarité',
  component: 'contrat-de-ville',
  horizon: 2030,
  scope: { qpv: ['QN05972M'], communes: ['59350'] },
  means: { droitCommunCents: 50_000_00, creditsSpecifiquesCents: 20_000_00 },
  budget: [{ year: 2024, amountCents: 70_000_00, status: 'committed' }],
  effectiveAt: '2024-06-03T09:00:00+02:00',
};

describe('the command API for commitments', () => {
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;

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

  const { post, expectNothingWritten } = apiClient(() => ({ api, store }), { actor: mel });

  it('drafts a commitment: 201 with the seq, ETag = version 1, Location, and the actor from the header', async () => {
    const response = await post('/commitments', { ...commitment, commitmentId: 'mobilimel' });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('location')).toBe('/commitments/mobilimel');
    expect(response.body).toMatchObject({ id: 'mobilimel', streamId: 'commitment-mobilimel', streamVersion: 1, seq: await store.head() });
    const [event] = await store.readStream('commitment-mobilimel');
    expect(event).toMatchObject({
      type: 'CommitmentDrafted',
      actor: mel,
      occurredAt: '2024-06-03T07:00:00.000Z',
      data: { commitmentId: 'mobilimel', ownerPartyId: 'party-mel', budget: commitment.budget },
    });
  });

  it('generates the id when the client gives none', async () => {
    const response = await post('/commitments', commitment);
    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('refusals: RFC 9457 problem details naming the rule and the field, nothing written', () => {
    it.each([
      ['a priority out of 1–6', { ...commitment, priority: 9 }, 'priority', 'max'],
      ['an amount in euros with decimals', { ...commitment, means: { droitCommunCents: 10.5, creditsSpecifiquesCents: 0 } }, 'means.droitCommunCents', 'isInt'],
      ['a field the API does not know', { ...commitment, ownerName: 'Jeanne Martin' }, 'ownerName', 'whitelistValidation'],
      ['a malformed QPV code', { ...commitment, scope: { qpv: ['Lille Sud'], communes: [] } }, 'scope.qpv', 'matches'],
      ['a missing title', { ...commitment, title: undefined }, 'title', 'isString'],
      ['a date without time zone', { ...commitment, effectiveAt: '2024-06-03T09:00:00' }, 'effectiveAt', 'matches'],
    ])('400 for %s', async (_label, body, field, rule) => {
      const response = await expectNothingWritten(() => post('/commitments', body));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 400, type: expect.stringContaining('RequestMustBeValid') });
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    });

    it('400 for a body that is not JSON', async () => {
      const response = await expectNothingWritten(() => post('/commitments', '{"title": '));
      expect(response).toMatchObject({ status: 400, body: { rule: 'BodyMustBeJson', field: 'body' } });
    });

    it.each([
      ['an array', '[1, 2]', 'BodyMustBeJsonObject'],
      ['a string', '"draft"', 'BodyMustBeJson'],
      ['an object nested 40 levels deep', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 'BodyMustNotNestTooDeeply'],
    ])('400 for a body that is %s', async (_label, body, rule) => {
      const response = await expectNothingWritten(() => post('/commitments', body));
      expect(response).toMatchObject({ status: 400, body: { rule, field: 'body' } });
    });

    it('413 for a body over the limit', async () => {
      const response = await expectNothingWritten(() => post('/commitments', { ...commitment, description: 'x'.repeat(300 * 1024) }));
      expect(response).toMatchObject({ status: 413, body: { rule: 'BodyMustFitTheLimit' } });
    });

    it('401 without an actor', async () => {
      const response = await expectNothingWritten(() => post('/commitments', commitment, null));
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });

    it('422 CommitmentEndsWithinItsComponent for a pacte commitment ending in 2030', async () => {
      const response = await expectNothingWritten(() => post('/commitments', { ...commitment, component: 'pacte-local-solidarites' }));
      expect(response).toMatchObject({ status: 422, body: { rule: 'CommitmentEndsWithinItsComponent', field: 'horizon' } });
    });

    it('403 PartyActsOnlyForItself when a party drafts for another', async () => {
      const response = await expectNothingWritten(() => post('/commitments', commitment, caf));
      expect(response).toMatchObject({ status: 403, body: { rule: 'PartyActsOnlyForItself' } });
    });

    it('404 on a commitment that does not exist, 400 on an id that cannot be one', async () => {
      expect((await post('/commitments/nope/propose', {})).body).toMatchObject({ status: 404, rule: 'AggregateMustExist' });
      expect((await post('/commitments/%20bad%20id/propose', {})).status).toBe(400);
    });
  });

  describe('If-Match and ETag', () => {
    it('applies a change to the version named, and refuses a stale one with 412', async () => {
      await post('/commitments', { ...commitment, commitmentId: 'etag-1' });
      const stale = await expectNothingWritten(() => post('/commitments/etag-1/propose', {}, mel, { 'if-match': '"0"' }));
      expect(stale).toMatchObject({ status: 412, body: { rule: 'IfMatchMustNameTheCurrentVersion', actualVersion: 1 } });
      const current = await post('/commitments/etag-1/propose', {}, mel, { 'if-match': '"1"' });
      expect(current.status).toBe(201);
      expect(current.headers.get('etag')).toBe('"2"');
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the first answer and writes nothing', async () => {
      const key = { 'idempotency-key': 'draft-emergence-1' };
      const first = await post('/commitments', { ...commitment, commitmentId: 'emergence' }, mel, key);
      const retry = await expectNothingWritten(() => post('/commitments', { ...commitment, commitmentId: 'emergence' }, mel, key));
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual({ ...first.body, replayed: true });
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
    });

    it('refuses the same key for another request', async () => {
      const key = { 'idempotency-key': 'draft-fijem' };
      await post('/commitments', { ...commitment, commitmentId: 'fijem' }, mel, key);
      const other = await expectNothingWritten(() => post('/commitments', { ...commitment, commitmentId: 'fijem-2' }, mel, key));
      expect(other).toMatchObject({ status: 422, body: { rule: 'IdempotencyKeyIdentifiesOneRequest' } });
    });
  });

  it('walks a commitment to completion, then refuses further reports', async () => {
    const id = 'life-1';
    const evidence = [{ sha256: createHash('sha256').update('bilan 2024').digest('hex'), title: 'Bilan 2024' }];
    expect((await post('/commitments', { ...commitment, commitmentId: id })).status).toBe(201);
    expect((await post(`/commitments/${id}/propose`, {})).status).toBe(201);
    expect((await post(`/commitments/${id}/adopt`, { decisionId: 'decision-2024-06' }, admin)).status).toBe(201);
    expect((await post(`/commitments/${id}/start`, {})).status).toBe(201);
    expect((await post(`/commitments/${id}/milestones`, { milestoneId: 'ms-1', title: 'Plateforme ouverte', dueDate: '2024-12-31' })).status).toBe(201);
    expect((await post(`/commitments/${id}/milestones/ms-1/status`, { status: 'met' })).status).toBe(201);
    expect((await post(`/commitments/${id}/funding`, { transaction: 'disbursement', year: 2024, amountCents: 10_000_00, partyId: 'party-caf' }, caf)).status).toBe(201);
    expect((await post(`/commitments/${id}/reports`, { reportId: 'r-2024', period: '2024', summary: '120 personnes conseillées', evidence })).status).toBe(201);
    const [drafted] = await store.readStream(`commitment-${id}`);
    expect((await post(`/commitments/${id}/corrections`, { correctsEventId: drafted.eventId, field: 'title', value: 'MobilimEL', reason: 'titre abrégé' })).status).toBe(201);
    const done = await post(`/commitments/${id}/complete`, { outcome: 'met', summary: 'objectif atteint' });
    expect(done).toMatchObject({ status: 201, body: { streamVersion: 10 } });
    const late = await expectNothingWritten(() => post(`/commitments/${id}/reports`, { reportId: 'r-2025', period: '2025', summary: 's', evidence: [] }));
    expect(late).toMatchObject({ status: 409, body: { rule: 'ClosedCommitmentTakesNoReport' } });
  });

  it('publishes its OpenAPI description at /openapi.json and /docs', async () => {
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/commitments', '/commitments/{commitmentId}/reports', '/commitments/{commitmentId}/propose']));
    expect((await fetch(`${api.url}/docs`)).status).toBe(200);
  });
});
