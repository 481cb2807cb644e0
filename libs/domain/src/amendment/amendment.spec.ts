import fc from 'fast-check';
import { commitmentDecider, type CommitmentEvent, type CommitmentCommand } from '../commitment/commitment';
import { given } from '../testing/given-when-then';
import type { Actor } from '../shared/decider';
import { DomainRuleError } from '../shared/rules';
import type { MeetingDecisionFacts } from '../meeting/meeting';
import { type AmendmentCommand, amendmentDecider as amendment, type AmendmentEvent, amendmentFacts, type DecisionFacts, missingSignatures } from './amendment';

const at = '2027-06-20T18:00:00.000+02:00';
const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const adminUnderMandate: Actor = { ...admin, mandate: 'decision-2027-06-cp-3' };
const secretary: Actor = { subject: 'user-sec', role: 'body-secretary', partyId: 'party-mel' };
const auditor: Actor = { subject: 'user-audit', role: 'auditor' };
const rep = (partyId: string): Actor => ({ subject: `user-${partyId}`, role: 'signatory-representative', partyId });
const mel = rep('party-mel');
const etat = rep('party-etat');
const caf = rep('party-caf');
const region = rep('party-region');

const contractChange = { addAmbitions: [{ priority: 3, ambitionId: '3.4', text: 'partager avec l’ARS un observatoire de la santé mentale des jeunes', scale: 'qpv', horizon: 2030 }] };
const commitmentChange = { budget: [{ year: 2027, amountCents: 90_000_00, status: 'committed' }] };
const proposal = {
  type: 'ProposeAmendment',
  amendmentId: 'avenant-1',
  rationale: 'Évaluation à mi-parcours 2027 : la santé mentale des jeunes des QPV appelle un outil d’observation partagé',
  description: 'Ajoute une ambition à l’enjeu 3 ; porte à 90 000 € en 2027 le budget de l’engagement MobilimEL.',
  contractId: 'cvs-mel-2024',
  commitmentIds: ['c-mobilimel'],
  affectedPartyIds: ['party-mel', 'party-etat', 'party-caf'],
  changes: [
    { target: { kind: 'contract', id: 'cvs-mel-2024' }, change: contractChange },
    { target: { kind: 'commitment', id: 'c-mobilimel' }, change: commitmentChange },
  ],
};
const { type: _type, ...proposalData } = proposal;
const proposed = { type: 'AmendmentProposed', data: { ...proposalData, proposedByPartyId: null } } as AmendmentEvent;

const decision = {
  decisionId: 'decision-2027-06-20-3',
  meetingId: 'meeting-2027-06-20-copil',
  bodyId: 'body-comite-pilotage',
  bodyFunction: 'pilotage',
  quorumReached: true,
  outcome: 'approved',
  target: { kind: 'amendment', id: 'avenant-1' },
};
const decisionRef = { amendmentId: 'avenant-1', decisionId: decision.decisionId, meetingId: decision.meetingId, bodyId: decision.bodyId };
const approved: AmendmentEvent[] = [proposed, { type: 'AmendmentApproved', data: decisionRef }];
const signed = (partyId: string): AmendmentEvent => ({ type: 'AmendmentSigned', data: { amendmentId: 'avenant-1', partyId } });
const signedByAll: AmendmentEvent[] = [...approved, signed('party-mel'), signed('party-etat'), signed('party-caf')];
const inForce: AmendmentEvent[] = [...signedByAll, { type: 'AmendmentEnteredIntoForce', data: { amendmentId: 'avenant-1' } }];

const cmd = (c: Record<string, unknown>) => ({ at, actor: admin, amendmentId: 'avenant-1', ...c }) as AmendmentCommand;

describe('Amendment', () => {
  describe('proposal', () => {
    it('records a proposal with its rationale, targets, affected parties and changes', () => {
      given(amendment, []).when(cmd(proposal)).then([proposed]);
    });

    it('lets the representative of an affected party propose, and records its party', () => {
      given(amendment, [])
        .when(cmd({ ...proposal, actor: caf }))
        .then([{ type: 'AmendmentProposed', data: { ...proposalData, proposedByPartyId: 'party-caf' } } as AmendmentEvent]);
    });

    it('accepts an amendment of the contract alone', () => {
      const changes = [proposal.changes[0]];
      given(amendment, [])
        .when(cmd({ ...proposal, commitmentIds: undefined, changes }))
        .then([{ type: 'AmendmentProposed', data: { ...proposalData, commitmentIds: [], changes, proposedByPartyId: null } } as AmendmentEvent]);
    });

    it('PartyActsOnlyForItself: a party that is not affected does not propose', () => {
      given(amendment, []).when(cmd({ ...proposal, actor: region })).thenRefuses('PartyActsOnlyForItself');
    });

    it('PartyActsOnlyForItself: an auditor does not propose', () => {
      given(amendment, []).when(cmd({ ...proposal, actor: auditor })).thenRefuses('PartyActsOnlyForItself');
    });

    it('AggregateMustNotExistYet: refuses a second proposal with the same id', () => {
      given(amendment, [proposed]).when(cmd(proposal)).thenRefuses('AggregateMustNotExistYet', 'amendmentId');
    });

    const deep = (levels: number): unknown => (levels === 0 ? 1 : { a: deep(levels - 1) });
    it.each([
      ['no rationale', { rationale: undefined }, 'rationale'],
      ['a huge rationale', { rationale: 'r'.repeat(2_001) }, 'rationale'],
      ['a description that is not text', { description: { fr: 'texte' } }, 'description'],
      ['a malformed contract id', { contractId: 'contrat de ville' }, 'contractId'],
      ['no target at all', { contractId: null, commitmentIds: [], changes: [] }, 'commitmentIds'],
      ['the same commitment twice', { commitmentIds: ['c-mobilimel', 'c-mobilimel'] }, 'commitmentIds[1]'],
      ['no affected party', { affectedPartyIds: [] }, 'affectedPartyIds'],
      ['affected parties as a string', { affectedPartyIds: 'party-mel' }, 'affectedPartyIds'],
      ['changes that are not a list', { changes: { contract: contractChange } }, 'changes'],
      ['a change for a target not affected', { changes: [proposal.changes[0], { target: { kind: 'commitment', id: 'c-other' }, change: commitmentChange }] }, 'changes[1].target'],
      ['a target of an unknown kind', { changes: [{ target: { kind: 'priority', id: 'cvs-mel-2024' }, change: contractChange }, proposal.changes[1]] }, 'changes[0].target'],
      ['a change that is a list', { changes: [proposal.changes[0], { target: proposal.changes[1].target, change: [commitmentChange] }] }, 'changes[1].change'],
      ['a change that is a text', { changes: [proposal.changes[0], { target: proposal.changes[1].target, change: 'budget +20 000 €' }] }, 'changes[1].change'],
      ['an empty change', { changes: [proposal.changes[0], { target: proposal.changes[1].target, change: {} }] }, 'changes[1].change'],
      ['a change too deep', { changes: [proposal.changes[0], { target: proposal.changes[1].target, change: deep(40) }] }, 'changes[1].change'],
      ['a change too large', { changes: [proposal.changes[0], { target: proposal.changes[1].target, change: { text: 'x'.repeat(100_001) } }] }, 'changes[1].change'],
      ['a change with a non-JSON number', { changes: [proposal.changes[0], { target: proposal.changes[1].target, change: { amount: Number.NaN } }] }, 'changes[1].change'],
      ['two changes for one target', { changes: [...proposal.changes, proposal.changes[0]] }, 'changes[2].target'],
      ['no change for an affected commitment', { changes: [proposal.changes[0]] }, 'changes'],
      ['an unknown key in a change entry', { changes: [{ ...proposal.changes[0], supersede: true }, proposal.changes[1]] }, 'changes[0].supersede'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, change, field) => {
      given(amendment, []).when(cmd({ ...proposal, ...change })).thenRefuses('ValueMustBeValid', field);
    });
  });

  describe('decision', () => {
    it('records the approval by a decision of the steering committee whose quorum was reached', () => {
      given(amendment, [proposed]).when(cmd({ type: 'ApproveAmendment', actor: secretary, decision })).then([{ type: 'AmendmentApproved', data: decisionRef }]);
    });

    it('records a rejection by such a decision', () => {
      given(amendment, [proposed])
        .when(cmd({ type: 'RejectAmendment', decision: { ...decision, outcome: 'rejected' } }))
        .then([{ type: 'AmendmentRejected', data: decisionRef }]);
    });

    it.each([
      ['a decision of a suivi body', { bodyFunction: 'suivi' }, 'decision.bodyFunction'],
      ['a decision of an animation body', { bodyFunction: 'animation' }, 'decision.bodyFunction'],
      ['a decision taken without quorum', { quorumReached: false }, 'decision.quorumReached'],
      ['a decision about another amendment', { target: { kind: 'amendment', id: 'avenant-2' } }, 'decision.target'],
      ['a decision about a commitment', { target: { kind: 'commitment', id: 'avenant-1' } }, 'decision.target'],
      ['a decision about something else', { target: { kind: 'other', id: null } }, 'decision.target'],
      ['a decision that rejected it', { outcome: 'rejected' }, 'decision.outcome'],
    ])('AmendmentNeedsApprovingDecision: refuses approval by %s', (_label, change, field) => {
      given(amendment, [proposed]).when(cmd({ type: 'ApproveAmendment', decision: { ...decision, ...change } })).thenRefuses('AmendmentNeedsApprovingDecision', field);
    });

    it('AmendmentNeedsApprovingDecision: refuses a rejection recorded from a decision that approved it', () => {
      given(amendment, [proposed]).when(cmd({ type: 'RejectAmendment', decision })).thenRefuses('AmendmentNeedsApprovingDecision', 'decision.outcome');
    });

    it('AmendmentNeedsApprovingDecision: refuses a rejection by a suivi body', () => {
      given(amendment, [proposed])
        .when(cmd({ type: 'RejectAmendment', decision: { ...decision, outcome: 'rejected', bodyFunction: 'suivi' } }))
        .thenRefuses('AmendmentNeedsApprovingDecision', 'decision.bodyFunction');
    });

    it.each([
      ['no decision', undefined, 'decision'],
      ['a quorum given as text', { ...decision, quorumReached: 'yes' }, 'decision.quorumReached'],
      ['an unknown body function', { ...decision, bodyFunction: 'steering' }, 'decision.bodyFunction'],
      ['a decision without id', { ...decision, decisionId: undefined }, 'decision.decisionId'],
      ['a decision without target', { ...decision, target: null }, 'decision.target'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, value, field) => {
      given(amendment, [proposed]).when(cmd({ type: 'ApproveAmendment', decision: value })).thenRefuses('ValueMustBeValid', field);
    });

    it('takes the facts of a decision as the meeting aggregate gives them (decisionFacts)', () => {
      const fromMeeting: MeetingDecisionFacts = { ...decision, bodyFunction: 'pilotage', outcome: 'approved', target: { kind: 'amendment', id: 'avenant-1' } };
      const facts: DecisionFacts = fromMeeting; // compile-time check that the two shapes agree
      given(amendment, [proposed]).when(cmd({ type: 'ApproveAmendment', decision: facts })).then([{ type: 'AmendmentApproved', data: decisionRef }]);
    });

    it('OnlyAnAdministratorMayDoThis: a signatory representative does not record the decision', () => {
      given(amendment, [proposed]).when(cmd({ type: 'ApproveAmendment', actor: mel, decision })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it.each([
      ['approve an approved amendment', approved, 'ApproveAmendment'],
      ['reject an approved amendment', approved, 'RejectAmendment'],
      ['approve a withdrawn amendment', [proposed, { type: 'AmendmentWithdrawn', data: { amendmentId: 'avenant-1', reason: 'r' } }], 'ApproveAmendment'],
    ])('TransitionMustFollowLifecycle: refuses to %s', (_label, history, type) => {
      given(amendment, history as AmendmentEvent[]).when(cmd({ type, decision })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('AggregateMustExist: refuses a decision on an amendment never proposed', () => {
      given(amendment, []).when(cmd({ type: 'ApproveAmendment', decision })).thenRefuses('AggregateMustExist');
    });
  });

  describe('withdrawal', () => {
    const byCaf = { type: 'AmendmentProposed', data: { ...proposalData, proposedByPartyId: 'party-caf' } } as AmendmentEvent;
    const withdrawn = { type: 'AmendmentWithdrawn', data: { amendmentId: 'avenant-1', reason: 'remplacé par l’avenant n° 2' } } as AmendmentEvent;

    it('lets the proposing party withdraw its proposal', () => {
      given(amendment, [byCaf]).when(cmd({ type: 'WithdrawAmendment', actor: caf, reason: 'remplacé par l’avenant n° 2' })).then([withdrawn]);
    });

    it('lets an administrator withdraw a proposal', () => {
      given(amendment, [proposed]).when(cmd({ type: 'WithdrawAmendment', reason: 'remplacé par l’avenant n° 2' })).then([withdrawn]);
    });

    it('PartyActsOnlyForItself: another party does not withdraw it', () => {
      given(amendment, [byCaf]).when(cmd({ type: 'WithdrawAmendment', actor: mel, reason: 'r' })).thenRefuses('PartyActsOnlyForItself');
    });

    it('TransitionMustFollowLifecycle: an approved amendment is not withdrawn', () => {
      given(amendment, approved).when(cmd({ type: 'WithdrawAmendment', reason: 'r' })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('refuses a withdrawal without a reason', () => {
      given(amendment, [proposed]).when(cmd({ type: 'WithdrawAmendment', reason: '' })).thenRefuses('ValueMustBeValid', 'reason');
    });
  });

  describe('signatures', () => {
    it('lets the representative of an affected party sign for its party', () => {
      given(amendment, approved).when(cmd({ type: 'SignAmendment', actor: etat })).then([signed('party-etat')]);
    });

    it('lets an administrator record the signature of a named party under a mandate', () => {
      given(amendment, approved).when(cmd({ type: 'SignAmendment', actor: adminUnderMandate, onBehalfOfPartyId: 'party-caf' })).then([signed('party-caf')]);
    });

    it.each([
      ['the representative of a party not affected', { actor: region }, undefined],
      ['a representative naming another party', { actor: mel, onBehalfOfPartyId: 'party-etat' }, 'onBehalfOfPartyId'],
      ['an administrator without a mandate', { actor: admin, onBehalfOfPartyId: 'party-caf' }, undefined],
      ['an administrator naming no party', { actor: adminUnderMandate }, 'onBehalfOfPartyId'],
      ['an administrator for a party not affected', { actor: adminUnderMandate, onBehalfOfPartyId: 'party-region' }, 'onBehalfOfPartyId'],
      ['a body secretary', { actor: secretary }, undefined],
      ['an auditor', { actor: auditor }, undefined],
    ])('AmendmentIsSignedByAffectedParties: refuses a signature by %s', (_label, change, field) => {
      given(amendment, approved).when(cmd({ type: 'SignAmendment', ...change })).thenRefuses('AmendmentIsSignedByAffectedParties', field);
    });

    it('AmendmentIsSignedByAffectedParties: a party signs once', () => {
      given(amendment, [...approved, signed('party-mel')]).when(cmd({ type: 'SignAmendment', actor: mel })).thenRefuses('AmendmentIsSignedByAffectedParties');
    });

    it('AmendmentTakesEffectOnlyWhenSignedByAll: refuses a signature before approval', () => {
      given(amendment, [proposed]).when(cmd({ type: 'SignAmendment', actor: mel })).thenRefuses('AmendmentTakesEffectOnlyWhenSignedByAll');
    });

    it('TransitionMustFollowLifecycle: a rejected amendment takes no signature', () => {
      given(amendment, [proposed, { type: 'AmendmentRejected', data: decisionRef }]).when(cmd({ type: 'SignAmendment', actor: mel })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('ValueMustBeValid: refuses a malformed onBehalfOfPartyId', () => {
      given(amendment, approved).when(cmd({ type: 'SignAmendment', actor: adminUnderMandate, onBehalfOfPartyId: ['party-caf'] })).thenRefuses('ValueMustBeValid', 'onBehalfOfPartyId');
    });

    it('tracks who has yet to sign', () => {
      expect(missingSignatures(given(amendment, [...approved, signed('party-etat')]).state)).toEqual(['party-mel', 'party-caf']);
      expect(missingSignatures(given(amendment, signedByAll).state)).toEqual([]);
    });
  });

  describe('entry into force', () => {
    it('brings into force an approved amendment signed by every affected party', () => {
      given(amendment, signedByAll).when(cmd({ type: 'BringAmendmentIntoForce' })).then([{ type: 'AmendmentEnteredIntoForce', data: { amendmentId: 'avenant-1' } }]);
    });

    it('AmendmentTakesEffectOnlyWhenSignedByAll: refuses while a party has not signed', () => {
      given(amendment, signedByAll.slice(0, -1)).when(cmd({ type: 'BringAmendmentIntoForce' })).thenRefuses('AmendmentTakesEffectOnlyWhenSignedByAll');
    });

    it('AmendmentTakesEffectOnlyWhenSignedByAll: refuses an amendment not approved', () => {
      given(amendment, [proposed]).when(cmd({ type: 'BringAmendmentIntoForce' })).thenRefuses('AmendmentTakesEffectOnlyWhenSignedByAll');
    });

    it.each([
      ['in force', inForce],
      ['rejected', [proposed, { type: 'AmendmentRejected', data: decisionRef }]],
    ])('TransitionMustFollowLifecycle: refuses an amendment %s', (_label, history) => {
      given(amendment, history as AmendmentEvent[]).when(cmd({ type: 'BringAmendmentIntoForce' })).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('OnlyAnAdministratorMayDoThis: a signatory does not bring it into force', () => {
      given(amendment, signedByAll).when(cmd({ type: 'BringAmendmentIntoForce', actor: mel })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });
  });

  describe('amendmentFacts', () => {
    it('gives the status and targets at each stage', () => {
      const facts = { amendmentId: 'avenant-1', affectedCommitmentIds: ['c-mobilimel'], contractId: 'cvs-mel-2024' };
      expect(amendmentFacts(given(amendment, [proposed]).state)).toEqual({ ...facts, status: 'proposed' });
      expect(amendmentFacts(given(amendment, signedByAll).state)).toEqual({ ...facts, status: 'approved' });
      expect(amendmentFacts(given(amendment, inForce).state)).toEqual({ ...facts, status: 'in_force' });
    });

    it('gives a null contractId for an amendment of commitments only', () => {
      const onlyCommitment = { ...proposed, data: { ...proposed.data, contractId: null, changes: [proposal.changes[1]] } } as AmendmentEvent;
      expect(amendmentFacts(given(amendment, [onlyCommitment]).state).contractId).toBeNull();
    });

    it('refuses facts of an amendment that does not exist', () => {
      expect(() => amendmentFacts(given(amendment, []).state)).toThrow(DomainRuleError);
    });

    it('feeds ApplyAmendmentToCommitment: the commitment takes the change once the amendment is in force', () => {
      const terms = {
        title: 'MobilimEL : conseil en mobilité pour les demandeurs d’emploi',
        description: 'Plateforme qui lève les freins à la mobilité des personnes en recherche d’emploi.',
        ownerPartyId: 'party-mel',
        coFunderPartyIds: ['party-caf'],
        priority: 2,
        ambition: 'lever les freins à la mobilité pour tous',
        component: 'contrat-de-ville' as const,
        horizon: 2030,
        scope: { qpv: ['QN05972M'], communes: ['59350'] },
        means: { droitCommunCents: 50_000_00, creditsSpecifiquesCents: 20_000_00 },
        budget: [{ year: 2024, amountCents: 70_000_00, status: 'committed' as const }],
      };
      const commitment: CommitmentEvent[] = [
        { type: 'CommitmentDrafted', data: { commitmentId: 'c-mobilimel', ...terms } },
        { type: 'CommitmentProposed', data: { commitmentId: 'c-mobilimel' } },
        { type: 'CommitmentAdopted', data: { commitmentId: 'c-mobilimel', decisionId: null } },
        { type: 'CommitmentStarted', data: { commitmentId: 'c-mobilimel' } },
      ];
      const apply = (events: AmendmentEvent[]) =>
        ({
          type: 'ApplyAmendmentToCommitment',
          at,
          actor: admin,
          commitmentId: 'c-mobilimel',
          amendment: amendmentFacts(given(amendment, events).state),
          changes: commitmentChange,
        }) as CommitmentCommand;
      given(commitmentDecider, commitment)
        .when(apply(inForce))
        .then([{ type: 'CommitmentAmended', data: { commitmentId: 'c-mobilimel', amendmentId: 'avenant-1', changes: commitmentChange } } as CommitmentEvent]);
      given(commitmentDecider, commitment).when(apply(signedByAll)).thenRefuses('AmendmentTakesEffectOnlyWhenSignedByAll');
    });
  });

  it('turns any value in any field into a DomainRuleError, never a TypeError (property)', () => {
    const templates: [AmendmentEvent[], Record<string, unknown>][] = [
      [[], proposal],
      [[proposed], { type: 'ApproveAmendment', decision }],
      [[proposed], { type: 'RejectAmendment', decision: { ...decision, outcome: 'rejected' } }],
      [[proposed], { type: 'WithdrawAmendment', reason: 'r' }],
      [approved, { type: 'SignAmendment', onBehalfOfPartyId: 'party-mel', actor: adminUnderMandate }],
      [signedByAll, { type: 'BringAmendmentIntoForce' }],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.string(), fc.anything(), ([history, template], key, garbage) => {
        const state = given(amendment, history).state;
        const variants: Record<string, unknown>[] = [...Object.keys(template), 'amendmentId', 'at', 'actor', key].map((k) => ({ ...template, [k]: garbage }));
        if (template.decision) variants.push(...Object.keys(decision).map((k) => ({ ...template, decision: { ...(template.decision as object), [k]: garbage } })));
        if (template.changes) variants.push({ ...template, changes: [{ target: garbage, change: garbage }] }, { ...template, changes: [garbage] });
        for (const variant of variants) {
          try {
            amendment.decide(cmd(variant), state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainRuleError);
          }
        }
      }),
    );
  });
});
