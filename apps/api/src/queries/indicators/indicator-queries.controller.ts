import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OverviewIndicatorPeriodRow, OverviewIndicatorRow } from '@mel/projections';
import { type EntityManager, In } from 'typeorm';
import { ReadModels } from '../../read-models.module';
import { idCursor, readIdCursor } from '../../shared/dto';
import { awaitSeq } from '../read-your-writes';
import { Allow, MEMBERS } from '../../auth/access.decorators';
import { CachedAnswer } from '../answer-cache';
import { groupBy } from '../group-by';
import { ListIndicatorsQuery } from './indicator-queries.dto';

/**
 * The indicators with their targets and actuals per period, by enjeu or commitment, page by page:
 * what GET /overview counts (a contract of 1,000,000 events has thousands of indicators; ADR 16).
 */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller('indicators')
export class IndicatorQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @CachedAnswer()
  @ApiOperation({ summary: 'Indicators (target and actual per period) by enjeu or commitment, now or as of a date; paginated with a cursor' })
  @ApiOkResponse({ description: '{ items, nextCursor }' })
  async list(@Query() query: ListIndicatorsQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.listIn(source, query));
  }

  private async listIn(source: EntityManager, query: ListIndicatorsQuery) {
    const limit = query.limit ?? 50;
    const builder = source.getRepository(OverviewIndicatorRow).createQueryBuilder('i').orderBy('i.indicator_id', 'ASC').limit(limit + 1);
    if (query.priority) builder.andWhere('i.priority = :priority', { priority: query.priority });
    if (query.commitmentId) builder.andWhere('i.commitment_id = :commitment', { commitment: query.commitmentId });
    if (query.after) builder.andWhere('i.indicator_id > :after', { after: readIdCursor(query.after) });
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const periods = page.length
      ? await source.getRepository(OverviewIndicatorPeriodRow).find({
          where: { indicatorId: In(page.map((i) => i.indicatorId)) },
          order: { indicatorId: 'ASC', periodStart: 'ASC', periodEnd: 'ASC' },
        })
      : [];
    const periodsOf = groupBy(periods, (p) => p.indicatorId);
    const items = page.map((i) => ({ ...i, periods: (periodsOf.get(i.indicatorId) ?? []).map(presentPeriod) }));
    const nextCursor = rows.length > limit ? idCursor(page[page.length - 1].indicatorId) : null;
    return { items, nextCursor };
  }
}

/** One period of an indicator as the API answers it. */
function presentPeriod(p: OverviewIndicatorPeriodRow) {
  return {
    period: { start: p.periodStart, end: p.periodEnd },
    target: p.targetValue === null ? null : { value: p.targetValue, upperValue: p.targetUpperValue },
    actual: p.actualValue,
  };
}
