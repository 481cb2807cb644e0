import type { Actor } from '../shared/decider';
import { given } from '../testing/given-when-then';
import { type IndicatorCommand, indicatorDecider as indicator, type IndicatorEvent, yearPeriod } from './indicator';
import { assertJunkGivesDomainErrors } from '../testing/junk-commands';

const at = '2025-03-15T10:00:00.000Z';
const mel: Actor = { subject: 'user-mel-1', role: 'signatory-representative', partyId: 'party-mel' };
const etat: Actor = { subject: 'user-prefecture-1', role: 'signatory-representative', partyId: 'party-etat' };
const admin: Actor = { subject: 'user-admin', role: 'administrator' };
const auditor: Actor = { subject: 'user-auditor', role: 'auditor' };
const evidence = 'b'.repeat(64);
const y2024 = yearPeriod(2024);
const y2025 = yearPeriod(2025);

// "Tous les ans, une promotion de 30 à 50 jeunes bacheliers est sélectionnée" (ARELI, programme Émergence).
const emergence = {
  title: 'Jeunes bacheliers du programme Émergence (ARELI)',
  description: 'Jeunes bacheliers issus des QPV sélectionnés chaque année dans la promotion Émergence.',
  level: 'local',
  measure: 'unit',
  unit: 'jeunes bacheliers',
  scale: null,
  ascending: true,
  ownerPartyId: 'party-mel',
  commitmentId: 'commitment-emergence',
  priority: 1,
} as const;
const defined: IndicatorEvent = { type: 'IndicatorDefined', data: { indicatorId: 'i1', ...emergence } };

// "58 % des jeunes âgés de 15 ans et plus vivant dans ces quartiers ne sont plus scolarisés et n'ont pas de diplôme".
const sansDiplome = {
  title: 'Part des jeunes de 15 ans et plus non scolarisés sans diplôme (QPV)',
  description: null,
  level: 'national',
  measure: 'percentage',
  unit: '%',
  scale: null,
  ascending: false,
  ownerPartyId: 'party-etat',
  commitmentId: null,
  priority: 1,
} as const;
const definedPercentage: IndicatorEvent = { type: 'IndicatorDefined', data: { indicatorId: 'i2', ...sansDiplome } };

const cmd = (c: Record<string, unknown>) => ({ at, actor: mel, indicatorId: 'i1', ...c }) as IndicatorCommand;
const pct = (c: Record<string, unknown>) => ({ at, actor: etat, indicatorId: 'i2', ...c }) as IndicatorCommand;

const target2024: IndicatorEvent = {
  type: 'TargetSet',
  data: { indicatorId: 'i1', period: y2024, value: 30, upperValue: 50, comment: 'une promotion de 30 à 50 jeunes bacheliers' },
};
const actual2024: IndicatorEvent = {
  type: 'ActualRecorded',
  data: { indicatorId: 'i1', period: y2024, value: 38, evidenceSha256: evidence, comment: null },
};
// Recorded as event-0, event-1, event-2 by the given(…) helper.
const withValues = [defined, target2024, actual2024];

const TEMPLATES: [IndicatorEvent[], Record<string, unknown>][] = [
  [[], { type: 'DefineIndicator', indicatorId: 'i1', ...emergence, measure: 'ordinal', scale: { min: 1, max: 5 } }],
  [[definedPercentage], { type: 'SetBaseline', indicatorId: 'i2', value: 58, date: '2020-01-01', comment: 'c', reason: 'r' }],
  [[defined], { type: 'SetTarget', period: y2025, value: 30, upperValue: 50, unit: 'jeunes bacheliers', comment: 'c' }],
  [[defined], { type: 'RecordActual', period: y2024, value: 38, unit: 'jeunes bacheliers', evidenceSha256: evidence, comment: 'c' }],
  [withValues, { type: 'CorrectTarget', correctsEventId: 'event-1', value: 35, upperValue: 50, reason: 'r' }],
  [withValues, { type: 'CorrectActual', correctsEventId: 'event-2', value: 41, evidenceSha256: evidence, reason: 'r' }],
  [withValues, { type: 'DefineIndicator', indicatorId: 'i1' }],
];

describe('Indicator', () => {
  describe('definition', () => {
    it('defines a local count indicator tracking a commitment', () => {
      given(indicator, []).when(cmd({ type: 'DefineIndicator', ...emergence })).then([defined]);
    });

    it('defines a national percentage indicator, leaving out the optional fields', () => {
      const { description: _d, commitmentId: _c, scale: _s, ...required } = sansDiplome;
      given(indicator, []).when(pct({ type: 'DefineIndicator', ...required, actor: admin })).then([definedPercentage]);
    });

    it('defines an ordinal indicator on a declared scale, and a qualitative one without a unit', () => {
      given(indicator, [])
        .when(cmd({ type: 'DefineIndicator', ...emergence, measure: 'ordinal', unit: 'niveau de satisfaction', scale: { min: 1, max: 5 } }))
        .then((events) => expect(events[0].data).toMatchObject({ measure: 'ordinal', scale: { min: 1, max: 5 } }));
      given(indicator, [])
        .when(cmd({ type: 'DefineIndicator', ...emergence, measure: 'qualitative', unit: undefined }))
        .then((events) => expect(events[0].data).toMatchObject({ measure: 'qualitative', unit: null }));
    });

    it('AggregateMustNotExistYet: refuses to define the same indicator twice', () => {
      given(indicator, [defined]).when(cmd({ type: 'DefineIndicator', ...emergence })).thenRefuses('AggregateMustNotExistYet');
    });

    it('PartyActsOnlyForItself: a party cannot define an indicator owned by another party', () => {
      given(indicator, []).when(cmd({ type: 'DefineIndicator', ...emergence, actor: etat })).thenRefuses('PartyActsOnlyForItself');
    });

    it.each([
      ['a missing title', { title: undefined }, 'title'],
      ['a title of a million characters', { title: 'x'.repeat(1_000_000) }, 'title'],
      ['a level other than national or local', { level: 'regional' }, 'level'],
      ['an unknown measure', { measure: 'ratio' }, 'measure'],
      ['a count without a unit', { unit: '' }, 'unit'],
      ['ascending given as a string', { ascending: 'true' }, 'ascending'],
      ['a missing owner', { ownerPartyId: undefined }, 'ownerPartyId'],
      ['priority 7', { priority: 7 }, 'priority'],
      ['a commitment id that is a number', { commitmentId: 42 }, 'commitmentId'],
      ['an ordinal indicator without a scale', { measure: 'ordinal' }, 'scale'],
      ['an ordinal scale whose max is not above its min', { measure: 'ordinal', scale: { min: 5, max: 5 } }, 'scale.max'],
      ['a scale on a count', { scale: { min: 1, max: 5 } }, 'scale'],
      ['an indicator id of an object', { indicatorId: { $ne: null } }, 'indicatorId'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, change, field) => {
      given(indicator, []).when(cmd({ type: 'DefineIndicator', ...emergence, ...change })).thenRefuses('ValueMustBeValid', field);
    });

    it('AggregateMustExist: refuses any other command on an indicator that does not exist', () => {
      given(indicator, []).when(cmd({ type: 'SetTarget', period: y2025, value: 30 })).thenRefuses('AggregateMustExist');
    });
  });

  describe('baseline', () => {
    const baseline = { type: 'SetBaseline', value: 58, date: '2020-01-01', comment: 'INSEE, recensement 2020 (diagnostic ADULM)' };

    it('sets a baseline observed before the contract', () => {
      given(indicator, [definedPercentage])
        .when(pct(baseline))
        .then([{ type: 'BaselineSet', data: { indicatorId: 'i2', value: 58, date: '2020-01-01', comment: 'INSEE, recensement 2020 (diagnostic ADULM)', reason: null } }]);
    });

    const first: IndicatorEvent = { type: 'BaselineSet', data: { indicatorId: 'i2', value: 58, date: '2020-01-01', comment: null, reason: null } };

    it('re-bases with a reason, keeping the earlier baseline in the state', () => {
      const second: IndicatorEvent = {
        type: 'BaselineSet',
        data: { indicatorId: 'i2', value: 57.4, date: '2021-01-01', comment: null, reason: 'données INSEE révisées' },
      };
      given(indicator, [definedPercentage, first])
        .when(pct({ type: 'SetBaseline', value: 57.4, date: '2021-01-01', reason: 'données INSEE révisées' }))
        .then([second]);
      const { state } = given(indicator, [definedPercentage, first, second]);
      expect(state.baseline).toMatchObject({ value: 57.4, eventId: 'event-2' });
      expect(state.previousBaselines).toEqual([expect.objectContaining({ value: 58, eventId: 'event-1' })]);
    });

    it('refuses to replace a baseline without a reason', () => {
      given(indicator, [definedPercentage, first]).when(pct({ type: 'SetBaseline', value: 57, date: '2021-01-01' })).thenRefuses('ValueMustBeValid', 'reason');
    });

    it('refuses a baseline dated after the command', () => {
      given(indicator, [definedPercentage]).when(pct({ ...baseline, date: '2026-01-01' })).thenRefuses('ValueMustBeValid', 'date');
    });

    it('IndicatorValueMatchesItsMeasure: refuses a baseline percentage of 580', () => {
      given(indicator, [definedPercentage]).when(pct({ ...baseline, value: 580 })).thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
    });

    it('refuses a malformed date, naming the field', () => {
      given(indicator, [definedPercentage]).when(pct({ ...baseline, date: '2020-02-30' })).thenRefuses('ValueMustBeValid', 'date');
    });
  });

  describe('targets', () => {
    it('sets a target range of 30 to 50 young people for 2024', () => {
      given(indicator, [defined])
        .when(cmd({ type: 'SetTarget', period: y2024, value: 30, upperValue: 50, unit: 'jeunes bacheliers', comment: 'une promotion de 30 à 50 jeunes bacheliers' }))
        .then([target2024]);
    });

    it('sets a single-value target over a multi-year period', () => {
      const period = { start: '2024-01-01', end: '2027-12-31' };
      given(indicator, [definedPercentage])
        .when(pct({ type: 'SetTarget', period, value: 45 }))
        .then([{ type: 'TargetSet', data: { indicatorId: 'i2', period, value: 45, upperValue: null, comment: null } }]);
    });

    it.each([
      ['the year 2031', yearPeriod(2031)],
      ['a period starting in 2023', { start: '2023-09-01', end: '2024-06-30' }],
      ['a period ending on 2031-01-01', { start: '2030-01-01', end: '2031-01-01' }],
    ])('PeriodIsWithinTheContract: refuses %s', (_label, period) => {
      given(indicator, [defined]).when(cmd({ type: 'SetTarget', period, value: 30 })).thenRefuses('PeriodIsWithinTheContract', 'period');
    });

    it.each([
      ['a year given as a number', 2025, 'period'],
      ['a missing period', undefined, 'period'],
      ['an end before the start', { start: '2025-12-31', end: '2025-01-01' }, 'period.end'],
      ['a start that is not a date', { start: '2025', end: '2025-12-31' }, 'period.start'],
    ])('ValueMustBeValid: refuses %s, naming the field', (_label, period, field) => {
      given(indicator, [defined]).when(cmd({ type: 'SetTarget', period, value: 30 })).thenRefuses('ValueMustBeValid', field);
    });

    it('AggregateMustNotExistYet: refuses a second target for the same period (a change is a correction)', () => {
      given(indicator, withValues).when(cmd({ type: 'SetTarget', period: y2024, value: 40 })).thenRefuses('AggregateMustNotExistYet', 'period');
    });

    it.each([
      ['a target range whose upper bound is below its lower bound', { value: 50, upperValue: 30 }, 'ValueMustBeValid', 'upperValue'],
      ['an upper bound of 40.5 young people', { value: 30, upperValue: 40.5 }, 'IndicatorValueMatchesItsMeasure', 'upperValue'],
      ['a target given in another unit', { value: 30, unit: '%' }, 'IndicatorValueMatchesItsMeasure', 'unit'],
    ])('refuses %s', (_label, change, rule, field) => {
      given(indicator, [defined]).when(cmd({ type: 'SetTarget', period: y2025, ...change })).thenRefuses(rule as never, field);
    });

    it('PartyActsOnlyForItself: another party cannot set the owner’s target, an administrator can', () => {
      given(indicator, [defined]).when(cmd({ type: 'SetTarget', actor: etat, period: y2025, value: 30 })).thenRefuses('PartyActsOnlyForItself');
      given(indicator, [defined]).when(cmd({ type: 'SetTarget', actor: auditor, period: y2025, value: 30 })).thenRefuses('PartyActsOnlyForItself');
      given(indicator, [defined])
        .when(cmd({ type: 'SetTarget', actor: admin, period: y2025, value: 30 }))
        .then([{ type: 'TargetSet', data: { indicatorId: 'i1', period: y2025, value: 30, upperValue: null, comment: null } }]);
    });
  });

  describe('actuals', () => {
    it('records the 2024 promotion with its evidence document', () => {
      given(indicator, [defined, target2024])
        .when(cmd({ type: 'RecordActual', period: y2024, value: 38, evidenceSha256: evidence }))
        .then([actual2024]);
    });

    it('keeps the target and the actual of each period in the state', () => {
      const { state } = given(indicator, withValues);
      expect(state.periods['2024-01-01/2024-12-31']).toMatchObject({
        period: y2024,
        target: { current: { value: 30, upperValue: 50, eventId: 'event-1' } },
        actual: { current: { value: 38, evidenceSha256: evidence, eventId: 'event-2' } },
        corrections: [],
      });
    });

    it('refuses an actual for a period that has not begun', () => {
      given(indicator, [defined]).when(cmd({ type: 'RecordActual', period: yearPeriod(2026), value: 40 })).thenRefuses('ValueMustBeValid', 'period');
    });

    it('AggregateMustNotExistYet: refuses a second actual for the same period (a change is a correction)', () => {
      given(indicator, withValues).when(cmd({ type: 'RecordActual', period: y2024, value: 39 })).thenRefuses('AggregateMustNotExistYet', 'period');
    });

    it.each([
      ['a count of 38.5 young people', [defined], cmd, 38.5],
      ['a negative count', [defined], cmd, -3],
      ['a count sent as the text "38"', [defined], cmd, '38'],
      ['a percentage of 120', [definedPercentage], pct, 120],
      ['a percentage of -1', [definedPercentage], pct, -1],
      ['a percentage that is not a number', [definedPercentage], pct, Number.NaN],
      ['a missing value', [definedPercentage], pct, undefined],
    ])('IndicatorValueMatchesItsMeasure: refuses %s', (_label, history, make, value) => {
      given(indicator, history).when(make({ type: 'RecordActual', period: y2024, value })).thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
    });

    it('IndicatorValueMatchesItsMeasure: accepts 57.5 % and any number for a nominal indicator', () => {
      given(indicator, [definedPercentage]).when(pct({ type: 'RecordActual', period: y2024, value: 57.5 })).then((events) => expect(events[0].data).toMatchObject({ value: 57.5 }));
      const nominal: IndicatorEvent = { type: 'IndicatorDefined', data: { indicatorId: 'i1', ...emergence, measure: 'nominal', unit: 'écart de revenu médian (€)' } };
      given(indicator, [nominal]).when(cmd({ type: 'RecordActual', period: y2024, value: -1250.5 })).then((events) => expect(events[0].data).toMatchObject({ value: -1250.5 }));
      given(indicator, [nominal]).when(cmd({ type: 'RecordActual', period: y2024, value: '-1250' })).thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
    });

    it('IndicatorValueMatchesItsMeasure: an ordinal value is an integer on its declared scale', () => {
      const ordinal: IndicatorEvent = {
        type: 'IndicatorDefined',
        data: { indicatorId: 'i1', ...emergence, measure: 'ordinal', unit: 'niveau de satisfaction', scale: { min: 1, max: 5 } },
      };
      given(indicator, [ordinal]).when(cmd({ type: 'RecordActual', period: y2024, value: 4 })).then((events) => expect(events[0].data).toMatchObject({ value: 4 }));
      given(indicator, [ordinal]).when(cmd({ type: 'RecordActual', period: y2024, value: 6 })).thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
      given(indicator, [ordinal]).when(cmd({ type: 'RecordActual', period: y2024, value: 2.5 })).thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
    });

    it('IndicatorValueMatchesItsMeasure: a qualitative value is a non-empty text', () => {
      const qualitative: IndicatorEvent = { type: 'IndicatorDefined', data: { indicatorId: 'i1', ...emergence, measure: 'qualitative', unit: null } };
      const text = 'Les lauréats s’engagent dans des actions citoyennes dans leur quartier.';
      given(indicator, [qualitative]).when(cmd({ type: 'RecordActual', period: y2024, value: text })).then((events) => expect(events[0].data).toMatchObject({ value: text }));
      given(indicator, [qualitative]).when(cmd({ type: 'RecordActual', period: y2024, value: '   ' })).thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
      given(indicator, [qualitative]).when(cmd({ type: 'RecordActual', period: y2024, value: 3 })).thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
      given(indicator, [qualitative]).when(cmd({ type: 'SetTarget', period: y2024, value: 'a', upperValue: 3 })).thenRefuses('IndicatorValueMatchesItsMeasure', 'upperValue');
    });

    it('refuses evidence that is not a SHA-256 digest, naming the field', () => {
      given(indicator, [defined])
        .when(cmd({ type: 'RecordActual', period: y2024, value: 38, evidenceSha256: 'promotion-2024.pdf' }))
        .thenRefuses('ValueMustBeValid', 'evidenceSha256');
    });

    it('PartyActsOnlyForItself: only the owner or an administrator records actuals', () => {
      given(indicator, [defined]).when(cmd({ type: 'RecordActual', actor: etat, period: y2024, value: 38 })).thenRefuses('PartyActsOnlyForItself');
    });
  });

  describe('corrections', () => {
    const correction: IndicatorEvent = {
      type: 'ActualCorrected',
      data: { indicatorId: 'i1', correctsEventId: 'event-2', period: y2024, value: 41, evidenceSha256: evidence, reason: 'trois lauréats saisis en 2025 par erreur' },
    };

    it('corrects an actual, naming the event it corrects, keeping its evidence when none is given', () => {
      given(indicator, withValues)
        .when(cmd({ type: 'CorrectActual', correctsEventId: 'event-2', value: 41, reason: 'trois lauréats saisis en 2025 par erreur' }))
        .then([correction]);
    });

    it('keeps the original actual beside the corrected one', () => {
      const { state } = given(indicator, [...withValues, correction]);
      const period = state.periods['2024-01-01/2024-12-31'];
      expect(period.actual?.original).toMatchObject({ value: 38, eventId: 'event-2' });
      expect(period.actual?.current).toMatchObject({ value: 41, eventId: 'event-3' });
      expect(period.corrections).toEqual([
        expect.objectContaining({ of: 'actual', eventId: 'event-3', correctsEventId: 'event-2', reason: 'trois lauréats saisis en 2025 par erreur', before: expect.objectContaining({ value: 38 }), after: expect.objectContaining({ value: 41 }) }),
      ]);
      expect(period.target?.current).toEqual(period.target?.original);
    });

    it('corrects a target, keeping the original', () => {
      const corrected: IndicatorEvent = {
        type: 'TargetCorrected',
        data: { indicatorId: 'i1', correctsEventId: 'event-1', period: y2024, value: 35, upperValue: 50, reason: 'promotion minimale relevée par le comité de pilotage' },
      };
      given(indicator, withValues)
        .when(cmd({ type: 'CorrectTarget', correctsEventId: 'event-1', value: 35, upperValue: 50, reason: 'promotion minimale relevée par le comité de pilotage' }))
        .then([corrected]);
      const { state } = given(indicator, [...withValues, corrected]);
      expect(state.periods['2024-01-01/2024-12-31'].target).toMatchObject({ original: { value: 30, upperValue: 50 }, current: { value: 35, upperValue: 50 } });
    });

    it('corrects a correction: the chain keeps every value', () => {
      const second: IndicatorEvent = {
        type: 'ActualCorrected',
        data: { indicatorId: 'i1', correctsEventId: 'event-3', period: y2024, value: 40, evidenceSha256: 'c'.repeat(64), reason: 'liste définitive' },
      };
      given(indicator, [...withValues, correction])
        .when(cmd({ type: 'CorrectActual', correctsEventId: 'event-3', value: 40, evidenceSha256: 'c'.repeat(64), reason: 'liste définitive' }))
        .then([second]);
      const { state } = given(indicator, [...withValues, correction, second]);
      const period = state.periods['2024-01-01/2024-12-31'];
      expect(period.corrections.map((c) => [c.before.value, c.after.value])).toEqual([[38, 41], [41, 40]]);
      expect(period.actual).toMatchObject({ original: { value: 38 }, current: { value: 40 } });
    });

    it.each([
      ['an event of another stream', 'CorrectActual', 'event-of-another-indicator'],
      ['the definition of the indicator', 'CorrectActual', 'event-0'],
      ['a target event, in an actual correction', 'CorrectActual', 'event-1'],
      ['an actual event, in a target correction', 'CorrectTarget', 'event-2'],
    ])('CorrectionNamesWhatItCorrects: refuses a correction naming %s', (_label, type, correctsEventId) => {
      given(indicator, withValues).when(cmd({ type, correctsEventId, value: 40, reason: 'r' })).thenRefuses('CorrectionNamesWhatItCorrects', 'correctsEventId');
    });

    it('CorrectionNamesWhatItCorrects: refuses a correction naming a value already corrected', () => {
      given(indicator, [...withValues, correction])
        .when(cmd({ type: 'CorrectActual', correctsEventId: 'event-2', value: 40, reason: 'r' }))
        .thenRefuses('CorrectionNamesWhatItCorrects', 'correctsEventId');
    });

    it('refuses a correction without a reason, or whose value does not match the measure', () => {
      given(indicator, withValues).when(cmd({ type: 'CorrectActual', correctsEventId: 'event-2', value: 41 })).thenRefuses('ValueMustBeValid', 'reason');
      given(indicator, withValues)
        .when(cmd({ type: 'CorrectActual', correctsEventId: 'event-2', value: 41.5, reason: 'r' }))
        .thenRefuses('IndicatorValueMatchesItsMeasure', 'value');
      given(indicator, withValues).when(cmd({ type: 'CorrectActual', correctsEventId: 12, value: 41, reason: 'r' })).thenRefuses('ValueMustBeValid', 'correctsEventId');
    });

    it('PartyActsOnlyForItself: another party cannot correct the owner’s values', () => {
      given(indicator, withValues).when(cmd({ type: 'CorrectActual', actor: etat, correctsEventId: 'event-2', value: 41, reason: 'r' })).thenRefuses('PartyActsOnlyForItself');
    });
  });

  it('refuses an unknown command, naming the type', () => {
    given(indicator, [defined]).when(cmd({ type: 'DeleteIndicator' })).thenRefuses('ValueMustBeValid', 'type');
  });

  it('turns any malformed body into a DomainRuleError, never another error (commands will come from HTTP)', () => {
    assertJunkGivesDomainErrors(indicator, TEMPLATES, (fields) => cmd({ ...fields, actor: admin, at }));
  });
});
