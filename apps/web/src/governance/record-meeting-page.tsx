import { createContext, type FormEvent, type ReactNode, useContext, useState } from 'react';
import type { ApiProblem, CommandAnswer } from '../shell/api';
import { useApi } from '../shell/api';
import { defineMessages, formatDate, formatNumber, useMessages } from '../shell/i18n';
import { href, navigate, useRoute } from '../shell/router';
import { useSession } from '../shell/session';
import { Field, FormProblem, Select, TextArea, TextField } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';
import {
  ATTENDANCE_STATUSES,
  type AttendanceStatus,
  FieldMessages,
  instantOf,
  labels,
  MemberName,
  type MeetingDetail,
  MOTION_TARGET_KINDS,
  nameOf,
  useCommand as useBareCommand,
  VOTE_OPTIONS,
  type VoteOption,
  ScrollTable,
} from './shared';

const messages = defineMessages({
  fr: {
    title: (meeting: string) => `Enregistrer la séance : ${meeting}`,
    intro: "Le secrétariat de l'instance enregistre la séance pas à pas : présences, vérification du quorum, motion, vote, décision. Chaque étape est inscrite au registre dès qu'elle est validée.",
    seeMeeting: 'Voir la séance',
    otherMandate: (mandate: string, body: string) =>
      `Votre mandat de secrétariat porte sur l'instance ${mandate}, et cette séance est une séance de ${body} : le registre refusera vos enregistrements.`,
    recorded: (what: string, seq: number | string) => `${what} — inscrit au registre (événement n° ${seq}).`,
    done: {
      schedule: 'Séance programmée',
      agenda: "Point ajouté à l'ordre du jour",
      convene: 'Séance convoquée',
      open: 'Séance ouverte',
      attendance: 'Présences enregistrées',
      quorum: 'Quorum vérifié',
      motion: 'Motion déposée',
      vote: 'Vote enregistré',
      decision: 'Décision enregistrée',
      close: 'Séance close',
      minutes: 'Procès-verbal approuvé',
    } as Record<string, string>,
    state: 'Où en est la séance',
    status: 'Statut',
    date: 'Date',
    present: 'Présents ou représentés',
    quorum: 'Quorum',
    quorumNotChecked: 'non vérifié pour cette session',
    quorumYes: (c: number, r: number) => `atteint (${c} sur ${r} requis)`,
    quorumNo: (c: number, r: number) => `non atteint (${c} sur ${r} requis)`,
    motionsState: 'Motions',
    decisionsState: 'Décisions',
    notYet: 'Pas encore possible',
    onlyWhen: (statuses: string) => `Possible quand la séance est : ${statuses}.`,
    when: 'Date et heure des faits enregistrés (facultatif)',
    whenHint: "Laissez vide pour une séance en cours ; pour une séance passée, l'heure (de Paris) à laquelle elle s'est tenue.",
    preparation: "1. Ordre du jour, convocation et ouverture",
    itemId: 'Identifiant du point',
    itemTitle: 'Intitulé du point',
    addItem: "Ajouter à l'ordre du jour",
    convene: 'Convoquer la séance',
    conveneHint: "La convocation porte l'ordre du jour : ajoutez-y au moins un point.",
    open: 'Ouvrir la séance',
    attendance: '2. Présences',
    attendanceHint: 'Une ligne par membre de l’instance. Un membre représenté donne procuration à un membre présent ayant voix délibérative.',
    member: 'Membre',
    voting: 'Voix délibérative',
    presence: 'Présence',
    presenceOf: (name: string) => `Présence de ${name}`,
    proxy: 'Procuration donnée à',
    proxyOf: (name: string) => `Procuration donnée par ${name} à`,
    noProxy: '— aucune —',
    saveAttendance: 'Enregistrer les présences',
    quorumStep: '3. Quorum',
    quorumHint: 'Le registre compte les membres ayant voix délibérative présents ou représentés et applique la règle de quorum de l’instance.',
    checkQuorum: 'Vérifier le quorum',
    motion: '4. Motion',
    motionId: 'Identifiant de la motion',
    motionText: 'Texte de la motion',
    targetKind: 'Objet de la motion',
    targetId: "Identifiant de l'objet (avenant, engagement, contrat)",
    agendaItem: "Point de l'ordre du jour",
    noAgendaItem: '— aucun —',
    tableMotion: 'Déposer la motion',
    vote: '5. Vote',
    voteColumn: 'Vote',
    noMotionToVote: 'Aucune motion en attente de vote.',
    motionToVote: 'Motion mise aux voix',
    voteOf: (name: string) => `Vote de ${name}`,
    chooseVote: '— choisir —',
    byProxy: (proxy: string) => `par procuration (${proxy})`,
    countsLegend: 'Décompte déclaré',
    countsHint: 'Le décompte du procès-verbal ; il doit être égal au total des votes individuels.',
    countOf: (option: string) => `Nombre de votes « ${option} »`,
    tally: (n: number) => `Votes individuels saisis : ${n}`,
    saveVote: 'Enregistrer le vote',
    decision: '6. Décision',
    noMotionToDecide: 'Aucune motion votée en attente de décision.',
    motionToDecide: 'Motion votée',
    decisionId: 'Identifiant de la décision',
    decisionIdHint: 'Les avenants et engagements citeront la décision par cet identifiant.',
    outcome: 'Issue attendue (facultatif)',
    outcomeHint: 'Le registre déduit l’issue du vote (adoptée si plus de pour que de contre) et refuse une issue contraire.',
    anyOutcome: '— déduite du vote —',
    saveDecision: 'Enregistrer la décision',
    close: '7. Clôture',
    closeMeeting: 'Clore la séance',
    minutes: '8. Procès-verbal',
    minutesFile: 'Document du procès-verbal',
    minutesFileHint: "L'empreinte SHA-256 est calculée dans votre navigateur ; le document n'est pas envoyé.",
    minutesSha256: 'Empreinte SHA-256 du procès-verbal',
    approveMinutes: 'Approuver le procès-verbal',
    sending: 'Envoi…',
  },
  en: {
    title: (meeting: string) => `Record the meeting: ${meeting}`,
    intro: "The body's secretary records the meeting step by step: attendance, quorum check, motion, vote, decision. Each step is written to the ledger as soon as it is submitted.",
    seeMeeting: 'See the meeting',
    otherMandate: (mandate: string, body: string) =>
      `Your secretary's mandate is for body ${mandate}, and this is a meeting of ${body}: the ledger will refuse what you record.`,
    recorded: (what: string, seq: number | string) => `${what} — written to the ledger (event no. ${seq}).`,
    done: {
      schedule: 'Meeting scheduled',
      agenda: 'Item added to the agenda',
      convene: 'Meeting convened',
      open: 'Session opened',
      attendance: 'Attendance recorded',
      quorum: 'Quorum checked',
      motion: 'Motion tabled',
      vote: 'Vote recorded',
      decision: 'Decision recorded',
      close: 'Meeting closed',
      minutes: 'Minutes approved',
    } as Record<string, string>,
    state: 'Where the meeting stands',
    status: 'Status',
    date: 'Date',
    present: 'Present or represented',
    quorum: 'Quorum',
    quorumNotChecked: 'not checked for this session',
    quorumYes: (c: number, r: number) => `reached (${c} of ${r} required)`,
    quorumNo: (c: number, r: number) => `not reached (${c} of ${r} required)`,
    motionsState: 'Motions',
    decisionsState: 'Decisions',
    notYet: 'Not possible yet',
    onlyWhen: (statuses: string) => `Possible when the meeting is: ${statuses}.`,
    when: 'Date and time of the facts recorded (optional)',
    whenHint: 'Leave empty for a meeting in progress; for a past meeting, the (Paris) time at which it was held.',
    preparation: '1. Agenda, convocation and opening',
    itemId: 'Item id',
    itemTitle: 'Item title',
    addItem: 'Add to the agenda',
    convene: 'Convene the meeting',
    conveneHint: 'The convocation states the agenda: add at least one item to it.',
    open: 'Open the session',
    attendance: '2. Attendance',
    attendanceHint: 'One row per member of the body. A represented member gives a proxy to a present member with a voting right.',
    member: 'Member',
    voting: 'Voting right',
    presence: 'Attendance',
    presenceOf: (name: string) => `Attendance of ${name}`,
    proxy: 'Proxy given to',
    proxyOf: (name: string) => `Proxy given by ${name} to`,
    noProxy: '— none —',
    saveAttendance: 'Record the attendance',
    quorumStep: '3. Quorum',
    quorumHint: "The ledger counts the members with a voting right present or represented and applies the body's quorum rule.",
    checkQuorum: 'Check the quorum',
    motion: '4. Motion',
    motionId: 'Motion id',
    motionText: 'Text of the motion',
    targetKind: 'What the motion is about',
    targetId: 'Id of the subject (amendment, commitment, contract)',
    agendaItem: 'Agenda item',
    noAgendaItem: '— none —',
    tableMotion: 'Table the motion',
    vote: '5. Vote',
    voteColumn: 'Vote',
    noMotionToVote: 'No motion awaits a vote.',
    motionToVote: 'Motion put to the vote',
    voteOf: (name: string) => `Vote of ${name}`,
    chooseVote: '— choose —',
    byProxy: (proxy: string) => `by proxy (${proxy})`,
    countsLegend: 'Declared counts',
    countsHint: 'The counts of the minutes; they must equal the tally of the individual votes.',
    countOf: (option: string) => `Number of “${option}” votes`,
    tally: (n: number) => `Individual votes entered: ${n}`,
    saveVote: 'Record the vote',
    decision: '6. Decision',
    noMotionToDecide: 'No voted motion awaits a decision.',
    motionToDecide: 'Voted motion',
    decisionId: 'Decision id',
    decisionIdHint: 'Amendments and commitments will cite the decision by this id.',
    outcome: 'Expected outcome (optional)',
    outcomeHint: 'The ledger derives the outcome from the vote (approved when more for than against) and refuses the other.',
    anyOutcome: '— from the vote —',
    saveDecision: 'Record the decision',
    close: '7. Closing',
    closeMeeting: 'Close the meeting',
    minutes: '8. Minutes',
    minutesFile: 'Minutes document',
    minutesFileHint: 'The SHA-256 fingerprint is computed in your browser; the document is not sent.',
    minutesSha256: 'SHA-256 fingerprint of the minutes',
    approveMinutes: 'Approve the minutes',
    sending: 'Sending…',
  },
});

/** When the facts recorded took place (`effectiveAt` of every step); empty: now. */
const When = createContext('');

/** A command of this page: its body carries the time of the facts the secretary gave, if any. */
function useCommand() {
  const when = useContext(When);
  const command = useBareCommand();
  const effectiveAt = instantOf(when);
  return { ...command, submit: (path: string, body: object, onDone: (answer: CommandAnswer) => void) => command.submit(path, { ...body, ...(effectiveAt && { effectiveAt }) }, onDone) };
}

/**
 * The end of every step's form: the API's refusal that names no field of the form (or a field it does not
 * show), then the submit button, which says the command is on its way while it is.
 */
function StepFooter({
  command,
  fields,
  label,
  wide,
  secondary,
}: {
  command: { problem?: ApiProblem; busy: boolean };
  fields: readonly string[];
  label: string;
  wide?: boolean;
  secondary?: boolean;
}) {
  const m = useMessages(messages);
  return (
    <>
      <FormProblem problem={command.problem} fields={fields} />
      <div className={wide ? 'gov-submit' : undefined}>
        <button type="submit" className={secondary ? 'secondary' : undefined} disabled={command.busy}>
          {command.busy ? m.sending : label}
        </button>
      </div>
    </>
  );
}

type Step = 'agenda' | 'convene' | 'open' | 'attendance' | 'quorum' | 'motion' | 'vote' | 'decision' | 'close' | 'minutes';

/**
 * The body secretary's record of a meeting, one command per step (apps/api/src/meetings/*), in the order
 * the Meeting decider allows. After each step the page reads the meeting again at the answered `seq`.
 */
export function RecordMeetingPage({ meetingId }: { meetingId: string }) {
  const m = useMessages(messages);
  const l = useMessages(labels);
  const session = useSession();
  const route = useRoute();
  const seq = route.query.get('seq');
  const done = route.query.get('done');
  const meeting = useApi<MeetingDetail>(`/governance/meetings/${encodeURIComponent(meetingId)}`, { seq });
  const [when, setWhen] = useState('');

  if (meeting.error) {
    return (
      <Page title={m.title(meetingId)}>
        <ProblemMessage problem={meeting.error} onRetry={meeting.reload} />
      </Page>
    );
  }
  if (!meeting.data) {
    return (
      <Page title={m.title(meetingId)}>
        <Loading />
      </Page>
    );
  }
  const data = meeting.data;
  const base = `/meetings/${encodeURIComponent(meetingId)}`;
  const after = (step: Step) => (answer: CommandAnswer) =>
    navigate(href(['governance', 'meetings', meetingId, 'record'], { seq: answer.seq, done: step }), { replace: true });
  const statusIn = (...statuses: string[]) => statuses.includes(data.status);
  const unavailable = (...statuses: string[]) => (
    <p className="notice">
      {m.notYet}. {m.onlyWhen(statuses.map((s) => l.meetingStatus[s]).join(', '))}
    </p>
  );
  const attending = data.attendance.filter((a) => a.status === 'present' || a.status === 'represented').length;
  const formKey = `${data.lastSeq}`;

  return (
    <Page title={m.title(data.title)}>
      <p>{m.intro}</p>
      <p>
        <a href={href(['governance', 'meetings', meetingId], { seq: data.lastSeq })}>{m.seeMeeting}</a>
      </p>
      {session?.role === 'body-secretary' && session.mandate !== data.bodyId && (
        <p className="notice" data-testid="other-mandate">
          {m.otherMandate(session.mandate ?? '—', data.bodyId)}
        </p>
      )}
      {done && seq && m.done[done] && data.lastSeq >= Number(seq) && (
        <p role="status" className="success">
          {m.recorded(m.done[done], seq)}
        </p>
      )}

      <section aria-labelledby="rec-state" className="card gov-state">
        <h2 id="rec-state">{m.state}</h2>
        <dl className="gov-facts">
          <dt>{m.date}</dt>
          <dd>{formatDate(data.date)}</dd>
          <dt>{m.status}</dt>
          <dd>
            <span className="badge" data-testid="record-status">
              {l.meetingStatus[data.status] ?? data.status}
            </span>
          </dd>
          <dt>{m.present}</dt>
          <dd>
            {formatNumber(attending)} / {formatNumber(data.roster.length)}
          </dd>
          <dt>{m.quorum}</dt>
          <dd data-testid="record-quorum">
            {data.quorum === null ? m.quorumNotChecked : data.quorum.reached ? m.quorumYes(data.quorum.counted, data.quorum.required) : m.quorumNo(data.quorum.counted, data.quorum.required)}
          </dd>
          <dt>{m.motionsState}</dt>
          <dd>{data.motions.length === 0 ? '—' : data.motions.map((motion) => motion.motionId).join(', ')}</dd>
          <dt>{m.decisionsState}</dt>
          <dd data-testid="record-decisions">{data.decisions.length === 0 ? '—' : data.decisions.map((d) => `${d.decisionId} (${l.outcome[d.outcome]})`).join(', ')}</dd>
        </dl>
      </section>

      <div className="form">
        <TextField label={m.when} name="effectiveAt" type="datetime-local" hint={m.whenHint} value={when} onChange={(e) => setWhen(e.target.value)} />
      </div>
      <When.Provider value={when}>
        <Step title={m.preparation} id="rec-prep">
          {statusIn('scheduled', 'convened', 'in_session') ? (
            <>
              {data.agenda.length > 0 && (
                <ol>
                  {data.agenda.map((item) => (
                    <li key={item.itemId}>
                      {item.title} <span className="gov-id">({item.itemId})</span>
                    </li>
                  ))}
                </ol>
              )}
              <AgendaItemForm key={formKey} path={`${base}/agenda-items`} next={`odj-${data.agenda.length + 1}`} onDone={after('agenda')} />
              {data.status === 'scheduled' && <ActionButton path={`${base}/convene`} label={m.convene} hint={m.conveneHint} onDone={after('convene')} />}
              {data.status === 'convened' && <ActionButton path={`${base}/open`} label={m.open} onDone={after('open')} />}
            </>
          ) : (
            unavailable('scheduled', 'convened', 'in_session')
          )}
        </Step>

        <Step title={m.attendance} id="rec-attendance">
          {statusIn('convened', 'in_session') ? <AttendanceForm key={formKey} meeting={data} path={`${base}/attendance`} onDone={after('attendance')} /> : unavailable('convened', 'in_session')}
        </Step>

        <Step title={m.quorumStep} id="rec-quorum">
          {statusIn('in_session') ? <ActionButton path={`${base}/quorum-checks`} label={m.checkQuorum} hint={m.quorumHint} onDone={after('quorum')} /> : unavailable('in_session')}
        </Step>

        <Step title={m.motion} id="rec-motion">
          {statusIn('scheduled', 'convened', 'in_session') ? <MotionForm key={formKey} meeting={data} path={`${base}/motions`} onDone={after('motion')} /> : unavailable('scheduled', 'convened', 'in_session')}
        </Step>

        <Step title={m.vote} id="rec-vote">
          {statusIn('in_session') ? <VoteForm key={formKey} meeting={data} base={base} onDone={after('vote')} /> : unavailable('in_session')}
        </Step>

        <Step title={m.decision} id="rec-decision">
          {statusIn('in_session') ? <DecisionForm key={formKey} meeting={data} path={`${base}/decisions`} onDone={after('decision')} /> : unavailable('in_session')}
        </Step>

        <Step title={m.close} id="rec-close">
          {statusIn('in_session') ? <ActionButton path={`${base}/close`} label={m.closeMeeting} onDone={after('close')} /> : unavailable('in_session')}
        </Step>

        <Step title={m.minutes} id="rec-minutes">
          {statusIn('closed') ? <MinutesForm key={formKey} path={`${base}/minutes`} onDone={after('minutes')} /> : unavailable('closed')}
        </Step>
      </When.Provider>
    </Page>
  );
}

function Step({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="gov-step">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A command with no body of its own (convene, open, check the quorum, close). */
function ActionButton({ path, label, hint, onDone }: { path: string; label: string; hint?: string; onDone: (answer: CommandAnswer) => void }) {
  const m = useMessages(messages);
  const command = useCommand();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.submit(path, {}, onDone);
  };
  return (
    <form className="form" onSubmit={submit}>
      {hint && <p className="hint">{hint}</p>}
      <StepFooter command={command} fields={[]} label={label} />
    </form>
  );
}

function AgendaItemForm({ path, next, onDone }: { path: string; next: string; onDone: (answer: CommandAnswer) => void }) {
  const m = useMessages(messages);
  const command = useCommand();
  const [form, setForm] = useState({ itemId: next, title: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.submit(path, form, onDone);
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <TextField label={m.itemId} name="itemId" problem={command.problem} value={form.itemId} onChange={(e) => setForm({ ...form, itemId: e.target.value })} />
      <TextField label={m.itemTitle} name="title" problem={command.problem} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
      <StepFooter command={command} fields={['itemId', 'title']} label={m.addItem} secondary />
    </form>
  );
}

function AttendanceForm({ meeting, path, onDone }: { meeting: MeetingDetail; path: string; onDone: (answer: CommandAnswer) => void }) {
  const m = useMessages(messages);
  const l = useMessages(labels);
  const command = useCommand();
  const recorded = new Map(meeting.attendance.map((a) => [a.memberId, a]));
  const [rows, setRows] = useState(() =>
    meeting.roster.map((member) => ({ memberId: member.memberId, status: (recorded.get(member.memberId)?.status ?? '') as AttendanceStatus | '', proxyMemberId: recorded.get(member.memberId)?.proxyMemberId ?? '' })),
  );
  const set = (i: number, change: Partial<(typeof rows)[number]>) => setRows(rows.map((row, j) => (j === i ? { ...row, ...change } : row)));
  const voters = meeting.roster.filter((member) => member.votingRight);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const attendance = rows.map((row) => ({ memberId: row.memberId, status: row.status, ...(row.status === 'represented' && row.proxyMemberId && { proxyMemberId: row.proxyMemberId }) }));
    void command.submit(path, { attendance }, onDone);
  };
  const fields = rows.flatMap((_, i) => [`attendance[${i}].memberId`, `attendance[${i}].status`, `attendance[${i}].proxyMemberId`]);
  return (
    <form onSubmit={submit} noValidate aria-label={m.attendance}>
      <p className="hint">{m.attendanceHint}</p>
      <ScrollTable label={m.attendance}>
        <table className="gov-grid">
          <thead>
            <tr>
              <th scope="col">{m.member}</th>
              <th scope="col">{m.voting}</th>
              <th scope="col">{m.presence}</th>
              <th scope="col">{m.proxy}</th>
            </tr>
          </thead>
          <tbody>
            {meeting.roster.map((member, i) => {
              const name = nameOf(member, member.memberId);
              return (
                <tr key={member.memberId} data-member={member.memberId}>
                  <th scope="row">
                    <MemberName member={member} />
                    <span className="gov-party">{member.partyId}</span>
                    <FieldMessages problem={command.problem} name={`attendance[${i}].memberId`} />
                  </th>
                  <td>{member.votingRight ? l.yes : l.no}</td>
                  <td>
                    <Select label={m.presenceOf(name)} name={`attendance[${i}].status`} problem={command.problem} value={rows[i].status} onChange={(e) => set(i, { status: e.target.value as AttendanceStatus })}>
                      <option value="">{m.chooseVote}</option>
                      {ATTENDANCE_STATUSES.map((status) => (
                        <option key={status} value={status}>
                          {l.attendance[status]}
                        </option>
                      ))}
                    </Select>
                  </td>
                  <td>
                    <Select
                      label={m.proxyOf(name)}
                      name={`attendance[${i}].proxyMemberId`}
                      problem={command.problem}
                      value={rows[i].proxyMemberId}
                      disabled={rows[i].status !== 'represented'}
                      onChange={(e) => set(i, { proxyMemberId: e.target.value })}
                    >
                      <option value="">{m.noProxy}</option>
                      {voters
                        .filter((voter) => voter.memberId !== member.memberId)
                        .map((voter) => (
                          <option key={voter.memberId} value={voter.memberId}>
                            {nameOf(voter, voter.memberId)}
                          </option>
                        ))}
                    </Select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
      <StepFooter command={command} fields={fields} label={m.saveAttendance} wide />
    </form>
  );
}

function MotionForm({ meeting, path, onDone }: { meeting: MeetingDetail; path: string; onDone: (answer: CommandAnswer) => void }) {
  const m = useMessages(messages);
  const l = useMessages(labels);
  const command = useCommand();
  const [form, setForm] = useState({
    motionId: `motion-${meeting.motions.length + 1}`,
    text: '',
    kind: 'other' as string,
    id: '',
    agendaItemId: meeting.agenda[0]?.itemId ?? '',
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.submit(path, { motionId: form.motionId, text: form.text, target: { kind: form.kind, id: form.id || null }, agendaItemId: form.agendaItemId || null }, onDone);
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={m.motion}>
      <TextField label={m.motionId} name="motionId" problem={command.problem} value={form.motionId} onChange={(e) => setForm({ ...form, motionId: e.target.value })} />
      <TextArea label={m.motionText} name="text" problem={command.problem} value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} />
      <Select label={m.targetKind} name="target.kind" problem={command.problem} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
        {MOTION_TARGET_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {l.targetKind[kind]}
          </option>
        ))}
      </Select>
      <TextField label={m.targetId} name="target.id" problem={command.problem} value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} />
      <Select label={m.agendaItem} name="agendaItemId" problem={command.problem} value={form.agendaItemId} onChange={(e) => setForm({ ...form, agendaItemId: e.target.value })}>
        <option value="">{m.noAgendaItem}</option>
        {meeting.agenda.map((item) => (
          <option key={item.itemId} value={item.itemId}>
            {item.title}
          </option>
        ))}
      </Select>
      <StepFooter command={command} fields={['motionId', 'text', 'target', 'target.kind', 'target.id', 'agendaItemId']} label={m.tableMotion} />
    </form>
  );
}

function VoteForm({ meeting, base, onDone }: { meeting: MeetingDetail; base: string; onDone: (answer: CommandAnswer) => void }) {
  const m = useMessages(messages);
  const l = useMessages(labels);
  const command = useCommand();
  const open = meeting.motions.filter((motion) => motion.counts === null);
  const voters = meeting.roster.filter((member) => member.votingRight);
  const attendance = new Map(meeting.attendance.map((a) => [a.memberId, a]));
  const known = new Map(meeting.roster.map((member) => [member.memberId, member]));
  const [motionId, setMotionId] = useState(open[0]?.motionId ?? '');
  const [options, setOptions] = useState<(VoteOption | '')[]>(() =>
    voters.map((voter) => {
      const status = attendance.get(voter.memberId)?.status;
      return status === 'present' || status === 'represented' ? '' : 'absent';
    }),
  );
  const [counts, setCounts] = useState<string[]>(() => VOTE_OPTIONS.map(() => ''));
  if (open.length === 0) return <p>{m.noMotionToVote}</p>;
  const tally = (option: VoteOption) => options.filter((o) => o === option).length;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const votes = voters.map((voter, i) => ({ memberId: voter.memberId, option: options[i] }));
    const declared = VOTE_OPTIONS.map((option, i) => ({ option, value: counts[i] === '' ? 0 : Number(counts[i]) }));
    void command.submit(`${base}/motions/${encodeURIComponent(motionId)}/votes`, { votes, counts: declared }, onDone);
  };
  const fields = [...voters.flatMap((_, i) => [`votes[${i}].memberId`, `votes[${i}].option`, `votes[${i}].proxyMemberId`]), ...VOTE_OPTIONS.flatMap((_, i) => [`counts[${i}].value`, `counts[${i}].option`]), 'motionId'];
  return (
    <form onSubmit={submit} noValidate aria-label={m.vote}>
      <div className="form">
        <Select label={m.motionToVote} name="motionId" problem={command.problem} value={motionId} onChange={(e) => setMotionId(e.target.value)}>
          {open.map((motion) => (
            <option key={motion.motionId} value={motion.motionId}>
              {motion.motionId} — {motion.text.length > 80 ? `${motion.text.slice(0, 80)}…` : motion.text}
            </option>
          ))}
        </Select>
      </div>
      <ScrollTable label={m.voteColumn}>
        <table className="gov-grid">
          <thead>
            <tr>
              <th scope="col">{m.member}</th>
              <th scope="col">{m.presence}</th>
              <th scope="col">{m.voteColumn}</th>
            </tr>
          </thead>
          <tbody>
            {voters.map((voter, i) => {
              const present = attendance.get(voter.memberId);
              const name = nameOf(voter, voter.memberId);
              return (
                <tr key={voter.memberId} data-member={voter.memberId}>
                  <th scope="row">
                    <MemberName member={voter} />
                    <FieldMessages problem={command.problem} name={`votes[${i}].memberId`} />
                    <FieldMessages problem={command.problem} name={`votes[${i}].proxyMemberId`} />
                  </th>
                  <td>
                    {present ? l.attendance[present.status] : '—'}
                    {present?.proxyMemberId && <> — {m.byProxy(nameOf(known.get(present.proxyMemberId), present.proxyMemberId))}</>}
                  </td>
                  <td>
                    <Select label={m.voteOf(name)} name={`votes[${i}].option`} problem={command.problem} value={options[i]} onChange={(e) => setOptions(options.map((o, j) => (j === i ? (e.target.value as VoteOption) : o)))}>
                      <option value="">{m.chooseVote}</option>
                      {VOTE_OPTIONS.map((option) => (
                        <option key={option} value={option}>
                          {l.vote[option]}
                        </option>
                      ))}
                    </Select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>
      <fieldset className="gov-counts">
        <legend>{m.countsLegend}</legend>
        <p className="hint">{m.countsHint}</p>
        {VOTE_OPTIONS.map((option, i) => (
          <TextField
            key={option}
            label={m.countOf(l.vote[option])}
            name={`counts[${i}].value`}
            hint={m.tally(tally(option))}
            problem={command.problem}
            type="number"
            min={0}
            inputMode="numeric"
            value={counts[i]}
            onChange={(e) => setCounts(counts.map((c, j) => (j === i ? e.target.value : c)))}
          />
        ))}
      </fieldset>
      <StepFooter command={command} fields={fields} label={m.saveVote} wide />
    </form>
  );
}

function DecisionForm({ meeting, path, onDone }: { meeting: MeetingDetail; path: string; onDone: (answer: CommandAnswer) => void }) {
  const m = useMessages(messages);
  const l = useMessages(labels);
  const command = useCommand();
  const voted = meeting.motions.filter((motion) => motion.counts !== null && motion.decisionId === null);
  const [motionId, setMotionId] = useState(voted[0]?.motionId ?? '');
  const [decisionId, setDecisionId] = useState(voted[0] ? `decision-${meeting.meetingId}-${voted[0].motionId}` : '');
  const [outcome, setOutcome] = useState('');
  if (voted.length === 0) return <p>{m.noMotionToDecide}</p>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.submit(path, { motionId, decisionId, ...(outcome && { outcome }) }, onDone);
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={m.decision}>
      <Select
        label={m.motionToDecide}
        name="motionId"
        problem={command.problem}
        value={motionId}
        onChange={(e) => {
          setMotionId(e.target.value);
          setDecisionId(`decision-${meeting.meetingId}-${e.target.value}`);
        }}
      >
        {voted.map((motion) => (
          <option key={motion.motionId} value={motion.motionId}>
            {motion.motionId} — {l.vote.yes} {motion.counts?.find((c) => c.option === 'yes')?.value ?? 0}, {l.vote.no} {motion.counts?.find((c) => c.option === 'no')?.value ?? 0}
          </option>
        ))}
      </Select>
      <TextField label={m.decisionId} name="decisionId" hint={m.decisionIdHint} problem={command.problem} value={decisionId} onChange={(e) => setDecisionId(e.target.value)} />
      <Select label={m.outcome} name="outcome" hint={m.outcomeHint} problem={command.problem} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
        <option value="">{m.anyOutcome}</option>
        <option value="approved">{l.outcome.approved}</option>
        <option value="rejected">{l.outcome.rejected}</option>
      </Select>
      <StepFooter command={command} fields={['motionId', 'decisionId', 'outcome']} label={m.saveDecision} />
    </form>
  );
}

/** The minutes are identified by their SHA-256, computed here (Web Crypto): the document never leaves the browser. */
function MinutesForm({ path, onDone }: { path: string; onDone: (answer: CommandAnswer) => void }) {
  const m = useMessages(messages);
  const command = useCommand();
  const [hash, setHash] = useState('');
  const choose = async (file: File | undefined) => {
    if (!file) return;
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    setHash([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.submit(path, { minutesSha256: hash }, onDone);
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={m.minutes}>
      <Field label={m.minutesFile} name="minutesFile" hint={m.minutesFileHint}>
        {(props) => <input {...props} type="file" onChange={(e) => void choose(e.target.files?.[0])} />}
      </Field>
      <TextField label={m.minutesSha256} name="minutesSha256" problem={command.problem} className="hash" value={hash} onChange={(e) => setHash(e.target.value.trim())} />
      <StepFooter command={command} fields={['minutesSha256']} label={m.approveMinutes} />
    </form>
  );
}
