import type { GovernanceBodyEvent, MeetingEvent } from '@mel/domain';
import type { StoredEvent } from '@mel/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import {
  DecisionRow,
  GOVERNANCE_ENTITIES,
  GovernanceBodyRow,
  GovernanceMembershipRow,
  MeetingAttendanceRow,
  MeetingRow,
  MotionRow,
  VoteRow,
} from './governance.entities';

export * from './governance.entities';

/** The quorum columns of a meeting with no standing check. */
const NO_QUORUM = {
  quorumRule: null,
  quorumSession: null,
  quorumVotingMembers: null,
  quorumPresent: null,
  quorumRepresented: null,
  quorumCounted: null,
  quorumRequired: null,
  quorumReached: null,
} as const;

/** The governance register: bodies and memberships over time, meetings, attendance, quorum, votes, decisions. */
export const governanceProjection: Projection = {
  name: 'governance',
  entities: GOVERNANCE_ENTITIES,

  async apply(stored: StoredEvent, manager: EntityManager): Promise<void> {
    if (stored.streamId.startsWith('governance-body-')) await applyBodyEvent(stored, manager);
    else if (stored.streamId.startsWith('meeting-')) await applyMeetingEvent(stored, manager);
  },
};

async function applyBodyEvent(stored: StoredEvent, manager: EntityManager): Promise<void> {
  const event = { type: stored.type, data: stored.data } as GovernanceBodyEvent;
  const bodies = manager.getRepository(GovernanceBodyRow);
  const memberships = manager.getRepository(GovernanceMembershipRow);
  const stamp = { streamVersion: stored.streamVersion, lastSeq: String(stored.seq) };
  switch (event.type) {
    case 'GovernanceBodyCreated': {
      const { bodyId, name, function: fn, quorum, citizenSeats } = event.data;
      await bodies.insert({ bodyId, name, function: fn, quorum, citizenSeats, status: 'created', constitutedOn: null, ...stamp });
      return;
    }
    case 'MemberAdded': {
      const { bodyId, memberId, partyId, votingRight, seat, startDate } = event.data;
      await memberships.insert({ bodyId, memberId, startDate, endDate: null, partyId, votingRight, seat });
      await bodies.update({ bodyId }, stamp);
      return;
    }
    case 'MembershipEnded': {
      const { bodyId, memberId, startDate, endDate } = event.data;
      await memberships.update({ bodyId, memberId, startDate }, { endDate });
      await bodies.update({ bodyId }, stamp);
      return;
    }
    case 'GovernanceBodyConstituted': {
      const { bodyId, constitutedOn } = event.data;
      await bodies.update({ bodyId }, { status: 'constituted', constitutedOn, ...stamp });
      return;
    }
    default:
      return;
  }
}

async function applyMeetingEvent(stored: StoredEvent, manager: EntityManager): Promise<void> {
  const event = { type: stored.type, data: stored.data } as MeetingEvent;
  const meetings = manager.getRepository(MeetingRow);
  const attendance = manager.getRepository(MeetingAttendanceRow);
  const motions = manager.getRepository(MotionRow);
  const votes = manager.getRepository(VoteRow);
  const { meetingId } = event.data;
  const stamp = { streamVersion: stored.streamVersion, lastSeq: String(stored.seq) };
  const update = (changes: Partial<MeetingRow>) => meetings.update({ meetingId }, { ...changes, ...stamp });
  switch (event.type) {
    case 'MeetingScheduled': {
      const { title, date, body } = event.data;
      await meetings.insert({
        meetingId, bodyId: body.bodyId, bodyFunction: body.function, title, date, status: 'scheduled', session: 0,
        roster: body.members.map(({ memberId, partyId, votingRight }) => ({ memberId, partyId, votingRight })),
        agenda: [], ...NO_QUORUM, minutesSha256: null, reason: null, ...stamp,
      });
      return;
    }
    case 'AgendaItemAdded': {
      const row = await meetings.findOneByOrFail({ meetingId });
      const { itemId, position, title } = event.data;
      await update({ agenda: [...row.agenda, { itemId, position, title }] });
      return;
    }
    case 'MeetingConvened':
      await update({ status: 'convened' });
      return;
    case 'MeetingPostponed':
      await attendance.delete({ meetingId });
      await update({ status: 'postponed', reason: event.data.reason, ...NO_QUORUM });
      return;
    case 'MeetingRescheduled': {
      const { date, body } = event.data;
      await attendance.delete({ meetingId });
      await update({
        status: 'scheduled', date, bodyId: body.bodyId, bodyFunction: body.function, reason: null, ...NO_QUORUM,
        roster: body.members.map(({ memberId, partyId, votingRight }) => ({ memberId, partyId, votingRight })),
      });
      return;
    }
    case 'MeetingCancelled':
      await update({ status: 'cancelled', reason: event.data.reason });
      return;
    case 'SessionOpened':
      await update({ status: 'in_session', session: event.data.session, ...NO_QUORUM });
      return;
    case 'AttendanceRecorded':
      // A later record of a member replaces the earlier one; any change of attendance voids the quorum check.
      await attendance.upsert(
        event.data.attendance.map(({ memberId, status, proxyMemberId }) => ({ meetingId, memberId, status, proxyMemberId: proxyMemberId ?? null })),
        ['meetingId', 'memberId'],
      );
      await update({ ...NO_QUORUM });
      return;
    case 'QuorumChecked': {
      const { session, rule, votingMembers, present, represented, counted, required, reached } = event.data;
      await update({
        quorumRule: rule, quorumSession: session, quorumVotingMembers: votingMembers, quorumPresent: present,
        quorumRepresented: represented, quorumCounted: counted, quorumRequired: required, quorumReached: reached,
      });
      return;
    }
    case 'MotionTabled': {
      const { motionId, text, target, agendaItemId } = event.data;
      await motions.insert({ meetingId, motionId, text, targetKind: target.kind, targetId: target.id ?? null, agendaItemId: agendaItemId ?? null, counts: null, decisionId: null, tabledAt: new Date(stored.occurredAt) });
      await update({});
      return;
    }
    case 'VoteRecorded': {
      const { motionId, votes: cast, counts } = event.data;
      await votes.delete({ meetingId, motionId });
      if (cast.length > 0) {
        await votes.insert(cast.map(({ memberId, option, proxyMemberId }) => ({ meetingId, motionId, memberId, option, proxyMemberId: proxyMemberId ?? null })));
      }
      await motions.update({ meetingId, motionId }, { counts });
      await update({});
      return;
    }
    case 'DecisionRecorded': {
      const { decisionId, motionId, bodyId, bodyFunction, outcome, quorumReached, yes, no, target } = event.data;
      await manager.getRepository(DecisionRow).insert({
        meetingId, decisionId, motionId, bodyId, bodyFunction, outcome, quorumReached, yes, no,
        targetKind: target.kind, targetId: target.id ?? null, decidedAt: new Date(stored.occurredAt),
      });
      await motions.update({ meetingId, motionId }, { decisionId });
      await update({});
      return;
    }
    case 'MeetingClosed':
      await update({ status: 'closed' });
      return;
    case 'MinutesApproved':
      await update({ status: 'minutes_approved', minutesSha256: event.data.minutesSha256 });
      return;
    default:
      return;
  }
}
