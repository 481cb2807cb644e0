import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@mel/domain';
import { AmendmentRow, AmendmentSignatureRow, AmendmentTargetRow } from '@mel/projections';
import type { EntityManager } from 'typeorm';
import { ReadModels } from '../../read-models.module';
import { IdPipe, idCursor, readIdCursor } from '../../shared/dto';
import { awaitSeq } from '../read-your-writes';
import { AmendmentQuery, ListAmendmentsQuery } from './amendment-queries.dto';
import { Allow, MEMBERS } from '../../auth/access.decorators';
import { CachedAnswer } from '../answer-cache';

/**
 * The amendments register (each amendment with its approving decision, signatures and effects). GET
 * only: the commands on amendments (POST /amendments…) live in their own controllers.
 */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller('amendments')
export class AmendmentQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @CachedAnswer()
  @ApiOperation({ summary: 'Amendments by status, affected party, amended commitment; paginated with a cursor' })
  @ApiOkResponse({ description: '{ items, nextCursor }' })
  async list(@Query() query: ListAmendmentsQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.listIn(source, query));
  }

  private async listIn(source: EntityManager, query: ListAmendmentsQuery) {
    const limit = query.limit ?? 50;
    const builder = source.getRepository(AmendmentRow).createQueryBuilder('a').orderBy('a.amendment_id', 'ASC').limit(limit + 1);
    if (query.status) builder.andWhere('a.status = :status', { status: query.status });
    if (query.partyId) builder.andWhere(':party = ANY(a.affected_party_ids)', { party: query.partyId });
    if (query.commitmentId) {
      // Amendments with a change to this commitment among their targets.
      builder
        .andWhere((qb) => {
          const targets = qb
            .subQuery()
            .select('1')
            .from(AmendmentTargetRow, 't')
            .where('t.amendment_id = a.amendment_id')
            .andWhere("t.kind = 'commitment'")
            .andWhere('t.target_id = :commitment')
            .getQuery();
          return `EXISTS ${targets}`;
        })
        .setParameter('commitment', query.commitmentId);
    }
    if (query.after) builder.andWhere('a.amendment_id > :after', { after: readIdCursor(query.after) });
    const rows = await builder.getMany();
    const items = rows.slice(0, limit).map(summary);
    const nextCursor = rows.length > limit ? idCursor(items[items.length - 1].amendmentId) : null;
    return { items, nextCursor };
  }

  @Get(':amendmentId')
  @CachedAnswer()
  @ApiOperation({ summary: 'One amendment: its decision, signatures, and each target with its change and whether and when it was applied' })
  async one(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Query() query: AmendmentQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.oneIn(source, id));
  }

  private async oneIn(source: EntityManager, id: string) {
    const row = await source.getRepository(AmendmentRow).findOneBy({ amendmentId: id });
    if (!row) throw notFound(`amendment ${id}`);
    const targets = await source.getRepository(AmendmentTargetRow).find({ where: { amendmentId: id }, order: { kind: 'ASC', targetId: 'ASC' } });
    const signatures = await source.getRepository(AmendmentSignatureRow).find({ where: { amendmentId: id }, order: { seq: 'ASC' } });
    return {
      ...summary(row),
      signatures: signatures.map((s) => ({
        partyId: s.partyId,
        signedOn: s.signedOn.toISOString(),
        seq: Number(s.seq),
        signerRole: s.signerRole,
        onBehalf: s.onBehalf,
        mandate: s.mandate,
      })),
      missingSignatures: row.affectedPartyIds.filter((p) => !signatures.some((s) => s.partyId === p)),
      targets: targets.map((t) => ({
        kind: t.kind,
        id: t.targetId,
        change: t.change,
        applied: t.appliedSeq !== null,
        appliedSeq: t.appliedSeq === null ? null : Number(t.appliedSeq),
        appliedOn: t.appliedOn?.toISOString() ?? null,
        superseded: t.supersededSeq !== null,
        supersededSeq: t.supersededSeq === null ? null : Number(t.supersededSeq),
      })),
    };
  }
}

function summary(row: AmendmentRow) {
  return {
    amendmentId: row.amendmentId,
    status: row.status,
    rationale: row.rationale,
    description: row.description,
    contractId: row.contractId,
    commitmentIds: row.commitmentIds,
    affectedPartyIds: row.affectedPartyIds,
    proposedOn: row.proposedOn.toISOString(),
    proposedByPartyId: row.proposedByPartyId,
    decision:
      row.decisionId === null
        ? null
        : { outcome: row.decisionOutcome, decisionId: row.decisionId, meetingId: row.decisionMeetingId, bodyId: row.decisionBodyId, decidedOn: row.decidedOn?.toISOString() ?? null },
    withdrawal: row.withdrawnOn === null ? null : { withdrawnOn: row.withdrawnOn.toISOString(), reason: row.withdrawalReason },
    inForceOn: row.inForceOn?.toISOString() ?? null,
    streamVersion: row.streamVersion,
    lastSeq: Number(row.lastSeq),
  };
}
