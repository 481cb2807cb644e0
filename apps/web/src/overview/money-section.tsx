import { formatCents, formatDate, useMessages } from '../shell/i18n';
import { BarChart } from '../ui/bar-chart';
import { ScrollBox } from './scroll-box';
import { overviewMessages } from './overview-messages';
import { type OverviewAnswer, yearsOf } from './overview-model';

/** Per component: a chart of each year's committed money against the annual envelope, and the totals. */
export function MoneySection({ money }: { money: OverviewAnswer['money'] }) {
  const m = useMessages(overviewMessages);
  const name = (component: string) => m.components[component] ?? component;
  return (
    <section aria-labelledby="money-title">
      <h2 id="money-title">{m.moneyTitle}</h2>
      <p>{m.moneyIntro}</p>
      <ScrollBox label={m.totalsCaption}>
        <table>
          <caption>{m.totalsCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{m.component}</th>
              <th scope="col">{m.runs}</th>
              <th scope="col" className="num">{m.envelope}</th>
              <th scope="col" className="num">{m.committed}</th>
              <th scope="col" className="num">{m.disbursed}</th>
              <th scope="col" className="num">{m.spent}</th>
            </tr>
          </thead>
          <tbody>
            {money.components.map((c) => (
              <tr key={c.component}>
                <th scope="row">{name(c.component)}</th>
                <td>{m.period(formatDate(c.start), formatDate(c.end))}</td>
                <td className="num">{formatCents(c.indicativeAnnualBudgetCents)}</td>
                <td className="num">{formatCents(c.committedCents)}</td>
                <td className="num">{formatCents(c.disbursedCents)}</td>
                <td className="num">{formatCents(c.spentCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {money.components.map((c) => (
        <section key={c.component} aria-labelledby={`money-${c.component}`}>
          <h3 id={`money-${c.component}`}>{name(c.component)}</h3>
          <ScrollBox label={m.componentChart(name(c.component))}>
            <BarChart
              id={`money-chart-${c.component}`}
              title={m.componentChart(name(c.component))}
              valueLabel={m.committed}
              referenceLabel={m.envelope}
              bars={yearsOf(c, money.byYear).map((y) => ({
                label: String(y.year),
                value: y.committedCents,
                reference: c.indicativeAnnualBudgetCents,
                text: m.committedText(formatCents(y.committedCents), formatCents(y.spentCents)),
                referenceText: formatCents(c.indicativeAnnualBudgetCents),
              }))}
            />
          </ScrollBox>
        </section>
      ))}
    </section>
  );
}
