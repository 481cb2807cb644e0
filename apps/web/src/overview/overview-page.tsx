import { useApi } from '../shell/api';
import { formatDate, formatNumber, useMessages } from '../shell/i18n';
import { BarChart } from '../ui/bar-chart';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { AsOfControl, asOfQuery } from './as-of-control';
import { EnjeuSection } from './enjeu-section';
import { MoneySection } from './money-section';
import { overviewMessages } from './overview-messages';
import { type ContractAnswer, dayOf, type OverviewAnswer, statusesOf } from './overview-model';

/**
 * The contract at a glance (issue 9): the six enjeux with their ambitions, commitments by status,
 * indicators against their targets and money against the envelopes — now, or as of a date on either
 * clock (GET /overview and GET /contract with asOf and clock; an enjeu's indicators from GET /indicators
 * when opened).
 */
export function OverviewPage({ query }: { query: URLSearchParams }) {
  const m = useMessages(overviewMessages);
  const asOf = asOfQuery(query);
  const overview = useApi<OverviewAnswer>('/overview', asOf);
  const contract = useApi<ContractAnswer>('/contract', asOf);
  const today = dayOf(asOf.asOf);
  const data = overview.data;
  const priorities = new Map((contract.data?.priorities ?? []).map((p) => [p.number, p]));

  const byStatus: Record<string, number> = {};
  for (const enjeu of data?.enjeux ?? []) for (const [status, n] of Object.entries(enjeu.commitments.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + n;
  const total = (data?.enjeux ?? []).reduce((sum, e) => sum + e.commitments.total, 0);
  const titleOf = (n: number, fallback: string | null) => fallback ?? priorities.get(n)?.title ?? m.enjeu(n);

  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      <AsOfControl segments={[]} query={query} />
      {overview.error && <ProblemMessage problem={overview.error} onRetry={overview.reload} />}
      {overview.loading && <Loading />}
      {data && !overview.loading && (
        <>
          <section aria-labelledby="key-figures">
            <h2 id="key-figures">{m.keyFigures}</h2>
            <ul className="cards key-figures">
              <li className="card">
                <span className="figure-label">{m.contractStatus}</span>
                <span className="figure" data-testid="contract-status">
                  {contract.data?.contractId ? (
                    <>
                      {m.contractStatuses[contract.data.status ?? ''] ?? contract.data.status}
                      {contract.data.signedAt && <span className="figure-note"> — {m.signedOn(formatDate(contract.data.signedAt))}</span>}
                    </>
                  ) : contract.data ? (
                    m.noContract
                  ) : (
                    '—'
                  )}
                </span>
              </li>
              <li className="card">
                <span className="figure-label">{m.commitmentsTotal}</span>
                <span className="figure" data-testid="commitments-total">
                  {formatNumber(total)}
                </span>
              </li>
            </ul>
          </section>

          <section aria-labelledby="by-status">
            <h2 id="by-status">{m.byStatusTitle}</h2>
            {total === 0 ? (
              <p className="notice" data-testid="no-commitment">
                {m.noCommitment}
              </p>
            ) : (
              <div className="chart-pair">
                <BarChart
                  id="chart-by-status"
                  title={m.byStatusCaption}
                  valueLabel={m.count}
                  bars={statusesOf(byStatus).map((s) => ({ label: m.statuses[s] ?? s, value: byStatus[s], text: formatNumber(byStatus[s]) }))}
                />
                <BarChart
                  id="chart-by-enjeu"
                  title={m.byEnjeuCaption}
                  valueLabel={m.count}
                  bars={data.enjeux.map((e) => ({ label: `${m.enjeu(e.priority)} — ${titleOf(e.priority, e.title)}`, value: e.commitments.total, text: formatNumber(e.commitments.total) }))}
                />
              </div>
            )}
          </section>

          <section aria-labelledby="enjeux">
            <h2 id="enjeux">{m.enjeuxTitle}</h2>
            {data.enjeux.map((enjeu) => (
              <EnjeuSection
                key={enjeu.priority}
                enjeu={enjeu}
                title={titleOf(enjeu.priority, enjeu.title)}
                ambitions={contract.data ? (priorities.get(enjeu.priority)?.ambitions ?? []) : undefined}
                today={today}
                asOf={asOf}
              />
            ))}
          </section>

          <MoneySection money={data.money} />
        </>
      )}
    </Page>
  );
}
