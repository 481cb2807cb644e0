import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiProblem, apiPost, newIdempotencyKey, useApi } from '../shell/api';
import { defineMessages, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { useSession } from '../shell/session';
import { FormProblem, TextArea, TextField } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { type CommitmentRow, usePartyNames } from './common';

const messages = defineMessages({
  fr: {
    title: (commitment: string) => `Rendre compte de l'avancement — ${commitment}`,
    back: "Retour à l'engagement",
    intro:
      "Le compte rendu est enregistré au registre au nom de votre organisation, signataire porteuse de l'engagement. Les pièces justificatives ne sont pas envoyées : seule leur empreinte SHA-256, calculée dans votre navigateur, est inscrite, pour qu'on puisse plus tard prouver quel document a été produit.",
    notOwner: (owner: string, party: string) =>
      `Cet engagement est porté par ${owner} ; vous représentez ${party}. Le registre n'accepte un compte rendu que du signataire porteur.`,
    period: 'Période couverte',
    periodHint: 'Par exemple 2025, 2025-S1 ou « premier trimestre 2025 » (50 caractères au plus).',
    summary: 'Avancement',
    summaryHint: "Ce qui a été fait, pour qui, avec quels résultats.",
    evidence: 'Pièces justificatives',
    evidenceHint: 'Facultatif. Pour chaque pièce : son titre et le fichier (il reste sur votre poste ; seule son empreinte est envoyée).',
    evidenceItem: (n: number) => `Pièce ${n}`,
    evidenceTitle: 'Titre de la pièce',
    evidenceFile: 'Fichier',
    evidenceHash: 'Empreinte SHA-256',
    evidenceHashHint: "Calculée à partir du fichier choisi ; ou collez l'empreinte d'un document déjà identifié (64 chiffres hexadécimaux).",
    hashing: 'Calcul de l’empreinte…',
    hashed: (file: string) => `Empreinte du fichier « ${file} » calculée.`,
    addEvidence: 'Ajouter une pièce',
    removeEvidence: (n: number) => `Retirer la pièce ${n}`,
    submit: 'Enregistrer le compte rendu',
    sending: 'Enregistrement…',
    reportId: (id: string) => `Identifiant du compte rendu : ${id}`,
    retryNote: "La connexion a échoué : vous pouvez renvoyer le formulaire sans risque de doublon (même clé d'idempotence).",
  },
  en: {
    title: (commitment: string) => `Report progress — ${commitment}`,
    back: 'Back to the commitment',
    intro:
      "The report is recorded in the ledger on behalf of your organisation, the commitment's owning signatory. Supporting documents are not sent: only their SHA-256 fingerprint, computed in your browser, is recorded, so that which document was produced can be proved later.",
    notOwner: (owner: string, party: string) => `This commitment belongs to ${owner}; you represent ${party}. The ledger accepts a report from the owning signatory only.`,
    period: 'Period covered',
    periodHint: 'For instance 2025, 2025-H1 or “first quarter 2025” (at most 50 characters).',
    summary: 'Progress',
    summaryHint: 'What was done, for whom, with what results.',
    evidence: 'Supporting documents',
    evidenceHint: 'Optional. For each document: its title and the file (it stays on your computer; only its fingerprint is sent).',
    evidenceItem: (n: number) => `Document ${n}`,
    evidenceTitle: 'Title of the document',
    evidenceFile: 'File',
    evidenceHash: 'SHA-256 fingerprint',
    evidenceHashHint: 'Computed from the chosen file; or paste the fingerprint of an already identified document (64 hexadecimal digits).',
    hashing: 'Computing the fingerprint…',
    hashed: (file: string) => `Fingerprint of the file “${file}” computed.`,
    addEvidence: 'Add a document',
    removeEvidence: (n: number) => `Remove document ${n}`,
    submit: 'Record the report',
    sending: 'Recording…',
    reportId: (id: string) => `Report id: ${id}`,
    retryNote: 'The connection failed: you may send the form again without risk of a duplicate (same idempotency key).',
  },
});

interface Evidence {
  key: number;
  title: string;
  sha256: string;
  hashing: boolean;
  /** The file whose fingerprint was computed, while the field still holds it. */
  hashedFile?: string;
}

const FIELDS = ['period', 'summary', 'evidence', 'reportId', 'effectiveAt'] as const;

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function ReportProgressPage({ commitmentId }: { commitmentId: string }) {
  const m = useMessages(messages);
  const session = useSession();
  const ids = useId();
  const commitment = useApi<CommitmentRow>(`/commitments/${encodeURIComponent(commitmentId)}`);
  const [period, setPeriod] = useState('');
  const [summary, setSummary] = useState('');
  const [evidence, setEvidence] = useState<Evidence[]>([]);
  const [problem, setProblem] = useState<ApiProblem>();
  const [sending, setSending] = useState(false);
  // One submission = one report id and one Idempotency-Key, kept while it is retried after a network failure.
  const submission = useRef<{ reportId: string; key: string } | undefined>(undefined);
  const nextKey = useRef(1);
  submission.current ??= { reportId: `report-${newIdempotencyKey()}`, key: newIdempotencyKey() };

  const setItem = (key: number, change: Partial<Evidence>) => setEvidence((list) => list.map((e) => (e.key === key ? { ...e, ...change } : e)));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending || evidence.some((e) => e.hashing)) return;
    const current = submission.current!;
    setSending(true);
    try {
      const answer = await apiPost(
        `/commitments/${encodeURIComponent(commitmentId)}/reports`,
        { reportId: current.reportId, period, summary, evidence: evidence.map(({ title, sha256 }) => ({ sha256, title })) },
        { idempotencyKey: current.key },
      );
      submission.current = undefined;
      navigate(href(['commitments', commitmentId], { seq: answer.seq, reported: current.reportId }));
    } catch (error) {
      const failure = error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error), undefined, undefined, []);
      setProblem(failure);
      // A definitive answer ends this submission: the corrected form is a new one, with a new key.
      if (failure.status !== 0 && failure.status < 500) submission.current = { reportId: current.reportId, key: newIdempotencyKey() };
      setSending(false);
    }
  };

  const title = commitment.data?.title ?? commitmentId;
  const owner = commitment.data?.ownerPartyId;
  const names = usePartyNames(owner ? [owner] : []);
  const otherParty = session?.role === 'signatory-representative' && owner !== undefined && session.partyId !== owner;

  return (
    <Page title={m.title(title)}>
      <p>
        <a href={href(['commitments', commitmentId])}>{m.back}</a>
      </p>
      {commitment.loading && <Loading />}
      {commitment.error && <ProblemMessage problem={commitment.error} onRetry={commitment.reload} />}
      <p>{m.intro}</p>
      {otherParty && <p className="notice">{m.notOwner(names[owner] ? `${names[owner]} (${owner})` : owner, session.partyId ?? session.subject)}</p>}
      <form className="form report-form" onSubmit={submit} noValidate aria-describedby={`${ids}-id`}>
        <p className="hint" id={`${ids}-id`}>
          {m.reportId(submission.current.reportId)}
        </p>
        <TextField label={m.period} name="period" hint={m.periodHint} problem={problem} value={period} onChange={(e) => setPeriod(e.target.value)} autoComplete="off" />
        <TextArea label={m.summary} name="summary" hint={m.summaryHint} problem={problem} value={summary} onChange={(e) => setSummary(e.target.value)} rows={6} />
        <fieldset className="evidence">
          <legend>{m.evidence}</legend>
          <p className="hint">{m.evidenceHint}</p>
          {problem?.forField('evidence').some((e) => e.field === 'evidence') && (
            <ul className="field-errors">
              {problem.forField('evidence')
                .filter((e) => e.field === 'evidence')
                .map((e, i) => (
                  <li key={i}>
                    {e.detail} <span className="rule">({e.rule})</span>
                  </li>
                ))}
            </ul>
          )}
          {evidence.map((item, i) => (
            <fieldset key={item.key} className="evidence-item">
              <legend>{m.evidenceItem(i + 1)}</legend>
              <TextField label={m.evidenceTitle} name={`evidence[${i}].title`} problem={problem} value={item.title} onChange={(e) => setItem(item.key, { title: e.target.value })} />
              <div className="field">
                <label htmlFor={`${ids}-file-${item.key}`}>{m.evidenceFile}</label>
                <input
                  id={`${ids}-file-${item.key}`}
                  type="file"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (!file) return;
                    setItem(item.key, { hashing: true, hashedFile: undefined, ...(item.title === '' && { title: file.name }) });
                    void sha256Hex(file).then(
                      (sha256) => setItem(item.key, { sha256, hashing: false, hashedFile: file.name }),
                      () => setItem(item.key, { hashing: false }),
                    );
                  }}
                />
              </div>
              <TextField
                label={m.evidenceHash}
                name={`evidence[${i}].sha256`}
                hint={m.evidenceHashHint}
                problem={problem}
                value={item.sha256}
                onChange={(e) => setItem(item.key, { sha256: e.target.value.trim(), hashedFile: undefined })}
                className="hash"
                autoComplete="off"
                spellCheck={false}
              />
              <p role="status" className="hint">
                {item.hashing ? m.hashing : item.hashedFile ? m.hashed(item.hashedFile) : ''}
              </p>
              <button type="button" className="secondary" onClick={() => setEvidence((list) => list.filter((e) => e.key !== item.key))}>
                {m.removeEvidence(i + 1)}
              </button>
            </fieldset>
          ))}
          <button type="button" className="secondary" onClick={() => setEvidence((list) => [...list, { key: nextKey.current++, title: '', sha256: '', hashing: false }])}>
            {m.addEvidence}
          </button>
        </fieldset>
        <FormProblem problem={problem} fields={FIELDS.filter((f) => f !== 'reportId' && f !== 'effectiveAt')} />
        {problem?.status === 0 && <p className="notice">{m.retryNote}</p>}
        <div className="form-actions">
          <button type="submit" disabled={sending}>
            {sending ? m.sending : m.submit}
          </button>
        </div>
      </form>
    </Page>
  );
}
