import type { CommitmentEvent, CommitmentTerms, FundingTransaction } from '@mel/domain';
import type { StoredEvent } from '@mel/event-store';
import type { Projection } from '../projection';
import type { Tables } from '../tables';
import { CommitmentRow } from './commitment-row.entity';

const FUNDING_COLUMN: Record<FundingTransaction, 'committedCents' | 'disbursedCents' | 'spentCents'> = {
  commitment: 'committedCents',
  disbursement: 'disbursedCents',
  expenditure: 'spentCents',
};

const STATUS: Partial<Record<CommitmentEvent['type'], string>> = {
  CommitmentProposed: 'proposed',
  CommitmentAdopted: 'adopted',
  CommitmentStarted: 'in_progress',
  CommitmentResumed: 'in_progress',
  CommitmentSuspended: 'suspended',
  CommitmentCompleted: 'completed',
  CommitmentWithdrawn: 'withdrawn',
  CommitmentSuperseded: 'superseded',
};

/** Commitments as they stand now: one row each, kept by the commitment's events. */
export const commitmentsProjection: Projection = {
  name: 'commitments',
  entities: [CommitmentRow],

  async apply(stored: StoredEvent, tables: Tables): Promise<void> {
    if (!stored.streamId.startsWith('commitment-')) return;
    const event = { type: stored.type, data: stored.data } as CommitmentEvent;
    const stamp = { streamVersion: stored.streamVersion, lastSeq: String(stored.seq), updatedOn: new Date(stored.occurredAt) };
    if (event.type === 'CommitmentDrafted') {
      const { commitmentId, ...terms } = event.data;
      tables.put(CommitmentRow, {
        commitmentId, status: 'draft', outcome: null, ...columns(terms), committedCents: '0', disbursedCents: '0', spentCents: '0', reports: 0, amendmentIds: [], ...stamp,
      });
      return;
    }
    const commitmentId = (event.data as { commitmentId: string }).commitmentId;
    const row = await tables.getOrFail(CommitmentRow, { commitmentId });
    const status = STATUS[event.type];
    if (status) row.status = status;
    switch (event.type) {
      case 'CommitmentCompleted':
        row.outcome = event.data.outcome;
        break;
      case 'FundingRecorded': {
        const column = FUNDING_COLUMN[event.data.transaction];
        row[column] = String(BigInt(row[column]) + BigInt(event.data.amountCents));
        break;
      }
      case 'ProgressReported':
        row.reports += 1;
        break;
      case 'CommitmentCorrected':
        Object.assign(row, columns({ ...termsOf(row), [event.data.field]: event.data.value }));
        break;
      case 'CommitmentAmended':
        Object.assign(row, columns({ ...termsOf(row), ...event.data.changes }));
        row.amendmentIds = [...row.amendmentIds, event.data.amendmentId];
        break;
      default:
        break;
    }
    Object.assign(row, stamp);
    tables.put(CommitmentRow, row);
  },
};

function columns(terms: CommitmentTerms): Omit<CommitmentRow, 'commitmentId' | 'status' | 'outcome' | 'committedCents' | 'disbursedCents' | 'spentCents' | 'reports' | 'amendmentIds' | 'streamVersion' | 'lastSeq' | 'updatedOn'> {
  return {
    title: terms.title,
    description: terms.description,
    ownerPartyId: terms.ownerPartyId,
    coFunderPartyIds: terms.coFunderPartyIds,
    priority: terms.priority,
    ambition: terms.ambition,
    component: terms.component,
    horizon: terms.horizon,
    qpv: terms.scope.qpv,
    communes: terms.scope.communes,
    droitCommunCents: String(terms.means.droitCommunCents),
    creditsSpecifiquesCents: String(terms.means.creditsSpecifiquesCents),
    budget: terms.budget,
  };
}

function termsOf(row: CommitmentRow): CommitmentTerms {
  return {
    title: row.title,
    description: row.description,
    ownerPartyId: row.ownerPartyId,
    coFunderPartyIds: row.coFunderPartyIds,
    priority: row.priority,
    ambition: row.ambition,
    component: row.component as CommitmentTerms['component'],
    horizon: row.horizon,
    scope: { qpv: row.qpv, communes: row.communes },
    means: { droitCommunCents: Number(row.droitCommunCents), creditsSpecifiquesCents: Number(row.creditsSpecifiquesCents) },
    budget: row.budget as CommitmentTerms['budget'],
  };
}
