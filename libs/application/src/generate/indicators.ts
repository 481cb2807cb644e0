import { type IndicatorCommand, indicatorDecider, type IndicatorState, type IndicatorValue, type Measure, periodKey, yearPeriod } from '@mel/domain';
import type { AnyDecider } from '../command-executor';
import { dateOf, dayFromParts, HISTORY_END, workday, yearOf } from './calendar';
import { ADMINISTRATOR, type BuildContext, type Command, representative, type StreamPlan, Timeline } from './plan';
import { hash32, Random } from './random';
import { INDICATORS, QUALITATIVE } from './texts';
import type { World } from './world';

/** An indicator: defined with a baseline, a target per year, an actual per year once the year is over. */
export interface IndicatorSpec {
  indicatorId: string;
  ownerPartyId: string;
  commitmentId: string | null;
  priority: number | null;
  title: string;
  measure: Measure;
  unit: string | null;
  ascending: boolean;
  level: 'national' | 'local';
  defineDay: number;
  years: number[];
  /** For an indicator of the seed: its state (it exists, with its baseline and targets). */
  existing?: IndicatorState;
}

export function planIndicator(world: World, index: number, owner: { partyId: string; commitmentId: string | null; priority: number; from: number; to: number }): IndicatorSpec {
  const random = world.random;
  const template = random.pick(INDICATORS);
  const defineDay = workday(owner.from + random.int(5, 40));
  const first = yearOf(defineDay);
  const last = Math.min(2030, yearOf(owner.to));
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  return {
    indicatorId: `ind-${index.toString(36)}-${template.title.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/-$/, '')}`,
    ownerPartyId: owner.partyId,
    commitmentId: owner.commitmentId,
    priority: owner.priority,
    title: owner.commitmentId ? template.title : `${template.title} (enjeu ${owner.priority})`,
    measure: template.measure,
    unit: template.unit,
    ascending: template.ascending,
    level: random.chance(0.2) ? 'national' : 'local',
    defineDay,
    years: years.length ? years : [first],
  };
}

/** An indicator of the seed, continued: targets where it has none, an actual every year. */
export function seedIndicatorSpec(state: IndicatorState): IndicatorSpec {
  const d = state.definition!;
  return {
    indicatorId: state.indicatorId!,
    ownerPartyId: d.ownerPartyId,
    commitmentId: d.commitmentId,
    priority: d.priority,
    title: d.title,
    measure: d.measure,
    unit: d.unit,
    ascending: d.ascending,
    level: d.level,
    defineDay: dayFromParts(2024, 5, 7),
    years: [2024, 2025, 2026, 2027, 2028, 2029, 2030],
    existing: state,
  };
}

type Ctx = BuildContext<IndicatorState>;

export function indicatorPlan(world: World, spec: IndicatorSpec): StreamPlan {
  return {
    streamId: `indicator-${spec.indicatorId}`,
    aggregateId: spec.indicatorId,
    decider: indicatorDecider as unknown as AnyDecider,
    steps: () => indicatorSteps(world, spec),
  };
}

function indicatorSteps(world: World, spec: IndicatorSpec) {
  const r = new Random(hash32(`${world.seed}:plan:indicator-${spec.indicatorId}`));
  const { indicatorId } = spec;
  const actor = representative(spec.ownerPartyId);
  const who = () => (r.chance(0.05) ? ADMINISTRATOR : actor);
  const t = new Timeline<IndicatorState>();
  const cmd = (fields: Record<string, unknown> & { type: IndicatorCommand['type'] }, by = who()) => ({ at }: Ctx): Command =>
    ({ indicatorId, ...fields, actor: by, at }) as Command;
  const minute = () => r.int(8 * 60, 18 * 60);

  // Values: a baseline, targets moving from it in the right direction, actuals around the targets.
  const scale = spec.measure === 'ordinal' ? { min: 1, max: 5 } : null;
  const base = spec.measure === 'percentage' ? r.int(15, 70) : spec.measure === 'ordinal' ? 3 : spec.measure === 'nominal' ? r.int(200, 3000) : r.int(10, 800);
  const direction = spec.ascending ? 1 : -1;
  const clamp = (v: number): IndicatorValue => {
    switch (spec.measure) {
      case 'percentage':
        return Math.min(100, Math.max(0, Math.round(v * 10) / 10));
      case 'ordinal':
        return Math.min(5, Math.max(1, Math.round(v)));
      case 'unit':
        return Math.max(0, Math.round(v));
      case 'nominal':
        return Math.round(v * 100) / 100;
      default:
        return r.pick(QUALITATIVE);
    }
  };
  const targetOf = (i: number) => clamp(base * (1 + (direction * 0.06 * (i + 1)) * (spec.measure === 'ordinal' ? 0.5 : 1)) + (spec.measure === 'ordinal' ? direction * 0.3 * (i + 1) : 0));

  const day = spec.defineDay;
  if (!spec.existing) {
    t.add(day, minute(), cmd({
      type: 'DefineIndicator',
      title: spec.title,
      level: spec.level,
      measure: spec.measure,
      unit: spec.unit,
      ascending: spec.ascending,
      ownerPartyId: spec.ownerPartyId,
      scale,
      commitmentId: spec.commitmentId,
      priority: spec.priority,
    }, actor));
    t.add(day + 1, minute(), cmd({ type: 'SetBaseline', value: clamp(base), date: dateOf(day - r.int(30, 400)), comment: 'Donnée de référence du diagnostic' }));
  }
  const targeted = new Set(Object.values(spec.existing?.periods ?? {}).filter((p) => p.target).map((p) => periodKey(p.period)));
  spec.years.forEach((year, i) => {
    const period = yearPeriod(year);
    if (targeted.has(periodKey(period))) return;
    const value = targetOf(i);
    const range = spec.measure === 'unit' && r.chance(0.15);
    t.add(day + 2, 8 * 60 + i, cmd({ type: 'SetTarget', period, value, ...(range && { upperValue: Math.round((value as number) * 1.3) + 1 }) }));
  });

  // Actuals: the year's figure in the first quarter of the next; 2030's at the end of 2030.
  spec.years.forEach((year, i) => {
    const recorded = year < 2030 ? workday(dayFromParts(year + 1, 1, 10) + r.int(0, 80)) : workday(dayFromParts(2030, 12, 8) + r.int(0, 12));
    if (recorded > HISTORY_END || recorded <= day + 2) return;
    const target = spec.existing ? base : targetOf(i);
    const actual = typeof target === 'number' ? clamp(target * (0.8 + r.next() * 0.35)) : clamp(0);
    const recMinute = minute();
    t.add(recorded, recMinute, cmd({ type: 'RecordActual', period: yearPeriod(year), value: actual, ...(r.chance(0.5) && { evidenceSha256: r.hex(64) }) }));
    // Now and then consolidated figures come months later: the correction is in force from the first record.
    if (r.chance(0.1)) {
      const late = workday(recorded + r.int(60, 200));
      if (late <= HISTORY_END) {
        const corrected = typeof actual === 'number' ? clamp(actual * (0.9 + r.next() * 0.2)) : clamp(0);
        const key = periodKey(yearPeriod(year));
        t.addLate(late, minute(), recorded, recMinute + 1, ({ state, at }: Ctx): IndicatorCommand => ({
          type: 'CorrectActual',
          indicatorId,
          correctsEventId: state.periods[key].actual!.current.eventId,
          value: corrected,
          reason: 'Chiffres consolidés par l’observatoire',
          actor,
          at,
        }));
      }
    }
  });

  // At mid-term (late 2027) a quarter of the indicators have their later targets revised.
  if (!spec.existing && spec.years.some((y) => y >= 2028) && r.chance(0.25)) {
    const revised = workday(dayFromParts(2027, 10, 1) + r.int(0, 60));
    spec.years.forEach((year, i) => {
      if (year < 2028 || revised <= day + 2) return;
      const key = periodKey(yearPeriod(year));
      const value = targetOf(i + 1);
      t.add(revised, 9 * 60 + i, ({ state, at }: Ctx): IndicatorCommand => ({
        type: 'CorrectTarget',
        indicatorId,
        correctsEventId: state.periods[key].target!.current.eventId,
        value,
        reason: 'Révision des cibles à mi-parcours',
        actor,
        at,
      }));
    });
  }
  // A few baselines are revised after new census figures.
  if (r.chance(0.08) && !spec.existing) {
    const rebased = workday(dayFromParts(2026, 9, 1) + r.int(0, 120));
    if (rebased > day + 2) t.add(rebased, minute(), cmd({ type: 'SetBaseline', value: clamp(base * 1.05), date: dateOf(rebased - 30), reason: 'Actualisation des données INSEE', comment: null }));
  }
  return t.steps();
}
