import { type FormEvent, useState } from 'react';
import { defineMessages, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { SessionError, startSession } from '../shell/session';
import { Field } from '../ui/field';
import { Page } from '../ui/page';

const messages = defineMessages({
  fr: {
    title: 'Se connecter',
    intro: "Les membres des instances, les signataires et les auditeurs se connectent avec le jeton d'accès que leur remet l'administration du registre (ou leur fournisseur d'identité). Le jeton reste dans cet onglet et disparaît à sa fermeture.",
    token: "Jeton d'accès",
    hint: 'Trois parties séparées par des points (eyJ…). Administration : npm run ledger -- token --role …',
    submit: 'Se connecter',
    public: 'Sans compte, les données ouvertes et la vérification du registre restent accessibles.',
    openData: 'Consulter les données ouvertes',
    'sign-in': 'Cette page est réservée aux membres : connectez-vous.',
    'members-only': "Cette page est réservée aux membres ; le rôle « public » lit les données ouvertes.",
    malformed: "Ce texte n'est pas un jeton d'accès (attendu : trois parties séparées par des points).",
    expired: 'Ce jeton a expiré : demandez-en un nouveau.',
    role: "Ce jeton ne nomme aucun rôle du registre (administration, secrétariat d'instance, représentant·e de signataire, audit, public).",
    rule: 'TokenMustBeReadable',
  },
  en: {
    title: 'Sign in',
    intro: "Members of governance bodies, signatories and auditors sign in with the access token given by the ledger's administrators (or their identity provider). The token stays in this tab and is forgotten when it closes.",
    token: 'Access token',
    hint: 'Three parts separated by dots (eyJ…). Administrators: npm run ledger -- token --role …',
    submit: 'Sign in',
    public: 'Without an account, the open data and the verification of the ledger remain available.',
    openData: 'Read the open data',
    'sign-in': 'This page is for members: sign in.',
    'members-only': 'This page is for members; the public role reads the open data.',
    malformed: 'This text is not an access token (expected: three parts separated by dots).',
    expired: 'This token has expired: ask for a new one.',
    role: 'This token names no role of the ledger (administrator, body secretary, signatory representative, auditor, public).',
    rule: 'TokenMustBeReadable',
  },
});

export function LoginPage({ reason }: { reason?: 'sign-in' | 'members-only' }) {
  const m = useMessages(messages);
  const [token, setToken] = useState('');
  const [error, setError] = useState<SessionError['reason']>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      const session = startSession(token);
      setError(undefined);
      const back = window.location.hash.startsWith('#/login') ? href([]) : window.location.hash;
      navigate(session.role === 'public' && back === href([]) ? href(['open-data']) : back, { replace: true });
    } catch (e) {
      setError(e instanceof SessionError ? e.reason : 'malformed');
    }
  };
  return (
    <Page title={m.title}>
      {reason && (
        <p role="status" className="notice">
          {m[reason]}
        </p>
      )}
      <p>{m.intro}</p>
      <form onSubmit={submit} noValidate className="form">
        <Field label={m.token} name="token" hint={m.hint}>
          {(props) => (
            <>
              <textarea {...props} rows={4} value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} required aria-invalid={error ? true : undefined} aria-describedby={[props['aria-describedby'], error ? 'token-error' : undefined].filter(Boolean).join(' ')} />
              {error && (
                <p className="field-errors" id="token-error" role="alert">
                  {m[error]}
                </p>
              )}
            </>
          )}
        </Field>
        <button type="submit">{m.submit}</button>
      </form>
      <p>
        {m.public} <a href={href(['open-data'])}>{m.openData}</a>
      </p>
    </Page>
  );
}
