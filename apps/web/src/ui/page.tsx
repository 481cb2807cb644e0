import { type ReactNode, useEffect, useRef } from 'react';
import type { ApiProblem } from '../shell/api';
import { defineMessages, useMessages } from '../shell/i18n';

const messages = defineMessages({
  fr: { loading: 'Chargement…', site: 'Contrat de ville et des solidarités', failed: 'La lecture a échoué', network: 'Le registre ne répond pas. Vérifiez la connexion puis réessayez.', retry: 'Réessayer' },
  en: { loading: 'Loading…', site: 'Contrat de ville et des solidarités', failed: 'Reading failed', network: 'The ledger does not answer. Check the connection, then try again.', retry: 'Try again' },
});

/**
 * A page: its title in the tab and as the one h1, which takes the focus when the page changes so that a
 * screen reader announces where the user arrived (RGAA 12.x).
 */
export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const m = useMessages(messages);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — ${m.site}`;
  }, [title, m.site]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </>
  );
}

export function Loading() {
  const m = useMessages(messages);
  return (
    <p role="status" className="loading">
      {m.loading}
    </p>
  );
}

/** An API refusal or failure, said in words, with the rule the API named. */
export function ProblemMessage({ problem, onRetry }: { problem: ApiProblem; onRetry?: () => void }) {
  const m = useMessages(messages);
  return (
    <div role="alert" className="problem">
      <p>
        <strong>{problem.status === 0 ? m.network : `${m.failed} (${problem.status})`}</strong>
        {problem.status !== 0 && <> — {problem.detail ?? problem.title}</>}
      </p>
      {problem.rule && <p className="rule">{problem.rule}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {m.retry}
        </button>
      )}
    </div>
  );
}
