import type { QuorumRule } from '@mel/domain';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * The governance register's tables. Dates are the events' own dates (YYYY-MM-DD text, or the effective
 * time of an event): no wall-clock column, so that `ledger rebuild --check` digests equal rows. Every
 * primary key is made of the domain's ids, never generated.
 */

/** A governance body as it stands now. */
@Entity({ name: 'governance_bodies' })
export class GovernanceBodyRow {
  @PrimaryColumn({ name: 'body_id', type: 'text' })
  bodyId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  function!: string;

  /** The quorum rule: { kind: 'fraction', numerator, denominator } or { kind: 'count', minimum }. */
  @Column({ type: 'jsonb' })
  quorum!: QuorumRule;

  @Column({ name: 'citizen_seats', type: 'integer' })
  citizenSeats!: number;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'constituted_on', type: 'text', nullable: true })
  constitutedOn!: string | null;

  @Column({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;
}

/** One membership period of a member in a body: from its start date to its end date (inclusive), or open. */
@Entity({ name: 'governance_memberships' })
@Index(['bodyId', 'startDate'])
export class GovernanceMembershipRow {
  @PrimaryColumn({ name: 'body_id', type: 'text' })
  bodyId!: string;

  @PrimaryColumn({ name: 'member_id', type: 'text' })
  memberId!: string;

  @PrimaryColumn({ name: 'start_date', type: 'text' })
  startDate!: string;

  @Column({ name: 'end_date', type: 'text', nullable: true })
  endDate!: string | null;

  @Column({ name: 'party_id', type: 'text' })
  partyId!: string;

  @Column({ name: 'voting_right', type: 'boolean' })
  votingRight!: boolean;

  @Column({ type: 'text' })
  seat!: string;
}

/** A meeting of a body, with its current (or last) quorum check and its approved minutes. */
@Entity({ name: 'meetings' })
@Index(['bodyId', 'date'])
@Index(['date'])
export class MeetingRow {
  @PrimaryColumn({ name: 'meeting_id', type: 'text' })
  meetingId!: string;

  @Column({ name: 'body_id', type: 'text' })
  bodyId!: string;

  @Column({ name: 'body_function', type: 'text' })
  bodyFunction!: string;

  @Column({ type: 'text' })
  title!: string;

  /** The meeting date (YYYY-MM-DD). */
  @Column({ type: 'text' })
  date!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer', default: 0 })
  session!: number;

  /** The body's roster on the meeting date, as the meeting was scheduled (or rescheduled) with. */
  @Column({ type: 'jsonb' })
  roster!: { memberId: string; partyId: string; votingRight: boolean }[];

  @Column({ type: 'jsonb' })
  agenda!: { itemId: string; position: number; title: string }[];

  @Column({ name: 'quorum_rule', type: 'jsonb', nullable: true })
  quorumRule!: QuorumRule | null;

  @Column({ name: 'quorum_session', type: 'integer', nullable: true })
  quorumSession!: number | null;

  @Column({ name: 'quorum_voting_members', type: 'integer', nullable: true })
  quorumVotingMembers!: number | null;

  @Column({ name: 'quorum_present', type: 'integer', nullable: true })
  quorumPresent!: number | null;

  @Column({ name: 'quorum_represented', type: 'integer', nullable: true })
  quorumRepresented!: number | null;

  @Column({ name: 'quorum_counted', type: 'integer', nullable: true })
  quorumCounted!: number | null;

  @Column({ name: 'quorum_required', type: 'integer', nullable: true })
  quorumRequired!: number | null;

  @Column({ name: 'quorum_reached', type: 'boolean', nullable: true })
  quorumReached!: boolean | null;

  @Column({ name: 'minutes_sha256', type: 'text', nullable: true })
  minutesSha256!: string | null;

  /** Why it was postponed or cancelled, when it was. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;
}

/** Who was present, absent, excused or represented (and by whom) at a meeting's current session. */
@Entity({ name: 'meeting_attendance' })
export class MeetingAttendanceRow {
  @PrimaryColumn({ name: 'meeting_id', type: 'text' })
  meetingId!: string;

  @PrimaryColumn({ name: 'member_id', type: 'text' })
  memberId!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'proxy_member_id', type: 'text', nullable: true })
  proxyMemberId!: string | null;
}

/** A motion tabled at a meeting, what it is about, and its vote's counts. */
@Entity({ name: 'motions' })
@Index(['targetKind', 'targetId'])
export class MotionRow {
  @PrimaryColumn({ name: 'meeting_id', type: 'text' })
  meetingId!: string;

  @PrimaryColumn({ name: 'motion_id', type: 'text' })
  motionId!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'target_kind', type: 'text' })
  targetKind!: string;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ name: 'agenda_item_id', type: 'text', nullable: true })
  agendaItemId!: string | null;

  /** Popolo counts of the vote, null until voted. */
  @Column({ type: 'jsonb', nullable: true })
  counts!: { option: string; value: number }[] | null;

  @Column({ name: 'decision_id', type: 'text', nullable: true })
  decisionId!: string | null;

  /** When the motion was tabled (the event's effective time). */
  @Column({ name: 'tabled_at', type: 'timestamptz' })
  tabledAt!: Date;
}

/** One member's vote on a motion, in person or by proxy. */
@Entity({ name: 'votes' })
export class VoteRow {
  @PrimaryColumn({ name: 'meeting_id', type: 'text' })
  meetingId!: string;

  @PrimaryColumn({ name: 'motion_id', type: 'text' })
  motionId!: string;

  @PrimaryColumn({ name: 'member_id', type: 'text' })
  memberId!: string;

  @Column({ type: 'text' })
  option!: string;

  @Column({ name: 'proxy_member_id', type: 'text', nullable: true })
  proxyMemberId!: string | null;
}

/** A decision of a meeting on a motion. */
@Entity({ name: 'decisions' })
@Index(['targetKind', 'targetId'])
export class DecisionRow {
  @PrimaryColumn({ name: 'meeting_id', type: 'text' })
  meetingId!: string;

  @PrimaryColumn({ name: 'decision_id', type: 'text' })
  decisionId!: string;

  @Column({ name: 'motion_id', type: 'text' })
  motionId!: string;

  @Column({ name: 'body_id', type: 'text' })
  bodyId!: string;

  @Column({ name: 'body_function', type: 'text' })
  bodyFunction!: string;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ name: 'quorum_reached', type: 'boolean' })
  quorumReached!: boolean;

  @Column({ type: 'integer' })
  yes!: number;

  @Column({ type: 'integer' })
  no!: number;

  @Column({ name: 'target_kind', type: 'text' })
  targetKind!: string;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  /** When it was decided (the event's effective time). */
  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;
}

export const GOVERNANCE_ENTITIES = [GovernanceBodyRow, GovernanceMembershipRow, MeetingRow, MeetingAttendanceRow, MotionRow, VoteRow, DecisionRow];
