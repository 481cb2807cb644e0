import { assertActsFor } from '../shared/acting';
import type { CommandContext, Decider, DomainEvent, RecordedEvent } from '../shared/decider';
import { dateOf, isRecord, optionalSha256, optionalText, own, shown } from '../shared/inputs';
import { DomainRuleError, ensure } from '../shared/rules';
import { assertDate, assertOneOf, assertText, COMPONENTS, notFound, PRIORITY_NUMBERS } from '../shared/values';

/**
 * Indicator (indicateur), IATI-style: a definition (what is measured, in which unit, whether more is
 * better), a baseline, a target and an actual per period. The law (loi 2014-173, art. 6) asks for
 * national and local indicators; the evaluation (mid-term 2027, final 2030) reads them.
 *
 * Choices:
 * - A period is always a range of dates `{ start, end }`, both inclusive, YYYY-MM-DD, as IATI's
 *   `period-start` / `period-end`. A year is `{ start: '2025-01-01', end: '2025-12-31' }` (see
 *   `yearPeriod`). Every period lies within the contract, 2024-01-01..2030-12-31. Periods are keyed by
 *   their ISO 8601 interval `start/end` (see `periodKey`); overlapping periods (a year and 2024–2027)
 *   are distinct periods, each with its own target and actual.
 * - One target and one actual per period. A second `SetTarget` / `RecordActual` for the same period is
 *   refused: a change goes through `CorrectTarget` / `CorrectActual`, which name the event they correct
 *   and give a reason; the original stays in the history and in the state (`original` and `current`).
 *   A correction names the event holding the period's *current* value (the record, or the latest
 *   correction), so corrections form one chain and a stale correction is refused.
 * - A target may be a range (`value` … `upperValue`), as "30 to 50 young people a year".
 * - The baseline may be set again (re-basing, e.g. revised INSEE figures): a reason is then required,
 *   and the earlier baselines stay in the state (`previousBaselines`). Its date is an observation date:
 *   it may precede the contract (a 2020 census figure) but not the command.
 * - An actual is recorded only once its period has begun (period start ≤ the command's date).
 * - Value commands may repeat the indicator's unit; when they do, it must be the indicator's unit.
 * - `ascending` is required for every measure (IATI's attribute; for a qualitative indicator it only
 *   says in which direction the narrative is read). `unit` is required for every measure but
 *   `qualitative`; an ordinal indicator declares its `scale`, no other does.
 */

export const MEASURES = ['unit', 'percentage', 'nominal', 'ordinal', 'qualitative'] as const;
export type Measure = (typeof MEASURES)[number];
export const INDICATOR_LEVELS = ['national', 'local'] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

/** A number for every measure but `qualitative`, whose values are texts. */
export type IndicatorValue = number | string;

/** The declared scale of an ordinal indicator: integers from `min` to `max`, both included. */
export interface OrdinalScale {
  min: number;
  max: number;
}

/** A period of the contract: dates YYYY-MM-DD, both inclusive, within 2024-01-01..2030-12-31. */
export interface Period {
  start: string;
  end: string;
}

export interface IndicatorDefinition {
  title: string;
  description: string | null;
  level: IndicatorLevel;
  measure: Measure;
  /** What one counts, e.g. 'jeunes accompagnés', '%'; null only for a qualitative indicator. */
  unit: string | null;
  /** Only for an ordinal indicator. */
  scale: OrdinalScale | null;
  /** True when more is better. */
  ascending: boolean;
  ownerPartyId: string;
  /** The commitment the indicator tracks, if any. */
  commitmentId: string | null;
  /** The enjeu 1–6, if any. */
  priority: number | null;
}

export const CONTRACT_START = COMPONENTS['contrat-de-ville'].start;
export const CONTRACT_END = COMPONENTS['contrat-de-ville'].end;

/** The calendar year `year` as a period. */
export function yearPeriod(year: number): Period {
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}

/** The key of a period in the state: its ISO 8601 interval, `2025-01-01/2025-12-31`. */
export function periodKey(period: Period): string {
  return `${period.start}/${period.end}`;
}

// ---- commands ---------------------------------------------------------------------------------

interface OptionalDefinitionFields {
  description?: string | null;
  unit?: string | null;
  scale?: OrdinalScale | null;
  commitmentId?: string | null;
  priority?: number | null;
}

export type DefineIndicator = {
  type: 'DefineIndicator';
  indicatorId: string;
  title: string;
  level: IndicatorLevel;
  measure: Measure;
  ascending: boolean;
  ownerPartyId: string;
} & OptionalDefinitionFields;

export type IndicatorCommand = CommandContext &
  (
    | DefineIndicator
    | { type: 'SetBaseline'; indicatorId: string; value: IndicatorValue; date: string; unit?: string; comment?: string | null; reason?: string | null }
    | {
        type: 'SetTarget';
        indicatorId: string;
        period: Period;
        value: IndicatorValue;
        /** The upper bound when the target is a range (`value` is then its lower bound). */
        upperValue?: number | null;
        unit?: string;
        comment?: string | null;
      }
    | {
        type: 'RecordActual';
        indicatorId: string;
        period: Period;
        value: IndicatorValue;
        unit?: string;
        /** SHA-256 of the evidence document (see the document aggregate). */
        evidenceSha256?: string | null;
        comment?: string | null;
      }
    | {
        type: 'CorrectTarget';
        indicatorId: string;
        /** The TargetSet or TargetCorrected event that holds the period's current target. */
        correctsEventId: string;
        value: IndicatorValue;
        upperValue?: number | null;
        unit?: string;
        reason: string;
      }
    | {
        type: 'CorrectActual';
        indicatorId: string;
        /** The ActualRecorded or ActualCorrected event that holds the period's current actual. */
        correctsEventId: string;
        value: IndicatorValue;
        unit?: string;
        /** When omitted, the corrected actual keeps the evidence of the one it corrects. */
        evidenceSha256?: string | null;
        reason: string;
      }
  );

// ---- events -----------------------------------------------------------------------------------

export type IndicatorEvent =
  | DomainEvent<'IndicatorDefined', { indicatorId: string } & IndicatorDefinition>
  | DomainEvent<'BaselineSet', { indicatorId: string; value: IndicatorValue; date: string; comment: string | null; reason: string | null }>
  | DomainEvent<'TargetSet', { indicatorId: string; period: Period; value: IndicatorValue; upperValue: number | null; comment: string | null }>
  | DomainEvent<
      'ActualRecorded',
      { indicatorId: string; period: Period; value: IndicatorValue; evidenceSha256: string | null; comment: string | null }
    >
  | DomainEvent<
      'TargetCorrected',
      { indicatorId: string; correctsEventId: string; period: Period; value: IndicatorValue; upperValue: number | null; reason: string }
    >
  | DomainEvent<
      'ActualCorrected',
      { indicatorId: string; correctsEventId: string; period: Period; value: IndicatorValue; evidenceSha256: string | null; reason: string }
    >;

// ---- state ------------------------------------------------------------------------------------

interface Provenance {
  /** The event that set this value. */
  eventId: string;
  occurredAt: string;
}

export interface BaselineRecord extends Provenance {
  value: IndicatorValue;
  date: string;
  comment: string | null;
  reason: string | null;
}

export interface TargetRecord extends Provenance {
  value: IndicatorValue;
  upperValue: number | null;
  comment: string | null;
}

export interface ActualRecord extends Provenance {
  value: IndicatorValue;
  evidenceSha256: string | null;
  comment: string | null;
}

/** The value first recorded and the value in force after corrections (the same until corrected). */
export interface Tracked<R> {
  original: R;
  current: R;
}

export type CorrectionRecord =
  | { of: 'target'; eventId: string; occurredAt: string; correctsEventId: string; reason: string; before: TargetRecord; after: TargetRecord }
  | { of: 'actual'; eventId: string; occurredAt: string; correctsEventId: string; reason: string; before: ActualRecord; after: ActualRecord };

export interface PeriodRecord {
  period: Period;
  target: Tracked<TargetRecord> | null;
  actual: Tracked<ActualRecord> | null;
  /** Every correction of this period's target or actual, in order. */
  corrections: CorrectionRecord[];
}

export interface IndicatorState {
  exists: boolean;
  indicatorId?: string;
  definition?: IndicatorDefinition;
  baseline: BaselineRecord | null;
  /** Baselines replaced by a later SetBaseline, oldest first. */
  previousBaselines: BaselineRecord[];
  /** Per period, keyed by `periodKey`. */
  periods: Record<string, PeriodRecord>;
  /** Every target or actual event of this indicator (records and corrections), by event id. */
  valueEvents: Record<string, { of: 'target' | 'actual'; periodKey: string }>;
}

const initialState: IndicatorState = { exists: false, baseline: null, previousBaselines: [], periods: {}, valueEvents: {} };

// ---- decide -----------------------------------------------------------------------------------

function decide(command: IndicatorCommand, state: IndicatorState): IndicatorEvent[] {
  if (command.type === 'DefineIndicator') {
    ensure(!state.exists, 'AggregateMustNotExistYet', `indicator ${shown(command.indicatorId)} already exists`, 'indicatorId');
    assertText(command.indicatorId, 'indicatorId', 100);
    const definition = validateDefinition(command);
    assertActsFor(command.actor, definition.ownerPartyId, 'an indicator');
    return [{ type: 'IndicatorDefined', data: { indicatorId: command.indicatorId, ...definition } }];
  }
  if (!state.exists || !state.definition || !state.indicatorId) throw notFound(`indicator ${shown(command.indicatorId)}`);
  const definition = state.definition;
  const indicatorId = state.indicatorId;
  assertActsFor(command.actor, definition.ownerPartyId, `indicator ${indicatorId}`);

  switch (command.type) {
    case 'SetBaseline': {
      assertUnit(command.unit, definition);
      assertValue(command.value, definition, 'value');
      assertDate(command.date, 'date');
      ensure(command.date <= dateOf(command.at), 'ValueMustBeValid', `a baseline is observed: its date ${command.date} cannot be after the command's date`, 'date');
      const comment = optionalText(command.comment, 'comment', 2000);
      const reason = optionalText(command.reason, 'reason', 2000);
      ensure(
        state.baseline === null || reason !== null,
        'ValueMustBeValid',
        'the indicator has a baseline already: replacing it needs a reason',
        'reason',
      );
      return [{ type: 'BaselineSet', data: { indicatorId, value: command.value, date: command.date, comment, reason } }];
    }
    case 'SetTarget': {
      const period = validatePeriod(command.period, 'period');
      ensure(
        !state.periods[periodKey(period)]?.target,
        'AggregateMustNotExistYet',
        `period ${periodKey(period)} has a target already: correct it with CorrectTarget`,
        'period',
      );
      assertUnit(command.unit, definition);
      const { value, upperValue } = validateTarget(command.value, command.upperValue, definition);
      const comment = optionalText(command.comment, 'comment', 2000);
      return [{ type: 'TargetSet', data: { indicatorId, period, value, upperValue, comment } }];
    }
    case 'RecordActual': {
      const period = validatePeriod(command.period, 'period');
      ensure(
        period.start <= dateOf(command.at),
        'ValueMustBeValid',
        `period ${periodKey(period)} has not begun: an actual is recorded once its period has begun`,
        'period',
      );
      ensure(
        !state.periods[periodKey(period)]?.actual,
        'AggregateMustNotExistYet',
        `period ${periodKey(period)} has an actual already: correct it with CorrectActual`,
        'period',
      );
      assertUnit(command.unit, definition);
      assertValue(command.value, definition, 'value');
      const evidenceSha256 = optionalSha256(command.evidenceSha256, 'evidenceSha256');
      const comment = optionalText(command.comment, 'comment', 2000);
      return [{ type: 'ActualRecorded', data: { indicatorId, period, value: command.value, evidenceSha256, comment } }];
    }
    case 'CorrectTarget': {
      const record = correctedRecord(state, command.correctsEventId, 'target');
      assertUnit(command.unit, definition);
      const { value, upperValue } = validateTarget(command.value, command.upperValue, definition);
      assertText(command.reason, 'reason', 2000);
      const { period } = state.periods[record.periodKey];
      return [
        { type: 'TargetCorrected', data: { indicatorId, correctsEventId: command.correctsEventId, period, value, upperValue, reason: command.reason } },
      ];
    }
    case 'CorrectActual': {
      const record = correctedRecord(state, command.correctsEventId, 'actual');
      assertUnit(command.unit, definition);
      assertValue(command.value, definition, 'value');
      const { period, actual } = state.periods[record.periodKey];
      const evidenceSha256 =
        command.evidenceSha256 === undefined ? actual!.current.evidenceSha256 : optionalSha256(command.evidenceSha256, 'evidenceSha256');
      assertText(command.reason, 'reason', 2000);
      return [
        {
          type: 'ActualCorrected',
          data: { indicatorId, correctsEventId: command.correctsEventId, period, value: command.value, evidenceSha256, reason: command.reason },
        },
      ];
    }
    default:
      throw new DomainRuleError('ValueMustBeValid', `unknown command ${shown((command as { type: unknown }).type)}`, 'type');
  }
}

/** The period of the target or actual that a correction names: it must hold that period's current value. */
function correctedRecord(state: IndicatorState, correctsEventId: unknown, of: 'target' | 'actual'): { periodKey: string } {
  assertText(correctsEventId, 'correctsEventId', 100);
  const named = own(state.valueEvents, correctsEventId);
  ensure(
    named?.of === of,
    'CorrectionNamesWhatItCorrects',
    `a ${of} correction names a ${of} event of indicator ${state.indicatorId}; ${correctsEventId} is not one`,
    'correctsEventId',
  );
  const current = state.periods[named.periodKey][of]!.current.eventId;
  ensure(
    current === correctsEventId,
    'CorrectionNamesWhatItCorrects',
    `event ${correctsEventId} has been corrected already by ${current}: a correction names the current ${of}`,
    'correctsEventId',
  );
  return named;
}

function validateDefinition(command: DefineIndicator): IndicatorDefinition {
  assertText(command.title, 'title', 300);
  const description = optionalText(command.description, 'description', 10_000);
  assertOneOf(command.level, INDICATOR_LEVELS, 'level');
  assertOneOf(command.measure, MEASURES, 'measure');
  const measure = command.measure;
  let unit: string | null;
  if (measure === 'qualitative') unit = optionalText(command.unit, 'unit', 100);
  else {
    assertText(command.unit, 'unit', 100);
    unit = command.unit;
  }
  let scale: OrdinalScale | null = null;
  if (measure === 'ordinal') {
    const given = command.scale;
    ensure(isRecord(given), 'ValueMustBeValid', 'an ordinal indicator declares its scale { min, max }', 'scale');
    ensure(Number.isSafeInteger(given.min), 'ValueMustBeValid', 'scale.min must be an integer', 'scale.min');
    ensure(Number.isSafeInteger(given.max) && given.max > given.min, 'ValueMustBeValid', 'scale.max must be an integer above scale.min', 'scale.max');
    scale = { min: given.min, max: given.max };
  } else {
    ensure(command.scale === undefined || command.scale === null, 'ValueMustBeValid', `a ${measure} indicator has no ordinal scale`, 'scale');
  }
  ensure(typeof command.ascending === 'boolean', 'ValueMustBeValid', 'ascending must be true (more is better) or false', 'ascending');
  assertText(command.ownerPartyId, 'ownerPartyId', 100);
  const commitmentId = optionalText(command.commitmentId, 'commitmentId', 100);
  let priority: number | null = null;
  if (command.priority !== undefined && command.priority !== null) {
    assertOneOf(command.priority, PRIORITY_NUMBERS, 'priority');
    priority = command.priority;
  }
  return {
    title: command.title,
    description,
    level: command.level,
    measure,
    unit,
    scale,
    ascending: command.ascending,
    ownerPartyId: command.ownerPartyId,
    commitmentId,
    priority,
  };
}

/** IndicatorValueMatchesItsMeasure: the shape of a value for each measure. */
function assertValue(value: unknown, definition: IndicatorDefinition, field: string): asserts value is IndicatorValue {
  const isNumber = typeof value === 'number' && Number.isFinite(value);
  const n = value as number;
  switch (definition.measure) {
    case 'percentage':
      ensure(isNumber && n >= 0 && n <= 100, 'IndicatorValueMatchesItsMeasure', `${field} of a percentage must be a number from 0 to 100`, field);
      return;
    case 'unit':
      ensure(Number.isSafeInteger(value) && n >= 0, 'IndicatorValueMatchesItsMeasure', `${field} of a count of ${definition.unit} must be a whole number ≥ 0`, field);
      return;
    case 'nominal':
      ensure(isNumber, 'IndicatorValueMatchesItsMeasure', `${field} of a nominal indicator must be a number`, field);
      return;
    case 'ordinal': {
      const { min, max } = definition.scale!;
      ensure(Number.isSafeInteger(value) && n >= min && n <= max, 'IndicatorValueMatchesItsMeasure', `${field} must be an integer on the scale ${min}..${max}`, field);
      return;
    }
    case 'qualitative':
      ensure(
        typeof value === 'string' && value.trim().length > 0 && value.length <= 10_000,
        'IndicatorValueMatchesItsMeasure',
        `${field} of a qualitative indicator must be a non-empty text of at most 10000 characters`,
        field,
      );
      return;
  }
}

function validateTarget(value: unknown, upperValue: unknown, definition: IndicatorDefinition): { value: IndicatorValue; upperValue: number | null } {
  assertValue(value, definition, 'value');
  if (upperValue === undefined || upperValue === null) return { value, upperValue: null };
  ensure(definition.measure !== 'qualitative', 'IndicatorValueMatchesItsMeasure', 'a qualitative target is not a range: it has no upperValue', 'upperValue');
  assertValue(upperValue, definition, 'upperValue');
  ensure((upperValue as number) > (value as number), 'ValueMustBeValid', 'upperValue must be above value, the lower bound of the target range', 'upperValue');
  return { value, upperValue: upperValue as number };
}

function assertUnit(unit: unknown, definition: IndicatorDefinition): void {
  if (unit === undefined) return;
  ensure(
    unit === definition.unit,
    'IndicatorValueMatchesItsMeasure',
    `the indicator is measured in ${definition.unit === null ? 'no unit' : `“${definition.unit}”`}, not “${shown(unit)}”`,
    'unit',
  );
}

/** A period within the contract; refuses anything but `{ start, end }` dates with start ≤ end. */
export function validatePeriod(value: unknown, field: string): Period {
  ensure(isRecord(value), 'ValueMustBeValid', `${field} must be { start, end } with dates YYYY-MM-DD`, field);
  assertDate(value.start, `${field}.start`);
  assertDate(value.end, `${field}.end`);
  ensure(value.start <= value.end, 'ValueMustBeValid', `${field}.end must not precede ${field}.start`, `${field}.end`);
  ensure(
    value.start >= CONTRACT_START && value.end <= CONTRACT_END,
    'PeriodIsWithinTheContract',
    `${field} ${value.start}/${value.end} is not within the contract, ${CONTRACT_START}/${CONTRACT_END}`,
    field,
  );
  return { start: value.start, end: value.end };
}

// ---- evolve -----------------------------------------------------------------------------------

function evolve(state: IndicatorState, event: RecordedEvent<IndicatorEvent>): IndicatorState {
  const provenance = { eventId: event.eventId, occurredAt: event.occurredAt };
  switch (event.type) {
    case 'IndicatorDefined': {
      const { indicatorId, ...definition } = event.data;
      return { ...state, exists: true, indicatorId, definition };
    }
    case 'BaselineSet': {
      const { value, date, comment, reason } = event.data;
      return {
        ...state,
        baseline: { value, date, comment, reason, ...provenance },
        previousBaselines: state.baseline ? [...state.previousBaselines, state.baseline] : state.previousBaselines,
      };
    }
    case 'TargetSet': {
      const { period, value, upperValue, comment } = event.data;
      const record: TargetRecord = { value, upperValue, comment, ...provenance };
      return withPeriod(state, period, event.eventId, 'target', (p) => ({ ...p, target: { original: record, current: record } }));
    }
    case 'ActualRecorded': {
      const { period, value, evidenceSha256, comment } = event.data;
      const record: ActualRecord = { value, evidenceSha256, comment, ...provenance };
      return withPeriod(state, period, event.eventId, 'actual', (p) => ({ ...p, actual: { original: record, current: record } }));
    }
    case 'TargetCorrected': {
      const { period, value, upperValue, correctsEventId, reason } = event.data;
      return withPeriod(state, period, event.eventId, 'target', (p) => {
        const before = p.target!.current;
        const after: TargetRecord = { value, upperValue, comment: before.comment, ...provenance };
        return {
          ...p,
          target: { original: p.target!.original, current: after },
          corrections: [...p.corrections, { of: 'target', ...provenance, correctsEventId, reason, before, after }],
        };
      });
    }
    case 'ActualCorrected': {
      const { period, value, evidenceSha256, correctsEventId, reason } = event.data;
      return withPeriod(state, period, event.eventId, 'actual', (p) => {
        const before = p.actual!.current;
        const after: ActualRecord = { value, evidenceSha256, comment: before.comment, ...provenance };
        return {
          ...p,
          actual: { original: p.actual!.original, current: after },
          corrections: [...p.corrections, { of: 'actual', ...provenance, correctsEventId, reason, before, after }],
        };
      });
    }
    default:
      return state;
  }
}

function withPeriod(
  state: IndicatorState,
  period: Period,
  eventId: string,
  of: 'target' | 'actual',
  change: (record: PeriodRecord) => PeriodRecord,
): IndicatorState {
  const key = periodKey(period);
  const record = state.periods[key] ?? { period, target: null, actual: null, corrections: [] };
  return {
    ...state,
    periods: { ...state.periods, [key]: change(record) },
    valueEvents: { ...state.valueEvents, [eventId]: { of, periodKey: key } },
  };
}

export const indicatorDecider: Decider<IndicatorCommand, IndicatorEvent, IndicatorState> = {
  aggregate: 'indicator',
  initialState,
  decide,
  evolve,
};
