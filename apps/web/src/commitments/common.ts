import { useEffect, useState } from 'react';
import { apiGet } from '../shell/api';
import { defineMessages } from '../shell/i18n';

/** The statuses of a commitment, as the API names them (ListCommitmentsQuery). */
export const STATUSES = ['draft', 'proposed', 'adopted', 'in_progress', 'suspended', 'completed', 'withdrawn', 'superseded'] as const;
export type CommitmentStatus = (typeof STATUSES)[number];

/** A row of `GET /commitments` and `GET /commitments/:id` (now). */
export interface CommitmentRow {
  commitmentId: string;
  title: string;
  description: string;
  ownerPartyId: string;
  coFunderPartyIds: string[];
  priority: number;
  ambition: string;
  component: string;
  horizon: number;
  status: string;
  outcome: string | null;
  qpv: string[];
  communes: string[];
  droitCommunCents: number;
  creditsSpecifiquesCents: number;
  budget: { year: number; amountCents: number; status: string }[];
  committedCents: number;
  disbursedCents: number;
  spentCents: number;
  reports: number;
  amendmentIds: string[];
  streamVersion: number;
  lastSeq: number;
  updatedOn: string;
}

/** `GET /commitments/:id?asOf=…&clock=…`: the domain's state folded as of a date (its terms spread). */
export interface CommitmentAsOf {
  commitmentId: string;
  asOf: string;
  clock: 'effective' | 'recorded';
  status: string;
  outcome: string | null;
  title: string;
  description: string;
  ownerPartyId: string;
  coFunderPartyIds: string[];
  priority: number;
  ambition: string;
  component: string;
  horizon: number;
  scope: { qpv: string[]; communes: string[] };
  means: { droitCommunCents: number; creditsSpecifiquesCents: number };
  budget: { year: number; amountCents: number; status: string }[];
  funding: { commitment: number; disbursement: number; expenditure: number };
  reports: number;
  streamVersion: number;
}

/** One shape for both answers, as the commitment page shows it: a row, less what only the live row has. */
export type CommitmentView = Omit<CommitmentRow, 'amendmentIds' | 'lastSeq' | 'updatedOn'> & { amendmentIds?: string[] };

export function viewOf(answer: CommitmentRow | CommitmentAsOf): CommitmentView {
  if ('scope' in answer) {
    return {
      ...answer,
      qpv: answer.scope.qpv,
      communes: answer.scope.communes,
      droitCommunCents: answer.means.droitCommunCents,
      creditsSpecifiquesCents: answer.means.creditsSpecifiquesCents,
      committedCents: answer.funding.commitment,
      disbursedCents: answer.funding.disbursement,
      spentCents: answer.funding.expenditure,
    };
  }
  return answer;
}

export const statusMessages = defineMessages({
  fr: {
    draft: 'brouillon',
    proposed: 'proposé',
    adopted: 'adopté',
    in_progress: 'en cours',
    suspended: 'suspendu',
    completed: 'achevé',
    withdrawn: 'retiré',
    superseded: 'remplacé par avenant',
  } as Record<string, string>,
  en: {
    draft: 'draft',
    proposed: 'proposed',
    adopted: 'adopted',
    in_progress: 'in progress',
    suspended: 'suspended',
    completed: 'completed',
    withdrawn: 'withdrawn',
    superseded: 'superseded by an amendment',
  } as Record<string, string>,
});

/** The party ids' names, from each party's own history (its latest state); the id until known. */
const partyNames = new Map<string, Promise<string | undefined>>();

function partyName(partyId: string): Promise<string | undefined> {
  let name = partyNames.get(partyId);
  if (!name) {
    name = apiGet<{ items: { state: { name?: string } }[] }>(`/parties/${encodeURIComponent(partyId)}/history`, { limit: 100 }).then(
      (answer) => answer.items[answer.items.length - 1]?.state?.name,
      () => {
        partyNames.delete(partyId);
        return undefined;
      },
    );
    partyNames.set(partyId, name);
  }
  return name;
}

/** Names of parties, loaded once per id and tab; a party whose name cannot be read keeps its id. */
export function usePartyNames(partyIds: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(partyIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',') : []) {
      void partyName(id).then((name) => {
        if (live && name) setNames((n) => (n[id] === name ? n : { ...n, [id]: name }));
      });
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

/** The enjeux' titles (`GET /overview`), by number. */
export function useEnjeuTitles(): Record<number, string> {
  const [titles, setTitles] = useState<Record<number, string>>({});
  useEffect(() => {
    const controller = new AbortController();
    apiGet<{ enjeux: { priority: number; title: string }[] }>('/overview', {}, controller.signal).then(
      (answer) => setTitles(Object.fromEntries(answer.enjeux.map((e) => [e.priority, e.title]))),
      () => undefined,
    );
    return () => controller.abort();
  }, []);
  return titles;
}
