import { type ReactNode, useRef, useState } from 'react';
import { ApiProblem, apiPost, type CommandAnswer, newIdempotencyKey } from '../shell/api';
import { defineMessages, type Lang } from '../shell/i18n';

/** The answers of GET /governance/* (apps/api/src/queries/governance). */
export type QuorumRule = { kind: 'fraction'; numerator: number; denominator: number } | { kind: 'count'; minimum: number };
export type BodyFunction = 'pilotage' | 'suivi' | 'animation';

export interface BodySummary {
  bodyId: string;
  name: string;
  function: BodyFunction;
  quorum: QuorumRule;
  citizenSeats: number;
  status: 'created' | 'constituted';
  constitutedOn: string | null;
  streamVersion: number;
  lastSeq: number;
  currentMembers?: number;
  votingMembers?: number;
}

export interface Membership {
  memberId: string;
  startDate: string;
  endDate: string | null;
  partyId: string;
  votingRight: boolean;
  seat: 'signatory' | 'citizen' | 'expert' | 'observer';
  displayName?: string | null;
}

export interface BodyDetail extends BodySummary {
  on: string;
  members: Membership[];
  memberships: Membership[];
}

export type MeetingStatus = 'scheduled' | 'convened' | 'in_session' | 'closed' | 'minutes_approved' | 'postponed' | 'cancelled';
export type AttendanceStatus = 'present' | 'absent' | 'excused' | 'represented';
export type VoteOption = 'yes' | 'no' | 'abstain' | 'absent' | 'not voting';
export const ATTENDANCE_STATUSES: readonly AttendanceStatus[] = ['present', 'absent', 'excused', 'represented'];
export const VOTE_OPTIONS: readonly VoteOption[] = ['yes', 'no', 'abstain', 'absent', 'not voting'];
export const MOTION_TARGET_KINDS = ['amendment', 'commitment', 'contract', 'other'] as const;

export interface MeetingSummary {
  meetingId: string;
  bodyId: string;
  title: string;
  date: string;
  status: MeetingStatus;
  quorumReached: boolean | null;
  minutesSha256: string | null;
  lastSeq: number;
}

export interface Named {
  memberId: string;
  displayName?: string | null;
}

export interface MeetingDetail {
  meetingId: string;
  bodyId: string;
  bodyFunction: BodyFunction;
  title: string;
  date: string;
  status: MeetingStatus;
  session: number;
  reason: string | null;
  agenda: { itemId: string; position: number; title: string }[];
  roster: (Named & { partyId: string; votingRight: boolean })[];
  attendance: (Named & { status: AttendanceStatus; proxyMemberId: string | null })[];
  quorum: {
    session: number;
    rule: QuorumRule;
    votingMembers: number;
    present: number;
    represented: number;
    counted: number;
    required: number;
    reached: boolean;
  } | null;
  motions: {
    motionId: string;
    text: string;
    target: { kind: (typeof MOTION_TARGET_KINDS)[number]; id: string | null };
    agendaItemId: string | null;
    tabledAt: string;
    counts: { option: VoteOption; value: number }[] | null;
    votes: (Named & { option: VoteOption; proxyMemberId: string | null })[];
    decisionId: string | null;
  }[];
  decisions: {
    decisionId: string;
    motionId: string;
    outcome: 'approved' | 'rejected';
    quorumReached: boolean;
    yes: number;
    no: number;
    target: { kind: string; id: string | null };
    decidedAt: string;
  }[];
  minutesSha256: string | null;
  streamVersion: number;
  lastSeq: number;
}

/** Words shared by the governance pages (and the amendments' pages). */
export const labels = defineMessages({
  fr: {
    function: { pilotage: 'Comité de pilotage', suivi: 'Comité de suivi', animation: "Comité d'animation" } as Record<string, string>,
    bodyStatus: { created: 'En cours de constitution', constituted: 'Constituée' } as Record<string, string>,
    meetingStatus: {
      scheduled: 'Programmée',
      convened: 'Convoquée',
      in_session: 'En séance',
      closed: 'Close',
      minutes_approved: 'Procès-verbal approuvé',
      postponed: 'Reportée',
      cancelled: 'Annulée',
    } as Record<string, string>,
    attendance: { present: 'Présent·e', absent: 'Absent·e', excused: 'Excusé·e', represented: 'Représenté·e (procuration)' } as Record<string, string>,
    vote: { yes: 'Pour', no: 'Contre', abstain: 'Abstention', absent: 'Absent·e', 'not voting': 'Ne prend pas part au vote' } as Record<string, string>,
    seat: { signatory: 'Signataire', citizen: 'Siège citoyen', expert: 'Expert·e', observer: 'Observateur·rice' } as Record<string, string>,
    outcome: { approved: 'Adoptée', rejected: 'Rejetée' } as Record<string, string>,
    targetKind: { amendment: 'Avenant', commitment: 'Engagement', contract: 'Contrat', other: 'Autre sujet' } as Record<string, string>,
    quorumRule: (rule: QuorumRule) =>
      rule.kind === 'count'
        ? `au moins ${rule.minimum} membre(s) ayant voix délibérative présent(s) ou représenté(s)`
        : `au moins ${rule.numerator}/${rule.denominator} des membres ayant voix délibérative, présents ou représentés`,
    yes: 'oui',
    no: 'non',
    unnamed: '(nom non communiqué)',
  },
  en: {
    function: { pilotage: 'Steering committee', suivi: 'Monitoring committee', animation: 'Facilitation committee' } as Record<string, string>,
    bodyStatus: { created: 'Being constituted', constituted: 'Constituted' } as Record<string, string>,
    meetingStatus: {
      scheduled: 'Scheduled',
      convened: 'Convened',
      in_session: 'In session',
      closed: 'Closed',
      minutes_approved: 'Minutes approved',
      postponed: 'Postponed',
      cancelled: 'Cancelled',
    } as Record<string, string>,
    attendance: { present: 'Present', absent: 'Absent', excused: 'Excused', represented: 'Represented (proxy)' } as Record<string, string>,
    vote: { yes: 'For', no: 'Against', abstain: 'Abstain', absent: 'Absent', 'not voting': 'Not voting' } as Record<string, string>,
    seat: { signatory: 'Signatory', citizen: 'Citizen seat', expert: 'Expert', observer: 'Observer' } as Record<string, string>,
    outcome: { approved: 'Approved', rejected: 'Rejected' } as Record<string, string>,
    targetKind: { amendment: 'Amendment', commitment: 'Commitment', contract: 'Contract', other: 'Other subject' } as Record<string, string>,
    quorumRule: (rule: QuorumRule) =>
      rule.kind === 'count'
        ? `at least ${rule.minimum} member(s) with a voting right present or represented`
        : `at least ${rule.numerator}/${rule.denominator} of the members with a voting right, present or represented`,
    yes: 'yes',
    no: 'no',
    unnamed: '(name not disclosed)',
  },
});

/** A member as the reader may see them: the name when the API gives it, and always the pseudonymous id. */
export function MemberName({ member }: { member: Named }) {
  return member.displayName ? (
    <>
      {member.displayName} <span className="gov-id">({member.memberId})</span>
    </>
  ) : (
    <span className="gov-id">{member.memberId}</span>
  );
}

export const nameOf = (member: Named | undefined, memberId: string) => member?.displayName || memberId;

/** Today's date (YYYY-MM-DD) in Paris. */
export function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());
}

/**
 * A front query's `asOf` (a date from a date control, or an instant) as the API takes it: a date is the
 * state at the end of that day, Paris time.
 */
export function apiAsOf(value: string | null): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return instantOf(`${value}T23:59:59`);
  return value;
}

/**
 * A date-time typed in a datetime-local control, read as Paris time (the contract's, in which every page
 * shows dates), as an instant with its offset: "2025-06-20T11:00" → "2025-06-20T11:00:00+02:00".
 */
export function instantOf(local: string): string | undefined {
  if (!local) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) return local; // let the API say what is wrong with it
  const [, y, mo, d, h, mi, se = '00'] = match;
  const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(new Date(instant))
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - instant;
  };
  const offset = offsetAt(wall - offsetAt(wall));
  const minutes = Math.round(offset / 60_000);
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${y}-${mo}-${d}T${h}:${mi}:${se}${minutes >= 0 ? '+' : '-'}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

/**
 * One form's command: a fresh Idempotency-Key for each submission, kept only to retry after a network
 * failure (the same submission), dropped once the API has answered.
 */
export function useCommand() {
  const key = useRef<string | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (path: string, body: unknown, onDone: (answer: CommandAnswer) => void) => {
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await apiPost(path, body, { idempotencyKey: key.current });
      key.current = undefined;
      onDone(answer);
    } catch (error) {
      const p = error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error), undefined, undefined, []);
      if (p.status !== 0) key.current = undefined;
      setProblem(p);
    } finally {
      setBusy(false);
    }
  };
  return { problem, busy, submit, clear: () => setProblem(undefined) };
}

/** The API's messages about a field that has no control of its own (a row's member), shown where it is. */
export function FieldMessages({ problem, name }: { problem?: ApiProblem; name: string }) {
  const errors = problem?.forField(name) ?? [];
  if (errors.length === 0) return null;
  return (
    <ul className="field-errors" data-field={name}>
      {errors.map((e, i) => (
        <li key={i}>
          {e.detail} <span className="rule">({e.rule})</span>
        </li>
      ))}
    </ul>
  );
}

export type { Lang };

/**
 * A table that scrolls sideways on a narrow screen: the region takes the keyboard focus so that it can be
 * scrolled without a mouse (WCAG 2.1.1), and is named after its table.
 */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
