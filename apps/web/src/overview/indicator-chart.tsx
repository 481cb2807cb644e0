import { formatDate, formatNumber, useMessages } from '../shell/i18n';
import { type Bar, BarChart } from '../ui/bar-chart';
import { overviewMessages } from './overview-messages';
import { type IndicatorPeriod, type OverviewIndicator, periodToShow, shareOfTarget } from './overview-model';

function withUnit(value: number, unit: string | null): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** Indicators as bars: the actual against the target of the period each is judged on, on `today`. */
export function IndicatorChart({ id, title, indicators, today }: { id: string; title: string; indicators: OverviewIndicator[]; today: string }) {
  const m = useMessages(overviewMessages);
  const periodText = (p: IndicatorPeriod | undefined) => (p ? m.period(formatDate(p.period.start), formatDate(p.period.end)) : m.noPeriod);
  const bars: Bar[] = indicators.map((indicator) => {
    const p = periodToShow(indicator.periods, today);
    const share = shareOfTarget(p);
    const target = p?.target;
    return {
      label: `${indicator.title} — ${periodText(p)}`,
      value: share ?? 0,
      reference: target ? 100 : undefined,
      text: p?.actual === null || p?.actual === undefined ? m.notMeasured : m.actualText(withUnit(p.actual, indicator.unit), share),
      referenceText: target
        ? target.upperValue !== null && target.upperValue !== target.value
          ? m.range(formatNumber(target.value), withUnit(target.upperValue, indicator.unit))
          : withUnit(target.value, indicator.unit)
        : m.noTarget,
    };
  });
  return <BarChart id={id} title={title} bars={bars} valueLabel={m.actual} referenceLabel={m.target} />;
}
