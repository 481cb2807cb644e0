import type { GovernanceBodyEvent, MeetingEvent } from '@mel/domain';
import type { StoredEvent } from '@mel/event-store';
import type { Projection } from '../projection';
import type { Tables } from '../tables';
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

  async apply(stored: StoredEvent, tables: Tables): Promise<void> {
    if (stored.streamId.startsWith('governance-body-')) await applyBodyEvent(stored, tables);
    else if (stored.streamId.startsWith('meeting-')) await applyMeetingEvent(stored, tables);
  },
};

async function applyBodyEvent(stored: StoredEvent, tables: Tables): Promise<void> {
  const event = { type: stored.type, data: stored.data } as GovernanceBodyEvent;
  const stamp = { streamVersion: stored.streamVersion, lastSeq: String(stored.seq) };
  switch (event.type) {
    case 'GovernanceBodyCreated': {
      const { bodyId, name, function: fn, quorum, citizenSeats } = event.data;
      tables.put(GovernanceBodyRow, { bodyId, name, function: fn, quorum, citizenSeats, status: 'created', constitutedOn: null, ...stamp });
      return;
    }
    case 'MemberAdded': {
      const { bodyId, memberId, partyId, votingRight, seat, startDate } = event.data;
      tables.put(GovernanceMembershipRow, { bodyId, memberId, startDate, endDate: null, partyId, votingRight, seat });
      await tables.update(GovernanceBodyRow, { bodyId }, stamp);
      return;
    }
    case 'MembershipEnded': {
      const { bodyId, memberId, startDate, endDate } = event.data;
      await tables.update(GovernanceMembershipRow, { bodyId, memberId, startDate }, { endDate });
      await tables.update(GovernanceBodyRow, { bodyId }, stamp);
      return;
    }
    case 'GovernanceBodyConstituted': {
      const { bodyId, constitutedOn } = event.data;
      await tables.update(GovernanceBodyRow, { bodyId }, { status: 'constituted', constitutedOn, ...stamp });
      return;
    }
    default:
      return;
  }
}

async function applyMeetingEvent(stored: StoredEvent, tables: Tables): Promise<void> {
  const event = { type: stored.type, data: stored.data } as MeetingEvent;
  const { meetingId } = event.data;
  const stamp = { streamVersion: stored.streamVersion, lastSeq: String(stored.seq) };
  const update = (changes: Partial<MeetingRow>) => tables.update(MeetingRow, { meetingId }, { ...changes, ...stamp });
  switch (event.type) {
    case 'MeetingScheduled': {
      const { title, date, body } = event.data;
      tables.put(MeetingRow, {
        meetingId, bodyId: body.bodyId, bodyFunction: body.function, title, date, status: 'scheduled', session: 0,
        roster: body.members.map(({ memberId, partyId, votingRight }) => ({ memberId, partyId, votingRight })),
        agenda: [], ...NO_QUORUM, minutesSha256: null, reason: null, ...stamp,
      });
      return;
    }
    case 'AgendaItemAdded': {
      const row = await tables.getOrFail(MeetingRow, { meetingId });
      const { itemId, position, title } = event.data;
      await update({ agenda: [...row.agenda, { itemId, position, title }] });
      return;
    }
    case 'MeetingConvened':
      await update({ status: 'convened' });
      return;
    case 'MeetingPostponed':
      tables.deleteWhere(MeetingAttendanceRow, { meetingId });
      await update({ status: 'postponed', reason: event.data.reason, ...NO_QUORUM });
      return;
    case 'MeetingRescheduled': {
      const { date, body } = event.data;
      tables.deleteWhere(MeetingAttendanceRow, { meetingId });
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
      for (const { memberId, status, proxyMemberId } of event.data.attendance) {
        tables.put(MeetingAttendanceRow, { meetingId, memberId, status, proxyMemberId: proxyMemberId ?? null });
      }
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
      tables.put(MotionRow, { meetingId, motionId, text, targetKind: target.kind, targetId: target.id ?? null, agendaItemId: agendaItemId ?? null, counts: null, decisionId: null, tabledAt: new Date(stored.occurredAt) });
      await update({});
      return;
    }
    case 'VoteRecorded': {
      const { motionId, votes: cast, counts } = event.data;
      tables.deleteWhere(VoteRow, { meetingId, motionId });
      for (const { memberId, option, proxyMemberId } of cast) tables.put(VoteRow, { meetingId, motionId, memberId, option, proxyMemberId: proxyMemberId ?? null });
      await tables.update(MotionRow, { meetingId, motionId }, { counts });
      await update({});
      return;
    }
    case 'DecisionRecorded': {
      const { decisionId, motionId, bodyId, bodyFunction, outcome, quorumReached, yes, no, target } = event.data;
      tables.put(DecisionRow, {
        meetingId, decisionId, motionId, bodyId, bodyFunction, outcome, quorumReached, yes, no,
        targetKind: target.kind, targetId: target.id ?? null, decidedAt: new Date(stored.occurredAt),
      });
      await tables.update(MotionRow, { meetingId, motionId }, { decisionId });
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
