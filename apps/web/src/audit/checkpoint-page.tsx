import { type FormEvent, useEffect, useState } from 'react';
import { useApi } from '../shell/api';
import { defineMessages, formatDateTime, formatNumber, useLang, useMessages } from '../shell/i18n';
import { Field } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { reasonMessages } from './reasons';
import { type LedgerKey, setPinnedKey, usePinnedKey } from './trusted-key';
import { type ReceiptReason, VerifyError, decodeBase64Strict, encodeBase64, parseVerifierKey, verifyCheckpoint, verifyNote } from './verify';

/** What GET /ledger/checkpoints/latest answers. */
export interface CheckpointView {
  size: number;
  rootHash: string;
  note: string;
  keyId: string;
  reason: string;
  signedAt: string;
  origin: string;
  verifierKey: string | null;
  cosignatures: { witness: string; keyId: string; time: number; receivedAt: string }[];
}

export interface CheckpointVerdict {
  ok: boolean;
  reason: ReceiptReason;
  detail: string;
  keyName?: string;
  keyId?: string;
  /** Per cosignature line of a known witness (name+keyId): whether it verifies. */
  witnesses: Record<string, boolean>;
}

/**
 * The checkpoint's note verified in the browser against `vkey`: signed by it (Ed25519, C2SP signed note),
 * its origin the key's name, and its signed size and root the ones the API states beside it. Each
 * witness key given is checked on its own: a bad cosignature does not hide a good log signature.
 */
export async function checkCheckpoint(checkpoint: CheckpointView, vkey: string, witnesses: readonly string[] = []): Promise<CheckpointVerdict> {
  const witnessResults: Record<string, boolean> = {};
  for (const w of witnesses) {
    try {
      const key = await parseVerifierKey(w);
      const id = `${key.name}+${key.keyIdHex}`;
      try {
        await verifyNote(checkpoint.note, [key]);
        witnessResults[id] = true;
      } catch {
        witnessResults[id] = false;
      }
    } catch {
      // a witness key the API lists but that does not parse: nothing to check it against
    }
  }
  try {
    const { checkpoint: signed, key } = await verifyCheckpoint(checkpoint.note, vkey);
    if (signed.size !== checkpoint.size) throw new VerifyError('size-mismatch', `the note signs size ${signed.size}, the page states ${checkpoint.size}`);
    const root = decodeBase64Strict(checkpoint.rootHash);
    if (root === undefined || encodeBase64(root) !== encodeBase64(signed.rootHash)) {
      throw new VerifyError('root-hash-mismatch', `the note signs root ${encodeBase64(signed.rootHash)}, the page states ${checkpoint.rootHash}`);
    }
    return { ok: true, reason: 'ok', detail: `signed by ${key.name}+${key.keyIdHex}`, keyName: key.name, keyId: key.keyIdHex, witnesses: witnessResults };
  } catch (error) {
    const e = error instanceof VerifyError ? error : new VerifyError('malformed-receipt', String(error));
    let keyName: string | undefined;
    let keyId: string | undefined;
    try {
      const key = await parseVerifierKey(vkey);
      [keyName, keyId] = [key.name, key.keyIdHex];
    } catch {
      // the key itself is the reason
    }
    return { ok: false, reason: e.code as ReceiptReason, detail: e.message, keyName, keyId, witnesses: witnessResults };
  }
}

const messages = defineMessages({
  fr: {
    title: 'Point de contrôle signé du registre',
    intro:
      "Le registre publie régulièrement un point de contrôle : le nombre d'événements qu'il contient et la racine de l'arbre de Merkle qui les résume, signés par la clé du registre (note signée C2SP, Ed25519). Modifier, retirer ou réordonner un seul événement passé changerait cette racine. La signature est vérifiée ici, dans votre navigateur.",
    latest: 'Dernier point de contrôle',
    origin: 'Registre (origine)',
    size: 'Taille de l’arbre',
    events: (n: number) => `${formatNumber(n, 'fr')} événement${n > 1 ? 's' : ''}`,
    root: 'Racine (SHA-256, base64)',
    signedAt: 'Signé le',
    reason: 'Motif de la signature',
    reasons: (r: string) =>
      r === 'start' ? 'au démarrage du service' : r === 'schedule' ? 'signature périodique' : r.startsWith('meeting-closed:') ? `clôture de la réunion ${r.slice('meeting-closed:'.length)}` : r,
    keyId: 'Identifiant de la clé',
    verification: 'Vérification dans votre navigateur',
    checking: 'Vérification en cours…',
    yes: (key: string, n: number) => `Oui — signature valide : ce point de contrôle de ${formatNumber(n, 'fr')} événements est signé par la clé ${key}.`,
    no: (why: string) => `Non — signature non vérifiée : ${why}.`,
    technical: 'Détail technique',
    serverTrust:
      "Cette vérification utilise la clé que publie le serveur lui-même (GET /ledger/key) : elle montre que le serveur est cohérent avec lui-même, pas qu'il est digne de confiance. Un auditeur compare cette clé à celle publiée par ailleurs (délibération, site de la Métropole, copie papier), puis l'épingle ci-dessous.",
    pinnedTrust: 'Cette vérification utilise la clé que vous avez épinglée dans ce navigateur.',
    pinnedDiffers: 'Attention : la clé que publie le serveur est différente de la clé épinglée.',
    trusted: 'Clé de confiance',
    serverKey: 'Clé publiée par le serveur',
    pinnedKey: 'Clé épinglée',
    keyLabel: 'Clé de vérification de confiance (format C2SP : nom+identifiant+clé)',
    keyHint: 'Collez la clé publiée hors du serveur. Elle est gardée dans ce navigateur et sert aussi à vérifier les reçus.',
    pin: 'Épingler cette clé',
    unpin: 'Revenir à la clé du serveur',
    witnesses: 'Cosignatures des témoins',
    noWitness: "Aucun témoin n'a cosigné ce point de contrôle.",
    witnessesCaption: 'Cosignatures reçues pour ce point de contrôle',
    witness: 'Témoin',
    time: 'Horodatage du témoin',
    receivedAt: 'Reçue le',
    verified: 'Vérifiée',
    witnessYes: 'Oui',
    witnessNo: 'Non',
    witnessUnknown: 'Clé du témoin non publiée',
    rawNote: 'Note signée (texte brut)',
  },
  en: {
    title: 'Signed checkpoint of the ledger',
    intro:
      'The ledger regularly publishes a checkpoint: how many events it holds and the root of the Merkle tree that sums them up, signed by the ledger’s key (C2SP signed note, Ed25519). Changing, removing or reordering a single past event would change that root. The signature is verified here, in your browser.',
    latest: 'Latest checkpoint',
    origin: 'Ledger (origin)',
    size: 'Tree size',
    events: (n: number) => `${formatNumber(n, 'en')} event${n > 1 ? 's' : ''}`,
    root: 'Root (SHA-256, base64)',
    signedAt: 'Signed at',
    reason: 'Why it was signed',
    reasons: (r: string) => (r === 'start' ? 'when the service started' : r === 'schedule' ? 'scheduled signature' : r.startsWith('meeting-closed:') ? `meeting ${r.slice('meeting-closed:'.length)} closed` : r),
    keyId: 'Key ID',
    verification: 'Verification in your browser',
    checking: 'Verifying…',
    yes: (key: string, n: number) => `Yes — valid signature: this checkpoint of ${formatNumber(n, 'en')} events is signed by the key ${key}.`,
    no: (why: string) => `No — signature not verified: ${why}.`,
    technical: 'Technical detail',
    serverTrust:
      'This verification uses the key the server itself publishes (GET /ledger/key): it shows the server is consistent with itself, not that it can be trusted. An auditor compares that key with the one published elsewhere (the deliberation, the Métropole’s site, a paper copy), then pins it below.',
    pinnedTrust: 'This verification uses the key you pinned in this browser.',
    pinnedDiffers: 'Warning: the key the server publishes differs from the pinned key.',
    trusted: 'Trusted key',
    serverKey: 'Key published by the server',
    pinnedKey: 'Pinned key',
    keyLabel: 'Trusted verifier key (C2SP form: name+key ID+key)',
    keyHint: 'Paste the key published outside the server. It is kept in this browser and also verifies receipts.',
    pin: 'Pin this key',
    unpin: 'Back to the server’s key',
    witnesses: 'Witness cosignatures',
    noWitness: 'No witness has cosigned this checkpoint.',
    witnessesCaption: 'Cosignatures received for this checkpoint',
    witness: 'Witness',
    time: 'Witness timestamp',
    receivedAt: 'Received',
    verified: 'Verified',
    witnessYes: 'Yes',
    witnessNo: 'No',
    witnessUnknown: 'Witness key not published',
    rawNote: 'Signed note (raw text)',
  },
});

/** The public page of the latest checkpoint: anyone, signed in or not, verifies its signature. */
export function CheckpointPage(_props: Record<string, never>) {
  const m = useMessages(messages);
  const why = useMessages(reasonMessages);
  const lang = useLang();
  const latest = useApi<CheckpointView>('/ledger/checkpoints/latest');
  const key = useApi<LedgerKey>('/ledger/key');
  const pinned = usePinnedKey();
  const trustedKey = pinned ?? key.data?.verifierKey;
  const [verdict, setVerdict] = useState<{ for: string; verdict: CheckpointVerdict }>();
  const [draft, setDraft] = useState(pinned ?? '');

  const checkpoint = latest.data;
  const witnesses = key.data?.witnesses ?? [];
  const subject = checkpoint && trustedKey ? `${checkpoint.note}\u0000${trustedKey}\u0000${witnesses.join(',')}` : undefined;
  useEffect(() => {
    if (!checkpoint || !trustedKey || subject === undefined) return;
    let live = true;
    void checkCheckpoint(checkpoint, trustedKey, witnesses).then((v) => live && setVerdict({ for: subject, verdict: v }));
    return () => {
      live = false;
    };
  }, [subject]);
  const current = verdict && verdict.for === subject ? verdict.verdict : undefined;

  const pin = (e: FormEvent) => {
    e.preventDefault();
    setPinnedKey(draft);
  };

  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      {latest.loading && <Loading />}
      {latest.error && <ProblemMessage problem={latest.error} onRetry={latest.reload} />}
      {checkpoint && (
        <>
          <section aria-labelledby="checkpoint-latest">
            <h2 id="checkpoint-latest">{m.latest}</h2>
            <dl className="audit-facts">
              <dt>{m.origin}</dt>
              <dd>
                <code>{checkpoint.origin}</code>
              </dd>
              <dt>{m.size}</dt>
              <dd data-testid="checkpoint-size">{m.events(checkpoint.size)}</dd>
              <dt>{m.root}</dt>
              <dd>
                <code className="hash" data-testid="checkpoint-root">
                  {checkpoint.rootHash}
                </code>
              </dd>
              <dt>{m.signedAt}</dt>
              <dd>{formatDateTime(checkpoint.signedAt, lang)}</dd>
              <dt>{m.reason}</dt>
              <dd>{m.reasons(checkpoint.reason)}</dd>
              <dt>{m.keyId}</dt>
              <dd>
                <code>{checkpoint.keyId}</code>
              </dd>
            </dl>
            <details>
              <summary>{m.rawNote}</summary>
              <pre className="note">{checkpoint.note}</pre>
            </details>
          </section>

          <section aria-labelledby="checkpoint-verification">
            <h2 id="checkpoint-verification">{m.verification}</h2>
            <div aria-live="polite">
              {key.error && !pinned && <ProblemMessage problem={key.error} onRetry={key.reload} />}
              {!current && trustedKey && <p className="loading">{m.checking}</p>}
              {current && (
                <>
                  <p className={`verdict ${current.ok ? 'yes' : 'no'}`} data-testid="checkpoint-verdict">
                    {current.ok ? m.yes(`${current.keyName}+${current.keyId}`, checkpoint.size) : m.no(why[current.reason] ?? current.reason)}
                  </p>
                  {!current.ok && (
                    <details>
                      <summary>{m.technical}</summary>
                      <p lang="en">{current.detail}</p>
                    </details>
                  )}
                </>
              )}
            </div>
            <p className="notice">{pinned ? m.pinnedTrust : m.serverTrust}</p>
            {pinned && key.data && key.data.verifierKey !== pinned && <p className="notice">{m.pinnedDiffers}</p>}
          </section>
        </>
      )}

      <section aria-labelledby="checkpoint-key">
        <h2 id="checkpoint-key">{m.trusted}</h2>
        <dl className="audit-facts">
          {key.data && (
            <>
              <dt>{m.serverKey}</dt>
              <dd>
                <code className="hash" data-testid="server-key">
                  {key.data.verifierKey}
                </code>
              </dd>
            </>
          )}
          {pinned && (
            <>
              <dt>{m.pinnedKey}</dt>
              <dd>
                <code className="hash" data-testid="pinned-key">
                  {pinned}
                </code>
              </dd>
            </>
          )}
        </dl>
        <form className="form" onSubmit={pin}>
          <Field label={m.keyLabel} name="trustedKey" hint={m.keyHint}>
            {(props) => <textarea {...props} rows={2} spellCheck={false} autoCapitalize="off" autoComplete="off" value={draft} onChange={(e) => setDraft(e.target.value)} />}
          </Field>
          <div className="audit-actions">
            <button type="submit">{m.pin}</button>{' '}
            {pinned && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setPinnedKey(undefined);
                  setDraft('');
                }}
              >
                {m.unpin}
              </button>
            )}
          </div>
        </form>
      </section>

      {checkpoint && (
        <section aria-labelledby="checkpoint-witnesses">
          <h2 id="checkpoint-witnesses">{m.witnesses}</h2>
          {checkpoint.cosignatures.length === 0 ? (
            <p>{m.noWitness}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption>{m.witnessesCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{m.witness}</th>
                    <th scope="col">{m.keyId}</th>
                    <th scope="col">{m.time}</th>
                    <th scope="col">{m.receivedAt}</th>
                    <th scope="col">{m.verified}</th>
                  </tr>
                </thead>
                <tbody>
                  {checkpoint.cosignatures.map((c) => {
                    const result = current?.witnesses[`${c.witness}+${c.keyId}`];
                    return (
                      <tr key={`${c.witness}+${c.keyId}`}>
                        <th scope="row">
                          <code>{c.witness}</code>
                        </th>
                        <td>
                          <code>{c.keyId}</code>
                        </td>
                        <td>{formatDateTime(new Date(c.time * 1000).toISOString(), lang)}</td>
                        <td>{formatDateTime(c.receivedAt, lang)}</td>
                        <td>{result === undefined ? m.witnessUnknown : result ? `✓ ${m.witnessYes}` : `✗ ${m.witnessNo}`}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </Page>
  );
}
