import { type FormEvent, useId } from 'react';
import { useApi } from '../shell/api';
import { defineMessages, formatCents, formatDate, useLang, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { useSession } from '../shell/session';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { type CommitmentRow, STATUSES, statusMessages, useEnjeuTitles, usePartyNames } from './common';

const messages = defineMessages({
  fr: {
    title: 'Engagements',
    intro: "Les engagements des signataires du contrat de ville, par enjeu, ambition, statut, quartier prioritaire (QPV), commune et échéance.",
    filters: 'Filtrer les engagements',
    search: 'Rechercher',
    searchHint: "Des mots du titre ou de la description (tous ; majuscules et accents indifférents), par exemple « santé mentale »",
    owner: 'Signataire porteur',
    ownerHint: 'Identifiant du signataire, par exemple party-mel',
    priority: 'Enjeu',
    ambition: 'Ambition',
    ambitionHint: "Le texte exact de l'ambition, tel que le contrat l'énonce",
    status: 'Statut',
    qpv: 'Quartier prioritaire (QPV)',
    qpvHint: 'Code officiel, par exemple QN05972M',
    commune: 'Commune',
    communeHint: 'Code INSEE, par exemple 59350',
    horizon: 'Échéance',
    any: 'Tous',
    anyFem: 'Toutes',
    apply: 'Filtrer',
    reset: 'Effacer les filtres',
    mine: (party: string) => `Les engagements de mon organisation (${party})`,
    results: 'Résultats',
    count: (n: number, more: boolean) => (n === 0 ? 'Aucun engagement ne répond à ces filtres.' : `${n} engagement${n > 1 ? 's' : ''} sur cette page${more ? ' (d’autres suivent)' : ''}.`),
    caption: 'Engagements répondant aux filtres',
    colTitle: 'Engagement',
    colOwner: 'Porteur',
    colEnjeu: 'Enjeu',
    colStatus: 'Statut',
    colMeans: 'Moyens prévus',
    colCommitted: 'Engagé',
    enjeu: (n: number) => `Enjeu ${n}`,
    next: 'Page suivante',
    first: 'Première page',
    pages: 'Pages de résultats',
    asOf: (date: string, clock: string) => `Liste au ${date}, ${clock}.`,
    clocks: { effective: 'en vigueur à cette date', recorded: 'connue du registre à cette date' } as Record<string, string>,
    now: "Voir la liste d'aujourd'hui",
  },
  en: {
    title: 'Commitments',
    intro: "The commitments of the contract's signatories, by enjeu, ambition, status, priority neighbourhood (QPV), commune and horizon.",
    filters: 'Filter the commitments',
    search: 'Search',
    searchHint: 'Words of the title or the description (all of them; case and accents ignored), e.g. « santé mentale »',
    owner: 'Owning signatory',
    ownerHint: "The signatory's id, for instance party-mel",
    priority: 'Enjeu',
    ambition: 'Ambition',
    ambitionHint: "The ambition's exact text, as the contract words it",
    status: 'Status',
    qpv: 'Priority neighbourhood (QPV)',
    qpvHint: 'Official code, for instance QN05972M',
    commune: 'Commune',
    communeHint: 'INSEE code, for instance 59350',
    horizon: 'Horizon',
    any: 'Any',
    anyFem: 'Any',
    apply: 'Filter',
    reset: 'Clear the filters',
    mine: (party: string) => `My organisation's commitments (${party})`,
    results: 'Results',
    count: (n: number, more: boolean) => (n === 0 ? 'No commitment matches these filters.' : `${n} commitment${n > 1 ? 's' : ''} on this page${more ? ' (more follow)' : ''}.`),
    caption: 'Commitments matching the filters',
    colTitle: 'Commitment',
    colOwner: 'Owner',
    colEnjeu: 'Enjeu',
    colStatus: 'Status',
    colMeans: 'Planned means',
    colCommitted: 'Committed',
    enjeu: (n: number) => `Enjeu ${n}`,
    next: 'Next page',
    first: 'First page',
    pages: 'Result pages',
    asOf: (date: string, clock: string) => `List as of ${date}, ${clock}.`,
    clocks: { effective: 'in force on that date', recorded: 'known to the ledger on that date' } as Record<string, string>,
    now: "See today's list",
  },
});

/** The API's filter names (ListCommitmentsQuery), kept as they are in the page's address. */
const FILTERS = ['q', 'ownerPartyId', 'priority', 'ambition', 'status', 'qpv', 'commune', 'horizon'] as const;
const HORIZONS = [2024, 2025, 2026, 2027, 2028, 2029, 2030];

interface ContractAnswer {
  signatoryPartyIds?: string[];
  priorities?: { number: number; title: string; ambitions: { ambitionId: string; text: string }[]; partnerPartyIds?: string[] }[];
}
interface TerritoriesAnswer {
  communes?: { inseeCode: string; name: string | null }[];
  qpv?: { code: string; name: string }[];
}

export function CommitmentsPage({ query }: { query: URLSearchParams }) {
  const m = useMessages(messages);
  const statuses = useMessages(statusMessages);
  const lang = useLang();
  const session = useSession();
  const formId = useId();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const after = query.get('after') ?? undefined;
  // The page size may come with the address (`limit`, as the API names it); 50 otherwise.
  const limit = /^\d{1,3}$/.test(query.get('limit') ?? '') ? query.get('limit')! : undefined;
  // A list as of a date (a link from the territories or the overview read on a date): a day or an instant, and its clock.
  const asOfRaw = query.get('asOf') ?? '';
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(asOfRaw) ? `${asOfRaw}T23:59:59.999Z` : asOfRaw || undefined;
  const clock = asOf && query.get('clock') === 'recorded' ? 'recorded' : undefined;
  const dated = { asOf: asOf ? asOfRaw : undefined, clock };
  const list = useApi<{ items: CommitmentRow[]; nextCursor: string | null }>('/commitments', { ...filters, after, limit: limit ?? 50, asOf, clock });
  const enjeux = useEnjeuTitles();
  // Lists to pick from, when the API offers them (the contract's ambitions, its QPV and communes); free text otherwise.
  const contract = useApi<ContractAnswer>('/contract');
  const territories = useApi<TerritoriesAnswer>('/territories');
  const items = list.data?.items ?? [];
  const names = usePartyNames(items.map((c) => c.ownerPartyId));
  const ambitions = (contract.data?.priorities ?? []).filter((p) => !filters.priority || String(p.number) === filters.priority).flatMap((p) => p.ambitions.map((a) => a.text));
  const parties = [...new Set([...(contract.data?.signatoryPartyIds ?? []), ...(contract.data?.priorities ?? []).flatMap((p) => p.partnerPartyIds ?? [])])].sort();
  const qpvs = territories.data?.qpv ?? [];
  const communes = territories.data?.communes ?? [];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: Record<string, string> = {};
    for (const f of FILTERS) next[f] = String(data.get(f) ?? '').trim();
    navigate(href(['commitments'], { ...next, limit, ...dated }));
  };

  const field = (name: string) => `${formId}-${name}`;
  const enjeuLabel = (n: number) => (enjeux[n] ? `${n}. ${enjeux[n]}` : m.enjeu(n));

  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      {session?.role === 'signatory-representative' && session.partyId && (
        <p>
          <a href={href(['commitments'], { ownerPartyId: session.partyId })}>{m.mine(session.partyId)}</a>
        </p>
      )}
      <section aria-labelledby={field('filters')}>
        <h2 id={field('filters')}>{m.filters}</h2>
        <form className="form commitment-filters" onSubmit={submit} key={query.toString()} aria-labelledby={field('filters')}>
          <div className="field">
            <label htmlFor={field('q')}>{m.search}</label>
            <p className="hint" id={field('q-hint')}>
              {m.searchHint}
            </p>
            <input id={field('q')} name="q" type="search" defaultValue={filters.q} aria-describedby={field('q-hint')} maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor={field('owner')}>{m.owner}</label>
            <p className="hint" id={field('owner-hint')}>
              {m.ownerHint}
            </p>
            <input id={field('owner')} name="ownerPartyId" defaultValue={filters.ownerPartyId} aria-describedby={field('owner-hint')} autoComplete="off" list={parties.length > 0 ? field('parties') : undefined} />
            {parties.length > 0 && (
              <datalist id={field('parties')}>
                {parties.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
            )}
          </div>
          <div className="field">
            <label htmlFor={field('priority')}>{m.priority}</label>
            <select id={field('priority')} name="priority" defaultValue={filters.priority}>
              <option value="">{m.any}</option>
              {[1, 2, 3, 4, 5, 6].map((n) => (
                <option key={n} value={n}>
                  {enjeuLabel(n)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={field('ambition')}>{m.ambition}</label>
            {ambitions.length > 0 ? (
              <select id={field('ambition')} name="ambition" defaultValue={filters.ambition}>
                <option value="">{m.anyFem}</option>
                {!ambitions.includes(filters.ambition) && filters.ambition && <option value={filters.ambition}>{filters.ambition}</option>}
                {ambitions.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            ) : (
              <>
                <p className="hint" id={field('ambition-hint')}>
                  {m.ambitionHint}
                </p>
                <input id={field('ambition')} name="ambition" defaultValue={filters.ambition} aria-describedby={field('ambition-hint')} />
              </>
            )}
          </div>
          <div className="field">
            <label htmlFor={field('status')}>{m.status}</label>
            <select id={field('status')} name="status" defaultValue={filters.status}>
              <option value="">{m.any}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statuses[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={field('qpv')}>{m.qpv}</label>
            {qpvs.length > 0 ? (
              <select id={field('qpv')} name="qpv" defaultValue={filters.qpv}>
                <option value="">{m.any}</option>
                {qpvs.map((q) => (
                  <option key={q.code} value={q.code}>
                    {q.name} ({q.code})
                  </option>
                ))}
              </select>
            ) : (
              <>
                <p className="hint" id={field('qpv-hint')}>
                  {m.qpvHint}
                </p>
                <input id={field('qpv')} name="qpv" defaultValue={filters.qpv} aria-describedby={field('qpv-hint')} autoComplete="off" />
              </>
            )}
          </div>
          <div className="field">
            <label htmlFor={field('commune')}>{m.commune}</label>
            {communes.length > 0 ? (
              <select id={field('commune')} name="commune" defaultValue={filters.commune}>
                <option value="">{m.anyFem}</option>
                {communes.map((c) => (
                  <option key={c.inseeCode} value={c.inseeCode}>
                    {c.name ? `${c.name} (${c.inseeCode})` : c.inseeCode}
                  </option>
                ))}
              </select>
            ) : (
              <>
                <p className="hint" id={field('commune-hint')}>
                  {m.communeHint}
                </p>
                <input id={field('commune')} name="commune" defaultValue={filters.commune} aria-describedby={field('commune-hint')} inputMode="numeric" autoComplete="off" />
              </>
            )}
          </div>
          <div className="field">
            <label htmlFor={field('horizon')}>{m.horizon}</label>
            <select id={field('horizon')} name="horizon" defaultValue={filters.horizon}>
              <option value="">{m.anyFem}</option>
              {HORIZONS.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <div className="form-actions">
            <button type="submit">{m.apply}</button>
            <a href={href(['commitments'])}>{m.reset}</a>
          </div>
        </form>
      </section>

      <section aria-labelledby={field('results')}>
        <h2 id={field('results')}>{m.results}</h2>
        {asOf && (
          <p className="notice">
            {m.asOf(formatDate(asOfRaw.slice(0, 10), lang), m.clocks[clock ?? 'effective'])} <a href={href(['commitments'], { ...filters, limit })}>{m.now}</a>
          </p>
        )}
        {list.error && <ProblemMessage problem={list.error} onRetry={list.reload} />}
        {list.loading && <Loading />}
        {list.data && !list.loading && (
          <>
            <p role="status">{m.count(items.length, list.data.nextCursor !== null)}</p>
            {items.length > 0 && (
              <div className="table-scroll">
                <table className="commitments-table">
                  <caption className="visually-hidden">{m.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{m.colTitle}</th>
                      <th scope="col">{m.colOwner}</th>
                      <th scope="col">{m.colEnjeu}</th>
                      <th scope="col">{m.colStatus}</th>
                      <th scope="col" className="num">
                        {m.colMeans}
                      </th>
                      <th scope="col" className="num">
                        {m.colCommitted}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((c) => (
                      <tr key={c.commitmentId}>
                        <th scope="row">
                          <a href={href(['commitments', c.commitmentId], dated)}>{c.title}</a>
                        </th>
                        <td>{names[c.ownerPartyId] ?? c.ownerPartyId}</td>
                        <td>
                          <strong>{m.enjeu(c.priority)}</strong>
                          {enjeux[c.priority] && <span className="enjeu-title"> {enjeux[c.priority]}</span>}
                        </td>
                        <td>
                          <span className={`badge status-${c.status}`}>{statuses[c.status] ?? c.status}</span>
                        </td>
                        <td className="num">{formatCents(c.droitCommunCents + c.creditsSpecifiquesCents, lang)}</td>
                        <td className="num">{formatCents(c.committedCents, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {(after || list.data.nextCursor) && (
              <nav aria-label={m.pages} className="pager">
                {after && <a href={href(['commitments'], { ...filters, limit, ...dated })}>{m.first}</a>}
                {list.data.nextCursor && (
                  <a href={href(['commitments'], { ...filters, limit, ...dated, after: list.data.nextCursor })} rel="next">
                    {m.next}
                  </a>
                )}
              </nav>
            )}
          </>
        )}
      </section>
    </Page>
  );
}
