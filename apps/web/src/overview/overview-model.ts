/** The answers the overview reads (GET /overview, GET /contract, GET /indicators), as the API gives them. */

export interface Period {
  start: string;
  end: string;
}

export interface IndicatorPeriod {
  period: Period;
  target: { value: number; upperValue: number | null } | null;
  actual: number | null;
}

export interface OverviewIndicator {
  indicatorId: string;
  title: string;
  priority: number | null;
  commitmentId: string | null;
  unit: string | null;
  periods: IndicatorPeriod[];
}

export interface OverviewEnjeu {
  priority: number;
  title: string | null;
  commitments: { total: number; byStatus: Record<string, number> };
  /** Counted here; listed by GET /indicators?priority= (measured: with an actual recorded). */
  indicators: { total: number; measured: number };
}

/** A page of GET /indicators. */
export interface IndicatorsPage {
  items: OverviewIndicator[];
  nextCursor: string | null;
}

export interface Money {
  committedCents: number;
  disbursedCents: number;
  spentCents: number;
}

export interface OverviewAnswer {
  enjeux: OverviewEnjeu[];
  money: {
    components: (Money & { component: string; indicativeAnnualBudgetCents: number; start: string; end: string })[];
    byYear: (Money & { year: number; component: string; indicativeAnnualBudgetCents: number | null })[];
  };
}

export interface Ambition {
  ambitionId: string;
  text: string;
  scale: 'metropolis' | 'qpv';
  horizon: number;
}

export interface ContractAnswer {
  contractId: string | null;
  title?: string | null;
  status?: string | null;
  adoptedAt?: string | null;
  signedAt?: string | null;
  inForceSince?: string | null;
  priorities: { number: number; title: string; ambitions: Ambition[]; partnerPartyIds: string[] }[];
}

/** Commitment statuses in the order of their life (the API's filter values). */
export const STATUS_ORDER = ['draft', 'proposed', 'adopted', 'in_progress', 'suspended', 'completed', 'withdrawn', 'superseded'] as const;

/** The statuses that have commitments, in life order, then any the front does not know yet. */
export function statusesOf(counts: Record<string, number>): string[] {
  const known = STATUS_ORDER.filter((s) => (counts[s] ?? 0) > 0) as string[];
  return [...known, ...Object.keys(counts).filter((s) => !known.includes(s) && counts[s] > 0).sort()];
}

/**
 * The period an indicator is judged on, on `today` (YYYY-MM-DD): the latest one with an actual value;
 * else the one running on that day; else the next one to come; else the last one.
 */
export function periodToShow(periods: readonly IndicatorPeriod[], today: string): IndicatorPeriod | undefined {
  const measured = periods.filter((p) => p.actual !== null && p.period.start <= today);
  if (measured.length > 0) return measured.reduce((a, b) => (b.period.end >= a.period.end ? b : a));
  const running = periods.find((p) => p.period.start <= today && today <= p.period.end);
  if (running) return running;
  const next = periods.filter((p) => p.period.start > today).sort((a, b) => a.period.start.localeCompare(b.period.start))[0];
  return next ?? periods[periods.length - 1];
}

/** The actual as a share of the target (its lower bound), in percent; undefined when either is missing. */
export function shareOfTarget(p: IndicatorPeriod | undefined): number | undefined {
  if (!p || p.actual === null || !p.target || p.target.value === 0) return undefined;
  return Math.round((p.actual / p.target.value) * 100);
}

/** Each year a component runs, with what was recorded for it (zero when nothing was). */
export function yearsOf(component: OverviewAnswer['money']['components'][number], byYear: OverviewAnswer['money']['byYear']): (Money & { year: number })[] {
  const first = Number(component.start.slice(0, 4));
  const last = Number(component.end.slice(0, 4));
  const recorded = new Map(byYear.filter((c) => c.component === component.component).map((c) => [c.year, c]));
  const years: (Money & { year: number })[] = [];
  for (let year = first; year <= last; year++) {
    const cell = recorded.get(year);
    years.push({ year, committedCents: cell?.committedCents ?? 0, disbursedCents: cell?.disbursedCents ?? 0, spentCents: cell?.spentCents ?? 0 });
  }
  // Years recorded outside the component's dates are still shown.
  for (const [year, cell] of recorded) if (year < first || year > last) years.push({ year, committedCents: cell.committedCents, disbursedCents: cell.disbursedCents, spentCents: cell.spentCents });
  return years.sort((a, b) => a.year - b.year);
}

/** The calendar day a query reads (its asOf's date, else today), YYYY-MM-DD. */
export function dayOf(asOf: string | undefined): string {
  const date = asOf ? new Date(asOf) : new Date();
  return Number.isNaN(date.getTime()) ? new Date().toISOString().slice(0, 10) : date.toISOString().slice(0, 10);
}
