import { type FormEvent, useState } from 'react';
import { useApi } from '../shell/api';
import { defineMessages, formatDateTime, formatNumber, useLang, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { FormProblem, Select, TextField } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';

/** One line of GET /audit-trail (also read by the commitment page's timeline). */
export interface TrailLine {
  seq: number;
  streamId: string;
  streamVersion: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { subject: string; role: string; partyId?: string; mandate?: string };
  changed: Record<string, unknown>;
  why: string | null;
  under: string | null;
}

interface Trail {
  items: TrailLine[];
  nextCursor: number | null;
}

/** The filters, as the hash query holds them and the API's AuditTrailQuery names them. */
const FILTERS = ['streamId', 'type', 'actor', 'partyId', 'decision', 'clock', 'from', 'to', 'asOf'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Record<Filter, string>;

/** Event types for the type field's suggestions (any type can be typed). */
const EVENT_TYPES = [
  'ActualCorrected', 'ActualRecorded', 'AgendaItemAdded', 'AmendmentApproved', 'AmendmentEnteredIntoForce', 'AmendmentProposed', 'AmendmentRejected',
  'AmendmentSigned', 'AmendmentWithdrawn', 'AttendanceRecorded', 'BaselineSet', 'CommitmentAdopted', 'CommitmentAmended', 'CommitmentCompleted',
  'CommitmentCorrected', 'CommitmentDrafted', 'CommitmentProposed', 'CommitmentResumed', 'CommitmentStarted', 'CommitmentSuperseded', 'CommitmentSuspended',
  'CommitmentWithdrawn', 'ContractAdopted', 'ContractAmended', 'ContractClosed', 'ContractEnteredIntoForce', 'ContractRevisionCompleted', 'ContractRevisionStarted',
  'ContractSigned', 'ContractSignedByParty', 'ContributionRequested', 'ContributionSubmitted', 'DecisionRecorded', 'DocumentRegistered', 'DocumentSuperseded',
  'EvaluationCycleClosed', 'EvaluationCycleOpened', 'FindingRecorded', 'FindingResponded', 'FundingRecorded', 'GovernanceBodyConstituted', 'GovernanceBodyCreated',
  'IndicatorDefined', 'LocalAnnexAttached', 'MeetingCancelled', 'MeetingClosed', 'MeetingConvened', 'MeetingPostponed', 'MeetingRescheduled', 'MeetingScheduled',
  'MemberAdded', 'MembershipEnded', 'MilestoneScheduled', 'MilestoneStatusRecorded', 'MinutesApproved', 'MotionTabled', 'PartyIdentifiersCorrected',
  'PartyRegistered', 'PartyRenamed', 'PersonDataErased', 'ProgressReported', 'QuorumChecked', 'SessionOpened', 'TargetCorrected', 'TargetSet', 'VoteRecorded',
];

const messages = defineMessages({
  fr: {
    title: "Piste d'audit",
    intro:
      "Chaque ligne est un événement du registre, dans l'ordre où il a été enregistré : qui a agi, quand (date d'effet et date d'enregistrement), quoi, pourquoi et sous quelle décision. Chaque événement a un reçu vérifiable dans votre navigateur.",
    filters: 'Filtrer la piste',
    streamId: 'Flux (entité)',
    streamHint: 'Par exemple commitment-mobilimel ou contract-mel-2024',
    type: "Type d'événement",
    typeHint: 'Par exemple ContractSigned, CommitmentAmended',
    actor: 'Acteur (identifiant de la personne)',
    partyId: 'Pour le compte du signataire',
    partyHint: 'Par exemple party-mel',
    decision: 'Sous la décision ou l’avenant',
    decisionHint: "Identifiant d'une décision, d'un avenant ou mandat de l'acteur",
    clock: 'Horloge des dates',
    recorded: "Date d'enregistrement",
    effective: "Date d'effet",
    from: 'Du',
    to: 'Au',
    asOf: 'La piste telle qu’au',
    asOfHint: "Enregistrement : les lignes que le registre contenait alors ; effet : les lignes en vigueur à cette date",
    apply: 'Filtrer',
    reset: 'Effacer les filtres',
    entries: 'Événements',
    caption: (n: number, first?: number, last?: number) => (n === 0 ? 'Aucun événement ne correspond aux filtres' : `${formatNumber(n, 'fr')} événement${n > 1 ? 's' : ''}, n° ${first} à ${last}`),
    seq: 'N°',
    recordedAt: 'Enregistré le',
    occurredAt: 'Survenu le',
    stream: 'Flux',
    actorRole: 'Acteur',
    changed: 'Ce qui a changé',
    receipt: 'Reçu',
    verify: 'Vérifier',
    verifyFull: (seq: number) => `Vérifier le reçu de l'événement n° ${seq}`,
    details: 'Détail',
    why: 'Motif :',
    under: 'Au titre de :',
    sep: ' : ',
    version: (v: number) => `version ${v}`,
    next: 'Page suivante',
    first: 'Première page',
    fromSeq: (seq: number) => `Après l'événement n° ${seq}.`,
    roles: { administrator: 'administration', 'body-secretary': "secrétariat d'instance", 'signatory-representative': 'représentant·e de signataire', auditor: 'audit', public: 'public' } as Record<string, string>,
    nothing: '(aucune donnée)',
  },
  en: {
    title: 'Audit trail',
    intro:
      'Each line is an event of the ledger, in the order it was recorded: who acted, when (effective date and recorded date), what, why and under which decision. Every event has a receipt you can verify in your browser.',
    filters: 'Filter the trail',
    streamId: 'Stream (entity)',
    streamHint: 'For instance commitment-mobilimel or contract-mel-2024',
    type: 'Event type',
    typeHint: 'For instance ContractSigned, CommitmentAmended',
    actor: 'Actor (the person’s identifier)',
    partyId: 'On behalf of the signatory',
    partyHint: 'For instance party-mel',
    decision: 'Under the decision or amendment',
    decisionHint: 'A decision’s or amendment’s identifier, or the actor’s mandate',
    clock: 'Clock of the dates',
    recorded: 'Recorded date',
    effective: 'Effective date',
    from: 'From',
    to: 'To',
    asOf: 'The trail as of',
    asOfHint: 'Recorded: the lines the ledger held then; effective: the lines in effect by that date',
    apply: 'Filter',
    reset: 'Clear the filters',
    entries: 'Events',
    caption: (n: number, first?: number, last?: number) => (n === 0 ? 'No event matches the filters' : `${formatNumber(n, 'en')} event${n > 1 ? 's' : ''}, no. ${first} to ${last}`),
    seq: 'No.',
    recordedAt: 'Recorded',
    occurredAt: 'Occurred',
    stream: 'Stream',
    actorRole: 'Actor',
    changed: 'What changed',
    receipt: 'Receipt',
    verify: 'Verify',
    verifyFull: (seq: number) => `Verify the receipt of event no. ${seq}`,
    details: 'Details',
    why: 'Why:',
    under: 'Under:',
    sep: ': ',
    version: (v: number) => `version ${v}`,
    next: 'Next page',
    first: 'First page',
    fromSeq: (seq: number) => `After event no. ${seq}.`,
    roles: { administrator: 'administrator', 'body-secretary': 'body secretary', 'signatory-representative': 'signatory representative', auditor: 'auditor', public: 'public' } as Record<string, string>,
    nothing: '(no data)',
  },
});

/** The filters of the hash query. */
function filtersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Filters;
}

/**
 * A date typed in the form (a day, or a day and a time, in the browser's time zone) as the instant the
 * API takes (ISO 8601 with a zone); a full instant passes as it is. `end`: a day means its last moment.
 */
export function instantOf(value: string, end = false): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T${end ? '23:59:59.999' : '00:00:00'}`);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  return value;
}

/** An instant as a datetime-local input's value (the browser's time zone). */
function localInputOf(value: string): string {
  if (!value || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A short reading of what an event's data says: its first few fields, values cut short. */
function summary(changed: Record<string, unknown>, sep: string): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(changed ?? {})) {
    if (value === null || value === undefined) continue;
    const text = typeof value === 'object' ? (Array.isArray(value) ? `[${value.length}]` : '{…}') : String(value);
    parts.push(`${key}${sep}${text.length > 60 ? `${text.slice(0, 57)}…` : text}`);
    if (parts.length === 3) break;
  }
  return parts.join(' · ');
}

export function AuditTrailPage({ query }: { query: URLSearchParams }) {
  const m = useMessages(messages);
  const lang = useLang();
  const filters = filtersOf(query);
  const after = query.get('after') ?? undefined;
  const trail = useApi<Trail>('/audit-trail', {
    streamId: filters.streamId,
    type: filters.type,
    actor: filters.actor,
    partyId: filters.partyId,
    decision: filters.decision,
    clock: filters.clock,
    from: instantOf(filters.from),
    to: instantOf(filters.to, true),
    asOf: instantOf(filters.asOf),
    after,
    limit: 50,
  });
  const [draft, setDraft] = useState<Filters>(filters);
  const [shown, setShown] = useState(query.toString());
  if (shown !== query.toString()) {
    // The address changed (back button, a link): the form follows it.
    setShown(query.toString());
    setDraft(filters);
  }
  const set = (f: Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [f]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = Object.fromEntries(FILTERS.map((f) => [f, draft[f].trim()]));
    navigate(href(['audit'], trimmed));
  };
  const problem = trail.error?.status === 400 ? trail.error : undefined;
  const items = trail.data?.items ?? [];

  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      <section aria-labelledby="trail-filters">
        <h2 id="trail-filters">{m.filters}</h2>
        <form className="form audit-filters" onSubmit={submit} noValidate>
          <TextField label={m.type} name="type" hint={m.typeHint} problem={problem} value={draft.type} onChange={set('type')} list="audit-event-types" autoComplete="off" />
          <datalist id="audit-event-types">
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <TextField label={m.streamId} name="streamId" hint={m.streamHint} problem={problem} value={draft.streamId} onChange={set('streamId')} autoComplete="off" />
          <TextField label={m.actor} name="actor" problem={problem} value={draft.actor} onChange={set('actor')} autoComplete="off" />
          <TextField label={m.partyId} name="partyId" hint={m.partyHint} problem={problem} value={draft.partyId} onChange={set('partyId')} autoComplete="off" />
          <TextField label={m.decision} name="decision" hint={m.decisionHint} problem={problem} value={draft.decision} onChange={set('decision')} autoComplete="off" />
          <Select label={m.clock} name="clock" problem={problem} value={draft.clock || 'recorded'} onChange={set('clock')}>
            <option value="recorded">{m.recorded}</option>
            <option value="effective">{m.effective}</option>
          </Select>
          <TextField label={m.from} name="from" type="date" problem={problem} value={/^\d{4}-\d{2}-\d{2}$/.test(draft.from) || !draft.from ? draft.from : draft.from.slice(0, 10)} onChange={set('from')} />
          <TextField label={m.to} name="to" type="date" problem={problem} value={/^\d{4}-\d{2}-\d{2}$/.test(draft.to) || !draft.to ? draft.to : draft.to.slice(0, 10)} onChange={set('to')} />
          <TextField label={m.asOf} name="asOf" type="datetime-local" hint={m.asOfHint} problem={problem} value={localInputOf(draft.asOf)} onChange={set('asOf')} />
          <FormProblem problem={problem} fields={[...FILTERS]} />
          <div className="audit-actions">
            <button type="submit">{m.apply}</button> <a href={href(['audit'])}>{m.reset}</a>
          </div>
        </form>
      </section>

      <section aria-labelledby="trail-entries">
        <h2 id="trail-entries">{m.entries}</h2>
        {after && <p>{m.fromSeq(Number(after))}</p>}
        {trail.loading && <Loading />}
        {trail.error && !problem && <ProblemMessage problem={trail.error} onRetry={trail.reload} />}
        {trail.data && (
          <>
            <div className="table-scroll audit-scroll" tabIndex={0} role="region" aria-labelledby="trail-caption">
              <table className="audit-trail">
                <caption id="trail-caption">{m.caption(items.length, items[0]?.seq, items[items.length - 1]?.seq)}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">{m.seq}</th>
                    <th scope="col">{m.recordedAt}</th>
                    <th scope="col">{m.occurredAt}</th>
                    <th scope="col">{m.type}</th>
                    <th scope="col">{m.stream}</th>
                    <th scope="col">{m.actorRole}</th>
                    <th scope="col">{m.changed}</th>
                    <th scope="col">{m.receipt}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((line) => (
                    <tr key={line.seq} data-type={line.type}>
                      <th scope="row" className="num">{line.seq}</th>
                      <td>{formatDateTime(line.recordedAt, lang)}</td>
                      <td>{formatDateTime(line.occurredAt, lang)}</td>
                      <td className="event-type">{line.type}</td>
                      <td>
                        <code>{line.streamId}</code>
                        <br />
                        <span className="hint">{m.version(line.streamVersion)}</span>
                      </td>
                      <td>
                        {m.roles[line.actor.role] ?? line.actor.role}
                        <br />
                        <span className="hint">
                          {line.actor.subject}
                          {line.actor.partyId && ` · ${line.actor.partyId}`}
                        </span>
                      </td>
                      <td className="changed">
                        <details>
                          <summary>{summary(line.changed, m.sep) || m.nothing}</summary>
                          {line.why && (
                            <p>
                              <strong>{m.why}</strong> {line.why}
                            </p>
                          )}
                          {line.under && (
                            <p>
                              <strong>{m.under}</strong> {line.under}
                            </p>
                          )}
                          <pre>{JSON.stringify(line.changed, null, 2)}</pre>
                        </details>
                      </td>
                      <td>
                        <a href={href(['audit', 'receipts', String(line.seq)])}>
                          {m.verify}
                          <span className="visually-hidden"> — {m.verifyFull(line.seq)}</span>
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="pager">
              {after && <a href={href(['audit'], { ...filters })}>{m.first}</a>}{' '}
              {trail.data.nextCursor !== null && (
                <a href={href(['audit'], { ...filters, after: trail.data.nextCursor })} rel="next">
                  {m.next}
                </a>
              )}
            </p>
          </>
        )}
      </section>
    </Page>
  );
}
