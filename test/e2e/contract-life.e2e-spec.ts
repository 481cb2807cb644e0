import { createHash } from 'node:crypto';
import { PostgresEventStore } from '@mel/event-store';
import { rebuild } from '@mel/projections';
import { apiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { fetchAs } from '../support/tokens';

/**
 * The contract's life, through HTTP only, as its people would live it: the signature of the contract,
 * a commune's local annex, a steering committee that first lacks its quorum and then approves an
 * amendment by vote, the parties' signatures of the amendment, the commitment it amends, progress
 * reports, and the 2027 mid-term evaluation — with the refusals met along the way. Each step is a
 * 201 with the seq it produced; each refusal is problem details naming its rule, and writes nothing.
 */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const rep = (partyId: string) => ({ subject: `user-${partyId}`, role: 'signatory-representative', partyId });
const admin = { subject: 'user-admin-mel', role: 'administrator' };
const secretary = { subject: 'user-secretaire-copil', role: 'body-secretary', partyId: 'party-mel', mandate: 'copil-cvs' };
const mel = rep('party-mel');
const etat = rep('party-etat');
const caf = rep('party-caf-nord');
const region = rep('party-region-hdf');

const CONTRACT = '/contracts/mel-2024';
const COMMITMENT = '/commitments/mobilimel';
const AMENDMENT = '/amendments/avenant-1';
const budget2025 = { year: 2025, amountCents: 9_000_000, status: 'committed' };

describe('the life of the contract, through the API', () => {
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

  const { post, step, refused, typesOf } = apiClient(() => ({ api, store })); // every call names its actor

  it('registers the parties and adopts the contract on 19 April 2024', async () => {
    const parties = [
      { partyId: 'party-etat', name: 'État — Préfecture du Nord', kind: 'state', identifiers: {} },
      { partyId: 'party-mel', name: 'Métropole Européenne de Lille', kind: 'metropolis', identifiers: { siren: '200093201' } },
      { partyId: 'party-caf-nord', name: "Caisse d'allocations familiales du Nord", kind: 'social-security', identifiers: {} },
      { partyId: 'party-region-hdf', name: 'Région Hauts-de-France', kind: 'region', identifiers: { siren: '200053742' } },
      { partyId: 'party-commune-59350', name: 'Lille', kind: 'commune', identifiers: { inseeCode: '59350' } },
      { partyId: 'party-conseils-citoyens', name: 'Conseils citoyens de la MEL', kind: 'other', identifiers: {} },
    ];
    for (const party of parties) await step('/parties', { ...party, effectiveAt: '2024-04-19T09:00:00+02:00' }, admin);

    const ambition = (number: number) => [{ ambitionId: `p${number}-a1`, text: 'lever les freins à la mobilité pour tous', scale: 'qpv', horizon: 2030 }];
    await step(
      '/contracts',
      {
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
      },
      admin,
    );
    expect(await typesOf('contract-mel-2024')).toEqual(['ContractAdopted']);
  });

  it('is signed by its parties on 7 May 2024, each for itself, and enters into force', async () => {
    const signedOn = { effectiveAt: '2024-05-07T11:00:00+02:00' };
    await step(`${CONTRACT}/signatures`, signedOn, etat);
    await step(`${CONTRACT}/signatures`, signedOn, mel);
    // Wrong party: the CAF's representative cannot sign for the Région.
    await refused(403, 'PartyActsOnlyForItself', `${CONTRACT}/signatures`, { ...signedOn, onBehalfOfPartyId: 'party-region-hdf' }, caf);
    await step(`${CONTRACT}/signatures`, signedOn, caf);
    const last = await step(`${CONTRACT}/signatures`, signedOn, region);
    expect(last.body.events.map((e: { type: string }) => e.type)).toEqual(['ContractSignedByParty', 'ContractSigned']);
    await refused(422, 'ContractIsSignedByItsParties', `${CONTRACT}/signatures`, signedOn, mel);
    await step(`${CONTRACT}/entry-into-force`, signedOn, admin);
    const stored = await store.readStream('contract-mel-2024');
    expect(stored.at(-1)).toMatchObject({ type: 'ContractEnteredIntoForce', occurredAt: '2024-05-07T09:00:00.000Z' });
  });

  it("annexes Lille's volet local", async () => {
    await step(`${CONTRACT}/local-annexes`, { inseeCode: '59350', title: 'Volet local de Lille', documentSha256: sha256('volet local de Lille, conseil municipal'), effectiveAt: '2024-09-30T18:00:00+02:00' }, admin);
    await refused(422, 'LocalAnnexBelongsToAContractCommune', `${CONTRACT}/local-annexes`, { inseeCode: '59512', title: 'Volet local de Roubaix', documentSha256: sha256('Roubaix') }, admin);
  });

  it('constitutes the steering committee with a conseil citoyen seat', async () => {
    await step('/governance-bodies', { bodyId: 'copil-cvs', name: 'Comité de pilotage du contrat de ville et des solidarités', function: 'pilotage', quorum: { kind: 'fraction', numerator: 1, denominator: 2 }, citizenSeats: 1, effectiveAt: '2024-05-07T12:00:00+02:00' }, admin);
    const members = [
      { memberId: 'copil-etat', partyId: 'party-etat', seat: 'signatory' },
      { memberId: 'copil-mel', partyId: 'party-mel', seat: 'signatory' },
      { memberId: 'copil-caf', partyId: 'party-caf-nord', seat: 'signatory' },
      { memberId: 'copil-region', partyId: 'party-region-hdf', seat: 'signatory' },
      { memberId: 'copil-cc-1', partyId: 'party-conseils-citoyens', seat: 'citizen' },
    ];
    for (const member of members) await step('/governance-bodies/copil-cvs/members', { ...member, votingRight: true, startDate: '2024-05-07', effectiveAt: '2024-05-07T12:00:00+02:00' }, admin);
    await step('/governance-bodies/copil-cvs/constitute', { constitutedOn: '2024-05-07', effectiveAt: '2024-05-07T12:00:00+02:00' }, admin);
  });

  it('records the MEL’s commitment MobilimEL, started, and its first progress report', async () => {
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
    // Wrong party: the CAF co-funds, it does not move the MEL's commitment along.
    await refused(403, 'PartyActsOnlyForItself', `${COMMITMENT}/propose`, {}, caf);
    await step(`${COMMITMENT}/propose`, { effectiveAt: '2024-06-03T10:00:00+02:00' }, mel);
    await step(`${COMMITMENT}/adopt`, { effectiveAt: '2024-06-20T18:00:00+02:00' }, admin);
    await step(`${COMMITMENT}/start`, { effectiveAt: '2024-07-01T09:00:00+02:00' }, mel);
    await step(`${COMMITMENT}/reports`, { reportId: 'rapport-2024', period: '2024', summary: '412 personnes conseillées, dont 96 dans le QPV Secteur Sud', evidence: [{ sha256: sha256('bilan MobilimEL 2024'), title: 'Bilan 2024' }], effectiveAt: '2025-01-31T09:00:00+01:00' }, mel);
  });

  it('proposes an amendment raising the 2025 budget of MobilimEL', async () => {
    await step('/amendments', {
      amendmentId: 'avenant-1',
      rationale: 'Bilan 2024 : la demande de conseil en mobilité a doublé dans le QPV Secteur Sud',
      description: 'Inscrit 90 000 € au budget 2025 de l’engagement MobilimEL.',
      commitmentIds: ['mobilimel'],
      affectedPartyIds: ['party-mel', 'party-caf-nord'],
      changes: [{ target: { kind: 'commitment', id: 'mobilimel' }, change: { budget: [{ year: 2024, amountCents: 7_000_000, status: 'committed' }, budget2025] } }],
      effectiveAt: '2025-03-01T09:00:00+01:00',
    }, mel);
  });

  it('holds a steering committee without its quorum: no decision can be taken', async () => {
    const M = '/meetings/copil-2025-03-13';
    await step('/meetings', { meetingId: 'copil-2025-03-13', bodyId: 'copil-cvs', title: 'Comité de pilotage', date: '2025-03-13', effectiveAt: '2025-02-20T09:00:00+01:00' }, secretary);
    await step(`${M}/agenda-items`, { itemId: 'odj-1', title: 'Avenant n°1', effectiveAt: '2025-02-20T09:00:00+01:00' }, secretary);
    await step(`${M}/convene`, { effectiveAt: '2025-02-27T09:00:00+01:00' }, secretary);
    await step(`${M}/open`, { effectiveAt: '2025-03-13T14:00:00+01:00' }, secretary);
    await step(`${M}/attendance`, {
      attendance: [
        { memberId: 'copil-etat', status: 'present' },
        { memberId: 'copil-mel', status: 'present' },
        { memberId: 'copil-caf', status: 'excused' },
        { memberId: 'copil-region', status: 'absent' },
        { memberId: 'copil-cc-1', status: 'absent' },
      ],
      effectiveAt: '2025-03-13T14:05:00+01:00',
    }, secretary);
    const check = await step(`${M}/quorum-checks`, { effectiveAt: '2025-03-13T14:06:00+01:00' }, secretary);
    const [checked] = (await store.readStream('meeting-copil-2025-03-13')).filter((e) => e.eventId === check.body.events[0].eventId);
    expect(checked.data).toMatchObject({ reached: false, counted: 2, required: 3 });
    await step(`${M}/motions`, { motionId: 'motion-1', text: 'Approuver l’avenant n°1', target: { kind: 'amendment', id: 'avenant-1' }, agendaItemId: 'odj-1', effectiveAt: '2025-03-13T14:10:00+01:00' }, secretary);
    await step(`${M}/motions/motion-1/votes`, { votes: [{ memberId: 'copil-etat', option: 'yes' }, { memberId: 'copil-mel', option: 'yes' }], counts: [{ option: 'yes', value: 2 }], effectiveAt: '2025-03-13T14:15:00+01:00' }, secretary);
    // No quorum: the vote stands in the minutes, but no decision is recorded.
    await refused(409, 'DecisionNeedsQuorateMeeting', `${M}/decisions`, { decisionId: 'decision-1', motionId: 'motion-1', effectiveAt: '2025-03-13T14:20:00+01:00' }, secretary);
    await step(`${M}/close`, { effectiveAt: '2025-03-13T16:00:00+01:00' }, secretary);
  });

  it('holds a quorate steering committee that approves the amendment by vote', async () => {
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
    const vote = {
      votes: [
        { memberId: 'copil-etat', option: 'yes' },
        { memberId: 'copil-mel', option: 'yes' },
        { memberId: 'copil-caf', option: 'yes' },
        { memberId: 'copil-region', option: 'yes', proxyMemberId: 'copil-etat' },
        { memberId: 'copil-cc-1', option: 'abstain' },
      ],
      effectiveAt: '2025-06-12T14:15:00+02:00',
    };
    await refused(422, 'VoteCountsEqualIndividualVotes', `${M}/motions/motion-1/votes`, { ...vote, counts: [{ option: 'yes', value: 5 }] }, secretary);
    await step(`${M}/motions/motion-1/votes`, { ...vote, counts: [{ option: 'yes', value: 4 }, { option: 'abstain', value: 1 }] }, secretary);
    await step(`${M}/decisions`, { decisionId: 'decision-avenant-1', motionId: 'motion-1', effectiveAt: '2025-06-12T14:20:00+02:00' }, secretary);
    await step(`${M}/close`, { effectiveAt: '2025-06-12T16:00:00+02:00' }, secretary);
    await step(`${M}/minutes`, { minutesSha256: sha256('procès-verbal du comité de pilotage du 12 juin 2025'), effectiveAt: '2025-07-03T10:00:00+02:00' }, secretary);

    // The first meeting's vote cannot approve it: it was not a decision of a quorate meeting.
    await refused(404, 'AggregateMustExist', `${AMENDMENT}/approval`, { meetingId: 'copil-2025-03-13', decisionId: 'decision-1' }, secretary);
    await step(`${AMENDMENT}/approval`, { meetingId: 'copil-2025-06-12', decisionId: 'decision-avenant-1', effectiveAt: '2025-06-12T14:20:00+02:00' }, secretary);
  });

  it('takes effect only once every affected party has signed, then amends the commitment', async () => {
    // Amendment not yet signed.
    await refused(409, 'AmendmentTakesEffectOnlyWhenSignedByAll', `${AMENDMENT}/entry-into-force`, { effectiveAt: '2025-06-20T12:00:00+02:00' }, admin);
    await refused(403, 'AmendmentIsSignedByAffectedParties', `${AMENDMENT}/signatures`, { effectiveAt: '2025-06-20T11:00:00+02:00' }, region);
    await step(`${AMENDMENT}/signatures`, { effectiveAt: '2025-06-20T11:00:00+02:00' }, mel);
    await refused(409, 'AmendmentTakesEffectOnlyWhenSignedByAll', `${AMENDMENT}/entry-into-force`, { effectiveAt: '2025-06-20T12:00:00+02:00' }, admin);
    await step(`${AMENDMENT}/signatures`, { effectiveAt: '2025-06-20T11:30:00+02:00' }, caf);
    const inForce = await post(`${AMENDMENT}/entry-into-force`, { effectiveAt: '2025-06-20T12:00:00+02:00' }, admin);
    expect(inForce.status).toBe(201);

    const commitment = await store.readStream('commitment-mobilimel');
    const amended = commitment.find((e) => e.type === 'CommitmentAmended');
    expect(amended).toMatchObject({ occurredAt: '2025-06-20T10:00:00.000Z', data: { amendmentId: 'avenant-1', changes: { budget: [{ year: 2024 }, budget2025] } } });
    expect(await typesOf('amendment-avenant-1')).toEqual(['AmendmentProposed', 'AmendmentApproved', 'AmendmentSigned', 'AmendmentSigned', 'AmendmentEnteredIntoForce']);
  });

  it('takes progress reports at the version their author saw, and refuses a stale one', async () => {
    const version = (await store.readStream('commitment-mobilimel')).length;
    const report2025 = { reportId: 'rapport-2025', period: '2025', summary: '803 personnes conseillées', evidence: [{ sha256: sha256('bilan MobilimEL 2025'), title: 'Bilan 2025' }], effectiveAt: '2026-01-30T09:00:00+01:00' };
    // Stale If-Match: the author read the commitment before the amendment.
    const stale = await refused(412, 'IfMatchMustNameTheCurrentVersion', `${COMMITMENT}/reports`, report2025, mel, { 'if-match': `"${version - 1}"` });
    expect(stale.body.actualVersion).toBe(version);
    const ok = await step(`${COMMITMENT}/reports`, report2025, mel, { 'if-match': `"${version}"` });
    expect(ok.headers.get('etag')).toBe(`"${version + 1}"`);
    await step(`${COMMITMENT}/funding`, { transaction: 'disbursement', year: 2025, amountCents: 9_000_000, partyId: 'party-mel', effectiveAt: '2025-12-15T09:00:00+01:00' }, mel);
  });

  it('runs the 2027 mid-term evaluation, to which the signatories report', async () => {
    const E = '/evaluation-cycles/mid-term-2027';
    await step('/evaluation-cycles', {
      kind: 'mid-term',
      year: 2027,
      scope: { priorities: [1, 2, 3, 4, 5, 6], priorityActionCommitmentIds: ['mobilimel'] },
      questions: [{ questionId: 'q-droit-commun', text: 'Les politiques de droit commun se sont-elles mobilisées pour atteindre les ambitions ?' }],
      effectiveAt: '2027-01-15T10:00:00+01:00',
    }, admin);
    await step(`${E}/contribution-requests`, { partyId: 'party-mel', dueDate: '2027-03-31', effectiveAt: '2027-01-16T10:00:00+01:00' }, admin);
    await step(`${E}/contributions`, { summary: 'Bilan MEL 2024–2026', documentSha256s: [sha256('bilan MEL 2024-2026')], effectiveAt: '2027-03-20T10:00:00+01:00' }, mel);
    await step(`${E}/findings`, { findingId: 'constat-1', text: 'La mobilisation du droit commun reste inégale selon les QPV.', priorities: [2], concernedPartyIds: ['party-mel'], effectiveAt: '2027-06-01T10:00:00+02:00' }, admin);
    await step(`${E}/findings/constat-1/responses`, { response: 'La MEL ouvre deux permanences MobilimEL de plus au Secteur Sud.', plannedAction: 'deux permanences', effectiveAt: '2027-06-15T10:00:00+02:00' }, mel);
    await step(`${E}/closure`, {
      summary: 'Évaluation à mi-parcours du contrat de ville et des solidarités',
      droitCommunMobilisation: 'Réelle pour l’emploi et la mobilité, inégale pour la santé',
      orientations: ['Renforcer la présence des services publics dans les QPV'],
      reportSha256: sha256('rapport d’évaluation à mi-parcours 2027'),
      effectiveAt: '2027-09-30T10:00:00+02:00',
    }, admin);
  });

  it('leaves a ledger where every event has both clocks, an actor, and recordedAt never goes back', async () => {
    const all = await store.readAll(0, 10_000);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    const recorded = all.map((e) => e.recordedAt);
    expect([...recorded].sort()).toEqual(recorded);
    for (const event of all) {
      expect(event.actor.subject).toMatch(/^user-/);
      expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(Date.parse('2024-04-19T00:00:00Z'));
    }
    expect((await store.readStream('commitment-mobilimel')).map((e) => e.type)).toEqual([
      'CommitmentDrafted',
      'CommitmentProposed',
      'CommitmentAdopted',
      'CommitmentStarted',
      'ProgressReported',
      'CommitmentAmended',
      'ProgressReported',
      'FundingRecorded',
    ]);
  });

  it('leaves read models that a rebuild from seq 0 reproduces exactly (ledger rebuild --check)', async () => {
    const head = await store.head();
    // The API's projector has applied everything once a query naming the head is answered.
    for (let attempt = 0; (await fetchAs(`${api.url}/commitments?seq=${head}`)).status !== 200; attempt++) {
      if (attempt > 10) throw new Error('the read models did not reach the head');
    }
    const report = await rebuild({ adminUrl: db.adminUrl, appUrl: db.appUrl, store, checkOnly: true });
    expect(report.position).toBeGreaterThanOrEqual(head);
    expect(report.differences).toEqual([]);
  });
});
