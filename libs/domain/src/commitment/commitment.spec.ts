import fc from 'fast-check';
import { DomainRuleError } from '../shared/rules';
import { given } from '../testing/given-when-then';
import type { Actor } from '../shared/decider';
import { type CommitmentCommand, commitmentDecider as commitment, type CommitmentEvent, type CommitmentTerms } from './commitment';

const at = '2024-06-01T10:00:00.000Z';
const mel: Actor = { subject: 'user-mel-1', role: 'signatory-representative', partyId: 'party-mel' };
const caf: Actor = { subject: 'user-caf-1', role: 'signatory-representative', partyId: 'party-caf' };
const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const secretary: Actor = { subject: 'user-sec', role: 'body-secretary', partyId: 'party-mel' };

const terms: CommitmentTerms = {
  title: 'MobilimEL : conseil en mobilité pour les demandeurs d’emploi',
  description: 'Plateforme qui lève les freins à la mobilité des personnes en recherche d’emploi.',
  ownerPartyId: 'party-mel',
  coFunderPartyIds: ['party-caf'],
  priority: 2,
  ambition: 'lever les freins à la mobilité pour tous',
  component: 'contrat-de-ville',
  horizon: 2030,
  scope: { qpv: ['QN05972M'], communes: ['59350'] },
  means: { droitCommunCents: 50_000_00, creditsSpecifiquesCents: 20_000_00 },
  budget: [{ year: 2024, amountCents: 70_000_00, status: 'committed' }],
};
const drafted: CommitmentEvent = { type: 'CommitmentDrafted', data: { commitmentId: 'c1', ...terms } };
const inProgress: CommitmentEvent[] = [
  drafted,
  { type: 'CommitmentProposed', data: { commitmentId: 'c1' } },
  { type: 'CommitmentAdopted', data: { commitmentId: 'c1', decisionId: null } },
  { type: 'CommitmentStarted', data: { commitmentId: 'c1' } },
];
const cmd = (c: Record<string, unknown>) => ({ at, actor: mel, commitmentId: 'c1', ...c }) as CommitmentCommand;

describe('Commitment', () => {
  describe('drafting', () => {
    it('records the terms of a new commitment', () => {
      given(commitment, []).when(cmd({ type: 'DraftCommitment', ...terms })).then([drafted]);
    });

    it('refuses a second draft of the same commitment', () => {
      given(commitment, [drafted]).when(cmd({ type: 'DraftCommitment', ...terms })).thenRefuses('AggregateMustNotExistYet');
    });

    it('PartyActsOnlyForItself: a party cannot draft a commitment for another party', () => {
      given(commitment, []).when(cmd({ type: 'DraftCommitment', ...terms, actor: caf })).thenRefuses('PartyActsOnlyForItself');
    });

    it('lets an administrator draft for any party', () => {
      given(commitment, []).when(cmd({ type: 'DraftCommitment', ...terms, actor: admin })).then([drafted]);
    });

    it.each([
      ['a pacte commitment with horizon 2030', { component: 'pacte-local-solidarites', horizon: 2030 }, 'horizon'],
      ['a pacte budget line in 2028', { component: 'pacte-local-solidarites', horizon: 2027, budget: [{ year: 2028, amountCents: 1, status: 'indicative' }] }, 'budget[0].year'],
      ['a contrat de ville horizon of 2031', { horizon: 2031 }, 'horizon'],
    ])('CommitmentEndsWithinItsComponent: refuses %s', (_label, change, field) => {
      given(commitment, []).when(cmd({ type: 'DraftCommitment', ...terms, ...change })).thenRefuses('CommitmentEndsWithinItsComponent', field);
    });

    it.each([
      ['a float amount', { means: { droitCommunCents: 10.5, creditsSpecifiquesCents: 0 } }, 'MoneyIsInWholeCents', 'means.droitCommunCents'],
      ['a negative budget', { budget: [{ year: 2025, amountCents: -1, status: 'committed' }] }, 'MoneyIsInWholeCents', 'budget[0].amountCents'],
      ['priority 7', { priority: 7 }, 'ValueMustBeValid', 'priority'],
      ['a malformed QPV code', { scope: { qpv: ['Lille Sud'], communes: [] } }, 'ValueMustBeValid', 'scope.qpv[0]'],
      ['a year budgeted twice', { budget: [{ year: 2025, amountCents: 1, status: 'committed' }, { year: 2025, amountCents: 2, status: 'committed' }] }, 'ValueMustBeValid', 'budget[1].year'],
    ])('refuses %s, naming the field', (_label, change, rule, field) => {
      given(commitment, []).when(cmd({ type: 'DraftCommitment', ...terms, ...change })).thenRefuses(rule as never, field);
    });
  });

  describe('lifecycle', () => {
    it('goes draft → proposed → adopted → in progress ⇄ suspended → completed', () => {
      given(commitment, [drafted]).when(cmd({ type: 'ProposeCommitment' })).then([{ type: 'CommitmentProposed', data: { commitmentId: 'c1' } }]);
      given(commitment, inProgress.slice(0, 2))
        .when(cmd({ type: 'AdoptCommitment', actor: secretary, decisionId: 'decision-1' }))
        .then([{ type: 'CommitmentAdopted', data: { commitmentId: 'c1', decisionId: 'decision-1' } }]);
      given(commitment, inProgress).when(cmd({ type: 'SuspendCommitment', reason: 'travaux' })).then([{ type: 'CommitmentSuspended', data: { commitmentId: 'c1', reason: 'travaux' } }]);
      given(commitment, [...inProgress, { type: 'CommitmentSuspended', data: { commitmentId: 'c1', reason: 'travaux' } }])
        .when(cmd({ type: 'ResumeCommitment' }))
        .then([{ type: 'CommitmentResumed', data: { commitmentId: 'c1' } }]);
      given(commitment, inProgress)
        .when(cmd({ type: 'CompleteCommitment', outcome: 'partially_met', summary: '38 jeunes accompagnés sur 50' }))
        .then([{ type: 'CommitmentCompleted', data: { commitmentId: 'c1', outcome: 'partially_met', summary: '38 jeunes accompagnés sur 50' } }]);
    });

    it.each([
      ['start a draft', [drafted], { type: 'StartCommitment' }],
      ['adopt a draft', [drafted], { type: 'AdoptCommitment', actor: admin }],
      ['complete an adopted one', inProgress.slice(0, 3), { type: 'CompleteCommitment', outcome: 'met', summary: 's' }],
      ['withdraw a completed one', [...inProgress, { type: 'CommitmentCompleted', data: { commitmentId: 'c1', outcome: 'met', summary: 's' } }], { type: 'WithdrawCommitment', reason: 'r' }],
    ])('refuses to %s', (_label, history, command) => {
      given(commitment, history as CommitmentEvent[]).when(cmd(command)).thenRefuses('TransitionMustFollowLifecycle');
    });

    it('refuses adoption by the representative of a signatory', () => {
      given(commitment, inProgress.slice(0, 2)).when(cmd({ type: 'AdoptCommitment' })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('refuses any command on a commitment that does not exist', () => {
      given(commitment, []).when(cmd({ type: 'ProposeCommitment' })).thenRefuses('AggregateMustExist');
    });
  });

  describe('progress reports', () => {
    const report = { type: 'ReportProgress', reportId: 'r-2024', period: '2024', summary: '120 personnes conseillées', evidence: [{ sha256: 'a'.repeat(64), title: 'Bilan 2024' }] };

    it('records a report of the owner with its evidence identified by SHA-256', () => {
      const { type: _type, ...fields } = report;
      given(commitment, inProgress).when(cmd(report)).then([{ type: 'ProgressReported', data: { commitmentId: 'c1', ...fields } }]);
    });

    it('PartyActsOnlyForItself: a co-funder does not report on the owner’s commitment', () => {
      given(commitment, inProgress).when(cmd({ ...report, actor: caf })).thenRefuses('PartyActsOnlyForItself');
    });

    it.each([
      ['completed', { type: 'CommitmentCompleted', data: { commitmentId: 'c1', outcome: 'met', summary: 's' } }],
      ['withdrawn', { type: 'CommitmentWithdrawn', data: { commitmentId: 'c1', reason: 'r' } }],
    ])('ClosedCommitmentTakesNoReport: refuses a report on a %s commitment', (_label, closing) => {
      given(commitment, [...inProgress, closing as CommitmentEvent]).when(cmd(report)).thenRefuses('ClosedCommitmentTakesNoReport');
    });

    it('refuses evidence not identified by a SHA-256 digest', () => {
      given(commitment, inProgress).when(cmd({ ...report, evidence: [{ sha256: 'bilan.pdf', title: 'Bilan' }] })).thenRefuses('ValueMustBeValid', 'evidence[0].sha256');
    });
  });

  describe('milestones', () => {
    it('takes ids that are names of built-in object properties as any other id', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'ScheduleMilestone', milestoneId: 'constructor', title: 'Ouverture', dueDate: '2025-01-31' }))
        .then([{ type: 'MilestoneScheduled', data: { commitmentId: 'c1', milestoneId: 'constructor', title: 'Ouverture', dueDate: '2025-01-31' } }]);
      given(commitment, inProgress).when(cmd({ type: 'RecordMilestoneStatus', milestoneId: 'toString', status: 'met' })).thenRefuses('AggregateMustExist');
    });

    it('CommitmentEndsWithinItsComponent: no milestone due after the component ends', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'ScheduleMilestone', milestoneId: 'm', title: 'Bilan', dueDate: '2031-01-31' }))
        .thenRefuses('CommitmentEndsWithinItsComponent', 'dueDate');
    });
  });

  describe('funding', () => {
    it('lets a co-funder record its own disbursement', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'RecordFunding', actor: caf, partyId: 'party-caf', transaction: 'disbursement', year: 2025, amountCents: 10_000_00 }))
        .then([{ type: 'FundingRecorded', data: { commitmentId: 'c1', partyId: 'party-caf', transaction: 'disbursement', year: 2025, amountCents: 10_000_00, currency: 'EUR' } }]);
    });

    it('refuses funding recorded by a party for another party', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'RecordFunding', actor: caf, partyId: 'party-mel', transaction: 'disbursement', year: 2025, amountCents: 1 }))
        .thenRefuses('PartyActsOnlyForItself');
    });

    it('sums each kind of transaction in the state', () => {
      const funded = given(commitment, [
        ...inProgress,
        { type: 'FundingRecorded', data: { commitmentId: 'c1', partyId: 'party-mel', transaction: 'commitment', year: 2024, amountCents: 500, currency: 'EUR' } },
        { type: 'FundingRecorded', data: { commitmentId: 'c1', partyId: 'party-caf', transaction: 'commitment', year: 2025, amountCents: 250, currency: 'EUR' } },
        { type: 'FundingRecorded', data: { commitmentId: 'c1', partyId: 'party-mel', transaction: 'expenditure', year: 2025, amountCents: 100, currency: 'EUR' } },
      ]);
      expect(funded.state.funding).toEqual({ commitment: 750, disbursement: 0, expenditure: 100 });
    });
  });

  describe('corrections and amendments', () => {
    it('CorrectionNamesWhatItCorrects: a correction references an event of this commitment', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'CorrectCommitment', correctsEventId: 'event-0', field: 'title', value: 'MobilimEL', reason: 'coquille' }))
        .then([{ type: 'CommitmentCorrected', data: { commitmentId: 'c1', correctsEventId: 'event-0', field: 'title', value: 'MobilimEL', reason: 'coquille' } }]);
      given(commitment, inProgress)
        .when(cmd({ type: 'CorrectCommitment', correctsEventId: 'event-of-another-stream', field: 'title', value: 'X', reason: 'r' }))
        .thenRefuses('CorrectionNamesWhatItCorrects', 'correctsEventId');
    });

    it('does not let a correction change the legal terms (budget, horizon): those need an amendment', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'CorrectCommitment', correctsEventId: 'event-0', field: 'horizon', value: 2027, reason: 'r' }))
        .thenRefuses('ValueMustBeValid', 'field');
    });

    const amendment = { amendmentId: 'a1', status: 'in_force', affectedCommitmentIds: ['c1'] };

    it('applies the changes of an amendment in force', () => {
      const budget = [{ year: 2024, amountCents: 90_000_00, status: 'committed' }];
      const after = given(commitment, inProgress);
      after.when(cmd({ type: 'ApplyAmendmentToCommitment', actor: admin, amendment, changes: { budget } })).then([
        { type: 'CommitmentAmended', data: { commitmentId: 'c1', amendmentId: 'a1', changes: { budget } } } as CommitmentEvent,
      ]);
    });

    it.each([
      ['approved but not signed by all', { ...amendment, status: 'approved' }],
      ['in force but about another commitment', { ...amendment, affectedCommitmentIds: ['c2'] }],
    ])('AmendmentTakesEffectOnlyWhenSignedByAll: refuses an amendment %s', (_label, facts) => {
      given(commitment, inProgress)
        .when(cmd({ type: 'ApplyAmendmentToCommitment', actor: admin, amendment: facts, changes: { horizon: 2027 } }))
        .thenRefuses('AmendmentTakesEffectOnlyWhenSignedByAll');
    });

    it('refuses a change of a term an amendment does not change (the owner), and an actor who is not an administrator', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'ApplyAmendmentToCommitment', actor: admin, amendment, changes: { ownerPartyId: 'party-caf' } }))
        .thenRefuses('ValueMustBeValid', 'changes.ownerPartyId');
      given(commitment, inProgress)
        .when(cmd({ type: 'ApplyAmendmentToCommitment', actor: mel, amendment, changes: { horizon: 2027 } }))
        .thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('keeps an amendment within the component’s end date', () => {
      given(commitment, inProgress)
        .when(cmd({ type: 'ApplyAmendmentToCommitment', actor: admin, amendment, changes: { horizon: 2031 } }))
        .thenRefuses('CommitmentEndsWithinItsComponent', 'horizon');
    });
  });
});

describe('Commitment, fed junk in any field', () => {
  const valid: Record<string, Record<string, unknown>> = {
    DraftCommitment: { ...terms },
    ScheduleMilestone: { milestoneId: 'm1', title: 'Ouverture', dueDate: '2025-01-31' },
    RecordMilestoneStatus: { milestoneId: 'm0', status: 'met' },
    RecordFunding: { transaction: 'disbursement', year: 2025, amountCents: 100, partyId: 'party-mel' },
    ReportProgress: { reportId: 'r1', period: '2025', summary: 's', evidence: [] },
    CorrectCommitment: { correctsEventId: 'event-0', field: 'title', value: 'T', reason: 'r' },
    SuspendCommitment: { reason: 'r' },
    CompleteCommitment: { outcome: 'met', summary: 's' },
  };
  const history: CommitmentEvent[] = [
    ...inProgress,
    { type: 'MilestoneScheduled', data: { commitmentId: 'c1', milestoneId: 'm0', title: 't', dueDate: '2025-01-01' } },
  ];

  it('refuses with a DomainRuleError, never another error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(valid)), fc.nat(), fc.anything({ withObjectString: true, withNullPrototype: true }), (type, pick, junk) => {
        const fields = Object.keys(valid[type]);
        const field = fields[pick % fields.length];
        const command = cmd({ type, ...valid[type], [field]: junk });
        const state = given(commitment, type === 'DraftCommitment' ? [] : history).state;
        try {
          commitment.decide(command, state);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainRuleError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
