import { type ReactNode } from 'react';
import { routeFor } from '../routes';
import { defineMessages, LANGS, setLang, useLang, useMessages } from './i18n';
import { href, useRoute } from './router';
import { endSession, isMember, type Role, useSession } from './session';

export const shellMessages = defineMessages({
  fr: {
    skip: 'Aller au contenu',
    site: 'Contrat de ville et des solidarités',
    subtitle: 'Registre des engagements et de la gouvernance — Métropole Européenne de Lille, 2024-2030',
    nav: 'Menu principal',
    overview: "Vue d'ensemble",
    territories: 'Quartiers prioritaires',
    commitments: 'Engagements',
    governance: 'Gouvernance',
    amendments: 'Avenants',
    audit: 'Audit',
    openData: 'Données ouvertes',
    verify: 'Vérifier le registre',
    login: 'Se connecter',
    logout: 'Se déconnecter',
    language: 'Langue',
    signedInAs: (role: string, scope?: string) => `Connecté : ${role}${scope ? ` (${scope})` : ''}`,
    roles: { administrator: 'administration', 'body-secretary': "secrétariat d'instance", 'signatory-representative': 'représentant·e de signataire', auditor: 'audit', public: 'public' } as Record<Role, string>,
    footer: 'Chaque engagement, décision et avenant est un événement immuable, signé et vérifiable.',
    api: "Documentation de l'API",
  },
  en: {
    skip: 'Skip to content',
    site: 'Contrat de ville et des solidarités',
    subtitle: 'Ledger of commitments and governance — Métropole Européenne de Lille, 2024-2030',
    nav: 'Main menu',
    overview: 'Overview',
    territories: 'Priority neighbourhoods',
    commitments: 'Commitments',
    governance: 'Governance',
    amendments: 'Amendments',
    audit: 'Audit',
    openData: 'Open data',
    verify: 'Verify the ledger',
    login: 'Sign in',
    logout: 'Sign out',
    language: 'Language',
    signedInAs: (role: string, scope?: string) => `Signed in: ${role}${scope ? ` (${scope})` : ''}`,
    roles: { administrator: 'administrator', 'body-secretary': 'body secretary', 'signatory-representative': 'signatory representative', auditor: 'auditor', public: 'public' } as Record<Role, string>,
    footer: 'Every commitment, decision and amendment is an immutable event, signed and verifiable.',
    api: 'API documentation',
  },
});

function NavLink({ to, current, children }: { to: string; current: boolean; children: ReactNode }) {
  return (
    <li>
      <a href={to} aria-current={current ? 'page' : undefined}>
        {children}
      </a>
    </li>
  );
}

export function App() {
  const m = useMessages(shellMessages);
  const lang = useLang();
  const session = useSession();
  const route = useRoute();
  const { section, element } = routeFor(route, session);
  const links: [string, string, string][] = isMember(session)
    ? [
        ['overview', href([]), m.overview],
        ['territories', href(['territories']), m.territories],
        ['commitments', href(['commitments']), m.commitments],
        ['governance', href(['governance']), m.governance],
        ['amendments', href(['amendments']), m.amendments],
        ['audit', href(['audit']), m.audit],
        ['open-data', href(['open-data']), m.openData],
      ]
    : [
        ['open-data', href(['open-data']), m.openData],
        ['verify', href(['audit', 'checkpoint']), m.verify],
      ];
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {m.skip}
      </a>
      <header className="site-header">
        <div className="brand">
          <p className="site-name">
            <a href={href([])}>{m.site}</a>
          </p>
          <p className="site-subtitle">{m.subtitle}</p>
        </div>
        <div className="header-tools">
          <div role="group" aria-label={m.language} className="lang-switch">
            {LANGS.map((l) => (
              <button key={l} type="button" lang={l} aria-pressed={l === lang} onClick={() => setLang(l)}>
                {l === 'fr' ? 'Français' : 'English'}
              </button>
            ))}
          </div>
          {session ? (
            <div className="session">
              <span data-testid="session-role">{m.signedInAs(m.roles[session.role], session.partyId ?? session.mandate)}</span>
              <button type="button" onClick={() => { endSession(); window.location.hash = '#/login'; }}>
                {m.logout}
              </button>
            </div>
          ) : (
            <a className="button" href={href(['login'])}>
              {m.login}
            </a>
          )}
        </div>
        <nav aria-label={m.nav} className="site-nav">
          <ul>
            {links.map(([key, to, label]) => (
              <NavLink key={key} to={to} current={section === key}>
                {label}
              </NavLink>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {element}
      </main>
      <footer className="site-footer">
        <p>{m.footer}</p>
        <p>
          <a href="/docs">{m.api}</a> · <a href={href(['open-data'])}>{m.openData}</a> · <a href={href(['audit', 'checkpoint'])}>{m.verify}</a>
        </p>
      </footer>
    </>
  );
}
