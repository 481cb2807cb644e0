import { type FormEvent, useState } from 'react';
import { useApi } from '../shell/api';
import { defineMessages, formatDate, formatNumber, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { Select, TextField } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { type BodySummary, labels, type MeetingSummary, today, ScrollTable } from './shared';

const messages = defineMessages({
  fr: {
    title: 'Instances de gouvernance',
    intro: 'Les instances du contrat de ville et des solidarités, leur règle de quorum et leur composition, puis leurs séances.',
    bodies: 'Instances',
    quorum: 'Quorum',
    members: 'Membres',
    membersCount: (n: number, voting: number) => `${formatNumber(n)} membre(s), dont ${formatNumber(voting)} avec voix délibérative`,
    citizenSeats: 'Sièges citoyens',
    status: 'Statut',
    constitutedOn: 'Constituée le',
    meetings: 'Séances',
    filters: 'Filtrer les séances',
    body: 'Instance',
    allBodies: 'Toutes les instances',
    from: 'Du',
    to: 'Au',
    apply: 'Filtrer',
    upcoming: 'Séances à venir',
    past: 'Séances passées',
    none: 'Aucune séance.',
    date: 'Date',
    meeting: 'Séance',
    quorumReached: 'Quorum atteint',
    minutes: 'Procès-verbal (SHA-256)',
    notChecked: 'non vérifié',
    noMinutes: 'non approuvé',
  },
  en: {
    title: 'Governance bodies',
    intro: 'The bodies of the Contrat de ville et des solidarités, their quorum rule and membership, then their meetings.',
    bodies: 'Bodies',
    quorum: 'Quorum',
    members: 'Members',
    membersCount: (n: number, voting: number) => `${formatNumber(n)} member(s), ${formatNumber(voting)} with a voting right`,
    citizenSeats: 'Citizen seats',
    status: 'Status',
    constitutedOn: 'Constituted on',
    meetings: 'Meetings',
    filters: 'Filter the meetings',
    body: 'Body',
    allBodies: 'All bodies',
    from: 'From',
    to: 'To',
    apply: 'Filter',
    upcoming: 'Upcoming meetings',
    past: 'Past meetings',
    none: 'No meeting.',
    date: 'Date',
    meeting: 'Meeting',
    quorumReached: 'Quorum reached',
    minutes: 'Minutes (SHA-256)',
    notChecked: 'not checked',
    noMinutes: 'not approved',
  },
});

/** The governance bodies (pilotage, suivi, animation) and their meetings, upcoming and past, with filters. */
export function BodiesPage({ query }: { query: URLSearchParams }) {
  const m = useMessages(messages);
  const l = useMessages(labels);
  const asOf = query.get('asOf') ?? undefined;
  const bodies = useApi<{ on: string; items: BodySummary[] }>('/governance/bodies', { asOf, seq: query.get('seq') });
  const filter = { bodyId: query.get('bodyId') ?? '', from: query.get('from') ?? '', to: query.get('to') ?? '' };
  const meetings = useApi<{ items: MeetingSummary[] }>('/governance/meetings', { ...filter, asOf, limit: 500 });
  const [draft, setDraft] = useState(filter);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(href(['governance'], { ...draft, asOf }));
  };
  const nameOfBody = (bodyId: string) => bodies.data?.items.find((b) => b.bodyId === bodyId)?.name ?? bodyId;
  const now = today();
  const items = meetings.data?.items ?? [];
  const upcoming = items.filter((meeting) => meeting.date >= now);
  const past = items.filter((meeting) => meeting.date < now).reverse();

  const table = (rows: MeetingSummary[], caption: string) =>
    rows.length === 0 ? (
      <p>{m.none}</p>
    ) : (
      <ScrollTable label={caption}>
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{m.date}</th>
              <th scope="col">{m.meeting}</th>
              <th scope="col">{m.body}</th>
              <th scope="col">{m.status}</th>
              <th scope="col">{m.quorumReached}</th>
              <th scope="col">{m.minutes}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((meeting) => (
              <tr key={meeting.meetingId}>
                <td>{formatDate(meeting.date)}</td>
                <th scope="row">
                  <a href={href(['governance', 'meetings', meeting.meetingId])}>{meeting.title}</a>
                </th>
                <td>{nameOfBody(meeting.bodyId)}</td>
                <td>
                  <span className="badge">{l.meetingStatus[meeting.status] ?? meeting.status}</span>
                </td>
                <td>{meeting.quorumReached === null ? m.notChecked : meeting.quorumReached ? l.yes : l.no}</td>
                <td>{meeting.minutesSha256 ? <span className="hash">{meeting.minutesSha256.slice(0, 16)}…</span> : m.noMinutes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    );

  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      <h2>{m.bodies}</h2>
      {bodies.error && <ProblemMessage problem={bodies.error} onRetry={bodies.reload} />}
      {bodies.loading && !bodies.data && <Loading />}
      {bodies.data && (
        <ul className="cards">
          {bodies.data.items.map((body) => (
            <li className="card" key={body.bodyId}>
              <h3>
                <a href={href(['governance', 'bodies', body.bodyId], { asOf })}>{body.name}</a>
              </h3>
              <p className="gov-kind">{l.function[body.function] ?? body.function}</p>
              <dl className="gov-facts">
                <dt>{m.quorum}</dt>
                <dd>{l.quorumRule(body.quorum)}</dd>
                <dt>{m.members}</dt>
                <dd>{m.membersCount(body.currentMembers ?? 0, body.votingMembers ?? 0)}</dd>
                <dt>{m.citizenSeats}</dt>
                <dd>{formatNumber(body.citizenSeats)}</dd>
                <dt>{m.status}</dt>
                <dd>
                  <span className="badge">{l.bodyStatus[body.status] ?? body.status}</span>
                  {body.constitutedOn && (
                    <>
                      {' '}
                      — {m.constitutedOn} {formatDate(body.constitutedOn)}
                    </>
                  )}
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}

      <h2>{m.meetings}</h2>
      <form className="gov-filters" onSubmit={apply} aria-label={m.filters}>
        <Select label={m.body} name="bodyId" value={draft.bodyId} onChange={(e) => setDraft({ ...draft, bodyId: e.target.value })}>
          <option value="">{m.allBodies}</option>
          {bodies.data?.items.map((body) => (
            <option key={body.bodyId} value={body.bodyId}>
              {body.name}
            </option>
          ))}
        </Select>
        <TextField label={m.from} name="from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <TextField label={m.to} name="to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        <div className="gov-filters-submit">
          <button type="submit">{m.apply}</button>
        </div>
      </form>
      {meetings.error && <ProblemMessage problem={meetings.error} onRetry={meetings.reload} />}
      {meetings.loading && !meetings.data && <Loading />}
      {meetings.data && (
        <>
          <h3>{m.upcoming}</h3>
          {table(upcoming, m.upcoming)}
          <h3>{m.past}</h3>
          {table(past, m.past)}
        </>
      )}
    </Page>
  );
}
