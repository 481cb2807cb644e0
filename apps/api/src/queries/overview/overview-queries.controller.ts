import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PRIORITY_NUMBERS } from '@mel/domain';
import {
  OverviewCommitmentRow,
  OverviewComponentRow,
  OverviewFundingRow,
  OverviewIndicatorPeriodRow,
  OverviewIndicatorRow,
  OverviewMilestoneRow,
  OverviewPartyFundingRow,
  OverviewPriorityRow,
} from '@mel/projections';
import { type EntityManager, In } from 'typeorm';
import { ReadModels } from '../../read-models.module';
import { IdPipe } from '../../shared/dto';
import { dateOf, ReadQuery } from '../read-query.dto';
import { awaitSeq } from '../read-your-writes';
import { DashboardQuery } from './overview-queries.dto';
import { Allow, MEMBERS } from '../../auth/access.decorators';
import { CachedAnswer } from '../answer-cache';
import { groupBy } from '../group-by';

type Money = { committedCents: number; disbursedCents: number; spentCents: number };
const COLUMN: Record<string, keyof Money> = { commitment: 'committedCents', disbursement: 'disbursedCents', expenditure: 'spentCents' };
const noMoney = (): Money => ({ committedCents: 0, disbursedCents: 0, spentCents: 0 });

/** The contract's overview, enjeu by enjeu, and each party's dashboard. */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller()
export class OverviewQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('overview')
  @CachedAnswer()
  @ApiOperation({
    summary: 'Per enjeu: commitments by status, indicators counted (total; measured: with an actual); money per year and component against the envelopes. The indicators themselves: GET /indicators?priority=',
  })
  @ApiOkResponse({ description: '{ enjeux, money }' })
  async overview(@Query() query: ReadQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.overviewIn(source));
  }

  private async overviewIn(source: EntityManager) {
    const priorities = await source.getRepository(OverviewPriorityRow).find();
    // Commitments are counted by PostgreSQL (35,635 rows at 1,000,000 events are not read to be counted).
    const counts: { priority: number; status: string; n: number }[] = await source
      .getRepository(OverviewCommitmentRow)
      .createQueryBuilder('c')
      .select('c.priority', 'priority')
      .addSelect('c.status', 'status')
      .addSelect('count(*)::int', 'n')
      .groupBy('c.priority')
      .addGroupBy('c.status')
      .orderBy('c.priority', 'ASC')
      .addOrderBy('min(c.commitment_id)', 'ASC')
      .getRawMany();
    // Indicators are counted here, listed by GET /indicators?priority= (thousands at 1,000,000 events: ADR 16).
    const indicators = source.getRepository(OverviewIndicatorRow).createQueryBuilder('i');
    const hasActual = indicators
      .subQuery()
      .select('1')
      .from(OverviewIndicatorPeriodRow, 'p')
      .where('p.indicator_id = i.indicator_id')
      .andWhere('p.actual_value IS NOT NULL')
      .getQuery();
    const indicatorCounts: { priority: number; total: number; measured: number }[] = await indicators
      .select('i.priority', 'priority')
      .addSelect('count(*)::int', 'total')
      .addSelect(`(count(*) FILTER (WHERE EXISTS ${hasActual}))::int`, 'measured')
      .where('i.priority IS NOT NULL')
      .groupBy('i.priority')
      .getRawMany();
    const indicatorsOf = new Map(indicatorCounts.map((c) => [Number(c.priority), { total: c.total, measured: c.measured }]));
    const components = await source.getRepository(OverviewComponentRow).find({ order: { component: 'ASC' } });
    const funding = await source.getRepository(OverviewFundingRow).find({ order: { year: 'ASC', component: 'ASC' } });
    const titles = new Map(priorities.map((p) => [p.priority, p.title]));
    const enjeux = PRIORITY_NUMBERS.map((priority) => {
      // Statuses in the order of their first commitment, as when they were counted here.
      const byStatus: Record<string, number> = {};
      let total = 0;
      for (const c of counts) {
        if (c.priority !== priority) continue;
        byStatus[c.status] = c.n;
        total += c.n;
      }
      return {
        priority,
        title: titles.get(priority) ?? null,
        commitments: { total, byStatus },
        indicators: indicatorsOf.get(priority) ?? { total: 0, measured: 0 },
      };
    });

    const envelope = new Map(components.map((c) => [c.component, Number(c.indicativeAnnualBudgetCents)]));
    const cells = new Map<string, { year: number; component: string } & Money>();
    const byComponent = new Map<string, Money>(components.map((c) => [c.component, noMoney()]));
    for (const row of funding) {
      const key = `${row.year}/${row.component}`;
      const cell = cells.get(key) ?? { year: row.year, component: row.component, ...noMoney() };
      cell[COLUMN[row.transaction]] += Number(row.cents);
      cells.set(key, cell);
      const total = byComponent.get(row.component) ?? noMoney();
      total[COLUMN[row.transaction]] += Number(row.cents);
      byComponent.set(row.component, total);
    }
    return {
      enjeux,
      money: {
        components: components.map((c) => ({
          component: c.component,
          indicativeAnnualBudgetCents: Number(c.indicativeAnnualBudgetCents),
          start: c.startDate,
          end: c.endDate,
          ...(byComponent.get(c.component) ?? noMoney()),
        })),
        byYear: [...cells.values()].map((cell) => ({ ...cell, indicativeAnnualBudgetCents: envelope.get(cell.component) ?? null })),
      },
    };
  }

  @Get('parties/:partyId/dashboard')
  @CachedAnswer()
  @ApiOperation({ summary: "A party's commitments, the late ones (a milestone past due on `on` and not met), and per year what it spent against what it committed" })
  @ApiOkResponse({ description: '{ partyId, on, commitments, late, money }' })
  async dashboard(@Param('partyId', new IdPipe('partyId')) partyId: string, @Query() query: DashboardQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.dashboardIn(source, partyId, query.on ?? dateOf(query)));
  }

  private async dashboardIn(source: EntityManager, partyId: string, on: string) {
    const commitments = await source.getRepository(OverviewCommitmentRow).find({ where: { ownerPartyId: partyId }, order: { commitmentId: 'ASC' } });
    const ids = commitments.map((c) => c.commitmentId);
    const overdue = ids.length
      ? await source
          .getRepository(OverviewMilestoneRow)
          .createQueryBuilder('m')
          .where({ commitmentId: In(ids) })
          .andWhere('m.due_date < :on', { on })
          .andWhere(`m.status <> 'met'`)
          .orderBy('m.due_date', 'ASC')
          .addOrderBy('m.commitment_id', 'ASC')
          .addOrderBy('m.milestone_id', 'ASC')
          .getMany()
      : [];
    const overdueOf = groupBy(overdue, (m) => m.commitmentId);
    const late = commitments
      .filter((c) => overdueOf.has(c.commitmentId))
      .map((c) => ({
        ...c,
        milestones: overdueOf.get(c.commitmentId)!.map(({ milestoneId, title, dueDate, status }) => ({ milestoneId, title, dueDate, status })),
      }));
    const funding = await source.getRepository(OverviewPartyFundingRow).find({ where: { partyId }, order: { year: 'ASC' } });
    const years = new Map<number, { year: number } & Money>();
    for (const row of funding) {
      const cell = years.get(row.year) ?? { year: row.year, ...noMoney() };
      cell[COLUMN[row.transaction]] += Number(row.cents);
      years.set(row.year, cell);
    }
    return {
      partyId,
      on,
      commitments,
      late,
      money: [...years.values()].map((y) => ({ ...y, spentVsCommitted: y.committedCents ? y.spentCents / y.committedCents : null })),
    };
  }
}
