import type { CommitmentEvent, ContractEvent, IndicatorEvent, Period } from '@mel/domain';
import type { StoredEvent } from '@mel/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
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

  async apply(stored: StoredEvent, manager: EntityManager): Promise<void> {
    if (stored.streamId.startsWith('commitment-')) return applyCommitment({ type: stored.type, data: stored.data } as CommitmentEvent, manager);
    if (stored.streamId.startsWith('indicator-')) return applyIndicator({ type: stored.type, data: stored.data } as IndicatorEvent, manager);
    if (stored.streamId.startsWith('contract-')) return applyContract({ type: stored.type, data: stored.data } as ContractEvent, manager);
  },
};

async function applyCommitment(event: CommitmentEvent, manager: EntityManager): Promise<void> {
  const commitments = manager.getRepository(OverviewCommitmentRow);
  switch (event.type) {
    case 'CommitmentDrafted': {
      const { commitmentId, title, ownerPartyId, priority, component } = event.data;
      await commitments.insert({ commitmentId, title, ownerPartyId, priority, component, status: 'draft' });
      return;
    }
    case 'CommitmentCorrected':
      if (event.data.field === 'title') await commitments.update({ commitmentId: event.data.commitmentId }, { title: String(event.data.value) });
      return;
    case 'CommitmentAmended':
      if (typeof event.data.changes.title === 'string') await commitments.update({ commitmentId: event.data.commitmentId }, { title: event.data.changes.title });
      return;
    case 'MilestoneScheduled': {
      const { commitmentId, milestoneId, title, dueDate } = event.data;
      await manager.getRepository(OverviewMilestoneRow).upsert({ commitmentId, milestoneId, title, dueDate, status: 'scheduled' }, ['commitmentId', 'milestoneId']);
      return;
    }
    case 'MilestoneStatusRecorded': {
      const { commitmentId, milestoneId, status } = event.data;
      await manager.getRepository(OverviewMilestoneRow).update({ commitmentId, milestoneId }, { status });
      return;
    }
    case 'FundingRecorded': {
      const { commitmentId, transaction, year, amountCents, partyId } = event.data;
      const { component } = await commitments.findOneByOrFail({ commitmentId });
      await add(manager, OverviewFundingRow, { component, year, transaction }, amountCents);
      await add(manager, OverviewPartyFundingRow, { partyId, year, transaction }, amountCents);
      return;
    }
    default: {
      const status = STATUS[event.type];
      if (status) await commitments.update({ commitmentId: (event.data as { commitmentId: string }).commitmentId }, { status });
    }
  }
}

/** Adds `amountCents` to the row keyed by `key`, created at 0 when missing. */
async function add<R extends OverviewFundingRow | OverviewPartyFundingRow>(
  manager: EntityManager,
  entity: new () => R,
  key: Omit<R, 'cents'>,
  amountCents: number,
): Promise<void> {
  const repository = manager.getRepository<OverviewFundingRow | OverviewPartyFundingRow>(entity);
  const row = await repository.findOneBy(key as never);
  if (row) await repository.update(key as never, { cents: String(BigInt(row.cents) + BigInt(amountCents)) });
  else await repository.insert({ ...key, cents: String(amountCents) } as never);
}

async function applyIndicator(event: IndicatorEvent, manager: EntityManager): Promise<void> {
  const periods = manager.getRepository(OverviewIndicatorPeriodRow);
  const setPeriod = async (indicatorId: string, period: Period, values: Partial<OverviewIndicatorPeriodRow>) => {
    const key = { indicatorId, periodStart: period.start, periodEnd: period.end };
    if (await periods.existsBy(key)) await periods.update(key, values);
    else await periods.insert({ targetValue: null, targetUpperValue: null, actualValue: null, ...values, ...key });
  };
  switch (event.type) {
    case 'IndicatorDefined': {
      const { indicatorId, title, priority, commitmentId, unit } = event.data;
      await manager.getRepository(OverviewIndicatorRow).insert({ indicatorId, title, priority: priority ?? null, commitmentId: commitmentId ?? null, unit: unit ?? null });
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

async function applyContract(event: ContractEvent, manager: EntityManager): Promise<void> {
  const components = manager.getRepository(OverviewComponentRow);
  switch (event.type) {
    case 'ContractAdopted':
      await components.upsert(
        event.data.components.map((c) => ({ component: c.component, indicativeAnnualBudgetCents: String(c.indicativeAnnualBudgetCents), startDate: c.start, endDate: c.end })),
        ['component'],
      );
      await manager.getRepository(OverviewPriorityRow).upsert(event.data.priorities.map((p) => ({ priority: p.number, title: p.title })), ['priority']);
      return;
    case 'ContractAmended':
      for (const c of event.data.changes.setComponentBudgets ?? []) {
        await components.update({ component: c.component }, { indicativeAnnualBudgetCents: String(c.indicativeAnnualBudgetCents) });
      }
      return;
    default:
      return;
  }
}
