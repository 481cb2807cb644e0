import { type ReactNode, useEffect, useId, useState } from 'react';
import { useApi } from '../shell/api';
import { defineMessages, formatCents, formatDate, formatDateTime, type Lang, useLang, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { useSession } from '../shell/session';
import type { TrailLine } from '../audit/audit-trail-page';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { IndicatorChart } from '../overview/indicator-chart';
import type { IndicatorsPage } from '../overview/overview-model';
import { type CommitmentAsOf, type CommitmentRow, type CommitmentView, statusMessages, useEnjeuTitles, usePartyNames, viewOf } from './common';

/** The contract's signature (the press kit of 7 May 2024): the first day of the slider. */
export const SIGNATURE_DAY = '2024-05-07';

const EVENT_TYPES = {
  fr: {
    CommitmentDrafted: 'Engagement rédigé',
    CommitmentProposed: 'Engagement proposé',
    CommitmentAdopted: 'Engagement adopté',
    CommitmentStarted: 'Mise en œuvre commencée',
    CommitmentSuspended: 'Engagement suspendu',
    CommitmentResumed: 'Mise en œuvre reprise',
    CommitmentCompleted: 'Engagement achevé',
    CommitmentWithdrawn: 'Engagement retiré',
    MilestoneScheduled: 'Jalon planifié',
    MilestoneStatusRecorded: "État d'un jalon constaté",
    FundingRecorded: 'Financement enregistré',
    ProgressReported: "Compte rendu d'avancement",
    CommitmentCorrected: "Correction d'une erreur matérielle",
    CommitmentAmended: 'Modifié par avenant',
    CommitmentSuperseded: 'Remplacé par avenant',
  } as Record<string, string>,
  en: {
    CommitmentDrafted: 'Commitment drafted',
    CommitmentProposed: 'Commitment proposed',
    CommitmentAdopted: 'Commitment adopted',
    CommitmentStarted: 'Implementation started',
    CommitmentSuspended: 'Commitment suspended',
    CommitmentResumed: 'Implementation resumed',
    CommitmentCompleted: 'Commitment completed',
    CommitmentWithdrawn: 'Commitment withdrawn',
    MilestoneScheduled: 'Milestone scheduled',
    MilestoneStatusRecorded: 'Milestone status recorded',
    FundingRecorded: 'Funding recorded',
    ProgressReported: 'Progress report',
    CommitmentCorrected: 'Clerical error corrected',
    CommitmentAmended: 'Changed by an amendment',
    CommitmentSuperseded: 'Superseded by an amendment',
  } as Record<string, string>,
};

const messages = defineMessages({
  fr: {
    back: 'Tous les engagements',
    reported: (seq: number | string) => `Votre compte rendu d'avancement est enregistré au registre (événement n° ${seq}).`,
    receiptOf: (seq: number | string) => `Voir le reçu de l'événement n° ${seq}`,
    report: "Rendre compte de l'avancement",
    dateTitle: 'Le registre à une date',
    dateIntro: "Choisissez une date entre la signature du contrat (7 mai 2024) et aujourd'hui pour voir l'engagement tel qu'il était à la fin de cette journée.",
    slider: 'Date (curseur)',
    dateInput: 'Date (saisie)',
    clock: 'Selon',
    effective: 'en vigueur à cette date',
    effectiveHint: 'ce qui s’appliquait ce jour-là, corrections enregistrées depuis comprises',
    recorded: 'connu du registre à cette date',
    recordedHint: 'ce que le registre disait ce jour-là',
    today: "Revenir à aujourd'hui",
    showingNow: "Vous voyez l'engagement tel qu'il est aujourd'hui.",
    showing: (date: string, clock: string) => `Vous voyez l'engagement au ${date}, ${clock}.`,
    notYet: (date: string, clock: string) => `Au ${date} (${clock}), cet engagement n'existait pas encore dans le registre.`,
    fields: "L'engagement",
    description: 'Description',
    owner: 'Signataire porteur',
    coFunders: 'Cofinanceurs',
    none: 'aucun',
    noneFem: 'aucune',
    enjeu: 'Enjeu',
    ambition: 'Ambition',
    component: 'Volet',
    components: { 'contrat-de-ville': 'contrat de ville (QPV)', 'pacte-local-solidarites': 'pacte local des solidarités' } as Record<string, string>,
    qpv: 'Quartiers prioritaires (QPV)',
    communes: 'Communes',
    wholeTerritory: 'tout le territoire du contrat',
    horizon: 'Échéance',
    status: 'Statut',
    outcome: 'Résultat',
    milestones: 'Jalons',
    noMilestone: 'Aucun jalon planifié.',
    milestoneStatus: { scheduled: 'prévu', met: 'atteint', notMet: 'non atteint', partiallyMet: 'partiellement atteint' } as Record<string, string>,
    due: (date: string) => `échéance le ${date}`,
    money: 'Moyens et financements',
    moneyCaption: "Moyens prévus et financements de l'engagement, en euros",
    droitCommun: 'Droit commun',
    creditsSpecifiques: 'Crédits spécifiques',
    committed: 'Engagé',
    disbursed: 'Versé',
    spent: 'Dépensé',
    amount: 'Montant',
    budget: 'Budget par année',
    budgetCaption: 'Budget annuel',
    year: 'Année',
    budgetStatus: { indicative: 'indicatif', committed: 'engagé' } as Record<string, string>,
    reports: 'Comptes rendus d’avancement',
    reportCount: (n: number) => (n === 0 ? 'Aucun compte rendu.' : n === 1 ? '1 compte rendu.' : `${n} comptes rendus.`),
    period: 'Période',
    evidence: (n: number) => (n === 0 ? 'sans pièce' : n === 1 ? '1 pièce justificative' : `${n} pièces justificatives`),
    indicators: 'Indicateurs',
    noIndicator: 'Aucun indicateur ne mesure cet engagement.',
    indicatorChart: "Indicateurs de l'engagement : réalisé rapporté à la cible (100 % = cible atteinte)",
    amendments: 'Avenants et décisions',
    noAmendment: "Aucun avenant ne concerne cet engagement.",
    amendmentStatus: { proposed: 'proposé', approved: 'approuvé', rejected: 'rejeté', withdrawn: 'retiré', in_force: 'en vigueur' } as Record<string, string>,
    amendment: (id: string) => `Avenant ${id}`,
    decidedBy: 'Décision',
    decisionOutcome: { approved: 'approuvé', rejected: 'rejeté' } as Record<string, string>,
    decision: (outcome: string, date: string) => `${outcome} le ${date}`,
    meeting: (id: string) => `séance ${id}`,
    body: (id: string) => `instance ${id}`,
    noDecision: "pas encore de décision de l'instance",
    inForce: (date: string) => `en vigueur depuis le ${date}`,
    timeline: 'Chronologie des événements',
    timelineIntro: {
      effective: "Les états successifs de l'engagement, par date d'effet ; « connu depuis » dit quand le registre l'a appris.",
      recorded: "Les événements de l'engagement, dans l'ordre où le registre les a enregistrés.",
    } as Record<string, string>,
    knownSince: (date: string) => `connu depuis le ${date}`,
    recordedOn: (date: string) => `enregistré le ${date}`,
    effectiveOn: (date: string) => `effet au ${date}`,
    unapplied: "Événement que l'état n'a pas pu prendre en compte à cette date",
    by: (who: string) => `par ${who}`,
    under: (what: string) => `au titre de : ${what}`,
    why: (what: string) => `motif : ${what}`,
    more: 'Seuls les 100 premiers états sont affichés ; la suite est dans le journal d’audit.',
    transactions: { commitment: 'engagement', disbursement: 'versement', expenditure: 'dépense' } as Record<string, string>,
    funding: (kind: string, amount: string, year: number, party: string) => `${kind} de ${amount} pour ${year} (${party})`,
    corrected: (field: string, reason: string) => `champ « ${field} » corrigé — ${reason}`,
    afterDate: 'après la date choisie',
  },
  en: {
    back: 'All commitments',
    reported: (seq: number | string) => `Your progress report is recorded in the ledger (event no. ${seq}).`,
    receiptOf: (seq: number | string) => `See the receipt of event no. ${seq}`,
    report: 'Report progress',
    dateTitle: 'The ledger on a date',
    dateIntro: 'Pick a date between the signature of the contract (7 May 2024) and today to see the commitment as it stood at the end of that day.',
    slider: 'Date (slider)',
    dateInput: 'Date (typed)',
    clock: 'According to',
    effective: 'in force on that date',
    effectiveHint: 'what applied that day, corrections recorded since included',
    recorded: 'known to the ledger on that date',
    recordedHint: 'what the ledger said that day',
    today: 'Back to today',
    showingNow: 'You see the commitment as it is today.',
    showing: (date: string, clock: string) => `You see the commitment on ${date}, ${clock}.`,
    notYet: (date: string, clock: string) => `On ${date} (${clock}), this commitment did not exist yet in the ledger.`,
    fields: 'The commitment',
    description: 'Description',
    owner: 'Owning signatory',
    coFunders: 'Co-funders',
    none: 'none',
    noneFem: 'none',
    enjeu: 'Enjeu',
    ambition: 'Ambition',
    component: 'Component',
    components: { 'contrat-de-ville': 'contrat de ville (QPV)', 'pacte-local-solidarites': 'pacte local des solidarités' } as Record<string, string>,
    qpv: 'Priority neighbourhoods (QPV)',
    communes: 'Communes',
    wholeTerritory: "the whole contract's territory",
    horizon: 'Horizon',
    status: 'Status',
    outcome: 'Outcome',
    milestones: 'Milestones',
    noMilestone: 'No milestone scheduled.',
    milestoneStatus: { scheduled: 'scheduled', met: 'met', notMet: 'not met', partiallyMet: 'partially met' } as Record<string, string>,
    due: (date: string) => `due on ${date}`,
    money: 'Means and funding',
    moneyCaption: "The commitment's planned means and funding, in euros",
    droitCommun: 'Droit commun (ordinary policies)',
    creditsSpecifiques: 'Crédits spécifiques (specific credits)',
    committed: 'Committed',
    disbursed: 'Disbursed',
    spent: 'Spent',
    amount: 'Amount',
    budget: 'Budget by year',
    budgetCaption: 'Annual budget',
    year: 'Year',
    budgetStatus: { indicative: 'indicative', committed: 'committed' } as Record<string, string>,
    reports: 'Progress reports',
    reportCount: (n: number) => (n === 0 ? 'No report.' : n === 1 ? '1 report.' : `${n} reports.`),
    period: 'Period',
    evidence: (n: number) => (n === 0 ? 'no evidence' : n === 1 ? '1 supporting document' : `${n} supporting documents`),
    indicators: 'Indicators',
    noIndicator: 'No indicator measures this commitment.',
    indicatorChart: "The commitment's indicators: actual as a share of the target (100 % = target met)",
    amendments: 'Amendments and decisions',
    noAmendment: 'No amendment concerns this commitment.',
    amendmentStatus: { proposed: 'proposed', approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn', in_force: 'in force' } as Record<string, string>,
    amendment: (id: string) => `Amendment ${id}`,
    decidedBy: 'Decision',
    decisionOutcome: { approved: 'approved', rejected: 'rejected' } as Record<string, string>,
    decision: (outcome: string, date: string) => `${outcome} on ${date}`,
    meeting: (id: string) => `meeting ${id}`,
    body: (id: string) => `body ${id}`,
    noDecision: 'no decision of the body yet',
    inForce: (date: string) => `in force since ${date}`,
    timeline: 'Timeline of events',
    timelineIntro: {
      effective: "The commitment's successive states, by effective date; “known since” says when the ledger learnt of it.",
      recorded: "The commitment's events, in the order the ledger recorded them.",
    } as Record<string, string>,
    knownSince: (date: string) => `known since ${date}`,
    recordedOn: (date: string) => `recorded on ${date}`,
    effectiveOn: (date: string) => `effective on ${date}`,
    unapplied: 'An event the state could not take into account on that date',
    by: (who: string) => `by ${who}`,
    under: (what: string) => `under: ${what}`,
    why: (what: string) => `reason: ${what}`,
    more: 'Only the first 100 states are shown; the rest is in the audit trail.',
    transactions: { commitment: 'commitment', disbursement: 'disbursement', expenditure: 'expenditure' } as Record<string, string>,
    funding: (kind: string, amount: string, year: number, party: string) => `${kind} of ${amount} for ${year} (${party})`,
    corrected: (field: string, reason: string) => `field “${field}” corrected — ${reason}`,
    afterDate: 'after the chosen date',
  },
});

type Clock = 'effective' | 'recorded';

interface HistoryEventRef {
  seq: number;
  streamVersion: number;
  eventId: string;
  type: string;
  recordedAt: string;
}
interface MilestoneState {
  title: string;
  dueDate: string;
  status: string;
}
interface HistoryState {
  exists: boolean;
  milestones?: Record<string, MilestoneState>;
  reportIds?: string[];
}
interface EffectiveEntry {
  effectiveAt: string;
  knownSince: string;
  events: HistoryEventRef[];
  unapplied?: HistoryEventRef[];
  state: HistoryState;
}
interface RecordedEntry extends HistoryEventRef {
  effectiveAt: string;
  state: HistoryState;
}
interface HistoryAnswer {
  clock: Clock;
  items: (EffectiveEntry | RecordedEntry)[];
  nextCursor: string | null;
}
type AuditLine = TrailLine;
interface AmendmentSummary {
  amendmentId: string;
  status: string;
  description: string;
  rationale: string;
  decision: { outcome: string | null; decisionId: string; meetingId: string | null; bodyId: string | null; decidedOn: string | null } | null;
  inForceOn: string | null;
}

const DAY = 86_400_000;
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY);
const dayOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const todayDay = () => new Date().toISOString().slice(0, 10);

/** The `asOf` of the page's address: a day (`2025-01-01`, read as the end of that day, UTC) or an instant. */
function asOfFrom(query: URLSearchParams): { day: string; instant: string } | undefined {
  const raw = query.get('asOf');
  if (!raw) return undefined;
  if (isDay(raw)) return { day: raw, instant: `${raw}T23:59:59.999Z` };
  const time = Date.parse(raw);
  // The day as the address writes it (`2025-01-01T23:59:59Z` is the 1st, though the 2nd already in Paris).
  return Number.isNaN(time) ? undefined : { day: isDay(raw.slice(0, 10)) ? raw.slice(0, 10) : new Date(time).toISOString().slice(0, 10), instant: raw };
}

export function CommitmentPage({ commitmentId, query }: { commitmentId: string; query: URLSearchParams }) {
  const m = useMessages(messages);
  const lang = useLang();
  const session = useSession();
  const ids = useId();
  const asOf = asOfFrom(query);
  const clock: Clock = query.get('clock') === 'recorded' ? 'recorded' : 'effective';
  const seq = query.get('seq') ?? undefined;
  const base = `/commitments/${encodeURIComponent(commitmentId)}`;

  const now = useApi<CommitmentRow>(base, { seq });
  const dated = useApi<CommitmentAsOf>(asOf ? base : undefined, { asOf: asOf?.instant, clock, seq });
  const history = useApi<HistoryAnswer>(`${base}/history`, { clock, limit: 100, seq });
  const audit = useApi<{ items: AuditLine[]; nextCursor: number | null }>('/audit-trail', { streamId: `commitment-${commitmentId}`, limit: 500 });
  const amendments = useApi<{ items: AmendmentSummary[] }>('/amendments', { commitmentId, seq, limit: 200 });
  const indicators = useApi<IndicatorsPage>('/indicators', { commitmentId, seq, limit: 200, ...(asOf && { asOf: asOf.instant, clock }) });
  const enjeux = useEnjeuTitles();

  const current = now.data;
  const view: CommitmentView | undefined = asOf ? (dated.data ? viewOf(dated.data) : undefined) : current;
  const names = usePartyNames(view ? [view.ownerPartyId, ...view.coFunderPartyIds] : []);
  const lines = new Map((audit.data?.items ?? []).map((line) => [line.seq, line]));
  const clockWords = clock === 'effective' ? m.effective : m.recorded;

  // What the history says as of the chosen date (milestones, which the read model does not keep).
  const entries = history.data?.clock === clock ? history.data.items : [];
  const positionOf = (entry: EffectiveEntry | RecordedEntry) => ('seq' in entry ? entry.recordedAt : entry.effectiveAt);
  const upTo = asOf ? entries.filter((e) => Date.parse(positionOf(e)) <= Date.parse(asOf.instant)) : entries;
  const stateThen = upTo[upTo.length - 1]?.state;
  const milestones = Object.entries(stateThen?.milestones ?? {});
  const reportsThen = (audit.data?.items ?? []).filter(
    (line) => line.type === 'ProgressReported' && (!asOf || Date.parse(clock === 'effective' ? line.occurredAt : line.recordedAt) <= Date.parse(asOf.instant)),
  );

  const mayReport = session?.role === 'signatory-representative' && current !== undefined && session.partyId === current.ownerPartyId && !['completed', 'withdrawn', 'superseded'].includes(current.status);
  const notYet = asOf && dated.error?.status === 404;

  return (
    <Page
      title={current?.title ?? commitmentId}
      actions={
        mayReport ? (
          <a className="button-primary" href={href(['commitments', commitmentId, 'report'])}>
            {m.report}
          </a>
        ) : undefined
      }
    >
      <p>
        <a href={href(['commitments'])}>{m.back}</a>
      </p>
      {query.get('reported') && seq && (
        <div className="success" role="status">
          <p>
            {m.reported(seq)} <a href={href(['audit', 'receipts', seq])}>{m.receiptOf(seq)}</a>
          </p>
        </div>
      )}
      {now.error && <ProblemMessage problem={now.error} onRetry={now.reload} />}

      <DatePanel asOfDay={asOf?.day} clock={clock} commitmentId={commitmentId} query={query} />

      <div aria-live="polite" className="as-of-status">
        {asOf ? (
          notYet ? (
            <div className="notice not-yet">
              <p>
                <strong>{m.notYet(formatDate(asOf.day, lang), clockWords)}</strong>
              </p>
              <p className="rule">
                {dated.error?.detail} ({dated.error?.rule})
              </p>
            </div>
          ) : (
            <p className="notice">{m.showing(formatDate(asOf.day, lang), clockWords)}</p>
          )
        ) : (
          <p className="notice">{m.showingNow}</p>
        )}
      </div>
      {asOf && dated.error && !notYet && <ProblemMessage problem={dated.error} onRetry={dated.reload} />}
      {(now.loading || dated.loading) && <Loading />}

      {view && !notYet && (
        <>
          <section aria-labelledby={`${ids}-fields`}>
            <h2 id={`${ids}-fields`}>{m.fields}</h2>
            <dl className="facts">
              <Fact term={m.status}>
                <span className={`badge status-${view.status}`}>{statusLabel(view.status, lang)}</span>
                {view.outcome && (
                  <>
                    {' '}
                    — {m.outcome} : {view.outcome}
                  </>
                )}
              </Fact>
              <Fact term={m.owner}>{partyLabel(view.ownerPartyId, names)}</Fact>
              <Fact term={m.coFunders}>{view.coFunderPartyIds.length === 0 ? m.none : view.coFunderPartyIds.map((p) => partyLabel(p, names)).join(', ')}</Fact>
              <Fact term={m.enjeu}>
                {view.priority}
                {enjeux[view.priority] && <> — {enjeux[view.priority]}</>}
              </Fact>
              <Fact term={m.ambition}>{view.ambition}</Fact>
              <Fact term={m.component}>{m.components[view.component] ?? view.component}</Fact>
              <Fact term={m.qpv}>{view.qpv.length === 0 ? m.wholeTerritory : view.qpv.join(', ')}</Fact>
              <Fact term={m.communes}>{view.communes.length === 0 ? m.wholeTerritory : view.communes.join(', ')}</Fact>
              <Fact term={m.horizon}>{view.horizon}</Fact>
            </dl>
            <h3>{m.description}</h3>
            <p className="description">{view.description}</p>

            <h3>{m.milestones}</h3>
            {milestones.length === 0 ? (
              <p>{m.noMilestone}</p>
            ) : (
              <ul>
                {milestones.map(([id, ms]) => (
                  <li key={id}>
                    {ms.title} — {m.due(formatDate(ms.dueDate, lang))} — <span className="badge">{m.milestoneStatus[ms.status] ?? ms.status}</span>
                  </li>
                ))}
              </ul>
            )}

            <h3>{m.money}</h3>
            <div className="table-scroll">
              <table className="money-table">
                <caption className="visually-hidden">{m.moneyCaption}</caption>
                <tbody>
                  {(
                    [
                      [m.droitCommun, view.droitCommunCents],
                      [m.creditsSpecifiques, view.creditsSpecifiquesCents],
                      [m.committed, view.committedCents],
                      [m.disbursed, view.disbursedCents],
                      [m.spent, view.spentCents],
                    ] as const
                  ).map(([label, cents]) => (
                    <tr key={label}>
                      <th scope="row">{label}</th>
                      <td className="num">{formatCents(cents, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {view.budget.length > 0 && (
              <div className="table-scroll">
                <table>
                  <caption>{m.budget}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{m.year}</th>
                      <th scope="col" className="num">
                        {m.amount}
                      </th>
                      <th scope="col">{m.status}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.budget.map((line) => (
                      <tr key={`${line.year}-${line.status}`}>
                        <th scope="row">{line.year}</th>
                        <td className="num">{formatCents(line.amountCents, lang)}</td>
                        <td>{m.budgetStatus[line.status] ?? line.status}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section aria-labelledby={`${ids}-reports`}>
            <h2 id={`${ids}-reports`}>{m.reports}</h2>
            <p data-testid="report-count">{m.reportCount(view.reports)}</p>
            {reportsThen.length > 0 && (
              <ul className="reports">
                {reportsThen.map((line) => {
                  const evidence = Array.isArray(line.changed.evidence) ? line.changed.evidence.length : 0;
                  return (
                    <li key={line.seq}>
                      <strong>
                        {m.period} {String(line.changed.period)}
                      </strong>{' '}
                      ({formatDate(line.occurredAt, lang)}, {m.evidence(evidence)}) — {String(line.changed.summary)}{' '}
                      <a href={href(['audit', 'receipts', String(line.seq)])}>{m.receiptOf(line.seq)}</a>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </>
      )}

      <section aria-labelledby={`${ids}-indicators`}>
        <h2 id={`${ids}-indicators`}>{m.indicators}</h2>
        {indicators.error && <ProblemMessage problem={indicators.error} onRetry={indicators.reload} />}
        {indicators.data &&
          (indicators.data.items.length === 0 ? (
            <p data-testid="no-indicator">{m.noIndicator}</p>
          ) : (
            <IndicatorChart id="commitment-indicators" title={m.indicatorChart} indicators={indicators.data.items} today={asOf?.day ?? new Date().toISOString().slice(0, 10)} />
          ))}
      </section>

      <section aria-labelledby={`${ids}-amendments`}>
        <h2 id={`${ids}-amendments`}>{m.amendments}</h2>
        {amendments.error && <ProblemMessage problem={amendments.error} onRetry={amendments.reload} />}
        <Amendments listed={amendments.data?.items ?? []} applied={current?.amendmentIds ?? []} lang={lang} />
      </section>

      <section aria-labelledby={`${ids}-timeline`}>
        <h2 id={`${ids}-timeline`}>{m.timeline}</h2>
        <p className="hint">{m.timelineIntro[clock]}</p>
        {history.error && <ProblemMessage problem={history.error} onRetry={history.reload} />}
        {history.loading && <Loading />}
        <ol className="timeline commitment-timeline">
          {entries.map((entry) => {
            const later = asOf !== undefined && !upTo.includes(entry);
            const events = 'seq' in entry ? [entry] : entry.events;
            const date = 'seq' in entry ? entry.recordedAt : entry.effectiveAt;
            return (
              <li key={'seq' in entry ? entry.seq : entry.effectiveAt} className={later ? 'later' : undefined}>
                <p className="timeline-date">
                  <time dateTime={date}>{formatDateTime(date, lang)}</time>
                  {later && <span className="badge">{m.afterDate}</span>}
                </p>
                {'seq' in entry ? (
                  <p className="hint">{m.effectiveOn(formatDateTime(entry.effectiveAt, lang))}</p>
                ) : (
                  <p className="hint">{m.knownSince(formatDateTime(entry.knownSince, lang))}</p>
                )}
                <ul className="timeline-events">
                  {events.map((event) => (
                    <TimelineEvent key={event.seq} event={event} line={lines.get(event.seq)} lang={lang} showRecorded={!('seq' in entry)} />
                  ))}
                  {'events' in entry &&
                    (entry.unapplied ?? []).map((event) => (
                      <li key={`u-${event.seq}`} className="unapplied">
                        <strong>{m.unapplied}</strong> : <TimelineEvent event={event} line={lines.get(event.seq)} lang={lang} showRecorded bare />
                      </li>
                    ))}
                </ul>
              </li>
            );
          })}
        </ol>
        {history.data?.nextCursor && <p className="hint">{m.more}</p>}
      </section>
    </Page>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function statusLabel(status: string, lang: Lang): string {
  return statusMessages[lang][status] ?? status;
}

function partyLabel(partyId: string, names: Record<string, string>): string {
  return names[partyId] ? `${names[partyId]} (${partyId})` : partyId;
}

/** The slider over the days since the signature, its typed equivalent, and the clock; the address keeps the choice. */
function DatePanel({ asOfDay, clock, commitmentId, query }: { asOfDay?: string; clock: Clock; commitmentId: string; query: URLSearchParams }) {
  const m = useMessages(messages);
  const lang = useLang();
  const ids = useId();
  const today = todayDay();
  const first = dayNumber(SIGNATURE_DAY);
  const last = dayNumber(today);
  const [draft, setDraft] = useState(asOfDay ?? today);
  useEffect(() => setDraft(asOfDay ?? today), [asOfDay, today]);

  const go = (day: string | undefined, nextClock: Clock) => {
    const keep: Record<string, string> = {};
    query.forEach((value, key) => {
      if (key !== 'reported' && key !== 'asOf' && key !== 'clock') keep[key] = value;
    });
    navigate(href(['commitments', commitmentId], { ...keep, asOf: day, clock: nextClock === 'effective' ? undefined : nextClock }), { replace: true });
  };

  // Sliding asks the API once the hand rests (300 ms), not at every day crossed.
  useEffect(() => {
    if (!isDay(draft) || draft === (asOfDay ?? today)) return;
    const timer = window.setTimeout(() => go(draft, clock), 300);
    return () => window.clearTimeout(timer);
  }, [draft]);

  const value = isDay(draft) ? Math.min(Math.max(dayNumber(draft), first), last) - first : last - first;
  return (
    <section aria-labelledby={`${ids}-title`} className="date-panel">
      <h2 id={`${ids}-title`}>{m.dateTitle}</h2>
      <p className="hint">{m.dateIntro}</p>
      <div className="date-controls">
        <div className="field date-slider">
          <label htmlFor={`${ids}-range`}>{m.slider}</label>
          <input
            id={`${ids}-range`}
            type="range"
            min={0}
            max={last - first}
            step={1}
            value={value}
            aria-valuetext={formatDate(isDay(draft) ? draft : today, lang)}
            onChange={(event) => setDraft(dayOf(first + Number(event.target.value)))}
          />
          <p className="slider-ends hint" aria-hidden="true">
            <span>{formatDate(SIGNATURE_DAY, lang)}</span>
            <span>{formatDate(today, lang)}</span>
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-date`}>{m.dateInput}</label>
          <input id={`${ids}-date`} type="date" min={SIGNATURE_DAY} max={today} value={isDay(draft) ? draft : ''} onChange={(event) => setDraft(event.target.value)} />
        </div>
        <fieldset className="field clock-choice">
          <legend>{m.clock}</legend>
          {(['effective', 'recorded'] as const).map((c) => (
            <div key={c} className="radio">
              <input
                type="radio"
                id={`${ids}-${c}`}
                name={`${ids}-clock`}
                value={c}
                checked={clock === c}
                aria-describedby={`${ids}-${c}-hint`}
                onChange={() => go(asOfDay, c)}
              />
              <label htmlFor={`${ids}-${c}`}>{c === 'effective' ? m.effective : m.recorded}</label>
              <p className="hint" id={`${ids}-${c}-hint`}>
                {c === 'effective' ? m.effectiveHint : m.recordedHint}
              </p>
            </div>
          ))}
        </fieldset>
      </div>
      {asOfDay && (
        <button type="button" className="secondary" onClick={() => go(undefined, clock)}>
          {m.today}
        </button>
      )}
    </section>
  );
}

function TimelineEvent({ event, line, lang, showRecorded, bare = false }: { event: HistoryEventRef; line?: AuditLine; lang: Lang; showRecorded: boolean; bare?: boolean }) {
  const m = messages[lang];
  const meta: string[] = [];
  if (showRecorded) meta.push(m.recordedOn(formatDateTime(event.recordedAt, lang)));
  if (line) meta.push(m.by(line.actor.partyId ? `${line.actor.subject} (${line.actor.partyId})` : line.actor.subject));
  if (line?.under) meta.push(m.under(line.under));
  // The reason, unless the detail already says it (a report's summary, a correction's reason).
  if (line?.why && !['ProgressReported', 'CommitmentCompleted', 'CommitmentCorrected'].includes(line.type)) meta.push(m.why(line.why));
  const body = (
    <>
      <strong>{EVENT_TYPES[lang][event.type] ?? event.type}</strong>
      {line && <EventDetail line={line} lang={lang} />}
      <span className="event-meta">
        {meta.map((part) => (
          <span key={part}>{part} · </span>
        ))}
        <a href={href(['audit', 'receipts', String(event.seq)])}>{m.receiptOf(event.seq)}</a>
      </span>
    </>
  );
  return bare ? body : <li>{body}</li>;
}

/** What an event changed, in words, from its audit line. */
function EventDetail({ line, lang }: { line: AuditLine; lang: Lang }) {
  const m = messages[lang];
  const c = line.changed;
  const text = (key: string) => (typeof c[key] === 'string' ? (c[key] as string) : '');
  switch (line.type) {
    case 'ProgressReported':
      return (
        <>
          {' '}
          — {m.period} {text('period')} : {text('summary')}
        </>
      );
    case 'FundingRecorded':
      return <> — {m.funding(m.transactions[text('transaction')] ?? text('transaction'), formatCents(Number(c.amountCents), lang), Number(c.year), text('partyId'))}</>;
    case 'MilestoneScheduled':
      return (
        <>
          {' '}
          — {text('title')}, {m.due(formatDate(text('dueDate'), lang))}
        </>
      );
    case 'MilestoneStatusRecorded':
      return (
        <>
          {' '}
          — {text('milestoneId')} : {m.milestoneStatus[text('status')] ?? text('status')}
        </>
      );
    case 'CommitmentCompleted':
      return (
        <>
          {' '}
          — {text('outcome')} : {text('summary')}
        </>
      );
    case 'CommitmentCorrected':
      return <> — {m.corrected(text('field'), text('reason'))}</>;
    case 'CommitmentAmended':
    case 'CommitmentSuperseded':
      return (
        <>
          {' '}
          — <a href={href(['amendments', text('amendmentId')])}>{m.amendment(text('amendmentId'))}</a>
        </>
      );
    case 'CommitmentDrafted':
      return <> — {text('title')}</>;
    default:
      return null;
  }
}

function Amendments({ listed, applied, lang }: { listed: AmendmentSummary[]; applied: string[]; lang: Lang }) {
  const m = messages[lang];
  const others = applied.filter((id) => !listed.some((a) => a.amendmentId === id));
  if (listed.length === 0 && others.length === 0) return <p>{m.noAmendment}</p>;
  return (
    <ul className="amendment-list">
      {listed.map((a) => (
        <li key={a.amendmentId}>
          <p>
            <a href={href(['amendments', a.amendmentId])}>{m.amendment(a.amendmentId)}</a> — <span className="badge">{m.amendmentStatus[a.status] ?? a.status}</span>
            {a.inForceOn && <> — {m.inForce(formatDate(a.inForceOn, lang))}</>}
          </p>
          <p>{a.description}</p>
          <p>
            {m.decidedBy} :{' '}
            {a.decision ? (
              <>
                {m.decision(m.decisionOutcome[a.decision.outcome ?? ''] ?? a.decision.outcome ?? '', formatDate(a.decision.decidedOn, lang))}
                {a.decision.meetingId && (
                  <>
                    , <a href={href(['governance', 'meetings', a.decision.meetingId])}>{m.meeting(a.decision.meetingId)}</a>
                  </>
                )}
                {a.decision.bodyId && (
                  <>
                    , <a href={href(['governance', 'bodies', a.decision.bodyId])}>{m.body(a.decision.bodyId)}</a>
                  </>
                )}{' '}
                (<code>{a.decision.decisionId}</code>)
              </>
            ) : (
              m.noDecision
            )}
          </p>
        </li>
      ))}
      {others.map((id) => (
        <li key={id}>
          <a href={href(['amendments', id])}>{m.amendment(id)}</a>
        </li>
      ))}
    </ul>
  );
}

