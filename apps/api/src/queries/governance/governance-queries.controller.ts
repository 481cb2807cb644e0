import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@mel/domain';
import {
  DecisionRow,
  GovernanceBodyRow,
  GovernanceMembershipRow,
  MeetingAttendanceRow,
  MeetingRow,
  MotionRow,
  VoteRow,
} from '@mel/projections';
import { ReadModels } from '../../read-models.module';
import { IdPipe } from '../../shared/dto';
import { dateOf, ReadQuery } from '../read-query.dto';
import type { EntityManager } from 'typeorm';
import type { Request } from 'express';
import { DisplayNames, type NameOf } from '../../directory/display-names';
import { awaitSeq } from '../read-your-writes';
import { GovernanceBodyQuery, ListMeetingsQuery } from './governance-queries.dto';
import { Allow, MEMBERS } from '../../auth/access.decorators';
import { CachedAnswer } from '../answer-cache';

/** The governance register (bodies, memberships over time, meetings, votes, decisions, minutes). */
@ApiTags('queries')
@Allow(...MEMBERS)
@Controller('governance')
export class GovernanceQueriesController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly names: DisplayNames,
  ) {}

  @Get('bodies')
  @CachedAnswer()
  @ApiOperation({ summary: 'Governance bodies, each with the number of its members on a date (default today)' })
  @ApiOkResponse({ description: '{ items }' })
  async bodies(@Query() query: GovernanceBodyQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.bodiesIn(source, query.on ?? dateOf(query)));
  }

  private async bodiesIn(source: EntityManager, on: string) {
    const bodies = await source.getRepository(GovernanceBodyRow).find({ order: { bodyId: 'ASC' } });
    const counts: { body_id: string; members: number; voting: number }[] = await source
      .getRepository(GovernanceMembershipRow)
      .createQueryBuilder('m')
      .select('m.body_id', 'body_id')
      .addSelect('count(*)::int', 'members')
      .addSelect('count(*) FILTER (WHERE m.voting_right)::int', 'voting')
      .where('m.start_date <= :on AND (m.end_date IS NULL OR m.end_date >= :on)', { on })
      .groupBy('m.body_id')
      .getRawMany();
    const byBody = new Map(counts.map((c) => [c.body_id, c]));
    return {
      on,
      items: bodies.map((body) => ({
        ...presentBody(body),
        currentMembers: byBody.get(body.bodyId)?.members ?? 0,
        votingMembers: byBody.get(body.bodyId)?.voting ?? 0,
      })),
    };
  }

  @Get('bodies/:bodyId')
  @ApiOperation({
    summary: 'One governance body: its roster on a date (default today) and every membership period',
    description: 'Each member and membership has the displayName of the person its memberId names in the personal directory, looked up now (null when the id is not a person’s, or their data was erased); never for the public, never in the open data.',
  })
  async body(@Param('bodyId', new IdPipe('bodyId')) bodyId: string, @Query() query: GovernanceBodyQuery, @Req() request: Request) {
    await awaitSeq(this.readModels, query.seq);
    const body = await this.readModels.read(query, (source) => this.bodyIn(source, bodyId, query.on ?? dateOf(query)));
    const nameOf = await this.names.for(request, body.memberships.map((m) => m.memberId));
    return { ...body, members: named(body.members, nameOf), memberships: named(body.memberships, nameOf) };
  }

  private async bodyIn(source: EntityManager, bodyId: string, on: string) {
    const body = await source.getRepository(GovernanceBodyRow).findOneBy({ bodyId });
    if (!body) throw notFound(`governance body ${bodyId}`);
    const memberships = await source.getRepository(GovernanceMembershipRow).find({ where: { bodyId }, order: { memberId: 'ASC', startDate: 'ASC' } });
    const present = memberships.map(({ bodyId: _b, ...m }) => m);
    return {
      ...presentBody(body),
      on,
      members: present.filter((m) => m.startDate <= on && (m.endDate === null || m.endDate >= on)),
      memberships: present,
    };
  }

  @Get('meetings')
  @CachedAnswer()
  @ApiOperation({ summary: 'Meetings by body and date range, in date order' })
  @ApiOkResponse({ description: '{ items }' })
  async meetings(@Query() query: ListMeetingsQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => this.meetingsIn(source, query));
  }

  private async meetingsIn(source: EntityManager, query: ListMeetingsQuery) {
    const builder = source
      .getRepository(MeetingRow)
      .createQueryBuilder('m')
      .orderBy('m.date', 'ASC')
      .addOrderBy('m.meeting_id', 'ASC')
      .limit(query.limit ?? 100);
    if (query.bodyId) builder.andWhere('m.body_id = :bodyId', { bodyId: query.bodyId });
    if (query.from) builder.andWhere('m.date >= :from', { from: query.from });
    if (query.to) builder.andWhere('m.date <= :to', { to: query.to });
    const rows = await builder.getMany();
    return {
      items: rows.map((row) => ({
        meetingId: row.meetingId,
        bodyId: row.bodyId,
        title: row.title,
        date: row.date,
        status: row.status,
        quorumReached: row.quorumReached,
        minutesSha256: row.minutesSha256,
        lastSeq: Number(row.lastSeq),
      })),
    };
  }

  @Get('meetings/:meetingId')
  @ApiOperation({
    summary: 'One meeting: attendance, quorum, motions with their votes and counts, decisions, minutes hash',
    description: 'Roster, attendance and votes carry the displayName of the person a memberId names in the personal directory, looked up now (null when the id is not a person’s, or their data was erased); never for the public, never in the open data.',
  })
  async meeting(@Param('meetingId', new IdPipe('meetingId')) meetingId: string, @Query() query: ReadQuery, @Req() request: Request) {
    await awaitSeq(this.readModels, query.seq);
    const meeting = await this.readModels.read(query, (source) => this.meetingIn(source, meetingId));
    const nameOf = await this.names.for(request, [...meeting.roster, ...meeting.attendance, ...meeting.motions.flatMap((m) => m.votes)].map((m) => m.memberId));
    return {
      ...meeting,
      roster: named(meeting.roster, nameOf),
      attendance: named(meeting.attendance, nameOf),
      motions: meeting.motions.map((motion) => ({ ...motion, votes: named(motion.votes, nameOf) })),
    };
  }

  private async meetingIn(source: EntityManager, meetingId: string) {
    const row = await source.getRepository(MeetingRow).findOneBy({ meetingId });
    if (!row) throw notFound(`meeting ${meetingId}`);
    const attendance = await source.getRepository(MeetingAttendanceRow).find({ where: { meetingId }, order: { memberId: 'ASC' } });
    const motions = await source.getRepository(MotionRow).find({ where: { meetingId }, order: { tabledAt: 'ASC', motionId: 'ASC' } });
    const votes = await source.getRepository(VoteRow).find({ where: { meetingId }, order: { motionId: 'ASC', memberId: 'ASC' } });
    const decisions = await source.getRepository(DecisionRow).find({ where: { meetingId }, order: { decidedAt: 'ASC', decisionId: 'ASC' } });
    return {
      meetingId: row.meetingId,
      bodyId: row.bodyId,
      bodyFunction: row.bodyFunction,
      title: row.title,
      date: row.date,
      status: row.status,
      session: row.session,
      reason: row.reason,
      agenda: row.agenda,
      roster: row.roster,
      attendance: attendance.map(({ memberId, status, proxyMemberId }) => ({ memberId, status, proxyMemberId })),
      quorum:
        row.quorumReached === null
          ? null
          : {
              session: row.quorumSession,
              rule: row.quorumRule,
              votingMembers: row.quorumVotingMembers,
              present: row.quorumPresent,
              represented: row.quorumRepresented,
              counted: row.quorumCounted,
              required: row.quorumRequired,
              reached: row.quorumReached,
            },
      motions: motions.map((motion) => ({
        motionId: motion.motionId,
        text: motion.text,
        target: { kind: motion.targetKind, id: motion.targetId },
        agendaItemId: motion.agendaItemId,
        tabledAt: motion.tabledAt.toISOString(),
        counts: motion.counts,
        votes: votes.filter((v) => v.motionId === motion.motionId).map(({ memberId, option, proxyMemberId }) => ({ memberId, option, proxyMemberId })),
        decisionId: motion.decisionId,
      })),
      decisions: decisions.map((d) => ({
        decisionId: d.decisionId,
        motionId: d.motionId,
        outcome: d.outcome,
        quorumReached: d.quorumReached,
        yes: d.yes,
        no: d.no,
        target: { kind: d.targetKind, id: d.targetId },
        decidedAt: d.decidedAt.toISOString(),
      })),
      minutesSha256: row.minutesSha256,
      streamVersion: row.streamVersion,
      lastSeq: Number(row.lastSeq),
    };
  }
}

function presentBody(body: GovernanceBodyRow) {
  return {
    bodyId: body.bodyId,
    name: body.name,
    function: body.function,
    quorum: body.quorum,
    citizenSeats: body.citizenSeats,
    status: body.status,
    constitutedOn: body.constitutedOn,
    streamVersion: body.streamVersion,
    lastSeq: Number(body.lastSeq),
  };
}

/**
 * Members with the display name of the person each memberId names (ADR 12), for a reader who may see
 * names; as they are for one who may not.
 */
function named<T extends { memberId: string }>(members: T[], nameOf: NameOf | undefined): (T & { displayName?: string | null })[] {
  return nameOf ? members.map((member) => ({ ...member, displayName: nameOf(member.memberId) })) : members;
}
