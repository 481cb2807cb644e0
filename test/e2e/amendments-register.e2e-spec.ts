import { createHash } from 'node:crypto';
import { PostgresEventStore } from '@mel/event-store';
import { apiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { fetchAs } from '../support/tokens';

/**
 * The amendments register: one amendment walked through the command API from its proposal to its entry
 * into force (as in contract-life), then read back through GET /amendments and GET /amendments/:id with
 * the seq of the last command — its decision, its signatures, and its change applied to the commitment.
 */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const rep = (partyId: string) => ({ subject: `user-${partyId}`, role: 'signatory-representative', partyId });
const admin = { subject: 'user-admin-mel', role: 'administrator' };
const adminUnderMandate = { ...admin, mandate: 'délégation de signature du 2 juin 2025' };
const secretary = { subject: 'user-secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const mel = rep('party-mel');
const etat = rep('party-etat');
const caf = rep('party-caf-nord');
const region = rep('party-region-hdf');

const budget2025 = { year: 2025, amountCents: 9_000_000, status: 'committed' };
const newBudget = [{ year: 2024, amountCents: 7_000_000, status: 'committed' }, budget2025];

describe('the amendments register', () => {
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;
  let lastSeq = 0;
  let effectSeq = 0;

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

  const { post, step } = apiClient(() => ({ api, store }));
  const get = async (path: string) => {
    const response = await fetchAs(`${api.url}${path}`);
    return { status: response.status, headers: response.headers, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('walks an amendment from its proposal to its entry into force, through the command API', async () => {
    const parties = [
      { partyId: 'party-etat', name: 'État — Préfecture du Nord', kind: 'state', identifiers: {} },
      { partyId: 'party-mel', name: 'Métropole Européenne de Lille', kind: 'metropolis', identifiers: { siren: '200093201' } },
      { partyId: 'party-caf-nord', name: "Caisse d'allocations familiales du Nord", kind: 'social-security', identifiers: {} },
      { partyId: 'party-region-hdf', name: 'Région Hauts-de-France', kind: 'region', identifiers: { siren: '200053742' } },
      { partyId: 'party-conseils-citoyens', name: 'Conseils citoyens de la MEL', kind: 'other', identifiers: {} },
    ];
    for (const party of parties) await step('/parties', { ...party, effectiveAt: '2024-04-19T09:00:00+02:00' }, admin);
    const ambition = (number: number) => [{ ambitionId: `p${number}-a1`, text: 'lever les freins à la mobilité pour tous', scale: 'qpv', horizon: 2030 }];
    await step('/contracts', {
      contractId: 'mel-2024',
      title: 'Contrat de ville et des solidarités de la Métropole Européenne de Lille 2024-2030',
      documentSha256: sha256('délibération du Conseil métropolitain du 19 avril 2024'),
      components: [
        { component: 'contrat-de-ville', indicativeAnnualBudgetCents: 2_000_000_000 },
        { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 200_000_000 },
      ],
      priorities: [1, 2, 3, 4, 5, 6].map((number) => ({ number, title: `Enjeu n°${number}`, ambitions: ambition(number), partnerPartyIds: ['party-mel'] })),
      territory: { communes: ['59220', '59346', '59350', '59360'], qpv: [{ code: 'QN05972M', name: 'Secteur Sud', communes: ['59220', '59346', '59350', '59360'] }] },
      signatoryPartyIds: ['party-etat', 'party-mel', 'party-caf-nord', 'party-region-hdf'],
      effectiveAt: '2024-04-19T18:00:00+02:00',
    }, admin);
    const signedOn = { effectiveAt: '2024-05-07T11:00:00+02:00' };
    for (const party of [etat, mel, caf, region]) await step('/contracts/mel-2024/signatures', signedOn, party);
    await step('/contracts/mel-2024/entry-into-force', signedOn, admin);

    const constitutedOn = { effectiveAt: '2024-05-07T12:00:00+02:00' };
    await step('/governance-bodies', { bodyId: 'copil-cvs', name: 'Comité de pilotage du contrat de ville et des solidarités', function: 'pilotage', quorum: { kind: 'fraction', numerator: 1, denominator: 2 }, citizenSeats: 1, ...constitutedOn }, admin);
    const members = [
      { memberId: 'copil-etat', partyId: 'party-etat', seat: 'signatory' },
      { memberId: 'copil-mel', partyId: 'party-mel', seat: 'signatory' },
      { memberId: 'copil-caf', partyId: 'party-caf-nord', seat: 'signatory' },
      { memberId: 'copil-region', partyId: 'party-region-hdf', seat: 'signatory' },
      { memberId: 'copil-cc-1', partyId: 'party-conseils-citoyens', seat: 'citizen' },
    ];
    for (const member of members) await step('/governance-bodies/copil-cvs/members', { ...member, votingRight: true, startDate: '2024-05-07', ...constitutedOn }, admin);
    await step('/governance-bodies/copil-cvs/constitute', { constitutedOn: '2024-05-07', ...constitutedOn }, admin);

    await step('/commitments', {
      commitmentId: 'mobilimel',
      title: 'MobilimEL : conseil en mobilité pour les demandeurs d’emploi',
      description: 'Lever les freins à la mobilité des personnes en recherche d’emploi et des plus précaires.',
      ownerPartyId: 'party-mel',
      coFunderPartyIds: ['party-caf-nord'],
      priority: 2,
      ambition: 'lever les freins à la mobilité pour tous',
      component: 'contrat-de-ville',
      horizon: 2030,
      scope: { qpv: ['QN05972M'], communes: ['59350'] },
      means: { droitCommunCents: 5_000_000, creditsSpecifiquesCents: 2_000_000 },
      budget: [{ year: 2024, amountCents: 7_000_000, status: 'committed' }],
      effectiveAt: '2024-06-03T09:00:00+02:00',
    }, mel);
    await step('/commitments/mobilimel/propose', { effectiveAt: '2024-06-03T10:00:00+02:00' }, mel);
    await step('/commitments/mobilimel/adopt', { effectiveAt: '2024-06-20T18:00:00+02:00' }, admin);
    await step('/commitments/mobilimel/start', { effectiveAt: '2024-07-01T09:00:00+02:00' }, mel);

    await step('/amendments', {
      amendmentId: 'avenant-1',
      rationale: 'Bilan 2024 : la demande de conseil en mobilité a doublé dans le QPV Secteur Sud',
      description: 'Inscrit 90 000 € au budget 2025 de l’engagement MobilimEL.',
      commitmentIds: ['mobilimel'],
      affectedPartyIds: ['party-mel', 'party-caf-nord'],
      changes: [{ target: { kind: 'commitment', id: 'mobilimel' }, change: { budget: newBudget } }],
      effectiveAt: '2025-03-01T09:00:00+01:00',
    }, mel);

    const M = '/meetings/copil-2025-06-12';
    await step('/meetings', { meetingId: 'copil-2025-06-12', bodyId: 'copil-cvs', title: 'Comité de pilotage', date: '2025-06-12', effectiveAt: '2025-05-22T09:00:00+02:00' }, secretary);
    await step(`${M}/agenda-items`, { itemId: 'odj-1', title: 'Avenant n°1', effectiveAt: '2025-05-22T09:00:00+02:00' }, secretary);
    await step(`${M}/convene`, { effectiveAt: '2025-05-28T09:00:00+02:00' }, secretary);
    await step(`${M}/open`, { effectiveAt: '2025-06-12T14:00:00+02:00' }, secretary);
    await step(`${M}/attendance`, {
      attendance: [
        { memberId: 'copil-etat', status: 'present' },
        { memberId: 'copil-mel', status: 'present' },
        { memberId: 'copil-caf', status: 'present' },
        { memberId: 'copil-region', status: 'represented', proxyMemberId: 'copil-etat' },
        { memberId: 'copil-cc-1', status: 'present' },
      ],
      effectiveAt: '2025-06-12T14:05:00+02:00',
    }, secretary);
    await step(`${M}/quorum-checks`, { effectiveAt: '2025-06-12T14:06:00+02:00' }, secretary);
    await step(`${M}/motions`, { motionId: 'motion-1', text: 'Approuver l’avenant n°1', target: { kind: 'amendment', id: 'avenant-1' }, agendaItemId: 'odj-1', effectiveAt: '2025-06-12T14:10:00+02:00' }, secretary);
    await step(`${M}/motions/motion-1/votes`, {
      votes: [
        { memberId: 'copil-etat', option: 'yes' },
        { memberId: 'copil-mel', option: 'yes' },
        { memberId: 'copil-caf', option: 'yes' },
        { memberId: 'copil-region', option: 'yes', proxyMemberId: 'copil-etat' },
        { memberId: 'copil-cc-1', option: 'abstain' },
      ],
      counts: [{ option: 'yes', value: 4 }, { option: 'abstain', value: 1 }],
      effectiveAt: '2025-06-12T14:15:00+02:00',
    }, secretary);
    await step(`${M}/decisions`, { decisionId: 'decision-avenant-1', motionId: 'motion-1', effectiveAt: '2025-06-12T14:20:00+02:00' }, secretary);
    await step(`${M}/close`, { effectiveAt: '2025-06-12T16:00:00+02:00' }, secretary);
    await step('/amendments/avenant-1/approval', { meetingId: 'copil-2025-06-12', decisionId: 'decision-avenant-1', effectiveAt: '2025-06-12T14:20:00+02:00' }, secretary);

    // The MEL signs for itself; an administrator records the CAF's paper signature under a mandate.
    await step('/amendments/avenant-1/signatures', { effectiveAt: '2025-06-20T11:00:00+02:00' }, mel);
    await step('/amendments/avenant-1/signatures', { onBehalfOfPartyId: 'party-caf-nord', effectiveAt: '2025-06-20T11:30:00+02:00' }, adminUnderMandate);
    const inForce = await post('/amendments/avenant-1/entry-into-force', { effectiveAt: '2025-06-20T12:00:00+02:00' }, admin);
    expect(inForce.status).toBe(201);
    expect(inForce.body.effects).toEqual([expect.objectContaining({ kind: 'commitment', targetId: 'mobilimel', applied: true })]);
    effectSeq = inForce.body.effects[0].seq;
    lastSeq = await store.head();
    expect(effectSeq).toBe(lastSeq);
    const amended = (await store.readStream('commitment-mobilimel')).find((e) => e.type === 'CommitmentAmended');
    expect(amended?.seq).toBe(effectSeq);
  });

  it('reads the amendment back with its decision, its signatures and its applied change', async () => {
    const read = await get(`/amendments/avenant-1?seq=${lastSeq}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      amendmentId: 'avenant-1',
      status: 'in_force',
      commitmentIds: ['mobilimel'],
      affectedPartyIds: ['party-mel', 'party-caf-nord'],
      proposedOn: '2025-03-01T08:00:00.000Z',
      proposedByPartyId: 'party-mel',
      decision: { outcome: 'approved', decisionId: 'decision-avenant-1', meetingId: 'copil-2025-06-12', bodyId: 'copil-cvs', decidedOn: '2025-06-12T12:20:00.000Z' },
      withdrawal: null,
      inForceOn: '2025-06-20T10:00:00.000Z',
      missingSignatures: [],
      lastSeq: effectSeq,
    });
    expect(read.body.signatures).toEqual([
      { partyId: 'party-mel', signedOn: '2025-06-20T09:00:00.000Z', seq: expect.any(Number), signerRole: 'signatory-representative', onBehalf: false, mandate: null },
      { partyId: 'party-caf-nord', signedOn: '2025-06-20T09:30:00.000Z', seq: expect.any(Number), signerRole: 'administrator', onBehalf: true, mandate: adminUnderMandate.mandate },
    ]);
    expect(read.body.targets).toEqual([
      { kind: 'commitment', id: 'mobilimel', change: { budget: newBudget }, applied: true, appliedSeq: effectSeq, appliedOn: '2025-06-20T10:00:00.000Z', superseded: false, supersededSeq: null },
    ]);
  });

  it('lists amendments filtered by status, affected party and amended commitment', async () => {
    const ids = async (query: string) => {
      const page = await get(`/amendments?seq=${lastSeq}${query}`);
      expect(page.status).toBe(200);
      return page.body.items.map((a: { amendmentId: string }) => a.amendmentId);
    };
    expect(await ids('')).toEqual(['avenant-1']);
    expect(await ids('&status=in_force')).toEqual(['avenant-1']);
    expect(await ids('&status=proposed')).toEqual([]);
    expect(await ids('&commitmentId=mobilimel')).toEqual(['avenant-1']);
    expect(await ids('&commitmentId=autre-engagement')).toEqual([]);
    expect(await ids('&partyId=party-caf-nord&status=in_force&commitmentId=mobilimel')).toEqual(['avenant-1']);
    expect(await ids('&partyId=party-region-hdf')).toEqual([]);
    const page = await get('/amendments?limit=1');
    expect(page.body).toMatchObject({ items: [{ amendmentId: 'avenant-1', status: 'in_force' }], nextCursor: null });
  });

  it('answers 404 problem details for an unknown amendment, 400 for a bad query parameter', async () => {
    const missing = await get(`/amendments/avenant-inconnu?seq=${lastSeq}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ rule: 'AggregateMustExist' });

    const bad = await get('/amendments?status=signed&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'status']);
    expect((await get('/amendments/avenant-1?seq=-1')).status).toBe(400);
  });
});
