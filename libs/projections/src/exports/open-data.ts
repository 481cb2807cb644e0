import { type EntityManager, Not } from 'typeorm';
import type { AsOf } from '../as-of';

/** What the exports read through: a DataSource or a transaction's EntityManager. */
export type ReadModelReader = Pick<EntityManager, 'getRepository' | 'query'>;
import { CommitmentRow } from '../commitments/commitment-row.entity';
import { GovernanceBodyRow, GovernanceMembershipRow, MeetingRow, MotionRow, VoteRow } from '../governance/governance.entities';

/*
 * Open-data exports of what is public: commitments (OCDS records), the governance register (Popolo) and
 * CSV files. Nothing from an actor goes out (no subject, role or mandate); member ids are pseudonymous.
 */

export const OCID_PREFIX = 'ocds-mel-cvs-';

/** One OCDS release per event of a commitment's stream. */
export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: string[];
  initiationType: 'tender';
  data: unknown;
}

export interface OcdsRecord {
  ocid: string;
  compiledRelease: Record<string, unknown>;
  releases: OcdsRelease[];
}

export interface OcdsRecordPackage {
  uri: string;
  version: '1.1';
  publishedDate: string;
  publisher: { name: string };
  records: OcdsRecord[];
}

const cents = (value: string | number | null | undefined) => Number(value ?? 0) / 100;

/** The commitment as it stands now, as an OCDS compiled release. */
function compiledRelease(row: CommitmentRow, date: string): Record<string, unknown> {
  const ocid = `${OCID_PREFIX}${row.commitmentId}`;
  const total = Number(row.droitCommunCents) + Number(row.creditsSpecifiquesCents);
  return {
    ocid,
    id: `${ocid}-compiled`,
    date,
    tag: ['compiled'],
    initiationType: 'tender',
    buyer: { id: row.ownerPartyId },
    parties: [
      { id: row.ownerPartyId, roles: ['buyer'] },
      ...row.coFunderPartyIds.map((id) => ({ id, roles: ['funder'] })),
    ],
    planning: {
      budget: {
        amount: { amount: cents(total), currency: 'EUR' },
        droitCommun: { amount: cents(row.droitCommunCents), currency: 'EUR' },
        creditsSpecifiques: { amount: cents(row.creditsSpecifiquesCents), currency: 'EUR' },
        lines: row.budget.map((b) => ({ year: b.year, amount: { amount: cents(b.amountCents), currency: 'EUR' }, status: b.status })),
      },
    },
    tender: {
      id: row.commitmentId,
      title: row.title,
      description: row.description,
      status: row.status,
      outcome: row.outcome,
      priority: row.priority,
      ambition: row.ambition,
      component: row.component,
      horizon: row.horizon,
      qpv: row.qpv,
      communes: row.communes,
    },
    implementation: {
      committed: { amount: cents(row.committedCents), currency: 'EUR' },
      disbursed: { amount: cents(row.disbursedCents), currency: 'EUR' },
      spent: { amount: cents(row.spentCents), currency: 'EUR' },
      reports: row.reports,
    },
    amendments: row.amendmentIds.map((id) => ({ id })),
  };
}

/** The commitment's releases: one per event of its stream (known as of `asOf`), in seq order, without the actor. */
async function releasesOf(source: ReadModelReader, commitmentId: string, asOf?: AsOf): Promise<OcdsRelease[]> {
  const ocid = `${OCID_PREFIX}${commitmentId}`;
  const clock = asOf?.clock === 'recorded' ? 'recorded_at' : 'occurred_at';
  const rows: { seq: string; occurred_at: Date | string; type: string; canonical: string }[] = await source.query(
    `SELECT seq, occurred_at, type, convert_from(canonical, 'UTF8') AS canonical FROM event_store.events
      WHERE stream_id = $1 AND ($2::timestamptz IS NULL OR ${clock} <= $2::timestamptz) ORDER BY seq`,
    [`commitment-${commitmentId}`, asOf?.at ?? null],
  );
  return rows.map((r) => {
    const envelope = JSON.parse(r.canonical) as { data?: unknown };
    return {
      ocid,
      id: `${ocid}-${r.seq}`,
      date: new Date(r.occurred_at).toISOString(),
      tag: [r.type],
      initiationType: 'tender',
      data: envelope.data ?? null, // only the event's data: the envelope's actor never goes out
    };
  });
}

/**
 * The commitments that are public: every one but drafts. A draft is its owner's work in progress; it
 * becomes public when it is proposed, and then stays so whatever happens to it (withdrawn included),
 * with its whole history from the draft on (ADR 7).
 */
export function publicCommitments(source: ReadModelReader): Promise<CommitmentRow[]> {
  return source.getRepository(CommitmentRow).find({ where: { status: Not('draft') }, order: { commitmentId: 'ASC' } });
}

/** Every public commitment as an OCDS record (compiled release and the list of its releases). */
export async function ocdsRecords(source: ReadModelReader, asOf?: AsOf): Promise<OcdsRecord[]> {
  const rows = await publicCommitments(source);
  const records: OcdsRecord[] = [];
  for (const row of rows) {
    const releases = await releasesOf(source, row.commitmentId, asOf);
    const date = releases.length ? releases[releases.length - 1].date : new Date(row.updatedOn).toISOString();
    records.push({ ocid: `${OCID_PREFIX}${row.commitmentId}`, compiledRelease: compiledRelease(row, date), releases });
  }
  return records;
}

/** The OCDS record package of every commitment. */
export async function ocdsRecordPackage(source: ReadModelReader, uri = '/open-data/commitments.json', asOf?: AsOf): Promise<OcdsRecordPackage> {
  const records = await ocdsRecords(source, asOf);
  const dates = records.map((r) => String(r.compiledRelease.date)).sort();
  return {
    uri,
    version: '1.1',
    publishedDate: dates[dates.length - 1] ?? new Date(0).toISOString(),
    publisher: { name: 'Métropole Européenne de Lille — Contrat de ville et des solidarités' },
    records,
  };
}

export interface PopoloExport {
  organizations: { id: string; name: string; classification: string; founding_date: string | null; status: string; citizen_seats: number; quorum: unknown }[];
  memberships: { id: string; person_id: string; organization_id: string; on_behalf_of_id: string; role: string; voting_right: boolean; start_date: string; end_date: string | null }[];
  events: { id: string; name: string; organization_id: string; start_date: string; status: string; classification: string }[];
  motions: { id: string; organization_id: string | null; legislative_session_id: string; text: string; date: string; requirement: string; result: string | null }[];
  vote_events: { id: string; motion_id: string; legislative_session_id: string; counts: { option: string; value: number }[]; votes: { voter_id: string; option: string }[] }[];
}

/** The governance register as Popolo JSON. */
export async function popoloExport(source: ReadModelReader): Promise<PopoloExport> {
  const bodies = await source.getRepository(GovernanceBodyRow).find({ order: { bodyId: 'ASC' } });
  const memberships = await source.getRepository(GovernanceMembershipRow).find({ order: { bodyId: 'ASC', memberId: 'ASC', startDate: 'ASC' } });
  const meetings = await source.getRepository(MeetingRow).find({ order: { date: 'ASC', meetingId: 'ASC' } });
  const motions = await source.getRepository(MotionRow).find({ order: { tabledAt: 'ASC', motionId: 'ASC' } });
  const votes = await source.getRepository(VoteRow).find({ order: { meetingId: 'ASC', motionId: 'ASC', memberId: 'ASC' } });
  const bodyOfMeeting = new Map(meetings.map((m) => [m.meetingId, m.bodyId]));
  const motionKey = (meetingId: string, motionId: string) => `${meetingId}/${motionId}`;
  return {
    organizations: bodies.map((b) => ({
      id: b.bodyId,
      name: b.name,
      classification: b.function,
      founding_date: b.constitutedOn,
      status: b.status,
      citizen_seats: b.citizenSeats,
      quorum: b.quorum,
    })),
    memberships: memberships.map((m) => ({
      id: `${m.bodyId}/${m.memberId}/${m.startDate}`,
      person_id: m.memberId,
      organization_id: m.bodyId,
      on_behalf_of_id: m.partyId,
      role: m.seat,
      voting_right: m.votingRight,
      start_date: m.startDate,
      end_date: m.endDate,
    })),
    events: meetings.map((m) => ({
      id: m.meetingId,
      name: m.title,
      organization_id: m.bodyId,
      start_date: m.date,
      status: m.status,
      classification: m.bodyFunction,
    })),
    motions: motions.map((m) => ({
      id: motionKey(m.meetingId, m.motionId),
      organization_id: bodyOfMeeting.get(m.meetingId) ?? null,
      legislative_session_id: m.meetingId,
      text: m.text,
      date: new Date(m.tabledAt).toISOString(),
      requirement: m.targetKind,
      result: m.decisionId,
    })),
    vote_events: motions
      .filter((m) => m.counts !== null)
      .map((m) => ({
        id: `vote-${motionKey(m.meetingId, m.motionId)}`,
        motion_id: motionKey(m.meetingId, m.motionId),
        legislative_session_id: m.meetingId,
        counts: m.counts ?? [],
        votes: votes.filter((v) => v.meetingId === m.meetingId && v.motionId === m.motionId).map((v) => ({ voter_id: v.memberId, option: v.option })),
      })),
  };
}

/** One CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file (RFC 4180: CRLF line endings, a header line). */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const COMMITMENTS_CSV_HEADER = [
  'commitment_id',
  'title',
  'description',
  'owner_party_id',
  'co_funder_party_ids',
  'priority',
  'ambition',
  'component',
  'horizon',
  'status',
  'outcome',
  'qpv',
  'communes',
  'droit_commun_eur',
  'credits_specifiques_eur',
  'committed_eur',
  'disbursed_eur',
  'spent_eur',
  'reports',
  'updated_on',
];

/** The CSV files of the open data, by file name. */
export async function openDataCsv(source: ReadModelReader): Promise<Record<string, string>> {
  const commitments = await publicCommitments(source);
  const governance = await popoloExport(source);
  return {
    'commitments.csv': toCsv(
      COMMITMENTS_CSV_HEADER,
      commitments.map((c) => [
        c.commitmentId,
        c.title,
        c.description,
        c.ownerPartyId,
        c.coFunderPartyIds,
        c.priority,
        c.ambition,
        c.component,
        c.horizon,
        c.status,
        c.outcome,
        c.qpv,
        c.communes,
        cents(c.droitCommunCents),
        cents(c.creditsSpecifiquesCents),
        cents(c.committedCents),
        cents(c.disbursedCents),
        cents(c.spentCents),
        c.reports,
        new Date(c.updatedOn).toISOString(),
      ]),
    ),
    'bodies.csv': toCsv(
      ['body_id', 'name', 'function', 'status', 'constituted_on', 'citizen_seats'],
      governance.organizations.map((o) => [o.id, o.name, o.classification, o.status, o.founding_date, o.citizen_seats]),
    ),
    'memberships.csv': toCsv(
      ['body_id', 'member_id', 'on_behalf_of_id', 'seat', 'voting_right', 'start_date', 'end_date'],
      governance.memberships.map((m) => [m.organization_id, m.person_id, m.on_behalf_of_id, m.role, m.voting_right, m.start_date, m.end_date]),
    ),
    'meetings.csv': toCsv(
      ['meeting_id', 'body_id', 'body_function', 'title', 'date', 'status'],
      governance.events.map((e) => [e.id, e.organization_id, e.classification, e.name, e.start_date, e.status]),
    ),
    'votes.csv': toCsv(
      ['meeting_id', 'motion_id', 'member_id', 'option'],
      governance.vote_events.flatMap((ve) => ve.votes.map((v) => [ve.legislative_session_id, ve.motion_id.split('/').slice(1).join('/'), v.voter_id, v.option])),
    ),
  };
}

/** The part of archiver 7 (CommonJS, without bundled types) that is used here. */
interface ZipArchive {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error' | 'warning', listener: (error: Error) => void): this;
  append(source: string | Buffer, data: { name: string }): this;
  finalize(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const archiver = require('archiver') as (format: 'zip', options?: { zlib?: { level?: number } }) => ZipArchive;

/** A ZIP of the given files. */
export async function zipFiles(files: Record<string, string>): Promise<Buffer> {
  const archive = archiver('zip', { zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  for (const [name, content] of Object.entries(files)) archive.append(content, { name });
  await archive.finalize();
  return done;
}

/** The ZIP of the open-data CSV files. */
export async function openDataCsvZip(source: ReadModelReader): Promise<Buffer> {
  return zipFiles(await openDataCsv(source));
}
