import { createHash } from 'node:crypto';
import { CommandExecutor, deterministicEventId } from '@mel/application';
import {
  type Actor,
  amendmentDecider,
  amendmentFacts,
  contractDecider,
  governanceBodyDecider,
  type MeetingBodyFacts,
  meetingDecider,
  membersOn,
} from '@mel/domain';
import { PostgresEventStore } from '@mel/event-store';
import { apiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const rep = (partyId: string): Actor => ({ subject: `user-${partyId}`, role: 'signatory-representative', partyId });
const mel = rep('party-mel');
const caf = rep('party-caf');
const region = rep('party-region');
const admin: Actor = { subject: 'user-admin-1', role: 'administrator' };
const adminUnderMandate: Actor = { ...admin, mandate: 'ceremonie-avenants-2025-06-20' };
const COPIL = 'copil-cvs-mel';
const SUIVI = 'comite-suivi-roubaix';
const copilSecretary: Actor = { subject: 'user-sec-copil', role: 'body-secretary', partyId: 'party-mel', mandate: COPIL };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const commitmentTerms = {
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
};
const newBudget = [
  { year: 2024, amountCents: 70_000_00, status: 'committed' },
  { year: 2025, amountCents: 90_000_00, status: 'committed' },
];

/** Members of both bodies: four signatories' representatives and a conseil citoyen member, all voting. */
const MEMBERS = [
  { memberId: 'mbr-etat', partyId: 'party-etat', seat: 'signatory' as const },
  { memberId: 'mbr-mel', partyId: 'party-mel', seat: 'signatory' as const },
  { memberId: 'mbr-caf', partyId: 'party-caf', seat: 'signatory' as const },
  { memberId: 'mbr-cc', partyId: 'party-conseil-citoyen-lille-sud', seat: 'citizen' as const },
];

const AMENDMENT = 'avenant-2025-1';
const RECOVERED = 'avenant-2025-2';
const REFUSED = 'avenant-refus';
const BEYOND = 'avenant-horizon-2031';
const CONTRACT = 'cvs-test';
const inForceOn = '2025-07-01T00:00:00+02:00';

describe('the command API for amendments, indicators and evaluation cycles', () => {
  let db: TestDatabase;
  let api: TestApp;
  let store: PostgresEventStore;
  let executor: CommandExecutor;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApp(db);
    store = new PostgresEventStore({ connectionString: db.appUrl });
    executor = new CommandExecutor(store);
  });
  afterAll(async () => {
    await store?.close();
    await api?.close();
    await db?.drop();
  });

  const { post, expectNothingWritten } = apiClient(() => ({ api, store }), { actor: admin });

  /** Writes through the domain, as the governance routes (written elsewhere) would: the command path itself. */
  const run = (decider: Parameters<CommandExecutor['execute']>[0], id: string, command: Record<string, unknown>, at: string, actor: Actor = admin) =>
    executor.execute(decider, id, { actor, at, ...command } as never);

  async function createBody(bodyId: string, fn: 'pilotage' | 'suivi') {
    const at = '2024-06-01T10:00:00+02:00';
    await run(governanceBodyDecider, bodyId, { type: 'CreateGovernanceBody', bodyId, name: bodyId, function: fn, quorum: { kind: 'fraction', numerator: 1, denominator: 2 }, citizenSeats: 1 }, at);
    for (const m of MEMBERS) await run(governanceBodyDecider, bodyId, { type: 'AddMember', bodyId, ...m, votingRight: true, startDate: '2024-06-01' }, at);
    await run(governanceBodyDecider, bodyId, { type: 'ConstituteGovernanceBody', bodyId, constitutedOn: '2024-06-01' }, at);
  }

  /**
   * A meeting of `bodyId` on 12 June 2025 where the members `present` attend and each amendment is put to
   * the vote (all present vote yes): decision `decision-<meetingId>-<amendmentId>` for each.
   */
  async function holdMeeting(meetingId: string, bodyId: string, present: string[], amendmentIds: string[]) {
    const date = '2025-06-12';
    const at = `${date}T14:00:00+02:00`;
    const { state } = await executor.read(governanceBodyDecider, bodyId);
    const body: MeetingBodyFacts = { bodyId, function: state.function!, quorum: state.quorum!, members: membersOn(state, date) };
    const meeting = (command: Record<string, unknown>) => run(meetingDecider, meetingId, { meetingId, ...command }, at);
    await meeting({ type: 'ScheduleMeeting', title: `Séance du ${date}`, date, body });
    await meeting({ type: 'AddAgendaItem', itemId: 'odj-1', title: 'Avenants' });
    await meeting({ type: 'ConveneMeeting' });
    await meeting({ type: 'OpenSession' });
    await meeting({ type: 'RecordAttendance', attendance: MEMBERS.map((m) => ({ memberId: m.memberId, status: present.includes(m.memberId) ? 'present' : 'absent' })) });
    await meeting({ type: 'CheckQuorum' });
    for (const amendmentId of amendmentIds) {
      const motionId = `motion-${amendmentId}`;
      await meeting({ type: 'TableMotion', motionId, text: `Approbation de ${amendmentId}`, target: { kind: 'amendment', id: amendmentId }, agendaItemId: 'odj-1' });
      const votes = MEMBERS.map((m) => ({ memberId: m.memberId, option: present.includes(m.memberId) ? 'yes' : 'absent' }));
      const counts = [
        { option: 'yes', value: present.length },
        { option: 'absent', value: MEMBERS.length - present.length },
      ];
      await meeting({ type: 'RecordVote', motionId, votes, counts });
      await meeting({ type: 'RecordDecision', decisionId: `decision-${meetingId}-${amendmentId}`, motionId });
    }
  }

  async function draftAndStart(commitmentId: string) {
    expect((await post('/commitments', { ...commitmentTerms, commitmentId, effectiveAt: '2024-06-03T09:00:00+02:00' }, mel)).status).toBe(201);
    expect((await post(`/commitments/${commitmentId}/propose`, {}, mel)).status).toBe(201);
    expect((await post(`/commitments/${commitmentId}/adopt`, { decisionId: 'decision-2024-06' }, admin)).status).toBe(201);
    expect((await post(`/commitments/${commitmentId}/start`, {}, mel)).status).toBe(201);
  }

  async function adoptContractInForce(contractId: string) {
    const at = '2024-05-07T11:00:00+02:00';
    const priorities = [1, 2, 3, 4, 5, 6].map((number) => ({
      number,
      title: `Enjeu ${number}`,
      ambitions: [{ ambitionId: `${number}.1`, text: `Ambition ${number}.1`, scale: 'qpv', horizon: 2030 }],
      partnerPartyIds: [],
    }));
    await run(contractDecider, contractId, {
      type: 'AdoptContract',
      contractId,
      title: 'Contrat de ville et des solidarités (test)',
      documentSha256: sha256('contrat'),
      components: [
        { component: 'contrat-de-ville', indicativeAnnualBudgetCents: 20_000_000_00 },
        { component: 'pacte-local-solidarites', indicativeAnnualBudgetCents: 2_000_000_00 },
      ],
      priorities,
      territory: { communes: ['59350'], qpv: [{ code: 'QN05972M', name: 'Secteur Sud', communes: ['59350'] }] },
      signatoryPartyIds: ['party-mel', 'party-caf'],
    }, at);
    await run(contractDecider, contractId, { type: 'SignContract', contractId }, at, mel);
    await run(contractDecider, contractId, { type: 'SignContract', contractId }, at, caf);
    await run(contractDecider, contractId, { type: 'EnterIntoForce', contractId }, at);
  }

  const proposal = (amendmentId: string, commitmentId: string) => ({
    amendmentId,
    rationale: 'Bilan 2024 : la demande de conseil en mobilité double dans les QPV de Lille',
    description: 'Porte à 90 000 € en 2025 le budget de l’engagement MobilimEL.',
    commitmentIds: [commitmentId],
    affectedPartyIds: ['party-mel', 'party-caf'],
    changes: [{ target: { kind: 'commitment', id: commitmentId }, change: { budget: newBudget } }],
    effectiveAt: '2025-05-20T10:00:00+02:00',
  });
  const decided = { effectiveAt: '2025-06-12T18:00:00+02:00' };
  const signedOn = { effectiveAt: '2025-06-20T11:00:00+02:00' };

  describe('amendments', () => {
    beforeAll(async () => {
      await createBody(COPIL, 'pilotage');
      await createBody(SUIVI, 'suivi');
      const all = MEMBERS.map((m) => m.memberId);
      await holdMeeting('copil-2025-06-12', COPIL, all, [AMENDMENT, RECOVERED, BEYOND]);
      await holdMeeting('suivi-2025-06-12', SUIVI, all, [REFUSED]);
    });

    it('walks an amendment from proposal to force, and its change reaches the commitment', async () => {
      await draftAndStart('amended-1');

      const proposed = await post('/amendments', proposal(AMENDMENT, 'amended-1'));
      expect(proposed).toMatchObject({ status: 201, body: { id: AMENDMENT, streamId: `amendment-${AMENDMENT}`, streamVersion: 1 } });
      expect(proposed.headers.get('location')).toBe(`/amendments/${AMENDMENT}`);

      const approval = { meetingId: 'copil-2025-06-12', decisionId: `decision-copil-2025-06-12-${AMENDMENT}`, ...decided };
      const approved = await post(`/amendments/${AMENDMENT}/approval`, approval, copilSecretary);
      expect(approved).toMatchObject({ status: 201, body: { streamVersion: 2 } });
      const [, approvedEvent] = await store.readStream(`amendment-${AMENDMENT}`);
      expect(approvedEvent).toMatchObject({ type: 'AmendmentApproved', data: { decisionId: approval.decisionId, meetingId: 'copil-2025-06-12', bodyId: COPIL } });

      expect((await post(`/amendments/${AMENDMENT}/signatures`, signedOn, mel)).status).toBe(201);
      const early = await expectNothingWritten(() => post(`/amendments/${AMENDMENT}/entry-into-force`, { effectiveAt: inForceOn }));
      expect(early).toMatchObject({ status: 409, body: { rule: 'AmendmentTakesEffectOnlyWhenSignedByAll' } });
      expect(early.body.detail).toContain('party-caf');

      // A paper signature recorded by an administrator: only under a mandate, naming the party.
      const noMandate = await expectNothingWritten(() => post(`/amendments/${AMENDMENT}/signatures`, { ...signedOn, onBehalfOfPartyId: 'party-caf' }, admin));
      expect(noMandate).toMatchObject({ status: 403, body: { rule: 'AmendmentIsSignedByAffectedParties' } });
      const paper = await post(`/amendments/${AMENDMENT}/signatures`, { ...signedOn, onBehalfOfPartyId: 'party-caf' }, adminUnderMandate);
      expect(paper.status).toBe(201);
      const signatures = (await store.readStream(`amendment-${AMENDMENT}`)).filter((e) => e.type === 'AmendmentSigned');
      expect(signatures.map((e) => [(e.data as { partyId: string }).partyId, e.actor])).toEqual([
        ['party-mel', mel],
        ['party-caf', adminUnderMandate],
      ]);

      const key = { 'idempotency-key': `in-force-${AMENDMENT}` };
      const inForce = await post(`/amendments/${AMENDMENT}/entry-into-force`, { effectiveAt: inForceOn }, admin, key);
      expect(inForce.status).toBe(201);
      expect(inForce.headers.get('etag')).toBe('"5"');
      const commitmentStream = await store.readStream('commitment-amended-1');
      const amended = commitmentStream[commitmentStream.length - 1];
      expect(inForce.body).toMatchObject({
        streamId: `amendment-${AMENDMENT}`,
        streamVersion: 5,
        seq: amended.seq - 1,
        events: [{ type: 'AmendmentEnteredIntoForce' }],
        effects: [{ kind: 'commitment', targetId: 'amended-1', applied: true, replayed: false, streamId: 'commitment-amended-1', seq: amended.seq }],
      });
      expect(amended).toMatchObject({
        type: 'CommitmentAmended',
        eventId: deterministicEventId(`amendment:${AMENDMENT}:effect:commitment:amended-1`, inForceOn),
        occurredAt: '2025-06-30T22:00:00.000Z',
        actor: admin,
        data: { commitmentId: 'amended-1', amendmentId: AMENDMENT, changes: { budget: newBudget } },
      });

      // A retry with the same key replays the amendment's answer and finds its effects written.
      const retried = await expectNothingWritten(() => post(`/amendments/${AMENDMENT}/entry-into-force`, { effectiveAt: inForceOn }, admin, key));
      expect(retried).toMatchObject({ status: 201, body: { seq: inForce.body.seq, replayed: true, effects: [{ applied: true, replayed: true, seq: amended.seq }] } });
      expect(retried.headers.get('idempotent-replayed')).toBe('true');

      // The effects again: everything is there already, nothing is written.
      const again = await expectNothingWritten(() => post(`/amendments/${AMENDMENT}/effects`, {}));
      expect(again).toMatchObject({
        status: 201,
        body: { amendmentId: AMENDMENT, effects: [{ kind: 'commitment', targetId: 'amended-1', applied: true, replayed: true, seq: amended.seq }] },
      });
    });

    it('recovers the effects a crash left out: /effects writes only what is missing, once', async () => {
      await draftAndStart('amended-2');
      await adoptContractInForce(CONTRACT);
      const contractChange = { addPartners: [{ priority: 2, partyId: 'party-caf' }] };
      const body = proposal(RECOVERED, 'amended-2');
      const proposed = await post('/amendments', {
        ...body,
        contractId: CONTRACT,
        changes: [{ target: { kind: 'contract', id: CONTRACT }, change: contractChange }, ...body.changes],
      });
      expect(proposed.status).toBe(201);
      expect((await post(`/amendments/${RECOVERED}/approval`, { meetingId: 'copil-2025-06-12', decisionId: `decision-copil-2025-06-12-${RECOVERED}`, ...decided })).status).toBe(201);
      expect((await post(`/amendments/${RECOVERED}/signatures`, signedOn, mel)).status).toBe(201);
      expect((await post(`/amendments/${RECOVERED}/signatures`, signedOn, caf)).status).toBe(201);

      const notYet = await expectNothingWritten(() => post(`/amendments/${RECOVERED}/effects`, {}));
      expect(notYet).toMatchObject({ status: 409, body: { rule: 'AmendmentTakesEffectOnlyWhenSignedByAll' } });

      // A crash: the amendment entered into force and only its effect on the contract was written.
      await run(amendmentDecider, RECOVERED, { type: 'BringAmendmentIntoForce', amendmentId: RECOVERED }, inForceOn);
      const { state } = await executor.read(amendmentDecider, RECOVERED);
      const contractEffectId = deterministicEventId(`amendment:${RECOVERED}:effect:contract:${CONTRACT}`, state.inForceAt!);
      await executor.execute(
        contractDecider,
        CONTRACT,
        { type: 'ApplyAmendmentToContract', contractId: CONTRACT, amendment: amendmentFacts(state), changes: contractChange, actor: admin, at: state.inForceAt! } as never,
        { firstEventId: contractEffectId },
      );

      const head = await store.head();
      const recovered = await post(`/amendments/${RECOVERED}/effects`, {});
      expect(await store.head()).toBe(head + 1);
      expect(recovered).toMatchObject({
        status: 201,
        body: {
          effects: [
            { kind: 'contract', targetId: CONTRACT, applied: true, replayed: true, events: [{ eventId: contractEffectId, type: 'ContractAmended' }] },
            { kind: 'commitment', targetId: 'amended-2', applied: true, replayed: false, seq: head + 1 },
          ],
        },
      });
      const commitmentStream = await store.readStream('commitment-amended-2');
      expect(commitmentStream[commitmentStream.length - 1]).toMatchObject({ type: 'CommitmentAmended', data: { changes: { budget: newBudget } } });
      const contractStream = await store.readStream(`contract-${CONTRACT}`);
      expect(contractStream.filter((e) => e.type === 'ContractAmended')).toHaveLength(1);

      const third = await expectNothingWritten(() => post(`/amendments/${RECOVERED}/effects`, {}));
      expect(third.status).toBe(201);
      expect(third.body.effects.map((e: { replayed: boolean }) => e.replayed)).toEqual([true, true]);
    });

    it('brings an amendment into force even when a target refuses its change, and says so; /effects answers the refusal', async () => {
      await draftAndStart('amended-3');
      const body = proposal(BEYOND, 'amended-3');
      expect((await post('/amendments', { ...body, changes: [{ target: body.changes[0].target, change: { horizon: 2031 } }] })).status).toBe(201);
      expect((await post(`/amendments/${BEYOND}/approval`, { meetingId: 'copil-2025-06-12', decisionId: `decision-copil-2025-06-12-${BEYOND}`, ...decided })).status).toBe(201);
      expect((await post(`/amendments/${BEYOND}/signatures`, signedOn, mel)).status).toBe(201);
      expect((await post(`/amendments/${BEYOND}/signatures`, signedOn, caf)).status).toBe(201);

      const head = await store.head();
      const inForce = await post(`/amendments/${BEYOND}/entry-into-force`, { effectiveAt: inForceOn });
      expect(await store.head()).toBe(head + 1); // the amendment's own event only
      expect(inForce).toMatchObject({
        status: 201,
        body: {
          events: [{ type: 'AmendmentEnteredIntoForce' }],
          effects: [{ kind: 'commitment', targetId: 'amended-3', applied: false, problem: { status: 422, rule: 'CommitmentEndsWithinItsComponent', field: 'horizon' } }],
        },
      });

      const retry = await expectNothingWritten(() => post(`/amendments/${BEYOND}/effects`, {}));
      expect(retry.status).toBe(422);
      expect(retry.headers.get('content-type')).toContain('application/problem+json');
      expect(retry.body).toMatchObject({
        rule: 'CommitmentEndsWithinItsComponent',
        field: 'horizon',
        effects: [{ kind: 'commitment', targetId: 'amended-3', applied: false, problem: { rule: 'CommitmentEndsWithinItsComponent' } }],
      });
    });

    describe('refusals: problem details naming the rule, nothing written', () => {
      const ID = REFUSED;
      beforeAll(async () => {
        await draftAndStart('refused-1');
        expect((await post('/amendments', proposal(ID, 'refused-1'))).status).toBe(201);
        // The Meeting decider records no decision at a meeting without quorum…
        await holdMeetingWithoutQuorum('copil-sans-quorum', ID);
      });

      async function holdMeetingWithoutQuorum(meetingId: string, amendmentId: string) {
        const decisionId = `decision-${meetingId}`;
        const attempt = holdMeeting(meetingId, COPIL, ['mbr-etat'], [amendmentId]);
        await expect(attempt).rejects.toMatchObject({ rule: 'DecisionNeedsQuorateMeeting' });
        // …so such a decision can only come from a record written otherwise (paper minutes taken over);
        // the Amendment decider still refuses to be approved by it.
        const version = await store.streamVersion(`meeting-${meetingId}`);
        await store.append(
          `meeting-${meetingId}`,
          [
            {
              type: 'DecisionRecorded',
              occurredAt: '2025-06-12T16:00:00+02:00',
              actor: admin,
              data: {
                meetingId,
                decisionId,
                motionId: `motion-${amendmentId}`,
                bodyId: COPIL,
                bodyFunction: 'pilotage',
                outcome: 'approved',
                quorumReached: false,
                yes: 1,
                no: 0,
                target: { kind: 'amendment', id: amendmentId },
              },
            },
          ],
          { expectedVersion: version },
        );
      }

      it('409 AmendmentNeedsApprovingDecision for a decision of a suivi body', async () => {
        const response = await expectNothingWritten(() =>
          post(`/amendments/${ID}/approval`, { meetingId: 'suivi-2025-06-12', decisionId: `decision-suivi-2025-06-12-${ID}`, ...decided }),
        );
        expect(response).toMatchObject({ status: 409, body: { rule: 'AmendmentNeedsApprovingDecision', field: 'decision.bodyFunction' } });
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      });

      it('409 AmendmentNeedsApprovingDecision for a decision taken without quorum', async () => {
        const response = await expectNothingWritten(() =>
          post(`/amendments/${ID}/approval`, { meetingId: 'copil-sans-quorum', decisionId: 'decision-copil-sans-quorum', ...decided }),
        );
        expect(response).toMatchObject({ status: 409, body: { rule: 'AmendmentNeedsApprovingDecision', field: 'decision.quorumReached' } });
      });

      it('409 AmendmentNeedsApprovingDecision for a decision about another amendment', async () => {
        const response = await expectNothingWritten(() =>
          post(`/amendments/${ID}/approval`, { meetingId: 'copil-2025-06-12', decisionId: `decision-copil-2025-06-12-${AMENDMENT}`, ...decided }),
        );
        expect(response).toMatchObject({ status: 409, body: { rule: 'AmendmentNeedsApprovingDecision', field: 'decision.target' } });
      });

      it('404 AggregateMustExist for a meeting or a decision that does not exist', async () => {
        const noMeeting = await expectNothingWritten(() => post(`/amendments/${ID}/approval`, { meetingId: 'no-such-meeting', decisionId: 'd-1' }));
        expect(noMeeting).toMatchObject({ status: 404, body: { rule: 'AggregateMustExist' } });
        const noDecision = await expectNothingWritten(() => post(`/amendments/${ID}/rejection`, { meetingId: 'copil-2025-06-12', decisionId: 'd-404' }));
        expect(noDecision).toMatchObject({ status: 404, body: { rule: 'AggregateMustExist' } });
      });

      it('400 when the client tries to give the facts of the decision itself', async () => {
        const facts = { decisionId: 'd', meetingId: 'm', bodyId: COPIL, bodyFunction: 'pilotage', quorumReached: true, outcome: 'approved', target: { kind: 'amendment', id: ID } };
        const response = await expectNothingWritten(() => post(`/amendments/${ID}/approval`, { meetingId: 'copil-sans-quorum', decisionId: 'decision-copil-sans-quorum', decision: facts }));
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'decision', rule: 'whitelistValidation' })]));
      });

      it('403 AmendmentIsSignedByAffectedParties for a party the amendment does not affect', async () => {
        const approvedOnly = 'avenant-region';
        await draftAndStart('refused-2');
        expect((await post('/amendments', proposal(approvedOnly, 'refused-2'))).status).toBe(201);
        await holdMeeting('copil-2025-06-13', COPIL, MEMBERS.map((m) => m.memberId), [approvedOnly]);
        expect((await post(`/amendments/${approvedOnly}/approval`, { meetingId: 'copil-2025-06-13', decisionId: `decision-copil-2025-06-13-${approvedOnly}`, ...decided })).status).toBe(201);
        const notAffected = await expectNothingWritten(() => post(`/amendments/${approvedOnly}/signatures`, signedOn, region));
        expect(notAffected).toMatchObject({ status: 403, body: { rule: 'AmendmentIsSignedByAffectedParties' } });
        const forAnother = await expectNothingWritten(() => post(`/amendments/${approvedOnly}/signatures`, { onBehalfOfPartyId: 'party-caf' }, mel));
        expect(forAnother).toMatchObject({ status: 403, body: { rule: 'AmendmentIsSignedByAffectedParties', field: 'onBehalfOfPartyId' } });
      });

      it('404 for the effects of an amendment that was never proposed', async () => {
        const response = await expectNothingWritten(() => post('/amendments/avenant-404/effects', {}));
        expect(response).toMatchObject({ status: 404, body: { rule: 'AggregateMustExist' } });
      });

      it.each([
        ['a target of an unknown kind', '/amendments', { ...proposal('a-400', 'refused-1'), changes: [{ target: { kind: 'priority', id: 'refused-1' }, change: { budget: newBudget } }] }, 'changes[0].target.kind', 'isIn'],
        ['a change that is a text', '/amendments', { ...proposal('a-400', 'refused-1'), changes: [{ target: { kind: 'commitment', id: 'refused-1' }, change: 'budget +20 000 €' }] }, 'changes[0].change', 'isObject'],
        ['no affected party', '/amendments', { ...proposal('a-400', 'refused-1'), affectedPartyIds: [] }, 'affectedPartyIds', 'arrayMinSize'],
        ['an approval naming no decision', `/amendments/${ID}/approval`, { meetingId: 'copil-2025-06-12' }, 'decisionId', 'matches'],
        ['a withdrawal without reason', `/amendments/${ID}/withdrawal`, {}, 'reason', 'isString'],
        ['a signature for a malformed party', `/amendments/${ID}/signatures`, { onBehalfOfPartyId: 'party caf' }, 'onBehalfOfPartyId', 'matches'],
        ['a body sent to the effects', `/amendments/${ID}/effects`, { force: true }, 'force', 'whitelistValidation'],
        ['an unknown measure', '/indicators', { title: 't', level: 'local', measure: 'percent', ascending: true, ownerPartyId: 'party-mel' }, 'measure', 'isIn'],
        ['a period that is not a date', '/indicators/ind-1/targets', { period: { start: '2025', end: '2025-12-31' }, value: 3 }, 'period.start', 'matches'],
        ['a value that is an object', '/indicators/ind-1/actuals', { period: { start: '2025-01-01', end: '2025-12-31' }, value: { v: 3 } }, 'value', 'isIndicatorValue'],
        ['an enjeu 7', '/evaluation-cycles', { kind: 'annual-review', year: 2025, scope: { priorities: [7] }, questions: [{ questionId: 'q1', text: 'q' }] }, 'scope.priorities', 'isIn'],
        ['an uppercase SHA-256', '/evaluation-cycles/mid-term-2027/contributions', { documentSha256s: [sha256('x').toUpperCase()] }, 'documentSha256s', 'matches'],
      ])('400 naming the field for %s', async (_label, path, body, field, rule) => {
        const response = await expectNothingWritten(() => post(path, body));
        expect(response).toMatchObject({ status: 400, body: { type: expect.stringContaining('RequestMustBeValid') } });
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      });

      it('withdraws a proposal, after which it takes no decision', async () => {
        expect((await post(`/amendments/${ID}/withdrawal`, { reason: 'remplacé par l’avenant n° 3' })).status).toBe(201);
        const late = await expectNothingWritten(() => post(`/amendments/${ID}/approval`, { meetingId: 'copil-sans-quorum', decisionId: 'decision-copil-sans-quorum' }));
        expect(late).toMatchObject({ status: 409, body: { rule: 'TransitionMustFollowLifecycle' } });
      });
    });
  });

  describe('indicators', () => {
    const indicator = {
      indicatorId: 'ind-emploi-jeunes',
      title: 'Taux d’emploi des jeunes des QPV de Lille',
      level: 'local',
      measure: 'percentage',
      unit: '%',
      ascending: true,
      ownerPartyId: 'party-mel',
      priority: 2,
      effectiveAt: '2024-07-01T09:00:00+02:00',
    };

    it('records a baseline, a target, an actual and the correction of that actual', async () => {
      const defined = await post('/indicators', indicator, mel);
      expect(defined).toMatchObject({ status: 201, body: { id: 'ind-emploi-jeunes', streamVersion: 1 } });
      expect(defined.headers.get('location')).toBe('/indicators/ind-emploi-jeunes');
      const path = '/indicators/ind-emploi-jeunes';
      expect((await post(`${path}/baseline`, { value: 38.5, date: '2023-12-31', unit: '%', effectiveAt: '2024-07-01T09:00:00+02:00' }, mel)).status).toBe(201);
      expect((await post(`${path}/targets`, { period: { start: '2025-01-01', end: '2025-12-31' }, value: 42, upperValue: 45 }, mel)).status).toBe(201);
      const actual = await post(`${path}/actuals`, { period: { start: '2024-01-01', end: '2024-12-31' }, value: 40, evidenceSha256: sha256('enquête 2024'), effectiveAt: '2025-02-03T09:00:00+02:00' }, mel);
      expect(actual.status).toBe(201);
      const [{ eventId: actualEventId }] = actual.body.events;
      const corrected = await post(`${path}/actual-corrections`, { correctsEventId: actualEventId, value: 40.6, reason: 'chiffre INSEE révisé' }, mel);
      expect(corrected).toMatchObject({ status: 201, body: { streamVersion: 5 } });
      const stream = await store.readStream('indicator-ind-emploi-jeunes');
      expect(stream.map((e) => e.type)).toEqual(['IndicatorDefined', 'BaselineSet', 'TargetSet', 'ActualRecorded', 'ActualCorrected']);
      expect(stream[4].data).toMatchObject({ correctsEventId: actualEventId, value: 40.6, evidenceSha256: sha256('enquête 2024') });

      const stale = await expectNothingWritten(() => post(`${path}/actual-corrections`, { correctsEventId: actualEventId, value: 41, reason: 'encore' }, mel));
      expect(stale).toMatchObject({ status: 422, body: { rule: 'CorrectionNamesWhatItCorrects', field: 'correctsEventId' } });
    });

    it('422 IndicatorValueMatchesItsMeasure for a percentage of 120', async () => {
      const response = await expectNothingWritten(() =>
        post('/indicators/ind-emploi-jeunes/targets', { period: { start: '2026-01-01', end: '2026-12-31' }, value: 120 }, mel),
      );
      expect(response).toMatchObject({ status: 422, body: { rule: 'IndicatorValueMatchesItsMeasure', field: 'value' } });
    });

    it('403 PartyActsOnlyForItself when another party records on it', async () => {
      const response = await expectNothingWritten(() =>
        post('/indicators/ind-emploi-jeunes/targets', { period: { start: '2026-01-01', end: '2026-12-31' }, value: 50 }, caf),
      );
      expect(response).toMatchObject({ status: 403, body: { rule: 'PartyActsOnlyForItself' } });
    });
  });

  describe('evaluation cycles', () => {
    const midTerm = {
      kind: 'mid-term',
      year: 2027,
      scope: { priorities: [1, 2, 3, 4, 5, 6], priorityActionCommitmentIds: ['amended-1'] },
      questions: [{ questionId: 'q-droit-commun', text: 'Les politiques de droit commun se sont-elles mobilisées dans les QPV ?' }],
      effectiveAt: '2027-01-15T10:00:00+01:00',
    };

    it('refuses a mid-term evaluation outside 2027', async () => {
      const response = await expectNothingWritten(() => post('/evaluation-cycles', { ...midTerm, year: 2026 }));
      expect(response).toMatchObject({ status: 422, body: { rule: 'ValueMustBeValid', field: 'year' } });
    });

    it('opens the 2027 mid-term evaluation, takes a contribution and answers a finding', async () => {
      const opened = await post('/evaluation-cycles', midTerm);
      expect(opened).toMatchObject({ status: 201, body: { id: 'mid-term-2027', streamId: 'evaluation-cycle-mid-term-2027' } });
      expect(opened.headers.get('location')).toBe('/evaluation-cycles/mid-term-2027');
      const twice = await expectNothingWritten(() => post('/evaluation-cycles', midTerm));
      expect(twice).toMatchObject({ status: 409, body: { rule: 'AggregateMustNotExistYet' } });

      const path = '/evaluation-cycles/mid-term-2027';
      expect((await post(`${path}/contribution-requests`, { partyId: 'party-mel', dueDate: '2027-03-31', effectiveAt: '2027-01-16T10:00:00+01:00' })).status).toBe(201);
      expect((await post(`${path}/contribution-requests`, { partyId: 'party-caf', effectiveAt: '2027-01-16T10:00:00+01:00' })).status).toBe(201);
      const notRequested = await expectNothingWritten(() => post(`${path}/contributions`, { documentSha256s: [sha256('x')] }, region));
      expect(notRequested).toMatchObject({ status: 409, body: { rule: 'TransitionMustFollowLifecycle', field: 'partyId' } });
      const contribution = { summary: 'Bilan MEL 2024–2026', documentSha256s: [sha256('bilan MEL 2024-2026')], effectiveAt: '2027-03-20T10:00:00+01:00' };
      expect((await post(`${path}/contributions`, contribution, mel)).status).toBe(201);

      const finding = { findingId: 'constat-1', text: 'La mobilisation du droit commun reste inégale selon les QPV.', priorities: [2], concernedPartyIds: ['party-mel'] };
      expect((await post(`${path}/findings`, finding)).status).toBe(201);
      const notConcerned = await expectNothingWritten(() => post(`${path}/findings/constat-1/responses`, { response: 'r' }, caf));
      expect(notConcerned).toMatchObject({ status: 403, body: { rule: 'PartyActsOnlyForItself', field: 'partyId' } });
      const answered = await post(`${path}/findings/constat-1/responses`, { response: 'Nous renforçons la présence de MobilimEL à Lille-Sud.', plannedAction: 'deux permanences de plus' }, mel);
      expect(answered.status).toBe(201);

      const incomplete = await expectNothingWritten(() => post(`${path}/closure`, { summary: 'Évaluation à mi-parcours' }));
      expect(incomplete).toMatchObject({ status: 422, body: { rule: 'ValueMustBeValid', field: 'droitCommunMobilisation' } });
      const closed = await post(`${path}/closure`, {
        summary: 'Évaluation à mi-parcours',
        droitCommunMobilisation: 'Mobilisation réelle mais inégale',
        orientations: ['Renforcer la présence des services publics dans les QPV'],
        reportSha256: sha256('rapport mi-parcours'),
        effectiveAt: '2027-09-30T10:00:00+02:00',
      });
      expect(closed.status).toBe(201);
      const stream = await store.readStream('evaluation-cycle-mid-term-2027');
      expect(stream.map((e) => e.type)).toEqual([
        'EvaluationCycleOpened',
        'ContributionRequested',
        'ContributionRequested',
        'ContributionSubmitted',
        'FindingRecorded',
        'FindingResponded',
        'EvaluationCycleClosed',
      ]);
      expect(stream[5].data).toMatchObject({ findingId: 'constat-1', partyId: 'party-mel' });
      expect(stream[6].data).toMatchObject({ missingContributionPartyIds: ['party-caf'] });
    });
  });

  it('publishes every route in /openapi.json', async () => {
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = [
      '/amendments',
      '/amendments/{amendmentId}/approval',
      '/amendments/{amendmentId}/rejection',
      '/amendments/{amendmentId}/withdrawal',
      '/amendments/{amendmentId}/signatures',
      '/amendments/{amendmentId}/entry-into-force',
      '/amendments/{amendmentId}/effects',
      '/indicators',
      '/indicators/{indicatorId}/baseline',
      '/indicators/{indicatorId}/targets',
      '/indicators/{indicatorId}/actuals',
      '/indicators/{indicatorId}/target-corrections',
      '/indicators/{indicatorId}/actual-corrections',
      '/evaluation-cycles',
      '/evaluation-cycles/{cycleId}/contribution-requests',
      '/evaluation-cycles/{cycleId}/contributions',
      '/evaluation-cycles/{cycleId}/findings',
      '/evaluation-cycles/{cycleId}/findings/{findingId}/responses',
      '/evaluation-cycles/{cycleId}/closure',
    ];
    for (const route of routes) expect(spec.paths[route]).toHaveProperty('post');
  });
});
