import { useApi } from '../shell/api';
import { defineMessages, formatCents, formatDate, formatDateTime, useMessages } from '../shell/i18n';
import { href } from '../shell/router';
import { useSession } from '../shell/session';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { ScrollTable } from '../governance/shared';
import { type AmendmentDetail, amendmentLabels } from './shared';

const messages = defineMessages({
  fr: {
    back: 'Tous les avenants',
    status: 'Statut',
    rationale: 'Motif',
    description: 'Objet',
    proposedOn: 'Proposé le',
    proposedBy: 'Proposé par',
    proposedByNone: "l'administration ou le secrétariat d'une instance",
    changes: "Ce que l'avenant modifie",
    target: 'Cible',
    change: 'Modification',
    applied: 'Appliquée',
    appliedOn: (date: string) => `oui, le ${date}`,
    notApplied: 'pas encore',
    superseded: 'remplacée depuis par un autre avenant',
    kind: { contract: 'Contrat', commitment: 'Engagement' } as Record<string, string>,
    decision: 'Décision',
    noDecision: "Aucune décision d'instance n'est encore enregistrée.",
    decisionOutcome: { approved: 'Approuvé', rejected: 'Rejeté' } as Record<string, string>,
    decidedBy: (decision: string) => `par la décision ${decision}`,
    meeting: 'Séance',
    body: 'Instance',
    decidedOn: 'Décidé le',
    signatures: 'Signatures',
    party: 'Partie',
    signedOn: 'Signé le',
    signer: 'Signataire',
    mandate: (mandate: string) => `mandat : ${mandate}`,
    noSignature: 'Aucune signature.',
    missing: 'En attente de la signature de :',
    allSigned: 'Toutes les parties concernées ont signé.',
    inForce: 'Entrée en vigueur',
    inForceOn: (date: string) => `En vigueur depuis le ${date}.`,
    notInForce: "Pas en vigueur : un avenant entre en vigueur une fois approuvé et signé par toutes les parties concernées.",
    withdrawn: (date: string, reason: string) => `Retiré le ${date}${reason ? ` : ${reason}` : ''}.`,
    sign: "Signer l'avenant",
    signed: (seq: string) => `Signature inscrite au registre (événement n° ${seq}).`,
  },
  en: {
    back: 'All amendments',
    status: 'Status',
    rationale: 'Rationale',
    description: 'What it changes',
    proposedOn: 'Proposed on',
    proposedBy: 'Proposed by',
    proposedByNone: "the administration or a body's secretary",
    changes: 'What the amendment changes',
    target: 'Target',
    change: 'Change',
    applied: 'Applied',
    appliedOn: (date: string) => `yes, on ${date}`,
    notApplied: 'not yet',
    superseded: 'since superseded by another amendment',
    kind: { contract: 'Contract', commitment: 'Commitment' } as Record<string, string>,
    decision: 'Decision',
    noDecision: 'No decision of a body is recorded yet.',
    decisionOutcome: { approved: 'Approved', rejected: 'Rejected' } as Record<string, string>,
    decidedBy: (decision: string) => `by decision ${decision}`,
    meeting: 'Meeting',
    body: 'Body',
    decidedOn: 'Decided on',
    signatures: 'Signatures',
    party: 'Party',
    signedOn: 'Signed on',
    signer: 'Signed by',
    mandate: (mandate: string) => `mandate: ${mandate}`,
    noSignature: 'No signature.',
    missing: 'Awaiting the signature of:',
    allSigned: 'Every party concerned has signed.',
    inForce: 'Entry into force',
    inForceOn: (date: string) => `In force since ${date}.`,
    notInForce: 'Not in force: an amendment comes into force once approved and signed by every party concerned.',
    withdrawn: (date: string, reason: string) => `Withdrawn on ${date}${reason ? `: ${reason}` : ''}.`,
    sign: 'Sign the amendment',
    signed: (seq: string) => `Signature written to the ledger (event no. ${seq}).`,
  },
});

/** A change as a list of its fields; amounts in cents as euros, the rest as the API gives it. */
function ChangeView({ change }: { change: Record<string, unknown> }) {
  return (
    <dl className="gov-facts gov-change">
      {Object.entries(change).map(([key, value]) => (
        <div key={key} className="gov-change-row">
          <dt>{key}</dt>
          <dd>{typeof value === 'number' && /Cents$/.test(key) ? formatCents(value) : typeof value === 'object' ? <code>{JSON.stringify(value)}</code> : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One amendment: what it changes, the decision that approved it and its meeting, signatures, force. */
export function AmendmentPage({ amendmentId, query }: { amendmentId: string; query: URLSearchParams }) {
  const m = useMessages(messages);
  const a = useMessages(amendmentLabels);
  const session = useSession();
  const amendment = useApi<AmendmentDetail>(`/amendments/${encodeURIComponent(amendmentId)}`, { seq: query.get('seq'), asOf: query.get('asOf'), clock: query.get('clock') });

  if (amendment.error) {
    return (
      <Page title={a.title(amendmentId)}>
        <ProblemMessage problem={amendment.error} onRetry={amendment.reload} />
      </Page>
    );
  }
  if (!amendment.data) {
    return (
      <Page title={a.title(amendmentId)}>
        <Loading />
      </Page>
    );
  }
  const data = amendment.data;
  const maySign =
    data.status === 'approved' &&
    ((session?.role === 'signatory-representative' && session.partyId !== undefined && data.missingSignatures.includes(session.partyId)) || session?.role === 'administrator');

  return (
    <Page
      title={a.title(data.amendmentId)}
      actions={
        maySign ? (
          <a className="button-primary gov-action" href={href(['amendments', data.amendmentId, 'sign'])}>
            {m.sign}
          </a>
        ) : undefined
      }
    >
      <p>
        <a href={href(['amendments'])}>{m.back}</a>
      </p>
      {query.get('signed') && query.get('seq') && (
        <p role="status" className="success">
          {m.signed(query.get('seq') ?? '')}
        </p>
      )}
      <dl className="gov-facts">
        <dt>{m.status}</dt>
        <dd>
          <span className="badge" data-testid="amendment-status">
            {a.status[data.status] ?? data.status}
          </span>
        </dd>
        <dt>{m.description}</dt>
        <dd>{data.description}</dd>
        <dt>{m.rationale}</dt>
        <dd>{data.rationale}</dd>
        <dt>{m.proposedOn}</dt>
        <dd>{formatDate(data.proposedOn)}</dd>
        <dt>{m.proposedBy}</dt>
        <dd>{data.proposedByPartyId ?? m.proposedByNone}</dd>
      </dl>
      {data.withdrawal && <p className="notice">{m.withdrawn(formatDate(data.withdrawal.withdrawnOn), data.withdrawal.reason ?? '')}</p>}

      <h2>{m.changes}</h2>
      <ScrollTable label={m.changes}>
        <table aria-label={m.changes}>
          <thead>
            <tr>
              <th scope="col">{m.target}</th>
              <th scope="col">{m.change}</th>
              <th scope="col">{m.applied}</th>
            </tr>
          </thead>
          <tbody>
            {data.targets.map((target) => (
              <tr key={`${target.kind}:${target.id}`}>
                <th scope="row">
                  {m.kind[target.kind] ?? target.kind} —{' '}
                  {target.kind === 'commitment' ? <a href={href(['commitments', target.id])}>{target.id}</a> : <span className="gov-id">{target.id}</span>}
                </th>
                <td>
                  <ChangeView change={target.change} />
                </td>
                <td>
                  {target.applied ? m.appliedOn(formatDate(target.appliedOn)) : m.notApplied}
                  {target.superseded && <> ({m.superseded})</>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>

      <h2>{m.decision}</h2>
      {data.decision === null ? (
        <p>{m.noDecision}</p>
      ) : (
        <dl className="gov-facts" data-testid="amendment-decision">
          <dt>{m.decision}</dt>
          <dd>
            <strong>{m.decisionOutcome[data.decision.outcome ?? ''] ?? data.decision.outcome}</strong> {m.decidedBy(data.decision.decisionId)}
          </dd>
          <dt>{m.meeting}</dt>
          <dd>{data.decision.meetingId ? <a href={href(['governance', 'meetings', data.decision.meetingId])}>{data.decision.meetingId}</a> : '—'}</dd>
          <dt>{m.body}</dt>
          <dd>{data.decision.bodyId ? <a href={href(['governance', 'bodies', data.decision.bodyId])}>{data.decision.bodyId}</a> : '—'}</dd>
          <dt>{m.decidedOn}</dt>
          <dd>{formatDateTime(data.decision.decidedOn)}</dd>
        </dl>
      )}

      <h2>{m.signatures}</h2>
      {data.signatures.length === 0 ? (
        <p>{m.noSignature}</p>
      ) : (
        <ScrollTable label={m.signatures}>
          <table aria-label={m.signatures}>
            <thead>
              <tr>
                <th scope="col">{m.party}</th>
                <th scope="col">{m.signedOn}</th>
                <th scope="col">{m.signer}</th>
              </tr>
            </thead>
            <tbody>
              {data.signatures.map((signature) => (
                <tr key={signature.partyId} data-party={signature.partyId}>
                  <th scope="row">{signature.partyId}</th>
                  <td>{formatDateTime(signature.signedOn)}</td>
                  <td>
                    {signature.signerRole ? (a.signerRole[signature.signerRole] ?? signature.signerRole) : '—'}
                    {signature.mandate && <> ({m.mandate(signature.mandate)})</>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {data.missingSignatures.length > 0 ? (
        <>
          <p>{m.missing}</p>
          <ul data-testid="missing-signatures">
            {data.missingSignatures.map((party) => (
              <li key={party}>{party}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{m.allSigned}</p>
      )}

      <h2>{m.inForce}</h2>
      <p className={data.inForceOn ? 'verdict yes' : 'notice'} data-testid="in-force">
        {data.inForceOn ? m.inForceOn(formatDate(data.inForceOn)) : m.notInForce}
      </p>
    </Page>
  );
}
