import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { PostgresEventStore } from '@mel/event-store';
import { type ApiAnswer, apiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Who acts (a bearer token's claims, never the body). The administrator holds the mandate of the 7 May 2024 ceremony. */
const admin = { subject: 'user-admin-1', role: 'administrator', mandate: 'signature-2024-05-07' };
const rep = (partyId: string) => ({ subject: `user-${partyId}`, role: 'signatory-representative', partyId });
const melRep = rep('party-mel');
const cafRep = rep('party-caf');
const arsRep = rep('party-ars');
const lilleRep = rep('party-lille');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const contractText = sha256('Contrat de ville et des solidarités de la MEL 2024-2030, délibération du 19 avril 2024');
const lilleAnnexV1 = sha256('Volet local de Lille, délibération du conseil municipal');
const lilleAnnexV2 = sha256('Volet local de Lille, délibération du conseil municipal, version corrigée');

const adoptedOn = '2024-04-19T18:00:00+02:00'; // conseil métropolitain
const signedOn = '2024-05-07T11:00:00+02:00';

const qpv2030 = (ambitionId: string, text: string) => ({ ambitionId, text, scale: 'qpv', horizon: 2030 });
const priorities = [
  { number: 1, title: 'Lutter contre les inégalités dès l’enfance, notamment par la réussite éducative et scolaire', ambitions: [qpv2030('1.4', 'soutenir la parentalité')], partnerPartyIds: ['party-etat', 'party-mel', 'party-caf'] },
  { number: 2, title: 'Amplifier la politique d’accès à l’emploi', ambitions: [qpv2030('2.1', 'lever les freins à la mobilité pour tous')], partnerPartyIds: ['party-etat', 'party-mel'] },
  { number: 3, title: 'Promouvoir l’accès aux soins et à la prévention', ambitions: [qpv2030('3.1', 'se doter d’un outil d’observation en matière de santé mentale')], partnerPartyIds: ['party-etat'] },
  { number: 4, title: 'Œuvrer pour le vivre ensemble', ambitions: [qpv2030('4.2', 'améliorer la propreté des quartiers prioritaires via la GUSP')], partnerPartyIds: ['party-mel'] },
  {
    number: 5,
    title: 'Construire une transition écologique solidaire',
    ambitions: [{ ambitionId: '5.1', text: 'lutter contre la précarité énergétique et favoriser l’accès à une alimentation durable', scale: 'metropolis', horizon: 2027 }],
    partnerPartyIds: ['party-mel', 'party-caf'],
  },
  { number: 6, title: 'Lutter contre l’isolement et la grande précarité', ambitions: [qpv2030('6.1', 'faciliter l’accès aux droits et aux usages numériques')], partnerPartyIds: ['party-caf'] },
];
const territory = {
  communes: ['59220', '59346', '59350', '59360', '59512'],
  qpv: [
    { code: 'QN05971M', name: 'Secteur Ouest', communes: ['59350'] },
    { code: 'QN05972M', name: 'Secteur Sud', communes: ['59220', '59346', '59350', '59360'] },
    { code: 'QN05981M', name: 'Nouveau Roubaix', communes: ['59512'] },
  ],
};
const adoption = {
  contractId: 'cvs-mel-2024',
  title: 'Contrat de ville et des solidarités de la Métropole Européenne de Lille 2024-2030',
  documentSha256: contractText,
  components: [
    { component: 'contrat-de-ville', indicativeAnnualBudgetCents: 2_000_000_000 },
    { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 200_000_000 },
  ],
  priorities,
  territory,
  signatoryPartyIds: ['party-mel', 'party-etat', 'party-caf'],
  effectiveAt: adoptedOn,
};
const C = '/contracts/cvs-mel-2024';

describe('the command API for parties, the contract and documents', () => {
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

  const { post, step, expectNothingWritten } = apiClient(() => ({ api, store }), { actor: admin });

  /** A refusal of `action`'s request: problem details with this status, rule and (if given) field, nothing written. */
  async function expectProblem(action: () => Promise<ApiAnswer>, status: number, rule: string, field?: string) {
    const response = await expectNothingWritten(action);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status, rule, ...(field !== undefined && { field }) });
    expect(response.status).toBe(status);
    return response;
  }

  describe('parties', () => {
    it('registers the MEL by its SIREN: 201 with the seq, ETag, Location, the event in the store', async () => {
      const response = await step('/parties', {
        partyId: 'party-mel',
        name: 'Métropole Européenne de Lille',
        kind: 'metropolis',
        identifiers: { siren: '200093201' },
        effectiveAt: '2024-04-02T09:00:00+02:00',
      });
      expect(response.headers.get('etag')).toBe('"1"');
      expect(response.headers.get('location')).toBe('/parties/party-mel');
      expect(response.body).toMatchObject({ id: 'party-mel', streamId: 'party-party-mel', streamVersion: 1, events: [{ type: 'PartyRegistered' }] });
      const [event] = await store.readStream('party-party-mel');
      expect(event).toMatchObject({
        type: 'PartyRegistered',
        actor: admin,
        occurredAt: '2024-04-02T07:00:00.000Z',
        data: { partyId: 'party-mel', name: 'Métropole Européenne de Lille', kind: 'metropolis', identifiers: { siren: '200093201', inseeCode: null, rna: null } },
      });
    });

    it('registers the other parties: the State, the CAF, the ARS, the commune of Lille by its INSEE code', async () => {
      for (const [partyId, name, kind, identifiers] of [
        ['party-etat', 'État — Préfet du Nord', 'state', {}],
        ['party-caf', 'Caisse d’allocations familiales du Nord', 'social-security', { siren: null }],
        ['party-ars', 'Agence régionale de santé Hauts-de-France', 'public-agency', {}],
        ['party-lille', 'Ville de Lille', 'commune', { inseeCode: '59350' }],
        ['party-region', 'Région Hauts-de-France', 'region', {}],
      ] as const) {
        await step('/parties', { partyId, name, kind, identifiers, effectiveAt: '2024-04-02T09:00:00+02:00' });
      }
      const [lille] = await store.readStream('party-party-lille');
      expect(lille.data).toMatchObject({ kind: 'commune', identifiers: { siren: null, inseeCode: '59350', rna: null } });
    });

    it('generates the party id when the client gives none', async () => {
      const response = await step('/parties', { name: 'Pôle emploi', kind: 'public-agency', identifiers: {} });
      expect(response.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
      const renamed = await step(`/parties/${response.body.id}/rename`, {
        name: 'France Travail',
        reason: 'Pôle emploi devient France Travail le 1er janvier 2024',
        effectiveAt: '2024-01-01T00:00:00+01:00',
      });
      expect(renamed.headers.get('etag')).toBe('"2"');
      const [, event] = await store.readStream(`party-${response.body.id}`);
      expect(event).toMatchObject({ type: 'PartyRenamed', data: { name: 'France Travail' } });
    });

    it('corrects the identifiers of a party', async () => {
      await step('/parties/party-region/identifier-corrections', { identifiers: { siren: '200053742' }, reason: 'SIREN relevé dans le répertoire Sirene' });
      const events = await store.readStream('party-party-region');
      expect(events.at(-1)).toMatchObject({ type: 'PartyIdentifiersCorrected', data: { identifiers: { siren: '200053742', inseeCode: null, rna: null } } });
    });

    it('422 ValueMustBeValid on identifiers.siren for a SIREN with a wrong Luhn key', async () => {
      await expectProblem(
        () => post('/parties', { partyId: 'party-x', name: 'Mauvaise clé', kind: 'company', identifiers: { siren: '200093202' } }),
        422,
        'ValueMustBeValid',
        'identifiers.siren',
      );
      await expectProblem(() => post('/parties/party-region/identifier-corrections', { identifiers: { siren: '200053743' }, reason: 'r' }), 422, 'ValueMustBeValid', 'identifiers.siren');
    });

    it('422 for a commune without its INSEE code, 409 for a party registered twice, 403 for a representative', async () => {
      await expectProblem(() => post('/parties', { partyId: 'party-roubaix', name: 'Ville de Roubaix', kind: 'commune', identifiers: {} }), 422, 'ValueMustBeValid', 'identifiers.inseeCode');
      await expectProblem(() => post('/parties', { partyId: 'party-mel', name: 'MEL', kind: 'metropolis', identifiers: {} }), 409, 'AggregateMustNotExistYet', 'partyId');
      await expectProblem(() => post('/parties/party-mel/rename', { name: 'Lille Métropole', reason: 'r' }, melRep), 403, 'OnlyAnAdministratorMayDoThis');
      await expectProblem(() => post('/parties/party-nobody/rename', { name: 'X', reason: 'r' }), 404, 'AggregateMustExist');
    });

    it.each([
      ['a kind the ledger does not know', { name: 'N', kind: 'ngo', identifiers: {} }, 'kind', 'isIn'],
      ['a SIREN of 7 digits', { name: 'N', kind: 'company', identifiers: { siren: '2000932' } }, 'identifiers.siren', 'matches'],
      ['an identifier the ledger does not know', { name: 'N', kind: 'company', identifiers: { vat: 'FR12200093201' } }, 'identifiers.vat', 'whitelistValidation'],
      ['identifiers given as text', { name: 'N', kind: 'company', identifiers: '200093201' }, 'identifiers', 'isObject'],
      ['a name of 301 characters', { name: 'N'.repeat(301), kind: 'company', identifiers: {} }, 'name', 'isLength'],
    ])('400 naming the field for %s', async (_label, body, field, rule) => {
      const response = await expectNothingWritten(() => post('/parties', body));
      expect(response).toMatchObject({ status: 400, body: { type: expect.stringContaining('RequestMustBeValid') } });
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    });
  });

  describe('the contract, adopted on 19 April 2024 and signed on 7 May 2024', () => {
    it('adopts the contract: 6 priorities, two components with the dates the domain gives them, the territory, the signatories', async () => {
      const response = await step('/contracts', adoption);
      expect(response.headers.get('location')).toBe(C);
      expect(response.body).toMatchObject({ id: 'cvs-mel-2024', streamId: 'contract-cvs-mel-2024', streamVersion: 1 });
      const [event] = await store.readStream('contract-cvs-mel-2024');
      expect(event).toMatchObject({
        type: 'ContractAdopted',
        actor: admin,
        occurredAt: '2024-04-19T16:00:00.000Z',
        data: {
          contractId: 'cvs-mel-2024',
          documentSha256: contractText,
          components: [
            { component: 'contrat-de-ville', indicativeAnnualBudgetCents: 2_000_000_000, start: '2024-01-01', end: '2030-12-31' },
            { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 200_000_000, start: '2024-01-01', end: '2027-12-31' },
          ],
          priorities,
          territory,
          signatoryPartyIds: ['party-mel', 'party-etat', 'party-caf'],
        },
      });
    });

    it.each([
      ['a priority number given as text', { priorities: [{ ...priorities[0], number: '1' }, ...priorities.slice(1)] }, 'priorities[0].number', 'isIn'],
      ['an ambition of an unknown scale', { priorities: [{ ...priorities[0], ambitions: [{ ...priorities[0].ambitions[0], scale: 'region' }] }, ...priorities.slice(1)] }, 'priorities[0].ambitions[0].scale', 'isIn'],
      ['a budget in euros with decimals', { components: [{ component: 'contrat-de-ville', indicativeAnnualBudgetCents: 20_000_000.5 }, adoption.components[1]] }, 'components[0].indicativeAnnualBudgetCents', 'isInt'],
      ['a malformed QPV code', { territory: { ...territory, qpv: [{ ...territory.qpv[0], code: 'Lille Sud' }] } }, 'territory.qpv[0].code', 'matches'],
      ['a commune given by name', { territory: { ...territory, communes: ['Lille'] } }, 'territory.communes', 'matches'],
      ['a document named instead of hashed', { documentSha256: 'contrat.pdf' }, 'documentSha256', 'matches'],
      ['seven priorities', { priorities: [...priorities, priorities[0]] }, 'priorities', 'arrayMaxSize'],
      ['no territory', { territory: undefined }, 'territory', 'isObject'],
      ['a field the API does not know', { adoptedBy: 'user-admin-1' }, 'adoptedBy', 'whitelistValidation'],
    ])('400 naming the field for %s', async (_label, change, field, rule) => {
      const response = await expectNothingWritten(() => post('/contracts', { ...adoption, contractId: 'cvs-400', ...change }));
      expect(response).toMatchObject({ status: 400, body: { status: 400, type: expect.stringContaining('RequestMustBeValid') } });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    });

    it('leaves the rules of the contract to the domain: 422 naming the field', async () => {
      await expectProblem(() => post('/contracts', { ...adoption, contractId: 'cvs-5', priorities: priorities.slice(0, 5) }), 422, 'ValueMustBeValid', 'priorities');
      await expectProblem(() => post('/contracts', { ...adoption, contractId: 'cvs-1c', components: [adoption.components[0]] }), 422, 'ValueMustBeValid', 'components');
      const lateAmbition = [{ ...priorities[0], ambitions: [{ ...priorities[0].ambitions[0], horizon: 2031 }] }, ...priorities.slice(1)];
      await expectProblem(() => post('/contracts', { ...adoption, contractId: 'cvs-2031', priorities: lateAmbition }), 422, 'PeriodIsWithinTheContract', 'priorities[0].ambitions[0].horizon');
      const dunkerque = { ...territory, qpv: [{ code: 'QN05999M', name: 'Ailleurs', communes: ['59183'] }] };
      await expectProblem(() => post('/contracts', { ...adoption, contractId: 'cvs-dk', territory: dunkerque }), 422, 'ValueMustBeValid', 'territory.qpv[0].communes[0]');
      await expectProblem(() => post('/contracts', adoption), 409, 'AggregateMustNotExistYet', 'contractId');
      await expectProblem(() => post('/contracts', { ...adoption, contractId: 'cvs-rep' }, melRep), 403, 'OnlyAnAdministratorMayDoThis');
    });

    it('412 for a stale If-Match, nothing written', async () => {
      const stale = await expectProblem(() => post(`${C}/signatures`, { effectiveAt: signedOn }, melRep, { 'if-match': '"0"' }), 412, 'IfMatchMustNameTheCurrentVersion', 'If-Match');
      expect(stale.body).toMatchObject({ actualVersion: 1 });
    });

    it('records the signature of the MEL by its representative, for its own party (the party comes from the token)', async () => {
      const response = await step(`${C}/signatures`, { effectiveAt: signedOn }, melRep, { 'if-match': '"1"' });
      expect(response.headers.get('etag')).toBe('"2"');
      const events = await store.readStream('contract-cvs-mel-2024');
      expect(events[1]).toMatchObject({ type: 'ContractSignedByParty', actor: melRep, occurredAt: '2024-05-07T09:00:00.000Z', data: { contractId: 'cvs-mel-2024', partyId: 'party-mel' } });
    });

    it('403 PartyActsOnlyForItself when a representative signs for another party', async () => {
      await expectProblem(() => post(`${C}/signatures`, { onBehalfOfPartyId: 'party-etat', effectiveAt: signedOn }, cafRep), 403, 'PartyActsOnlyForItself', 'onBehalfOfPartyId');
    });

    it('422 ContractIsSignedByItsParties for a party that is not a signatory, and for a second signature by the same party', async () => {
      await expectProblem(() => post(`${C}/signatures`, { effectiveAt: signedOn }, arsRep), 422, 'ContractIsSignedByItsParties');
      await expectProblem(() => post(`${C}/signatures`, { onBehalfOfPartyId: 'party-ars', effectiveAt: signedOn }), 422, 'ContractIsSignedByItsParties', 'onBehalfOfPartyId');
      await expectProblem(() => post(`${C}/signatures`, { effectiveAt: signedOn }, melRep), 422, 'ContractIsSignedByItsParties');
    });

    it('403 when an administrator records a signature without a mandate or without naming the party', async () => {
      const { mandate: _m, ...withoutMandate } = admin;
      await expectProblem(() => post(`${C}/signatures`, { onBehalfOfPartyId: 'party-etat', effectiveAt: signedOn }, withoutMandate), 403, 'PartyActsOnlyForItself');
      await expectProblem(() => post(`${C}/signatures`, { effectiveAt: signedOn }), 403, 'PartyActsOnlyForItself', 'onBehalfOfPartyId');
    });

    it('records the paper signature of the State by an administrator under its mandate, kept in the event', async () => {
      await step(`${C}/signatures`, { onBehalfOfPartyId: 'party-etat', effectiveAt: signedOn });
      const events = await store.readStream('contract-cvs-mel-2024');
      expect(events.at(-1)).toMatchObject({ type: 'ContractSignedByParty', actor: { role: 'administrator', mandate: 'signature-2024-05-07' }, data: { partyId: 'party-etat' } });
    });

    it('refuses entry into force before every signature', async () => {
      await expectProblem(() => post(`${C}/entry-into-force`, { effectiveAt: signedOn }), 409, 'TransitionMustFollowLifecycle');
    });

    it('becomes signed on the last signature, then enters into force', async () => {
      const last = await step(`${C}/signatures`, { effectiveAt: signedOn }, cafRep);
      expect(last.body.events.map((e: { type: string }) => e.type)).toEqual(['ContractSignedByParty', 'ContractSigned']);
      await expectProblem(() => post(`${C}/entry-into-force`, {}, melRep), 403, 'OnlyAnAdministratorMayDoThis');
      const inForce = await step(`${C}/entry-into-force`, { effectiveAt: '2024-05-07T12:00:00+02:00' });
      expect(inForce.headers.get('etag')).toBe(`"${inForce.body.streamVersion}"`);
      const events = await store.readStream('contract-cvs-mel-2024');
      expect(events.map((e) => e.type)).toEqual(['ContractAdopted', 'ContractSignedByParty', 'ContractSignedByParty', 'ContractSignedByParty', 'ContractSigned', 'ContractEnteredIntoForce']);
      await expectProblem(() => post(`${C}/signatures`, { effectiveAt: signedOn }, rep('party-etat')), 422, 'ContractIsSignedByItsParties');
    });
  });

  describe('documents and local annexes', () => {
    const lilleAnnexDocument = {
      documentId: lilleAnnexV1,
      title: 'Volet local de Lille du contrat de ville et des solidarités',
      kind: 'local-annex',
      mediaType: 'application/pdf',
      sizeBytes: 1_843_200,
      registeredByPartyId: 'party-lille',
      public: true,
      effectiveAt: '2024-06-24T18:00:00+02:00',
    };

    it('registers a document by its SHA-256, which is its id', async () => {
      const response = await step('/documents', lilleAnnexDocument);
      expect(response.headers.get('location')).toBe(`/documents/${lilleAnnexV1}`);
      expect(response.body).toMatchObject({ id: lilleAnnexV1, streamId: `document-${lilleAnnexV1}`, streamVersion: 1 });
      const [event] = await store.readStream(`document-${lilleAnnexV1}`);
      expect(event).toMatchObject({ type: 'DocumentRegistered', data: { documentId: lilleAnnexV1, kind: 'local-annex', registeredByPartyId: 'party-lille', public: true } });
    });

    it('annexes the volet local of Lille (59350), identified by the SHA-256 of its document', async () => {
      await step(`${C}/local-annexes`, { inseeCode: '59350', title: 'Volet local de Lille', documentSha256: lilleAnnexV1, effectiveAt: '2024-07-01T10:00:00+02:00' });
      const events = await store.readStream('contract-cvs-mel-2024');
      expect(events.at(-1)).toMatchObject({ type: 'LocalAnnexAttached', data: { contractId: 'cvs-mel-2024', inseeCode: '59350', documentSha256: lilleAnnexV1 } });
    });

    it('refuses a local annex for a commune outside the territory, a second one for Lille, and malformed ones', async () => {
      const dunkerque = { inseeCode: '59183', title: 'Volet local de Dunkerque', documentSha256: sha256('Dunkerque') };
      await expectProblem(() => post(`${C}/local-annexes`, dunkerque), 422, 'LocalAnnexBelongsToAContractCommune', 'inseeCode');
      await expectProblem(() => post(`${C}/local-annexes`, { inseeCode: '59350', title: 'Autre volet', documentSha256: lilleAnnexV2 }), 409, 'AggregateMustNotExistYet', 'inseeCode');
      await expectProblem(() => post(`${C}/local-annexes`, { inseeCode: 'Lille', title: 'Volet', documentSha256: lilleAnnexV2 }), 400, 'matches', 'inseeCode');
      await expectProblem(() => post(`${C}/local-annexes`, { inseeCode: '59350', title: 'Volet', documentSha256: lilleAnnexV2.toUpperCase() }), 400, 'matches', 'documentSha256');
    });

    it('supersedes a document by a newer one, read from the successor’s own record', async () => {
      await expectProblem(() => post(`/documents/${lilleAnnexV1}/supersede`, { supersededBy: lilleAnnexV2 }, lilleRep), 404, 'AggregateMustExist', 'supersededBy');
      await step('/documents', { ...lilleAnnexDocument, documentId: lilleAnnexV2, title: 'Volet local de Lille (version corrigée)' }, lilleRep);
      await expectProblem(() => post(`/documents/${lilleAnnexV1}/supersede`, { supersededBy: lilleAnnexV2 }, cafRep), 403, 'PartyActsOnlyForItself');
      const response = await step(`/documents/${lilleAnnexV1}/supersede`, { supersededBy: lilleAnnexV2, reason: 'coquille sur le montant annuel' }, lilleRep, { 'if-match': '"1"' });
      expect(response.headers.get('etag')).toBe('"2"');
      const events = await store.readStream(`document-${lilleAnnexV1}`);
      expect(events[1]).toMatchObject({ type: 'DocumentSuperseded', actor: lilleRep, data: { documentId: lilleAnnexV1, supersededBy: lilleAnnexV2, reason: 'coquille sur le montant annuel' } });
    });

    it('refuses to supersede by a document that is itself superseded, or to supersede twice', async () => {
      await expectProblem(() => post(`/documents/${lilleAnnexV2}/supersede`, { supersededBy: lilleAnnexV1 }), 409, 'TransitionMustFollowLifecycle', 'supersededBy');
      await expectProblem(() => post(`/documents/${lilleAnnexV1}/supersede`, { supersededBy: lilleAnnexV2 }), 409, 'TransitionMustFollowLifecycle');
      await expectProblem(() => post(`/documents/${sha256('inconnu')}/supersede`, { supersededBy: lilleAnnexV2 }), 404, 'AggregateMustExist');
    });

    it.each([
      ['a digest in uppercase', { documentId: lilleAnnexV1.toUpperCase() }, 'documentId', 'matches'],
      ['a media type with a parameter', { mediaType: 'text/plain; charset=utf-8' }, 'mediaType', 'matches'],
      ['a size given as text', { sizeBytes: '1843200' }, 'sizeBytes', 'isInt'],
      ['an empty document', { sizeBytes: 0 }, 'sizeBytes', 'min'],
      ['an unknown kind', { kind: 'photo' }, 'kind', 'isIn'],
      ['public given as text', { public: 'yes' }, 'public', 'isBoolean'],
    ])('400 naming the field for a document with %s', async (_label, change, field, rule) => {
      const response = await expectNothingWritten(() => post('/documents', { ...lilleAnnexDocument, documentId: sha256('x'), ...change }));
      expect(response).toMatchObject({ status: 400 });
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    });

    it('409 for the same bytes registered twice', async () => {
      await expectProblem(() => post('/documents', lilleAnnexDocument), 409, 'AggregateMustNotExistYet', 'documentId');
    });
  });

  describe('revision and closure', () => {
    it('refuses a revision before 2027 (the domain checks the effective date, which it calls `at`)', async () => {
      await expectProblem(() => post(`${C}/revisions`, { reason: 'trop tôt', effectiveAt: '2026-12-31T23:30:00+01:00' }), 409, 'TransitionMustFollowLifecycle', 'effectiveAt');
      await expectProblem(() => post(`${C}/revisions/completion`, { conclusion: 'c' }), 409, 'TransitionMustFollowLifecycle');
      const noReason = await expectNothingWritten(() => post(`${C}/revisions`, { effectiveAt: '2027-03-15T09:00:00+01:00' }));
      expect(noReason).toMatchObject({ status: 400, body: { field: 'reason' } });
      expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason', rule: 'isString' })]));
    });

    it('starts the mid-term revision in 2027, completes it, and closes the contract at the end of 2030', async () => {
      await step(`${C}/revisions`, { reason: 'évaluation à mi-parcours 2027', effectiveAt: '2027-03-15T09:00:00+01:00' });
      await step(`${C}/revisions/completion`, { conclusion: 'Mobilisation accrue du droit commun', effectiveAt: '2027-12-10T18:00:00+01:00' });
      await expectProblem(() => post(`${C}/closure`, { effectiveAt: '2030-12-30T17:00:00+01:00' }), 409, 'TransitionMustFollowLifecycle', 'effectiveAt');
      await step(`${C}/closure`, { effectiveAt: '2030-12-31T17:00:00+01:00' });
      const events = await store.readStream('contract-cvs-mel-2024');
      expect(events.slice(-3).map((e) => e.type)).toEqual(['ContractRevisionStarted', 'ContractRevisionCompleted', 'ContractClosed']);
      await expectProblem(() => post(`${C}/local-annexes`, { inseeCode: '59512', title: 'Volet local de Roubaix', documentSha256: sha256('Roubaix') }), 409, 'TransitionMustFollowLifecycle');
    });

    it('404 on a contract never adopted, 400 on an id that cannot be one, 401 without an actor', async () => {
      await expectProblem(() => post('/contracts/nope/entry-into-force', {}), 404, 'AggregateMustExist');
      await expectProblem(() => post('/contracts/%20bad%20id/closure', {}), 400, 'matches', 'contractId');
      await expectProblem(() => post(`${C}/closure`, {}, null), 401, 'ActorMustBeIdentified');
    });
  });

  it('answers 4xx or 201, never 5xx, to valid bodies with one value, however deep, replaced by anything (property)', async () => {
    const templates: [string, Record<string, unknown>, object][] = [
      ['/parties', { name: 'N', kind: 'company', identifiers: { siren: '200093201', inseeCode: null, rna: null } }, admin],
      ['/parties/party-mel/rename', { name: 'N', reason: 'r' }, admin],
      ['/parties/party-mel/identifier-corrections', { identifiers: { siren: '200093201' }, reason: 'r' }, admin],
      ['/contracts', adoption, admin],
      ['/contracts/fuzz/signatures', { onBehalfOfPartyId: 'party-mel' }, admin],
      ['/contracts/fuzz/local-annexes', { inseeCode: '59350', title: 't', documentSha256: lilleAnnexV1 }, admin],
      ['/contracts/fuzz/revisions', { reason: 'r', effectiveAt: '2027-03-15T09:00:00+01:00' }, admin],
      ['/contracts/fuzz/revisions/completion', { conclusion: 'c' }, admin],
      ['/contracts/fuzz/closure', { effectiveAt: '2031-01-01T10:00:00+01:00' }, admin],
      ['/documents', { documentId: sha256('fuzz'), title: 't', kind: 'other', mediaType: 'text/plain', sizeBytes: 1, registeredByPartyId: 'party-mel' }, melRep],
      [`/documents/${lilleAnnexV1}/supersede`, { supersededBy: lilleAnnexV2, reason: null }, admin],
    ];
    /** Every path to a value inside a JSON value: ['priorities', 0, 'ambitions', 0, 'horizon']… */
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] =>
      value !== null && typeof value === 'object'
        ? [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, Array.isArray(value) ? Number(k) : k]))]
        : [prefix];
    const replaced = (value: unknown, path: (string | number)[], by: unknown): unknown => {
      if (path.length === 0) return by;
      const [head, ...rest] = path;
      const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
      copy[head] = replaced(copy[head], rest, by);
      return copy;
    };
    const garbage = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom<unknown>(null, [], {}, [null], [{}], '', 'x'.repeat(3000), -1, 1e308, 0.5, { __proto__: null }, { constructor: {} }, ['59350'], [[]]),
    );
    await post('/contracts', { ...adoption, contractId: 'fuzz' });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.nat(), garbage, async ([route, template, actor], i, by) => {
        const all = paths(template).filter((p) => p.length > 0);
        const body = replaced(template, all[i % all.length], by);
        const response = await post(route, JSON.stringify(body), actor);
        if (response.status >= 500 || (response.status !== 201 && response.status < 400)) {
          throw new Error(`POST ${route} → ${response.status}: ${JSON.stringify(response.body).slice(0, 300)} (body ${JSON.stringify(body).slice(0, 300)})`);
        }
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 300) },
    );
  });

  it('publishes the routes in /openapi.json, and not ApplyAmendmentToContract', async () => {
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = [
      '/parties',
      '/parties/{partyId}/rename',
      '/parties/{partyId}/identifier-corrections',
      '/contracts',
      '/contracts/{contractId}/signatures',
      '/contracts/{contractId}/entry-into-force',
      '/contracts/{contractId}/local-annexes',
      '/contracts/{contractId}/revisions',
      '/contracts/{contractId}/revisions/completion',
      '/contracts/{contractId}/closure',
      '/documents',
      '/documents/{documentId}/supersede',
    ];
    for (const route of routes) expect(spec.paths[route]).toHaveProperty('post');
    // The seven command routes on contracts, and no other (no route to apply an amendment by hand).
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/contracts') && spec.paths[p].post)).toHaveLength(7);
  });
});
