import type { CommitmentEvent, ContractEvent, IndicatorEvent, Period } from '@mel/domain';
import type { StoredEvent } from '@mel/event-store';
import type { Projection } from '../projection';
import type { EntityClass, Tables } from '../tables';
import {
  OVERVIEW_ENTITIES,
  OverviewCommitmentRow,
  OverviewComponentRow,
  OverviewFundingRow,
  OverviewIndicatorPeriodRow,
  OverviewIndicatorRow,
  OverviewMilestoneRow,
  OverviewPartyFundingRow,
  OverviewPriorityRow,
} from './overview.entities';

export * from './overview.entities';

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

/** The overview and the parties' dashboards: money, statuses, milestones and indicators, contract-wide. */
export const overviewProjection: Projection = {
  name: 'overview',
  entities: OVERVIEW_ENTITIES,

  async apply(stored: StoredEvent, tables: Tables): Promise<void> {
    if (stored.streamId.startsWith('commitment-')) return applyCommitment({ type: stored.type, data: stored.data } as CommitmentEvent, tables);
    if (stored.streamId.startsWith('indicator-')) return applyIndicator({ type: stored.type, data: stored.data } as IndicatorEvent, tables);
    if (stored.streamId.startsWith('contract-')) return applyContract({ type: stored.type, data: stored.data } as ContractEvent, tables);
  },
};

async function applyCommitment(event: CommitmentEvent, tables: Tables): Promise<void> {
  switch (event.type) {
    case 'CommitmentDrafted': {
      const { commitmentId, title, ownerPartyId, priority, component } = event.data;
      tables.put(OverviewCommitmentRow, { commitmentId, title, ownerPartyId, priority, component, status: 'draft' });
      return;
    }
    case 'CommitmentCorrected':
      if (event.data.field === 'title') await tables.update(OverviewCommitmentRow, { commitmentId: event.data.commitmentId }, { title: String(event.data.value) });
      return;
    case 'CommitmentAmended':
      if (typeof event.data.changes.title === 'string') await tables.update(OverviewCommitmentRow, { commitmentId: event.data.commitmentId }, { title: event.data.changes.title });
      return;
    case 'MilestoneScheduled': {
      const { commitmentId, milestoneId, title, dueDate } = event.data;
      await tables.upsert(OverviewMilestoneRow, { commitmentId, milestoneId, title, dueDate, status: 'scheduled' });
      return;
    }
    case 'MilestoneStatusRecorded': {
      const { commitmentId, milestoneId, status } = event.data;
      await tables.update(OverviewMilestoneRow, { commitmentId, milestoneId }, { status });
      return;
    }
    case 'FundingRecorded': {
      const { commitmentId, transaction, year, amountCents, partyId } = event.data;
      const { component } = await tables.getOrFail(OverviewCommitmentRow, { commitmentId });
      await add(tables, OverviewFundingRow, { component, year, transaction }, amountCents);
      await add(tables, OverviewPartyFundingRow, { partyId, year, transaction }, amountCents);
      return;
    }
    default: {
      const status = STATUS[event.type];
      if (status) await tables.update(OverviewCommitmentRow, { commitmentId: (event.data as { commitmentId: string }).commitmentId }, { status });
    }
  }
}

/** Adds `amountCents` to the row keyed by `key`, created at 0 when missing. */
async function add<R extends OverviewFundingRow | OverviewPartyFundingRow>(tables: Tables, entity: EntityClass<R>, key: Omit<R, 'cents'>, amountCents: number): Promise<void> {
  const row = await tables.get(entity, key as Partial<R>);
  if (row) tables.put(entity, Object.assign(row, { cents: String(BigInt(row.cents) + BigInt(amountCents)) }));
  else tables.put(entity, { ...key, cents: String(amountCents) } as R);
}

async function applyIndicator(event: IndicatorEvent, tables: Tables): Promise<void> {
  const setPeriod = (indicatorId: string, period: Period, values: Partial<OverviewIndicatorPeriodRow>) =>
    tables.upsert(OverviewIndicatorPeriodRow, { indicatorId, periodStart: period.start, periodEnd: period.end, ...values }, { targetValue: null, targetUpperValue: null, actualValue: null });
  switch (event.type) {
    case 'IndicatorDefined': {
      const { indicatorId, title, priority, commitmentId, unit } = event.data;
      tables.put(OverviewIndicatorRow, { indicatorId, title, priority: priority ?? null, commitmentId: commitmentId ?? null, unit: unit ?? null });
      return;
    }
    case 'TargetSet':
    case 'TargetCorrected':
      await setPeriod(event.data.indicatorId, event.data.period, { targetValue: event.data.value, targetUpperValue: event.data.upperValue });
      return;
    case 'ActualRecorded':
    case 'ActualCorrected':
      await setPeriod(event.data.indicatorId, event.data.period, { actualValue: event.data.value });
      return;
    default:
      return;
  }
}

async function applyContract(event: ContractEvent, tables: Tables): Promise<void> {
  switch (event.type) {
    case 'ContractAdopted':
      for (const c of event.data.components) {
        await tables.upsert(OverviewComponentRow, { component: c.component, indicativeAnnualBudgetCents: String(c.indicativeAnnualBudgetCents), startDate: c.start, endDate: c.end });
      }
      for (const p of event.data.priorities) await tables.upsert(OverviewPriorityRow, { priority: p.number, title: p.title });
      return;
    case 'ContractAmended':
      for (const c of event.data.changes.setComponentBudgets ?? []) {
        await tables.update(OverviewComponentRow, { component: c.component }, { indicativeAnnualBudgetCents: String(c.indicativeAnnualBudgetCents) });
      }
      return;
    default:
      return;
  }
}
