import { useApi } from '../shell/api';
import { defineMessages, formatDate, formatDateTime, formatNumber, useMessages } from '../shell/i18n';
import { href } from '../shell/router';
import { useSession } from '../shell/session';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { apiAsOf, labels, MemberName, type MeetingDetail, type Named, VOTE_OPTIONS, ScrollTable } from './shared';

const messages = defineMessages({
  fr: {
    back: 'Toutes les séances',
    body: 'Instance',
    date: 'Date',
    status: 'Statut',
    session: 'Séance ouverte',
    sessionN: (n: number) => (n === 0 ? 'pas encore ouverte' : `session n° ${n}`),
    reason: 'Motif',
    record: 'Enregistrer la séance',
    agenda: 'Ordre du jour',
    noAgenda: "Pas encore d'ordre du jour.",
    attendance: 'Présences',
    noAttendance: 'Les présences ne sont pas encore enregistrées.',
    member: 'Membre',
    party: 'Partie',
    voting: 'Voix délibérative',
    presence: 'Présence',
    proxy: 'Procuration donnée à',
    notRecorded: 'non enregistrée',
    quorum: 'Quorum',
    noQuorum: "Le quorum n'a pas encore été vérifié pour cette session.",
    quorumReached: (counted: number, required: number) => `Quorum atteint : ${formatNumber(counted)} membre(s) présent(s) ou représenté(s), ${formatNumber(required)} requis.`,
    quorumMissed: (counted: number, required: number) => `Quorum non atteint : ${formatNumber(counted)} membre(s) présent(s) ou représenté(s), ${formatNumber(required)} requis.`,
    rule: 'Règle',
    votingMembers: 'Membres avec voix délibérative',
    present: 'Présents',
    represented: 'Représentés',
    counted: 'Comptés',
    required: 'Requis',
    checkedSession: 'Vérifié pour la session',
    motions: 'Motions et votes',
    noMotions: 'Aucune motion déposée.',
    about: 'Objet',
    agendaItem: "Point de l'ordre du jour",
    tabledAt: 'Déposée le',
    counts: 'Décompte',
    option: 'Vote',
    count: 'Nombre',
    votes: 'Votes individuels',
    notVoted: "Pas encore mise aux voix.",
    byProxy: (proxy: string) => `par procuration, voté par ${proxy}`,
    outcome: 'Issue',
    pending: 'en attente de décision',
    decisions: 'Décisions',
    noDecisions: 'Aucune décision enregistrée.',
    decision: 'Décision',
    motion: 'Motion',
    yesNo: 'Pour / contre',
    decidedAt: 'Décidée le',
    minutes: 'Procès-verbal',
    minutesApproved: 'Procès-verbal approuvé. Son empreinte SHA-256 (le document lui-même n’est pas conservé par le registre) :',
    minutesPending: "Le procès-verbal n'est pas encore approuvé.",
    minutesHint: 'Pour vérifier un procès-verbal, calculez son empreinte SHA-256 et comparez-la à celle-ci.',
    asOfNotice: (date: string) => `État de la séance au ${date}.`,
    now: "Voir l'état actuel",
  },
  en: {
    back: 'All meetings',
    body: 'Body',
    date: 'Date',
    status: 'Status',
    session: 'Session',
    sessionN: (n: number) => (n === 0 ? 'not opened yet' : `session no. ${n}`),
    reason: 'Reason',
    record: 'Record the meeting',
    agenda: 'Agenda',
    noAgenda: 'No agenda yet.',
    attendance: 'Attendance',
    noAttendance: 'Attendance has not been recorded yet.',
    member: 'Member',
    party: 'Party',
    voting: 'Voting right',
    presence: 'Attendance',
    proxy: 'Proxy given to',
    notRecorded: 'not recorded',
    quorum: 'Quorum',
    noQuorum: 'The quorum has not been checked yet for this session.',
    quorumReached: (counted: number, required: number) => `Quorum reached: ${formatNumber(counted)} member(s) present or represented, ${formatNumber(required)} required.`,
    quorumMissed: (counted: number, required: number) => `Quorum not reached: ${formatNumber(counted)} member(s) present or represented, ${formatNumber(required)} required.`,
    rule: 'Rule',
    votingMembers: 'Members with a voting right',
    present: 'Present',
    represented: 'Represented',
    counted: 'Counted',
    required: 'Required',
    checkedSession: 'Checked for session',
    motions: 'Motions and votes',
    noMotions: 'No motion tabled.',
    about: 'About',
    agendaItem: 'Agenda item',
    tabledAt: 'Tabled on',
    counts: 'Counts',
    option: 'Vote',
    count: 'Number',
    votes: 'Individual votes',
    notVoted: 'Not put to the vote yet.',
    byProxy: (proxy: string) => `by proxy, cast by ${proxy}`,
    outcome: 'Outcome',
    pending: 'awaiting a decision',
    decisions: 'Decisions',
    noDecisions: 'No decision recorded.',
    decision: 'Decision',
    motion: 'Motion',
    yesNo: 'For / against',
    decidedAt: 'Decided on',
    minutes: 'Minutes',
    minutesApproved: 'Minutes approved. Their SHA-256 fingerprint (the ledger does not keep the document itself):',
    minutesPending: 'The minutes are not approved yet.',
    minutesHint: 'To check a copy of the minutes, compute its SHA-256 and compare it with this one.',
    asOfNotice: (date: string) => `The meeting as of ${date}.`,
    now: 'See the current state',
  },
});

/** One meeting: agenda, attendance, quorum, motions with their votes and outcome, decisions, minutes' hash. */
export function MeetingPage({ meetingId, query }: { meetingId: string; query: URLSearchParams }) {
  const m = useMessages(messages);
  const l = useMessages(labels);
  const session = useSession();
  const asOf = query.get('asOf');
  const meeting = useApi<MeetingDetail>(`/governance/meetings/${encodeURIComponent(meetingId)}`, { seq: query.get('seq'), asOf: apiAsOf(asOf), clock: query.get('clock') });

  if (meeting.error) {
    return (
      <Page title={meetingId}>
        <ProblemMessage problem={meeting.error} onRetry={meeting.reload} />
      </Page>
    );
  }
  if (!meeting.data) {
    return (
      <Page title={meetingId}>
        <Loading />
      </Page>
    );
  }
  const data = meeting.data;
  const known = new Map<string, Named>([...data.roster, ...data.attendance].map((member) => [member.memberId, member]));
  const who = (memberId: string | null) => (memberId ? <MemberName member={known.get(memberId) ?? { memberId }} /> : '—');
  const attendanceOf = new Map(data.attendance.map((a) => [a.memberId, a]));
  const mayRecord = (session?.role === 'administrator' || session?.role === 'body-secretary') && !['minutes_approved', 'cancelled'].includes(data.status);
  const agendaTitle = (itemId: string | null) => (itemId ? (data.agenda.find((item) => item.itemId === itemId)?.title ?? itemId) : '—');

  return (
    <Page
      title={data.title}
      actions={
        mayRecord && !asOf ? (
          <a className="button-primary gov-action" href={href(['governance', 'meetings', meetingId, 'record'])}>
            {m.record}
          </a>
        ) : undefined
      }
    >
      <p>
        <a href={href(['governance'], { bodyId: data.bodyId })}>{m.back}</a>
      </p>
      {asOf && (
        <p className="notice">
          {m.asOfNotice(formatDate(asOf))} <a href={href(['governance', 'meetings', meetingId])}>{m.now}</a>
        </p>
      )}
      <dl className="gov-facts">
        <dt>{m.body}</dt>
        <dd>
          <a href={href(['governance', 'bodies', data.bodyId])}>{data.bodyId}</a> ({l.function[data.bodyFunction] ?? data.bodyFunction})
        </dd>
        <dt>{m.date}</dt>
        <dd>{formatDate(data.date)}</dd>
        <dt>{m.status}</dt>
        <dd>
          <span className="badge" data-testid="meeting-status">
            {l.meetingStatus[data.status] ?? data.status}
          </span>
        </dd>
        <dt>{m.session}</dt>
        <dd>{m.sessionN(data.session)}</dd>
        {data.reason && (
          <>
            <dt>{m.reason}</dt>
            <dd>{data.reason}</dd>
          </>
        )}
      </dl>

      <h2>{m.agenda}</h2>
      {data.agenda.length === 0 ? (
        <p>{m.noAgenda}</p>
      ) : (
        <ol>
          {data.agenda.map((item) => (
            <li key={item.itemId}>{item.title}</li>
          ))}
        </ol>
      )}

      <h2>{m.attendance}</h2>
      {data.attendance.length === 0 && <p>{m.noAttendance}</p>}
      <ScrollTable label={m.attendance}>
        <table aria-label={m.attendance}>
          <thead>
            <tr>
              <th scope="col">{m.member}</th>
              <th scope="col">{m.party}</th>
              <th scope="col">{m.voting}</th>
              <th scope="col">{m.presence}</th>
              <th scope="col">{m.proxy}</th>
            </tr>
          </thead>
          <tbody>
            {data.roster.map((member) => {
              const attendance = attendanceOf.get(member.memberId);
              return (
                <tr key={member.memberId}>
                  <th scope="row">
                    <MemberName member={member} />
                  </th>
                  <td>{member.partyId}</td>
                  <td>{member.votingRight ? l.yes : l.no}</td>
                  <td>{attendance ? l.attendance[attendance.status] : m.notRecorded}</td>
                  <td>{attendance?.proxyMemberId ? who(attendance.proxyMemberId) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>

      <h2>{m.quorum}</h2>
      {data.quorum === null ? (
        <p>{m.noQuorum}</p>
      ) : (
        <>
          <p className={data.quorum.reached ? 'verdict yes' : 'verdict no'} data-testid="quorum-verdict">
            {data.quorum.reached ? m.quorumReached(data.quorum.counted, data.quorum.required) : m.quorumMissed(data.quorum.counted, data.quorum.required)}
          </p>
          <dl className="gov-facts">
            <dt>{m.rule}</dt>
            <dd>{l.quorumRule(data.quorum.rule)}</dd>
            <dt>{m.votingMembers}</dt>
            <dd>{formatNumber(data.quorum.votingMembers)}</dd>
            <dt>{m.present}</dt>
            <dd>{formatNumber(data.quorum.present)}</dd>
            <dt>{m.represented}</dt>
            <dd>{formatNumber(data.quorum.represented)}</dd>
            <dt>{m.checkedSession}</dt>
            <dd>{formatNumber(data.quorum.session)}</dd>
          </dl>
        </>
      )}

      <h2>{m.motions}</h2>
      {data.motions.length === 0 && <p>{m.noMotions}</p>}
      {data.motions.map((motion) => {
        const decision = data.decisions.find((d) => d.decisionId === motion.decisionId);
        return (
          <section key={motion.motionId} className="card gov-motion" aria-labelledby={`motion-${motion.motionId}`}>
            <h3 id={`motion-${motion.motionId}`}>{motion.text}</h3>
            <dl className="gov-facts">
              <dt>{m.motion}</dt>
              <dd className="gov-id">{motion.motionId}</dd>
              <dt>{m.about}</dt>
              <dd>
                {l.targetKind[motion.target.kind] ?? motion.target.kind}
                {motion.target.id && <> — <TargetLink kind={motion.target.kind} id={motion.target.id} /></>}
              </dd>
              <dt>{m.agendaItem}</dt>
              <dd>{agendaTitle(motion.agendaItemId)}</dd>
              <dt>{m.tabledAt}</dt>
              <dd>{formatDateTime(motion.tabledAt)}</dd>
              <dt>{m.outcome}</dt>
              <dd>{decision ? <strong>{l.outcome[decision.outcome]}</strong> : m.pending}</dd>
            </dl>
            {motion.counts === null ? (
              <p>{m.notVoted}</p>
            ) : (
              <>
                <ScrollTable label={m.counts}>
                  <table>
                    <caption>{m.counts}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{m.option}</th>
                        <th scope="col" className="num">
                          {m.count}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {VOTE_OPTIONS.map((option) => (
                        <tr key={option}>
                          <th scope="row">{l.vote[option]}</th>
                          <td className="num">{formatNumber(motion.counts?.find((c) => c.option === option)?.value ?? 0)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollTable>
                <ScrollTable label={m.votes}>
                  <table>
                    <caption>{m.votes}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{m.member}</th>
                        <th scope="col">{m.option}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {motion.votes.map((vote) => (
                        <tr key={vote.memberId}>
                          <th scope="row">
                            <MemberName member={vote} />
                          </th>
                          <td>
                            {l.vote[vote.option] ?? vote.option}
                            {vote.proxyMemberId && <> ({m.byProxy(known.get(vote.proxyMemberId)?.displayName || vote.proxyMemberId)})</>}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollTable>
              </>
            )}
          </section>
        );
      })}

      <h2>{m.decisions}</h2>
      {data.decisions.length === 0 ? (
        <p>{m.noDecisions}</p>
      ) : (
        <ScrollTable label={m.decisions}>
          <table aria-label={m.decisions}>
            <thead>
              <tr>
                <th scope="col">{m.decision}</th>
                <th scope="col">{m.motion}</th>
                <th scope="col">{m.about}</th>
                <th scope="col">{m.outcome}</th>
                <th scope="col">{m.yesNo}</th>
                <th scope="col">{m.decidedAt}</th>
              </tr>
            </thead>
            <tbody>
              {data.decisions.map((decision) => (
                <tr key={decision.decisionId}>
                  <th scope="row" className="gov-id">
                    {decision.decisionId}
                  </th>
                  <td className="gov-id">{decision.motionId}</td>
                  <td>
                    {l.targetKind[decision.target.kind] ?? decision.target.kind}
                    {decision.target.id && <> — <TargetLink kind={decision.target.kind} id={decision.target.id} /></>}
                  </td>
                  <td>
                    <strong>{l.outcome[decision.outcome] ?? decision.outcome}</strong>
                  </td>
                  <td>
                    {formatNumber(decision.yes)} / {formatNumber(decision.no)}
                  </td>
                  <td>{formatDateTime(decision.decidedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}

      <h2>{m.minutes}</h2>
      {data.minutesSha256 ? (
        <>
          <p>{m.minutesApproved}</p>
          <p className="hash" data-testid="minutes-hash">
            {data.minutesSha256}
          </p>
          <p className="hint">{m.minutesHint}</p>
        </>
      ) : (
        <p>{m.minutesPending}</p>
      )}
    </Page>
  );
}

function TargetLink({ kind, id }: { kind: string; id: string }) {
  if (kind === 'amendment') return <a href={href(['amendments', id])}>{id}</a>;
  if (kind === 'commitment') return <a href={href(['commitments', id])}>{id}</a>;
  return <span className="gov-id">{id}</span>;
}
