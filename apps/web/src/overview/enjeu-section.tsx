import { useState } from 'react';
import { formatDate, formatNumber, useMessages } from '../shell/i18n';
import { href } from '../shell/router';
import { type Bar, BarChart } from '../ui/bar-chart';
import { overviewMessages } from './overview-messages';
import { type Ambition, type IndicatorPeriod, type OverviewEnjeu, periodToShow, shareOfTarget, statusesOf } from './overview-model';

function withUnit(value: number, unit: string | null): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** One enjeu: its ambitions, its commitments by status (a link to them), its indicators on demand. */
export function EnjeuSection({ enjeu, title, ambitions, today }: { enjeu: OverviewEnjeu; title: string; ambitions: Ambition[] | undefined; today: string }) {
  const m = useMessages(overviewMessages);
  const n = enjeu.priority;
  const headingId = `enjeu-${n}`;
  const statuses = statusesOf(enjeu.commitments.byStatus);
  return (
    <section className="enjeu card" aria-labelledby={headingId} data-testid={`enjeu-${n}`}>
      <h3 id={headingId}>
        <span className="enjeu-number">{m.enjeu(n)}</span> — {title}
      </h3>
      {ambitions !== undefined && (
        <>
          <h4>{m.ambitions}</h4>
          {ambitions.length === 0 ? (
            <p>{m.noAmbition}</p>
          ) : (
            <ul className="ambitions">
              {ambitions.map((a) => (
                <li key={a.ambitionId}>
                  {a.text} <span className="ambition-scale">({m.scale(a.scale, a.horizon)})</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <p className="enjeu-commitments">
        <strong>{m.commitmentsOfEnjeu(enjeu.commitments.total)}</strong>
        {statuses.length > 0 && <> : {statuses.map((s) => `${enjeu.commitments.byStatus[s]} ${m.statuses[s] ?? s}`).join(', ')}</>}
        {' · '}
        <a href={href(['commitments'], { priority: n })}>{m.seeCommitments(n)}</a>
      </p>
      {enjeu.indicators.length > 0 ? <Indicators enjeu={enjeu} today={today} /> : <p className="muted">{m.indicators(0)}</p>}
    </section>
  );
}

/**
 * The indicators of an enjeu, folded: their chart is built only once opened, so a contract with many
 * indicators does not draw them all at once.
 */
function Indicators({ enjeu, today }: { enjeu: OverviewEnjeu; today: string }) {
  const m = useMessages(overviewMessages);
  const [open, setOpen] = useState(false);
  return (
    <details className="indicators" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{m.indicatorsSummary(enjeu.indicators.length)}</summary>
      {open && <IndicatorChart enjeu={enjeu} today={today} />}
    </details>
  );
}

function IndicatorChart({ enjeu, today }: { enjeu: OverviewEnjeu; today: string }) {
  const m = useMessages(overviewMessages);
  const periodText = (p: IndicatorPeriod | undefined) => (p ? m.period(formatDate(p.period.start), formatDate(p.period.end)) : m.noPeriod);
  const bars: Bar[] = enjeu.indicators.map((indicator) => {
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
  return <BarChart id={`indicators-${enjeu.priority}`} title={m.indicatorChart(enjeu.priority)} bars={bars} valueLabel={m.actual} referenceLabel={m.target} />;
}
