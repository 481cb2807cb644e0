import { type FormEvent, useEffect, useState } from 'react';
import { apiGet, useApi } from '../shell/api';
import { defineMessages, formatDate, formatNumber, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';
import { Select, TextField } from '../ui/field';
import { Loading, Page, ProblemMessage } from '../ui/page';
import { ScrollTable } from '../governance/shared';
import { AMENDMENT_STATUSES, type AmendmentDetail, amendmentLabels, type AmendmentSummary } from './shared';

const messages = defineMessages({
  fr: {
    title: 'Avenants',
    intro: "Chaque avenant au contrat ou à ses engagements : son objet, la décision du comité de pilotage qui l'approuve, puis les signatures de chaque partie concernée. Il entre en vigueur quand toutes ont signé.",
    filters: 'Filtrer les avenants',
    status: 'Statut',
    allStatuses: 'Tous les statuts',
    party: 'Partie concernée (identifiant)',
    commitment: 'Engagement modifié (identifiant)',
    apply: 'Filtrer',
    none: 'Aucun avenant.',
    amendment: 'Avenant',
    description: 'Objet',
    proposedOn: 'Proposé le',
    decision: 'Décision',
    signatures: 'Signatures',
    signed: (n: number, of: number) => `${formatNumber(n)} sur ${formatNumber(of)}`,
    unknown: '…',
    next: 'Avenants suivants',
    noDecision: '—',
  },
  en: {
    title: 'Amendments',
    intro: 'Each amendment to the contract or its commitments: what it changes, the steering committee decision that approves it, then the signature of each party concerned. It comes into force once all have signed.',
    filters: 'Filter the amendments',
    status: 'Status',
    allStatuses: 'All statuses',
    party: 'Party concerned (id)',
    commitment: 'Commitment changed (id)',
    apply: 'Filter',
    none: 'No amendment.',
    amendment: 'Amendment',
    description: 'What it changes',
    proposedOn: 'Proposed on',
    decision: 'Decision',
    signatures: 'Signatures',
    signed: (n: number, of: number) => `${formatNumber(n)} of ${formatNumber(of)}`,
    unknown: '…',
    next: 'Next amendments',
    noDecision: '—',
  },
});

/**
 * The list of amendments with their status and how many of the parties concerned have signed. The list
 * answer has no signatures: an amendment being signed (approved, or withdrawn after approval) is read
 * one by one; one in force has all of them, one proposed or rejected none.
 */
export function AmendmentsPage({ query }: { query: URLSearchParams }) {
  const m = useMessages(messages);
  const a = useMessages(amendmentLabels);
  const filter = { status: query.get('status') ?? '', partyId: query.get('partyId') ?? '', commitmentId: query.get('commitmentId') ?? '' };
  const list = useApi<{ items: AmendmentSummary[]; nextCursor: string | null }>('/amendments', { ...filter, after: query.get('after'), asOf: query.get('asOf'), seq: query.get('seq') });
  const [draft, setDraft] = useState(filter);
  const [signed, setSigned] = useState<Record<string, number>>({});

  useEffect(() => {
    const controller = new AbortController();
    const pending = (list.data?.items ?? []).filter((item) => item.status === 'approved' || item.status === 'withdrawn');
    for (const item of pending) {
      apiGet<AmendmentDetail>(`/amendments/${encodeURIComponent(item.amendmentId)}`, { asOf: query.get('asOf'), seq: query.get('seq') }, controller.signal).then(
        (detail) => setSigned((s) => ({ ...s, [item.amendmentId]: detail.signatures.length })),
        () => undefined,
      );
    }
    return () => controller.abort();
  }, [list.data]); // the query's asOf and seq are those of list.data

  const signatures = (item: AmendmentSummary) => {
    if (item.status === 'in_force') return item.affectedPartyIds.length;
    if (item.status === 'proposed' || item.status === 'rejected') return 0;
    return signed[item.amendmentId];
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(href(['amendments'], draft));
  };

  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      <form className="gov-filters" onSubmit={apply} aria-label={m.filters}>
        <Select label={m.status} name="status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
          <option value="">{m.allStatuses}</option>
          {AMENDMENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {a.status[status]}
            </option>
          ))}
        </Select>
        <TextField label={m.party} name="partyId" value={draft.partyId} onChange={(e) => setDraft({ ...draft, partyId: e.target.value })} />
        <TextField label={m.commitment} name="commitmentId" value={draft.commitmentId} onChange={(e) => setDraft({ ...draft, commitmentId: e.target.value })} />
        <div className="gov-filters-submit">
          <button type="submit">{m.apply}</button>
        </div>
      </form>
      {list.error && <ProblemMessage problem={list.error} onRetry={list.reload} />}
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <p>{m.none}</p>}
      {list.data && list.data.items.length > 0 && (
        <ScrollTable label={m.title}>
          <table aria-label={m.title}>
            <thead>
              <tr>
                <th scope="col">{m.amendment}</th>
                <th scope="col">{m.description}</th>
                <th scope="col">{m.status}</th>
                <th scope="col">{m.proposedOn}</th>
                <th scope="col">{m.decision}</th>
                <th scope="col">{m.signatures}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((item) => {
                const n = signatures(item);
                return (
                  <tr key={item.amendmentId}>
                    <th scope="row">
                      <a href={href(['amendments', item.amendmentId])}>{item.amendmentId}</a>
                    </th>
                    <td>{item.description.length > 160 ? `${item.description.slice(0, 160)}…` : item.description}</td>
                    <td>
                      <span className="badge">{a.status[item.status] ?? item.status}</span>
                    </td>
                    <td>{formatDate(item.proposedOn)}</td>
                    <td>{item.decision?.decidedOn ? formatDate(item.decision.decidedOn) : m.noDecision}</td>
                    <td data-testid={`signatures-${item.amendmentId}`}>{n === undefined ? m.unknown : m.signed(n, item.affectedPartyIds.length)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {list.data?.nextCursor && (
        <p>
          <a href={href(['amendments'], { ...filter, after: list.data.nextCursor })}>{m.next}</a>
        </p>
      )}
    </Page>
  );
}
