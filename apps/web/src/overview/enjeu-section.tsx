import { useState } from 'react';
import { useApi } from '../shell/api';
import { useMessages } from '../shell/i18n';
import { href } from '../shell/router';
import { overviewMessages } from './overview-messages';
import { Loading, ProblemMessage } from '../ui/page';
import { IndicatorChart } from './indicator-chart';
import { type Ambition, type IndicatorsPage, type OverviewEnjeu, statusesOf } from './overview-model';

/** Indicators drawn at a time: a contract may have thousands (GET /indicators pages them). */
const INDICATORS_PER_PAGE = 50;

/** One enjeu: its ambitions, its commitments by status (a link to them), its indicators on demand. */
export function EnjeuSection({
  enjeu,
  title,
  ambitions,
  today,
  asOf,
}: {
  enjeu: OverviewEnjeu;
  title: string;
  ambitions: Ambition[] | undefined;
  today: string;
  asOf: { asOf?: string; clock?: string };
}) {
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
      {enjeu.indicators.total > 0 ? <Indicators enjeu={enjeu} today={today} asOf={asOf} /> : <p className="muted">{m.indicators(0)}</p>}
    </section>
  );
}

/**
 * The indicators of an enjeu, folded: read (GET /indicators) and drawn only once opened, a page at a
 * time, so a contract with many indicators does not load or draw them all at once.
 */
function Indicators({ enjeu, today, asOf }: { enjeu: OverviewEnjeu; today: string; asOf: { asOf?: string; clock?: string } }) {
  const m = useMessages(overviewMessages);
  const [open, setOpen] = useState(false);
  return (
    <details className="indicators" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{m.indicatorsSummary(enjeu.indicators.total, enjeu.indicators.measured)}</summary>
      {open && <IndicatorPages enjeu={enjeu} today={today} asOf={asOf} />}
    </details>
  );
}

/** One page of the enjeu's indicators, with the way to the next and back to the first. */
function IndicatorPages({ enjeu, today, asOf }: { enjeu: OverviewEnjeu; today: string; asOf: { asOf?: string; clock?: string } }) {
  const m = useMessages(overviewMessages);
  // The cursors of the pages read so far: the last one is shown.
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const page = useApi<IndicatorsPage>('/indicators', { priority: enjeu.priority, limit: INDICATORS_PER_PAGE, after, ...asOf });
  if (page.error) return <ProblemMessage problem={page.error} onRetry={page.reload} />;
  if (page.loading || !page.data) return <Loading />;
  const first = cursors.length * INDICATORS_PER_PAGE + 1;
  const { items, nextCursor } = page.data;
  return (
    <>
      {(cursors.length > 0 || nextCursor) && (
        <p role="status" className="muted">
          {m.indicatorsShown(first, first + items.length - 1, enjeu.indicators.total)}
        </p>
      )}
      <IndicatorChart id={`indicators-${enjeu.priority}`} title={m.indicatorChart(enjeu.priority)} indicators={items} today={today} />
      {(cursors.length > 0 || nextCursor) && (
        <nav aria-label={m.indicatorPages} className="pager">
          {cursors.length > 0 && (
            <button type="button" onClick={() => setCursors([])}>
              {m.firstIndicators}
            </button>
          )}
          {nextCursor && (
            <button type="button" onClick={() => setCursors([...cursors, nextCursor])}>
              {m.nextIndicators}
            </button>
          )}
        </nav>
      )}
    </>
  );
}
