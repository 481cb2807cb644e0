import { useId, useState } from 'react';
import { AsOfControl, asOfQuery } from '../overview/as-of-control';
import { ScrollBox } from '../overview/scroll-box';
import { useApi } from '../shell/api';
import { defineMessages, formatNumber, useMessages } from '../shell/i18n';
import { href } from '../shell/router';
import { Loading, Page, ProblemMessage } from '../ui/page';

interface Commune {
  inseeCode: string;
  name: string | null;
}

/** GET /territories: the contract's QPV and how many commitments name each. */
interface TerritoriesAnswer {
  contractId: string | null;
  communes: Commune[];
  qpv: { code: string; name: string; communes: Commune[]; commitments: number }[];
}

const messages = defineMessages({
  fr: {
    title: 'Les quartiers prioritaires (QPV)',
    intro: 'Les quartiers prioritaires de la politique de la ville de la Métropole Européenne de Lille que couvre le contrat (géographie 2024), et les engagements qui les nomment.',
    summary: (qpv: number, communes: number) => `${qpv} quartiers prioritaires, dans ${communes} communes.`,
    none: "Aucun contrat n'était adopté à cette date : pas de territoire.",
    filter: 'Commune',
    allCommunes: 'Toutes les communes',
    caption: 'Quartiers prioritaires du contrat et engagements qui les concernent',
    code: 'Code officiel',
    name: 'Quartier',
    communes: 'Communes',
    commitments: 'Engagements',
    commitmentsLink: (n: number, name: string) => `${n === 1 ? '1 engagement' : `${formatNumber(n)} engagements`} pour ${name}`,
    noCommitment: 'aucun',
    shown: (n: number, total: number) => (n === total ? `${n} quartiers affichés.` : `${n} quartiers affichés sur ${total}.`),
  },
  en: {
    title: 'Priority neighbourhoods (QPV)',
    intro: 'The priority neighbourhoods (quartiers prioritaires de la politique de la ville) of the Métropole Européenne de Lille the contract covers (2024 geography), and the commitments that name them.',
    summary: (qpv: number, communes: number) => `${qpv} priority neighbourhoods, in ${communes} communes.`,
    none: 'No contract had been adopted on that date: no territory.',
    filter: 'Commune',
    allCommunes: 'All communes',
    caption: 'Priority neighbourhoods of the contract and the commitments that concern them',
    code: 'Official code',
    name: 'Neighbourhood',
    communes: 'Communes',
    commitments: 'Commitments',
    commitmentsLink: (n: number, name: string) => `${n === 1 ? '1 commitment' : `${formatNumber(n)} commitments`} for ${name}`,
    noCommitment: 'none',
    shown: (n: number, total: number) => (n === total ? `${n} neighbourhoods shown.` : `${n} of ${total} neighbourhoods shown.`),
  },
});

/** The 26 QPV of the MEL with their official codes and communes, and the commitments naming each. */
export function TerritoriesPage({ query }: { query: URLSearchParams }) {
  const m = useMessages(messages);
  const id = useId();
  const asOf = asOfQuery(query);
  const { data, error, loading, reload } = useApi<TerritoriesAnswer>('/territories', asOf);
  const [commune, setCommune] = useState('');
  const communeName = (c: Commune) => c.name ?? c.inseeCode;
  const rows = (data?.qpv ?? []).filter((q) => commune === '' || q.communes.some((c) => c.inseeCode === commune));
  const sortedCommunes = [...(data?.communes ?? [])].sort((a, b) => communeName(a).localeCompare(communeName(b), 'fr'));
  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      <AsOfControl segments={['territories']} query={query} />
      {error && <ProblemMessage problem={error} onRetry={reload} />}
      {loading && <Loading />}
      {data && !loading && (data.contractId === null ? (
        <p className="notice">{m.none}</p>
      ) : (
        <>
          <p data-testid="territories-summary">{m.summary(data.qpv.length, data.communes.length)}</p>
          <div className="field territory-filter">
            <label htmlFor={`${id}-commune`}>{m.filter}</label>
            <select id={`${id}-commune`} value={commune} onChange={(e) => setCommune(e.target.value)} aria-controls={`${id}-table`}>
              <option value="">{m.allCommunes}</option>
              {sortedCommunes.map((c) => (
                <option key={c.inseeCode} value={c.inseeCode}>
                  {communeName(c)} ({c.inseeCode})
                </option>
              ))}
            </select>
          </div>
          <p role="status" className="muted">
            {m.shown(rows.length, data.qpv.length)}
          </p>
          <ScrollBox label={m.caption}>
            <table id={`${id}-table`} className="territories">
              <caption>{m.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.code}</th>
                  <th scope="col">{m.name}</th>
                  <th scope="col">{m.communes}</th>
                  <th scope="col" className="num">{m.commitments}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((q) => (
                  <tr key={q.code} data-qpv={q.code}>
                    <td>
                      <code>{q.code}</code>
                    </td>
                    <th scope="row">{q.name}</th>
                    <td>{q.communes.map(communeName).join(', ')}</td>
                    <td className="num">
                      {q.commitments === 0 ? (
                        m.noCommitment
                      ) : (
                        <a href={href(['commitments'], { qpv: q.code, ...asOf })} aria-label={m.commitmentsLink(q.commitments, q.name)}>
                          {formatNumber(q.commitments)}
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        </>
      ))}
    </Page>
  );
}
