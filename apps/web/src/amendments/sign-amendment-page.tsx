import { type FormEvent, useState } from 'react';
import { useApi } from '../shell/api';
import { defineMessages, formatDate, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { useSession } from '../shell/session';
import { FormProblem, Select, TextField } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { instantOf, useCommand } from '../governance/shared';
import { type AmendmentDetail, amendmentLabels } from './shared';

const messages = defineMessages({
  fr: {
    title: (id: string) => `Signer l'avenant ${id}`,
    back: "Retour à l'avenant",
    what: "L'avenant",
    status: 'Statut',
    description: 'Objet',
    decision: 'Approuvé par',
    decisionOf: (decision: string, meeting: string) => `la décision ${decision}, séance ${meeting}`,
    noDecision: "aucune décision encore : l'avenant ne peut être signé qu'après son approbation par le comité de pilotage",
    concerned: 'Parties appelées à signer',
    signedAlready: 'a signé',
    notYetSigned: 'en attente',
    youSignFor: (party: string) => `Vous signez en tant que représentant·e de la partie ${party}.`,
    notConcerned: (party: string) => `Votre partie (${party}) n'est pas parmi les parties concernées : le registre refusera la signature.`,
    notApproved: "Cet avenant n'est pas approuvé : le registre refusera la signature.",
    onBehalf: 'Partie pour laquelle la signature papier est enregistrée',
    onBehalfHint: "Une signature papier s'enregistre sous le mandat nommé dans votre jeton.",
    choose: '— choisir —',
    signedOn: 'Date et heure de la signature (facultatif)',
    signedOnHint: "Laissez vide pour signer maintenant ; sinon, l'heure de Paris de la signature.",
    confirm: (party: string) => `J'ai lu l'avenant et je le signe au nom de ${party}.`,
    submit: 'Signer',
    sending: 'Signature…',
    cannotSign: "Seul·e le ou la représentant·e d'une partie signataire (ou l'administration, pour une signature papier) signe un avenant.",
  },
  en: {
    title: (id: string) => `Sign amendment ${id}`,
    back: 'Back to the amendment',
    what: 'The amendment',
    status: 'Status',
    description: 'What it changes',
    decision: 'Approved by',
    decisionOf: (decision: string, meeting: string) => `decision ${decision}, meeting ${meeting}`,
    noDecision: 'no decision yet: the amendment can be signed only once the steering committee has approved it',
    concerned: 'Parties called to sign',
    signedAlready: 'signed',
    notYetSigned: 'awaited',
    youSignFor: (party: string) => `You sign as the representative of party ${party}.`,
    notConcerned: (party: string) => `Your party (${party}) is not among the parties concerned: the ledger will refuse the signature.`,
    notApproved: 'This amendment is not approved: the ledger will refuse the signature.',
    onBehalf: 'Party whose paper signature is recorded',
    onBehalfHint: 'A paper signature is recorded under the mandate named in your token.',
    choose: '— choose —',
    signedOn: 'Date and time of the signature (optional)',
    signedOnHint: 'Leave empty to sign now; otherwise, the Paris time of the signature.',
    confirm: (party: string) => `I have read the amendment and sign it on behalf of ${party}.`,
    submit: 'Sign',
    sending: 'Signing…',
    cannotSign: "Only a signatory party's representative (or the administration, for a paper signature) signs an amendment.",
  },
});

/** A party's signature of an approved amendment: POST /amendments/:id/signatures. */
export function SignAmendmentPage({ amendmentId }: { amendmentId: string }) {
  const m = useMessages(messages);
  const a = useMessages(amendmentLabels);
  const session = useSession();
  const amendment = useApi<AmendmentDetail>(`/amendments/${encodeURIComponent(amendmentId)}`);
  const command = useCommand();
  const [signedOn, setSignedOn] = useState('');
  const [onBehalf, setOnBehalf] = useState('');
  const [confirmed, setConfirmed] = useState(false);

  if (amendment.error) {
    return (
      <Page title={m.title(amendmentId)}>
        <ProblemMessage problem={amendment.error} onRetry={amendment.reload} />
      </Page>
    );
  }
  if (!amendment.data) {
    return (
      <Page title={m.title(amendmentId)}>
        <Loading />
      </Page>
    );
  }
  const data = amendment.data;
  const admin = session?.role === 'administrator';
  const party = admin ? onBehalf : (session?.partyId ?? '');
  const mayTry = admin || session?.role === 'signatory-representative';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const effectiveAt = instantOf(signedOn);
    void command.submit(
      `/amendments/${encodeURIComponent(amendmentId)}/signatures`,
      { ...(effectiveAt && { effectiveAt }), ...(admin && { onBehalfOfPartyId: onBehalf || null }) },
      (answer) => navigate(href(['amendments', amendmentId], { seq: answer.seq, signed: 1 })),
    );
  };

  return (
    <Page title={m.title(data.amendmentId)}>
      <p>
        <a href={href(['amendments', amendmentId])}>{m.back}</a>
      </p>
      <section aria-labelledby="sign-what" className="card">
        <h2 id="sign-what">{m.what}</h2>
        <dl className="gov-facts">
          <dt>{m.status}</dt>
          <dd>
            <span className="badge">{a.status[data.status] ?? data.status}</span>
          </dd>
          <dt>{m.description}</dt>
          <dd>{data.description}</dd>
          <dt>{m.decision}</dt>
          <dd>
            {data.decision?.outcome === 'approved' ? (
              <>
                {m.decisionOf(data.decision.decisionId, data.decision.meetingId ?? '—')}
                {data.decision.decidedOn && <> ({formatDate(data.decision.decidedOn)})</>}
              </>
            ) : (
              m.noDecision
            )}
          </dd>
          <dt>{m.concerned}</dt>
          <dd>
            <ul className="gov-list">
              {data.affectedPartyIds.map((p) => (
                <li key={p}>
                  {p} — {data.missingSignatures.includes(p) ? m.notYetSigned : m.signedAlready}
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      </section>

      {!mayTry ? (
        <p className="notice">{m.cannotSign}</p>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          {!admin && session?.partyId && <p>{m.youSignFor(session.partyId)}</p>}
          {!admin && session?.partyId && !data.affectedPartyIds.includes(session.partyId) && <p className="notice">{m.notConcerned(session.partyId)}</p>}
          {data.status !== 'approved' && <p className="notice">{m.notApproved}</p>}
          {admin && (
            <Select label={m.onBehalf} name="onBehalfOfPartyId" hint={m.onBehalfHint} problem={command.problem} value={onBehalf} onChange={(e) => setOnBehalf(e.target.value)}>
              <option value="">{m.choose}</option>
              {data.affectedPartyIds.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </Select>
          )}
          <TextField label={m.signedOn} name="effectiveAt" hint={m.signedOnHint} problem={command.problem} type="datetime-local" value={signedOn} onChange={(e) => setSignedOn(e.target.value)} />
          <div className="gov-check">
            <input id="sign-confirm" type="checkbox" required checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            <label htmlFor="sign-confirm">{m.confirm(party || '…')}</label>
          </div>
          <FormProblem problem={command.problem} fields={['effectiveAt', 'onBehalfOfPartyId']} />
          <div>
            <button type="submit" disabled={command.busy || !confirmed}>
              {command.busy ? m.sending : m.submit}
            </button>
          </div>
        </form>
      )}
    </Page>
  );
}
