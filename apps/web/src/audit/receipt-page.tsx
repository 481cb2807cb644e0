import { type FormEvent, useEffect, useState } from 'react';
import { useApi } from '../shell/api';
import { defineMessages, formatDateTime, formatNumber, useLang, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { TextField } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { reasonMessages } from './reasons';
import { type LedgerKey, usePinnedKey } from './trusted-key';
import { type Receipt, type ReceiptCheck, type ReceiptVerdict, decodeEntry, verifyReceipt } from './verify';

const messages = defineMessages({
  fr: {
    title: (seq: string) => `Reçu de l'événement n° ${seq}`,
    intro:
      "Un reçu prouve qu'un événement fait partie du registre tel qu'il a été signé : ses octets exacts, la preuve qu'ils sont une feuille de l'arbre de Merkle du registre, et le point de contrôle signé qui fixe la racine de cet arbre. Tout est vérifié ici, dans votre navigateur, sans faire confiance à la page.",
    pending: 'Aucun point de contrôle ne couvre encore cet événement',
    pendingDetail: (seconds?: number) =>
      `Le reçu sera disponible dès que le registre aura signé un point de contrôle qui inclut cet événement : à la clôture d'une réunion, ou selon le calendrier${
        seconds ? ` (dans ${seconds >= 120 ? `environ ${Math.round(seconds / 60)} minutes` : `${seconds} secondes`})` : ''
      }.`,
    retry: 'Réessayer',
    entry: "L'événement",
    type: 'Type',
    stream: 'Flux',
    version: 'version',
    occurredAt: 'Survenu le',
    recordedAt: 'Enregistré le',
    actor: 'Acteur',
    data: 'Données',
    eventId: "Identifiant de l'événement",
    notAnEntry: "Les octets de ce reçu ne se lisent pas comme un événement du registre (JSON en UTF-8) : ils ont été altérés.",
    otherSeq: (found: number, seq: string) => `Attention : les octets de ce reçu décrivent l'événement n° ${found}, pas le n° ${seq}.`,
    roles: { administrator: 'administration', 'body-secretary': "secrétariat d'instance", 'signatory-representative': 'représentant·e de signataire', auditor: 'audit', public: 'public' } as Record<string, string>,
    verification: 'Vérification dans votre navigateur',
    checking: 'Vérification en cours…',
    yes: (seq: string, n: number) => `Oui — reçu vérifié : l'événement n° ${seq} figure dans le registre signé (arbre de ${formatNumber(n, 'fr')} événements).`,
    no: (check: string, why: string) => `Non — reçu non vérifié. Échec : ${check} — ${why}.`,
    checks: 'Les contrôles',
    passed: 'Réussi',
    failed: 'Échoué',
    check: (c: ReceiptCheck['check'], v: ReceiptVerdict) =>
      ({
        'leaf-hash': "Empreinte de la feuille : SHA-256(0x00 ‖ octets de l'événement) est l'empreinte annoncée",
        inclusion: `Inclusion de la feuille ${v.leafIndex} dans l'arbre de taille ${Number.isFinite(v.treeSize) ? formatNumber(v.treeSize, 'fr') : '?'}`,
        checkpoint: 'Point de contrôle : la taille et la racine signées sont celles du reçu',
        signature: `Signature du point de contrôle par la clé ${v.keyId ?? '?'}`,
      })[c],
    checkShort: (c: ReceiptCheck['check']) => ({ 'leaf-hash': 'empreinte de la feuille', inclusion: "inclusion dans l'arbre", checkpoint: 'point de contrôle', signature: 'signature du point de contrôle' })[c],
    technical: 'Détail technique',
    trustServer: 'Clé de confiance : celle que publie le serveur. Un auditeur épingle la clé publiée hors du serveur sur la page',
    trustPinned: 'Clé de confiance : celle que vous avez épinglée dans ce navigateur, depuis la page',
    checkpointPage: 'Point de contrôle signé du registre',
    proof: 'Empreintes et preuve',
    leafHash: 'Empreinte de la feuille',
    computed: 'Empreinte recalculée',
    root: 'Racine signée',
    signedAt: 'Point de contrôle signé le',
    proofHashes: (n: number) => `Preuve d'inclusion (${n} empreinte${n > 1 ? 's' : ''})`,
    another: 'Vérifier un autre événement',
    seqLabel: "Numéro de l'événement",
    seqHint: "Le n° d'un événement de la piste d'audit",
    go: 'Vérifier',
    trail: "Retour à la piste d'audit",
  },
  en: {
    title: (seq: string) => `Receipt of event no. ${seq}`,
    intro:
      'A receipt proves an event is part of the ledger as it was signed: its exact bytes, the proof that they are a leaf of the ledger’s Merkle tree, and the signed checkpoint that fixes that tree’s root. Everything is verified here, in your browser, without trusting the page.',
    pending: 'No checkpoint covers this event yet',
    pendingDetail: (seconds?: number) =>
      `The receipt will be available once the ledger has signed a checkpoint that includes this event: when a meeting is closed, or on the schedule${
        seconds ? ` (in ${seconds >= 120 ? `about ${Math.round(seconds / 60)} minutes` : `${seconds} seconds`})` : ''
      }.`,
    retry: 'Try again',
    entry: 'The event',
    type: 'Type',
    stream: 'Stream',
    version: 'version',
    occurredAt: 'Occurred',
    recordedAt: 'Recorded',
    actor: 'Actor',
    data: 'Data',
    eventId: 'Event ID',
    notAnEntry: 'The bytes of this receipt do not read as a ledger event (UTF-8 JSON): they were altered.',
    otherSeq: (found: number, seq: string) => `Warning: the bytes of this receipt describe event no. ${found}, not no. ${seq}.`,
    roles: { administrator: 'administrator', 'body-secretary': 'body secretary', 'signatory-representative': 'signatory representative', auditor: 'auditor', public: 'public' } as Record<string, string>,
    verification: 'Verification in your browser',
    checking: 'Verifying…',
    yes: (seq: string, n: number) => `Yes — receipt verified: event no. ${seq} is in the signed ledger (tree of ${formatNumber(n, 'en')} events).`,
    no: (check: string, why: string) => `No — receipt not verified. Failed: ${check} — ${why}.`,
    checks: 'The checks',
    passed: 'Passed',
    failed: 'Failed',
    check: (c: ReceiptCheck['check'], v: ReceiptVerdict) =>
      ({
        'leaf-hash': 'Leaf hash: SHA-256(0x00 ‖ the event’s bytes) is the stated hash',
        inclusion: `Inclusion of leaf ${v.leafIndex} in the tree of size ${Number.isFinite(v.treeSize) ? formatNumber(v.treeSize, 'en') : '?'}`,
        checkpoint: 'Checkpoint: the signed size and root are the receipt’s',
        signature: `Checkpoint signature by key ${v.keyId ?? '?'}`,
      })[c],
    checkShort: (c: ReceiptCheck['check']) => ({ 'leaf-hash': 'leaf hash', inclusion: 'inclusion in the tree', checkpoint: 'checkpoint', signature: 'checkpoint signature' })[c],
    technical: 'Technical detail',
    trustServer: 'Trusted key: the one the server publishes. An auditor pins the key published outside the server on the page',
    trustPinned: 'Trusted key: the one you pinned in this browser, on the page',
    checkpointPage: 'Signed checkpoint of the ledger',
    proof: 'Hashes and proof',
    leafHash: 'Leaf hash',
    computed: 'Recomputed hash',
    root: 'Signed root',
    signedAt: 'Checkpoint signed at',
    proofHashes: (n: number) => `Inclusion proof (${n} hash${n > 1 ? 'es' : ''})`,
    another: 'Verify another event',
    seqLabel: 'Event number',
    seqHint: 'The no. of an event of the audit trail',
    go: 'Verify',
    trail: 'Back to the audit trail',
  },
});

/** A member's page: one event's receipt, its entry decoded from the canonical bytes, verified in the browser. */
export function ReceiptPage({ seq }: { seq: string }) {
  // One view per event: nothing of the previous event's receipt or verdict stays on screen while the next loads.
  return <ReceiptView key={seq} seq={seq} />;
}

function ReceiptView({ seq }: { seq: string }) {
  const m = useMessages(messages);
  const why = useMessages(reasonMessages);
  const lang = useLang();
  const receipt = useApi<Receipt>(`/ledger/receipts/${encodeURIComponent(seq)}`);
  const key = useApi<LedgerKey>('/ledger/key');
  const pinned = usePinnedKey();
  const trustedKey = pinned ?? key.data?.verifierKey;
  const [verdict, setVerdict] = useState<{ for: Receipt; key: string; verdict: ReceiptVerdict }>();
  const [other, setOther] = useState('');

  const data = receipt.data;
  useEffect(() => {
    if (!data || !trustedKey) return;
    let live = true;
    void verifyReceipt(data, trustedKey).then((v) => live && setVerdict({ for: data, key: trustedKey, verdict: v }));
    return () => {
      live = false;
    };
  }, [data, trustedKey]);
  const current = verdict && verdict.for === data && verdict.key === trustedKey ? verdict.verdict : undefined;
  const decoded = data ? decodeEntry(data.canonical) : undefined;
  const entry = decoded?.entry;
  const failed = current?.checks.find((c) => !c.ok);

  const goTo = (e: FormEvent) => {
    e.preventDefault();
    const value = other.trim();
    if (value) navigate(href(['audit', 'receipts', value]));
  };

  return (
    <Page title={m.title(seq)}>
      <p>{m.intro}</p>
      {(receipt.loading || (key.loading && !pinned)) && <Loading />}
      {receipt.error?.status === 409 ? (
        <div className="notice" role="status">
          <p>
            <strong>{m.pending}</strong>
          </p>
          <p>{m.pendingDetail(receipt.error.retryAfter)}</p>
          <button type="button" onClick={receipt.reload}>
            {m.retry}
          </button>
        </div>
      ) : (
        receipt.error && <ProblemMessage problem={receipt.error} onRetry={receipt.reload} />
      )}
      {key.error && !pinned && <ProblemMessage problem={key.error} onRetry={key.reload} />}

      {data && (
        <>
          <section aria-labelledby="receipt-verification">
            <h2 id="receipt-verification">{m.verification}</h2>
            <div aria-live="polite">
              {!current && trustedKey && <p className="loading">{m.checking}</p>}
              {current && (
                <>
                  <p className={`verdict ${current.ok ? 'yes' : 'no'}`} data-testid="receipt-verdict">
                    {current.ok || !failed ? m.yes(seq, current.treeSize) : m.no(m.checkShort(failed.check), why[failed.reason] ?? failed.reason)}
                  </p>
                  <h3>{m.checks}</h3>
                  <ol className="checks">
                    {current.checks.map((c) => (
                      <li key={c.check} className={c.ok ? 'check-ok' : 'check-failed'} data-check={c.check}>
                        <span className="check-mark" aria-hidden="true">
                          {c.ok ? '✓' : '✗'}
                        </span>{' '}
                        <strong>{c.ok ? m.passed : m.failed}</strong> — {m.check(c.check, current)}
                        {!c.ok && (
                          <>
                            <br />
                            <span className="check-reason">{why[c.reason] ?? c.reason}</span>
                            <details>
                              <summary>{m.technical}</summary>
                              <p lang="en">{c.detail}</p>
                            </details>
                          </>
                        )}
                      </li>
                    ))}
                  </ol>
                </>
              )}
            </div>
            <p className="notice">
              {pinned ? m.trustPinned : m.trustServer} <a href={href(['audit', 'checkpoint'])}>{m.checkpointPage}</a>.{' '}
              <code className="hash">{trustedKey}</code>
            </p>
          </section>

          <section aria-labelledby="receipt-entry">
            <h2 id="receipt-entry">{m.entry}</h2>
            {!entry && <p className="problem">{m.notAnEntry}</p>}
            {entry && typeof entry.seq === 'number' && String(entry.seq) !== seq && <p className="problem">{m.otherSeq(entry.seq, seq)}</p>}
            {entry && (
              <dl className="audit-facts">
                <dt>{m.type}</dt>
                <dd data-testid="entry-type">{String(entry.type ?? '—')}</dd>
                <dt>{m.stream}</dt>
                <dd>
                  <code>{String(entry.streamId ?? '—')}</code>
                  {entry.streamVersion !== undefined && (
                    <>
                      {' '}
                      ({m.version} {String(entry.streamVersion)})
                    </>
                  )}
                </dd>
                <dt>{m.occurredAt}</dt>
                <dd>{formatDateTime(typeof entry.occurredAt === 'string' ? entry.occurredAt : undefined, lang)}</dd>
                <dt>{m.recordedAt}</dt>
                <dd>{formatDateTime(typeof entry.recordedAt === 'string' ? entry.recordedAt : undefined, lang)}</dd>
                <dt>{m.actor}</dt>
                <dd>
                  {entry.actor ? (
                    <>
                      {m.roles[entry.actor.role ?? ''] ?? entry.actor.role} — <code>{entry.actor.subject}</code>
                      {entry.actor.partyId && <> · {entry.actor.partyId}</>}
                      {entry.actor.mandate && <> · {entry.actor.mandate}</>}
                    </>
                  ) : (
                    '—'
                  )}
                </dd>
                {typeof entry.eventId === 'string' && (
                  <>
                    <dt>{m.eventId}</dt>
                    <dd>
                      <code>{entry.eventId}</code>
                    </dd>
                  </>
                )}
              </dl>
            )}
            {entry && (
              <>
                <h3>{m.data}</h3>
                <pre className="entry-data">{JSON.stringify(entry.data, null, 2)}</pre>
              </>
            )}
            {!entry && decoded?.text !== undefined && <pre className="entry-data">{decoded.text}</pre>}
            <details>
              <summary>{m.proof}</summary>
              <dl className="audit-facts">
                <dt>{m.leafHash}</dt>
                <dd>
                  <code className="hash">{data.leafHash}</code>
                </dd>
                {current?.computedLeafHash && (
                  <>
                    <dt>{m.computed}</dt>
                    <dd>
                      <code className="hash">{current.computedLeafHash}</code>
                    </dd>
                  </>
                )}
                <dt>{m.root}</dt>
                <dd>
                  <code className="hash">{data.checkpoint.rootHash}</code>
                </dd>
                <dt>{m.signedAt}</dt>
                <dd>{formatDateTime(data.checkpoint.signedAt, lang)}</dd>
                <dt>{m.proofHashes(data.inclusionProof.length)}</dt>
                <dd>
                  <ol className="proof">
                    {data.inclusionProof.map((p, i) => (
                      <li key={i}>
                        <code className="hash">{p}</code>
                      </li>
                    ))}
                  </ol>
                </dd>
              </dl>
            </details>
          </section>
        </>
      )}

      <section aria-labelledby="receipt-another">
        <h2 id="receipt-another">{m.another}</h2>
        <form className="form receipt-form" onSubmit={goTo}>
          <TextField label={m.seqLabel} name="seq" hint={m.seqHint} type="number" min={1} step={1} inputMode="numeric" value={other} onChange={(e) => setOther(e.target.value)} required />
          <div className="audit-actions">
            <button type="submit">{m.go}</button> <a href={href(['audit'])}>{m.trail}</a>
          </div>
        </form>
      </section>
    </Page>
  );
}
