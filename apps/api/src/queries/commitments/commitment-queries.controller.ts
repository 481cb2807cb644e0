import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { commitmentDecider, notFound } from '@mel/domain';
import { EVENT_STORE, type EventStore } from '@mel/event-store';
import { CommitmentRow, stateAsOf } from '@mel/projections';
import type { EntityManager } from 'typeorm';
import { ReadModels } from '../../read-models.module';
import { IdPipe, idCursor, readIdCursor } from '../../shared/dto';
import { awaitSeq } from '../read-your-writes';
import { CommitmentAsOfQuery, ListCommitmentsQuery } from './commitment-queries.dto';
import { Allow, MEMBERS } from '../../auth/access.decorators';
import { CachedAnswer } from '../answer-cache';
import { LiveCommitments } from './live-commitments';

/** Commitments as committees, signatories and the public read them. */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller('commitments')
export class CommitmentQueriesController {
  private readonly live = new LiveCommitments();

  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @CachedAnswer()
  @ApiOperation({ summary: 'Commitments by party, enjeu, ambition, status, QPV, commune, horizon, now or as of a date; paginated with a cursor' })
  @ApiOkResponse({ description: '{ items, nextCursor }' })
  async list(@Query() query: ListCommitmentsQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.listIn(source, query));
  }

  private async listIn(source: EntityManager, query: ListCommitmentsQuery) {
    const limit = query.limit ?? 50;
    const builder = source.getRepository(CommitmentRow).createQueryBuilder('c').orderBy('c.commitment_id', 'ASC').limit(limit + 1);
    if (query.ownerPartyId) builder.andWhere('c.owner_party_id = :owner', { owner: query.ownerPartyId });
    if (query.priority) builder.andWhere('c.priority = :priority', { priority: query.priority });
    if (query.status) builder.andWhere('c.status = :status', { status: query.status });
    if (query.ambition !== undefined) builder.andWhere('c.ambition = :ambition', { ambition: query.ambition });
    if (query.horizon) builder.andWhere('c.horizon = :horizon', { horizon: query.horizon });
    if (query.qpv) builder.andWhere(':qpv = ANY(c.qpv)', { qpv: query.qpv });
    if (query.commune) builder.andWhere(':commune = ANY(c.communes)', { commune: query.commune });
    searchWords(query.q).forEach((word, i) => builder.andWhere(`(${folded('c.title')} LIKE :w${i} OR ${folded('c.description')} LIKE :w${i})`, { [`w${i}`]: `%${word}%` }));
    if (query.after) builder.andWhere('c.commitment_id > :after', { after: readIdCursor(query.after) });
    const rows = await builder.getMany();
    const items = rows.slice(0, limit).map(present);
    const nextCursor = rows.length > limit ? idCursor(items[items.length - 1].commitmentId) : null;
    return { items, nextCursor };
  }

  @Get(':commitmentId')
  @CachedAnswer()
  @ApiOperation({ summary: 'One commitment now, or as of a date on the effective or the recorded clock' })
  async one(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Query() query: CommitmentAsOfQuery) {
    await awaitSeq(this.readModels, query.seq);
    if (query.asOf === undefined) {
      // One indexed row (read together with the other first reads of the moment: LiveCommitments), its
      // columns named as the entity's properties and the amounts as numbers: what present(findOneBy)
      // answers, without the query builder and the hydration.
      const row = await this.live.load(this.readModels.dataSource, id);
      if (!row) throw notFound(`commitment ${id}`);
      return row;
    }
    // As of a date: the commitment's own events on the chosen clock, folded by the domain.
    const clock = query.clock ?? 'effective';
    const { state, streamVersion } = await stateAsOf(this.store, commitmentDecider, `commitment-${id}`, clock, query.asOf);
    if (!state.exists || !state.terms) throw notFound(`commitment ${id} as of ${query.asOf} (${clock} clock)`);
    return {
      commitmentId: id,
      asOf: query.asOf,
      clock,
      status: state.status,
      outcome: state.outcome ?? null,
      ...state.terms,
      funding: state.funding,
      reports: state.reportIds.length,
      streamVersion,
    };
  }
}

function present(row: CommitmentRow) {
  return {
    ...row,
    droitCommunCents: Number(row.droitCommunCents),
    creditsSpecifiquesCents: Number(row.creditsSpecifiquesCents),
    committedCents: Number(row.committedCents),
    disbursedCents: Number(row.disbursedCents),
    spentCents: Number(row.spentCents),
    lastSeq: Number(row.lastSeq),
  };
}

/** Letters with the accents of French (and a few neighbours) and what they read as without them. */
const ACCENTED = 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿ';
const PLAIN = 'aaaaaaceeeeiiiinooooouuuuyy';

/** A text column lower-cased and without accents, in SQL (no extension needed: unaccent is not always installed). */
const folded = (column: string) => `translate(lower(${column}), '${ACCENTED}', '${PLAIN}')`;

/**
 * The words of a search (at most 8), lower-cased, without accents, with LIKE's wildcards escaped: each
 * must be found in the title or the description.
 */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return q
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((word) => word.replace(/[\\%_]/g, (c) => `\\${c}`));
}
