import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ContractState, contractDecider, partyDecider } from '@mel/domain';
import { type Clock, EVENT_STORE, type EventStore } from '@mel/event-store';
import { CommitmentRow, foldEnvelopes, stateAsOf } from '@mel/projections';
import type { EntityManager } from 'typeorm';
import { ReadModels } from '../../read-models.module';
import { awaitSeq } from '../read-your-writes';
import { ContractQuery, TerritoriesQuery } from './territories.dto';
import { Allow, MEMBERS } from '../../auth/access.decorators';

const BAD_REQUEST = { description: 'Problem details (RequestMustBeValid): a bad asOf, clock, seq or commune' };

/**
 * The contract's territory and terms, read from the contract's own stream (folded by the domain, now or
 * as of a date on either clock), with what the read models say of each QPV: the commitments naming it.
 */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller()
export class TerritoriesController {
  /** The contract's stream, once found: its first event never changes. */
  private contractStream?: string;

  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('territories')
  @ApiOperation({ summary: 'The QPV of the contract (official code, name, communes) and how many commitments name each, now or as of a date' })
  @ApiOkResponse({
    description:
      '{ contractId, asOf, clock, communes: [{ inseeCode, name }], qpv: [{ code, name, communes: [{ inseeCode, name }], commitments }] }; ' +
      'contractId null and empty lists when no contract was adopted as of that date. `commitments` counts the commitments whose QPV list names the code, as /commitments?qpv= lists them',
  })
  @ApiBadRequestResponse(BAD_REQUEST)
  async territories(@Query() query: TerritoriesQuery) {
    await awaitSeq(this.readModels, query.seq);
    const contract = await this.contractAsOf(query);
    const clock: Clock = query.clock ?? 'effective';
    if (!contract) return { contractId: null, asOf: query.asOf ?? null, clock, communes: [], qpv: [] };
    const counts = await this.readModels.read(query, (source) => commitmentsPerQpv(source));
    const names = await this.communeNames(contract, query);
    const commune = (inseeCode: string) => ({ inseeCode, name: names.get(inseeCode) ?? null });
    const qpv = contract.territory.qpv
      .filter((q) => query.commune === undefined || q.communes.includes(query.commune))
      .map((q) => ({ code: q.code, name: q.name, communes: q.communes.map(commune), commitments: counts.get(q.code) ?? 0 }));
    return {
      contractId: contract.contractId ?? null,
      asOf: query.asOf ?? null,
      clock,
      communes: contract.territory.communes.map(commune),
      qpv,
    };
  }

  @Get('contract')
  @ApiOperation({ summary: 'The contract now, or as of a date: status, enjeux with their ambitions and partners, components, signatories' })
  @ApiOkResponse({
    description:
      '{ contractId, title, status, asOf, clock, adoptedAt, signedAt, inForceSince, closedAt, priorities: [{ number, title, ambitions: [{ ambitionId, text, scale, horizon }], partnerPartyIds }], ' +
      'components, signatoryPartyIds, signedPartyIds, qpv }; contractId null when no contract was adopted as of that date',
  })
  @ApiBadRequestResponse(BAD_REQUEST)
  async contract(@Query() query: ContractQuery) {
    await awaitSeq(this.readModels, query.seq);
    const contract = await this.contractAsOf(query);
    const clock: Clock = query.clock ?? 'effective';
    if (!contract) return { contractId: null, asOf: query.asOf ?? null, clock, priorities: [], components: [] };
    return {
      contractId: contract.contractId ?? null,
      title: contract.title ?? null,
      status: contract.status ?? null,
      asOf: query.asOf ?? null,
      clock,
      adoptedAt: contract.adoptedAt ?? null,
      signedAt: contract.signedAt ?? null,
      inForceSince: contract.inForceSince ?? null,
      closedAt: contract.closedAt ?? null,
      priorities: contract.priorities,
      components: contract.components,
      signatoryPartyIds: contract.signatoryPartyIds,
      signedPartyIds: contract.signedPartyIds,
      qpv: contract.territory.qpv.length,
    };
  }

  /** The contract's state now (every event, in stream order) or as of the query's date on its clock. */
  private async contractAsOf(query: { asOf?: string; clock?: Clock }): Promise<ContractState | undefined> {
    const streamId = await this.findContractStream();
    if (!streamId) return undefined;
    const state =
      query.asOf === undefined
        ? foldEnvelopes(contractDecider, contractDecider.initialState, await this.store.readStream(streamId), false).state
        : (await stateAsOf(this.store, contractDecider, streamId, query.clock ?? 'effective', query.asOf)).state;
    return state.exists ? state : undefined;
  }

  /**
   * The stream of the (first) contract adopted in the ledger: the log is walked in seq order, which its
   * primary key serves, and stops at the adoption (one of the ledger's first events).
   */
  private async findContractStream(): Promise<string | undefined> {
    if (this.contractStream) return this.contractStream;
    const rows: { stream_id: string }[] = await this.readModels.dataSource.query(
      `SELECT stream_id FROM event_store.events WHERE type = 'ContractAdopted' AND stream_version = 1 ORDER BY seq LIMIT 1`,
    );
    this.contractStream = rows[0]?.stream_id;
    return this.contractStream;
  }

  /**
   * The names of the contract's communes, from the parties the contract names (signatories and
   * partners) that are communes: each party's stream folded by the domain, as of the same date. A
   * commune no such party identifies keeps its INSEE code only (name null).
   */
  private async communeNames(contract: ContractState, query: { asOf?: string; clock?: Clock }): Promise<Map<string, string>> {
    const wanted = new Set(contract.territory.communes);
    const partyIds = new Set([...contract.signatoryPartyIds, ...contract.priorities.flatMap((p) => p.partnerPartyIds)]);
    const names = new Map<string, string>();
    const parties = await Promise.all(
      [...partyIds].map(async (partyId) =>
        query.asOf === undefined
          ? foldEnvelopes(partyDecider, partyDecider.initialState, await this.store.readStream(`${partyDecider.aggregate}-${partyId}`), false).state
          : (await stateAsOf(this.store, partyDecider, `${partyDecider.aggregate}-${partyId}`, query.clock ?? 'effective', query.asOf)).state,
      ),
    );
    for (const party of parties) {
      const insee = party.identifiers?.inseeCode;
      if (party.exists && party.kind === 'commune' && insee && wanted.has(insee) && party.name) names.set(insee, party.name);
    }
    return names;
  }
}

/** How many commitments name each QPV code, counted in the commitments read model. */
async function commitmentsPerQpv(source: EntityManager): Promise<Map<string, number>> {
  const codes = source.getRepository(CommitmentRow).createQueryBuilder('c').select('unnest(c.qpv)', 'code');
  const rows: { code: string; commitments: number }[] = await source.query(`SELECT code, count(*)::int AS commitments FROM (${codes.getQuery()}) AS named GROUP BY code`);
  return new Map(rows.map((row) => [row.code, Number(row.commitments)]));
}
