import type { Actor } from '../shared/decider';
import { given } from '../testing/given-when-then';
import { type EvaluationCycleCommand, evaluationCycleDecider as cycle, type EvaluationCycleEvent } from './evaluation-cycle';
import { assertJunkGivesDomainErrors } from '../testing/junk-commands';

const at = '2027-03-01T10:00:00.000Z';
const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const mel: Actor = { subject: 'user-mel-1', role: 'signatory-representative', partyId: 'party-mel' };
const caf: Actor = { subject: 'user-caf-1', role: 'signatory-representative', partyId: 'party-caf' };
const departement: Actor = { subject: 'user-nord-1', role: 'signatory-representative', partyId: 'party-departement-nord' };
const secretary: Actor = { subject: 'user-sec', role: 'body-secretary', partyId: 'party-mel' };
const report = 'd'.repeat(64);
const bilan = 'e'.repeat(64);

const scope = { priorities: [1, 2, 3, 4, 5, 6], priorityActionCommitmentIds: ['commitment-emergence', 'commitment-mobilimel', 'commitment-gusp'] };
const questions = [
  { questionId: 'q1', text: 'Dans quelle mesure les politiques de droit commun se sont-elles mobilisées pour atteindre les ambitions fixées ?' },
  { questionId: 'q2', text: 'Quelles orientations sont nécessaires pour atteindre ces objectifs d’ici 2030 ?' },
];
const open = { type: 'OpenEvaluationCycle', kind: 'mid-term', year: 2027, scope, questions };
const opened: EvaluationCycleEvent = { type: 'EvaluationCycleOpened', data: { cycleId: 'mid-term-2027', kind: 'mid-term', year: 2027, scope, questions } };
const requested = (partyId: string): EvaluationCycleEvent => ({ type: 'ContributionRequested', data: { cycleId: 'mid-term-2027', partyId, dueDate: '2027-06-30' } });
const submitted: EvaluationCycleEvent = {
  type: 'ContributionSubmitted',
  data: { cycleId: 'mid-term-2027', partyId: 'party-caf', summary: 'Bilan des actions CAF dans les QPV 2024–2026', documentSha256s: [bilan] },
};
const finding: EvaluationCycleEvent = {
  type: 'FindingRecorded',
  data: {
    cycleId: 'mid-term-2027',
    findingId: 'f1',
    text: 'Les crédits de droit commun dédiés à la réussite éducative restent en deçà des ambitions de l’enjeu 1.',
    priorities: [1],
    commitmentIds: ['commitment-emergence'],
    concernedPartyIds: ['party-mel', 'party-departement-nord'],
  },
};
const withFinding = [opened, requested('party-caf'), requested('party-mel'), submitted, finding];
const conclusions = {
  summary: 'Évaluation à mi-parcours du contrat de ville et des solidarités',
  droitCommunMobilisation: 'Le droit commun s’est mobilisé sur l’emploi, moins sur la santé et l’éducation.',
  orientations: ['Renforcer la présence du droit commun en santé dans les QPV', 'Étendre le programme Émergence'],
  reportSha256: report,
};
const closed: EvaluationCycleEvent = {
  type: 'EvaluationCycleClosed',
  data: { cycleId: 'mid-term-2027', ...conclusions, missingContributionPartyIds: ['party-mel'] },
};

const cmd = (c: Record<string, unknown>) => ({ at, actor: admin, cycleId: 'mid-term-2027', ...c }) as EvaluationCycleCommand;

const TEMPLATES: [EvaluationCycleEvent[], Record<string, unknown>][] = [
  [[], { ...open, cycleId: 'mid-term-2027' }],
  [[opened], { type: 'RequestContribution', partyId: 'party-caf', dueDate: '2027-06-30' }],
  [[opened, requested('party-caf')], { type: 'SubmitContribution', partyId: 'party-caf', summary: 's', documentSha256s: [bilan] }],
  [[opened], { type: 'RecordFinding', findingId: 'f2', text: 't', priorities: [1], commitmentIds: ['c'], concernedPartyIds: ['party-mel'] }],
  [withFinding, { type: 'RespondToFinding', findingId: 'f1', partyId: 'party-mel', response: 'r', plannedAction: 'p' }],
  [withFinding, { type: 'CloseEvaluationCycle', ...conclusions }],
];

describe('EvaluationCycle', () => {
  describe('opening', () => {
    it('opens the 2027 mid-term evaluation with its scope, its three priority actions and its evaluative questions', () => {
      given(cycle, []).when(cmd(open)).then([opened]);
    });

    it('opens an annual review and the final evaluation', () => {
      given(cycle, [])
        .when(cmd({ ...open, cycleId: 'annual-review-2025', kind: 'annual-review', year: 2025, scope: { priorities: [2] } }))
        .then([{ type: 'EvaluationCycleOpened', data: { cycleId: 'annual-review-2025', kind: 'annual-review', year: 2025, scope: { priorities: [2], priorityActionCommitmentIds: [] }, questions } }]);
      given(cycle, []).when(cmd({ ...open, cycleId: 'final-2030', kind: 'final', year: 2030 })).then((events) => expect(events[0].data).toMatchObject({ kind: 'final', year: 2030 }));
    });

    it('AggregateMustNotExistYet: refuses to open the same cycle twice', () => {
      given(cycle, [opened]).when(cmd(open)).thenRefuses('AggregateMustNotExistYet');
    });

    it('OnlyAnAdministratorMayDoThis: a signatory does not open an evaluation cycle', () => {
      given(cycle, []).when(cmd({ ...open, actor: mel })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it.each([
      ['a mid-term evaluation in 2026', { year: 2026 }],
      ['a final evaluation in 2029', { kind: 'final', year: 2029 }],
    ])('ValueMustBeValid: refuses %s (the press kit sets the mid-term in 2027, the contract ends in 2030)', (_label, change) => {
      given(cycle, []).when(cmd({ ...open, ...change })).thenRefuses('ValueMustBeValid', 'year');
    });

    it.each([
      ['an annual review in 2023', 2023],
      ['an annual review in 2031', 2031],
    ])('PeriodIsWithinTheContract: refuses %s', (_label, year) => {
      given(cycle, []).when(cmd({ ...open, kind: 'annual-review', year })).thenRefuses('PeriodIsWithinTheContract', 'year');
    });

    it.each([
      ['an unknown kind', { kind: 'ex-post' }, 'kind'],
      ['a year given as text', { year: '2027' }, 'year'],
      ['a missing scope', { scope: undefined }, 'scope'],
      ['a scope without priorities', { scope: { priorities: [] } }, 'scope.priorities'],
      ['priority 7', { scope: { priorities: [7] } }, 'scope.priorities[0]'],
      ['a priority listed twice', { scope: { priorities: [1, 1] } }, 'scope.priorities[1]'],
      ['four priority actions', { scope: { priorities: [1], priorityActionCommitmentIds: ['a', 'b', 'c', 'd'] } }, 'scope.priorityActionCommitmentIds'],
      ['no evaluative question', { questions: [] }, 'questions'],
      ['questions given as a text', { questions: 'q1' }, 'questions'],
      ['a question without text', { questions: [{ questionId: 'q1' }] }, 'questions[0].text'],
      ['a question id used twice', { questions: [questions[0], { ...questions[1], questionId: 'q1' }] }, 'questions[1]'],
      ['a question of 3000 characters', { questions: [{ questionId: 'q1', text: 'x'.repeat(3000) }] }, 'questions[0].text'],
      ['a missing cycle id', { cycleId: undefined }, 'cycleId'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, change, field) => {
      given(cycle, []).when(cmd({ ...open, ...change })).thenRefuses('ValueMustBeValid', field);
    });

    it('AggregateMustExist: refuses any other command on a cycle that does not exist', () => {
      given(cycle, []).when(cmd({ type: 'RequestContribution', partyId: 'party-caf' })).thenRefuses('AggregateMustExist');
    });
  });

  describe('contributions', () => {
    it('requests a contribution from a party, with a due date', () => {
      given(cycle, [opened]).when(cmd({ type: 'RequestContribution', partyId: 'party-caf', dueDate: '2027-06-30' })).then([requested('party-caf')]);
    });

    it('AggregateMustNotExistYet: refuses to request the same party’s contribution twice', () => {
      given(cycle, [opened, requested('party-caf')]).when(cmd({ type: 'RequestContribution', partyId: 'party-caf' })).thenRefuses('AggregateMustNotExistYet', 'partyId');
    });

    it('PeriodIsWithinTheContract: refuses a due date after 2030', () => {
      given(cycle, [opened]).when(cmd({ type: 'RequestContribution', partyId: 'party-caf', dueDate: '2031-01-31' })).thenRefuses('PeriodIsWithinTheContract', 'dueDate');
    });

    it('OnlyAnAdministratorMayDoThis: a body secretary does not request contributions', () => {
      given(cycle, [opened]).when(cmd({ type: 'RequestContribution', actor: secretary, partyId: 'party-caf' })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it('lets a party submit its own contribution with its documents identified by SHA-256', () => {
      given(cycle, [opened, requested('party-caf')])
        .when(cmd({ type: 'SubmitContribution', actor: caf, partyId: 'party-caf', summary: 'Bilan des actions CAF dans les QPV 2024–2026', documentSha256s: [bilan] }))
        .then([submitted]);
    });

    it('PartyActsOnlyForItself: a party does not submit another party’s contribution', () => {
      given(cycle, [opened, requested('party-caf')])
        .when(cmd({ type: 'SubmitContribution', actor: mel, partyId: 'party-caf', documentSha256s: [bilan] }))
        .thenRefuses('PartyActsOnlyForItself');
    });

    it('TransitionMustFollowLifecycle: refuses a contribution that was not requested, or submitted twice', () => {
      given(cycle, [opened])
        .when(cmd({ type: 'SubmitContribution', actor: caf, partyId: 'party-caf', documentSha256s: [bilan] }))
        .thenRefuses('TransitionMustFollowLifecycle', 'partyId');
      given(cycle, [opened, requested('party-caf'), submitted])
        .when(cmd({ type: 'SubmitContribution', actor: caf, partyId: 'party-caf', documentSha256s: [report] }))
        .thenRefuses('TransitionMustFollowLifecycle', 'partyId');
    });

    it.each([
      ['no document', { documentSha256s: [] }, 'documentSha256s'],
      ['a file name instead of a digest', { documentSha256s: ['bilan-caf-2026.pdf'] }, 'documentSha256s[0]'],
      ['an uppercase digest', { documentSha256s: ['E'.repeat(64)] }, 'documentSha256s[0]'],
      ['the same document twice', { documentSha256s: [bilan, bilan] }, 'documentSha256s[1]'],
      ['documents given as an object', { documentSha256s: { 0: bilan } }, 'documentSha256s'],
      ['a summary that is a number', { documentSha256s: [bilan], summary: 12 }, 'summary'],
    ])('ValueMustBeValid: refuses a contribution with %s, naming the field', (_label, change, field) => {
      given(cycle, [opened, requested('party-caf')])
        .when(cmd({ type: 'SubmitContribution', actor: caf, partyId: 'party-caf', ...change }))
        .thenRefuses('ValueMustBeValid', field);
    });

    it('keeps each contribution’s status in the state', () => {
      const { state } = given(cycle, [opened, requested('party-caf'), requested('party-mel'), submitted]);
      expect(state.contributions).toEqual({
        'party-caf': { status: 'submitted', dueDate: '2027-06-30', summary: 'Bilan des actions CAF dans les QPV 2024–2026', documentSha256s: [bilan] },
        'party-mel': { status: 'requested', dueDate: '2027-06-30', summary: null, documentSha256s: [] },
      });
    });
  });

  describe('findings and responses', () => {
    it('records a finding related to a priority and a commitment', () => {
      const { type: _t, cycleId: _c, ...fields } = { type: 'RecordFinding', ...finding.data };
      given(cycle, [opened]).when(cmd({ type: 'RecordFinding', ...fields })).then([finding]);
    });

    it('AggregateMustNotExistYet: refuses a finding id used twice', () => {
      given(cycle, withFinding).when(cmd({ type: 'RecordFinding', findingId: 'f1', text: 't', concernedPartyIds: [] })).thenRefuses('AggregateMustNotExistYet', 'findingId');
    });

    it.each([
      ['an empty text', { text: '' }, 'text'],
      ['a priority 0', { priorities: [0] }, 'priorities[0]'],
      ['concerned parties given as a text', { concernedPartyIds: 'party-mel' }, 'concernedPartyIds'],
    ])('ValueMustBeValid: refuses a finding with %s, naming the field', (_label, change, field) => {
      given(cycle, [opened]).when(cmd({ type: 'RecordFinding', findingId: 'f2', text: 'constat', concernedPartyIds: [], ...change })).thenRefuses('ValueMustBeValid', field);
    });

    it('lets a party concerned respond with a planned action', () => {
      given(cycle, withFinding)
        .when(
          cmd({
            type: 'RespondToFinding',
            actor: departement,
            findingId: 'f1',
            partyId: 'party-departement-nord',
            response: 'Le Département renforce ses moyens de prévention spécialisée dans les QPV.',
            plannedAction: 'Deux postes d’éducateurs de prévention supplémentaires en 2028',
          }),
        )
        .then([
          {
            type: 'FindingResponded',
            data: {
              cycleId: 'mid-term-2027',
              findingId: 'f1',
              partyId: 'party-departement-nord',
              response: 'Le Département renforce ses moyens de prévention spécialisée dans les QPV.',
              plannedAction: 'Deux postes d’éducateurs de prévention supplémentaires en 2028',
            },
          },
        ]);
    });

    it('PartyActsOnlyForItself: a party not concerned by the finding does not respond to it', () => {
      given(cycle, withFinding)
        .when(cmd({ type: 'RespondToFinding', actor: caf, findingId: 'f1', partyId: 'party-caf', response: 'r' }))
        .thenRefuses('PartyActsOnlyForItself', 'partyId');
    });

    it('PartyActsOnlyForItself: a party does not respond for another party concerned', () => {
      given(cycle, withFinding)
        .when(cmd({ type: 'RespondToFinding', actor: mel, findingId: 'f1', partyId: 'party-departement-nord', response: 'r' }))
        .thenRefuses('PartyActsOnlyForItself');
    });

    it('AggregateMustNotExistYet: a party responds once to a finding', () => {
      const responded: EvaluationCycleEvent = { type: 'FindingResponded', data: { cycleId: 'mid-term-2027', findingId: 'f1', partyId: 'party-mel', response: 'r', plannedAction: null } };
      given(cycle, [...withFinding, responded])
        .when(cmd({ type: 'RespondToFinding', actor: mel, findingId: 'f1', partyId: 'party-mel', response: 'r2' }))
        .thenRefuses('AggregateMustNotExistYet', 'partyId');
      const { state } = given(cycle, [...withFinding, responded]);
      expect(state.findings.f1.responses).toEqual({ 'party-mel': { response: 'r', plannedAction: null } });
    });

    it('AggregateMustExist: refuses a response to a finding that does not exist', () => {
      given(cycle, withFinding)
        .when(cmd({ type: 'RespondToFinding', actor: mel, findingId: 'f9', partyId: 'party-mel', response: 'r' }))
        .thenRefuses('AggregateMustExist', 'findingId');
    });

    it('refuses a response of a million characters, naming the field', () => {
      given(cycle, withFinding)
        .when(cmd({ type: 'RespondToFinding', actor: mel, findingId: 'f1', partyId: 'party-mel', response: 'x'.repeat(1_000_000) }))
        .thenRefuses('ValueMustBeValid', 'response');
    });
  });

  describe('closing', () => {
    it('closes the mid-term evaluation with its two objectives, listing who did not contribute', () => {
      given(cycle, withFinding).when(cmd({ type: 'CloseEvaluationCycle', ...conclusions })).then([closed]);
      const { state } = given(cycle, [...withFinding, closed]);
      expect(state.status).toBe('closed');
      expect(state.conclusions).toEqual(conclusions);
      expect(state.missingContributionPartyIds).toEqual(['party-mel']);
    });

    it('closes an annual review with a summary only', () => {
      const annual: EvaluationCycleEvent = { type: 'EvaluationCycleOpened', data: { cycleId: 'annual-review-2025', kind: 'annual-review', year: 2025, scope, questions } };
      given(cycle, [annual])
        .when(cmd({ type: 'CloseEvaluationCycle', summary: 'Revue annuelle 2025' }))
        .then([
          {
            type: 'EvaluationCycleClosed',
            data: { cycleId: 'annual-review-2025', summary: 'Revue annuelle 2025', droitCommunMobilisation: null, orientations: [], reportSha256: null, missingContributionPartyIds: [] },
          },
        ]);
    });

    it.each([
      ['without its analysis of droit commun mobilisation', { droitCommunMobilisation: undefined }, 'droitCommunMobilisation'],
      ['without the orientations needed', { orientations: [] }, 'orientations'],
      ['with an orientation that is not a text', { orientations: [42] }, 'orientations[0]'],
      ['with a report that is not a SHA-256', { reportSha256: 'rapport.pdf' }, 'reportSha256'],
      ['without a summary', { summary: undefined }, 'summary'],
    ])('ValueMustBeValid: refuses to close the mid-term evaluation %s', (_label, change, field) => {
      given(cycle, withFinding).when(cmd({ type: 'CloseEvaluationCycle', ...conclusions, ...change })).thenRefuses('ValueMustBeValid', field);
    });

    it('OnlyAnAdministratorMayDoThis: a signatory does not close the evaluation', () => {
      given(cycle, withFinding).when(cmd({ type: 'CloseEvaluationCycle', ...conclusions, actor: mel })).thenRefuses('OnlyAnAdministratorMayDoThis');
    });

    it.each([
      ['closed again', { type: 'CloseEvaluationCycle', ...conclusions }],
      ['asked for a contribution', { type: 'RequestContribution', partyId: 'party-etat' }],
      ['given a contribution', { type: 'SubmitContribution', actor: mel, partyId: 'party-mel', documentSha256s: [bilan] }],
      ['given a finding', { type: 'RecordFinding', findingId: 'f2', text: 't', concernedPartyIds: [] }],
      ['given a response', { type: 'RespondToFinding', actor: mel, findingId: 'f1', partyId: 'party-mel', response: 'r' }],
    ])('TransitionMustFollowLifecycle: a closed cycle is not %s', (_label, command) => {
      given(cycle, [...withFinding, closed]).when(cmd(command)).thenRefuses('TransitionMustFollowLifecycle');
    });
  });

  it('refuses an unknown command, naming the type', () => {
    given(cycle, [opened]).when(cmd({ type: 'ReopenEvaluationCycle' })).thenRefuses('ValueMustBeValid', 'type');
  });

  it('turns any malformed body into a DomainRuleError, never another error (commands will come from HTTP)', () => {
    assertJunkGivesDomainErrors(cycle, TEMPLATES, (fields) => cmd({ ...fields, actor: admin, at }));
  });
});
