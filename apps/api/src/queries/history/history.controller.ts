import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  amendmentDecider,
  commitmentDecider,
  contractDecider,
  documentDecider,
  evaluationCycleDecider,
  governanceBodyDecider,
  indicatorDecider,
  meetingDecider,
  notFound,
  partyDecider,
} from '@mel/domain';
import { type Clock, EVENT_STORE, type EventStore } from '@mel/event-store';
import { entityHistory, type HistoryDecider, type HistoryEntry } from '@mel/projections';
import { IdPipe } from '../../shared/dto';
import { RequestFieldError } from '../../shared/problem-details';
import { seqBeyondHead } from '../read-your-writes';
import { EntityHistoryQuery, HISTORY_DEFAULT_LIMIT } from './history.dto';
import { Allow, MEMBERS } from '../../auth/access.decorators';

const OK = {
  description:
    '{ streamId, clock, asOf, streamVersion, items, nextCursor }. Recorded clock: items are { seq, streamVersion, eventId, type, effectiveAt, recordedAt, state }, ' +
    'one per event in seq order. Effective clock: items are { effectiveAt, knownSince, events: [{ seq, streamVersion, eventId, type, recordedAt }], state }, ' +
    'one per effective instant; such an item lists `unapplied` events only when its fold could not apply one (a correction effective before what it corrects).',
};
const NOT_FOUND = { description: 'Problem details (AggregateMustExist): no event was ever recorded for this id' };
const BAD_REQUEST = { description: 'Problem details (RequestMustBeValid): a bad id, clock, asOf, cursor or limit' };

/**
 * An entity's successive states, on either clock, recomputed from its own stream by its decider (so a
 * correction recorded after the fact is shown where it belongs). Read from the log, not the read models:
 * it never lags behind a command.
 */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller()
export class HistoryController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('commitments/:commitmentId/history')
  @ApiOperation({ summary: 'A commitment’s successive states, on the effective or the recorded clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  commitment(@Param('commitmentId', new IdPipe('commitmentId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(commitmentDecider, 'commitment', id, query);
  }

  @Get('indicators/:indicatorId/history')
  @ApiOperation({ summary: 'An indicator’s successive states (baseline, targets, actuals and their corrections), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  indicator(@Param('indicatorId', new IdPipe('indicatorId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(indicatorDecider, 'indicator', id, query);
  }

  @Get('governance/bodies/:bodyId/history')
  @ApiOperation({ summary: 'A governance body’s successive states (memberships over time), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  body(@Param('bodyId', new IdPipe('bodyId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(governanceBodyDecider, 'governance body', id, query);
  }

  @Get('governance/meetings/:meetingId/history')
  @ApiOperation({ summary: 'A meeting’s successive states (attendance, quorum, motions, votes, decisions), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  meeting(@Param('meetingId', new IdPipe('meetingId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(meetingDecider, 'meeting', id, query);
  }

  @Get('amendments/:amendmentId/history')
  @ApiOperation({ summary: 'An amendment’s successive states (decision, signatures, entry into force), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  amendment(@Param('amendmentId', new IdPipe('amendmentId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(amendmentDecider, 'amendment', id, query);
  }

  @Get('parties/:partyId/history')
  @ApiOperation({ summary: 'A party’s successive states (names, identifiers), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  party(@Param('partyId', new IdPipe('partyId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(partyDecider, 'party', id, query);
  }

  @Get('documents/:documentId/history')
  @ApiOperation({ summary: 'A document’s successive states (registration, supersession), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  document(@Param('documentId', new IdPipe('documentId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(documentDecider, 'document', id, query);
  }

  @Get('contracts/:contractId/history')
  @ApiOperation({ summary: 'The contract’s successive states (adoption, signatures, annexes, revisions, amendments), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  contract(@Param('contractId', new IdPipe('contractId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(contractDecider, 'contract', id, query);
  }

  @Get('evaluation-cycles/:cycleId/history')
  @ApiOperation({ summary: 'An evaluation cycle’s successive states (contributions, findings, responses, conclusions), on either clock' })
  @ApiOkResponse(OK)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiBadRequestResponse(BAD_REQUEST)
  evaluationCycle(@Param('cycleId', new IdPipe('cycleId')) id: string, @Query() query: EntityHistoryQuery) {
    return this.history(evaluationCycleDecider, 'evaluation cycle', id, query);
  }

  private async history<S>(decider: HistoryDecider<S> & { aggregate: string }, label: string, id: string, query: EntityHistoryQuery) {
    const clock: Clock = query.clock ?? 'effective';
    const after = query.after === undefined ? undefined : readCursor(query.after, clock);
    const limit = query.limit ?? HISTORY_DEFAULT_LIMIT;
    if (query.seq !== undefined) {
      const head = await this.store.head();
      if (query.seq > head) throw seqBeyondHead(query.seq, head);
    }
    const history = await entityHistory(this.store, decider, `${decider.aggregate}-${id}`, clock, { asOf: query.asOf });
    if (history.streamVersion === 0) throw notFound(`${label} ${id}`);
    const rest = after === undefined ? history.entries : history.entries.filter((entry) => positionOf(entry) > after);
    const items = rest.slice(0, limit);
    return {
      streamId: history.streamId,
      clock,
      asOf: query.asOf ?? null,
      streamVersion: history.streamVersion,
      items,
      nextCursor: rest.length > limit ? writeCursor(clock, positionOf(items[items.length - 1])) : null,
    };
  }
}

/**
 * Where an entry stands on its clock, as a number that grows along the history: the stream version on
 * the recorded clock, the effective instant (milliseconds) on the effective clock.
 */
function positionOf(entry: HistoryEntry<unknown>): number {
  return 'seq' in entry ? entry.streamVersion : Date.parse(entry.effectiveAt);
}

/** A cursor names its clock, so that a page of one clock cannot continue a page of the other. */
function writeCursor(clock: Clock, position: number): string {
  return Buffer.from(`${clock}:${position}`, 'utf8').toString('base64url');
}

function readCursor(cursor: string, clock: Clock): number {
  const [cursorClock, position, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (cursorClock !== clock || rest.length > 0 || !/^-?\d{1,16}$/.test(position ?? '')) {
    throw new RequestFieldError('after', 'isCursorOfThisHistory', `after must be the nextCursor of a page of this history on the ${clock} clock`);
  }
  return Number(position);
}
