import { randomUUID } from 'node:crypto';
import { type Actor, DomainRuleError, ensure, ID_PATTERN, isPersonId } from '@mel/domain';
import type { EventEnvelope, EventStore } from '@mel/event-store';
import type { Pool, PoolClient } from 'pg';

/**
 * The personal directory (DESIGN §6, ADR 12): names and contact details of the people the events name by
 * a pseudonymous id, in `directory.people`, outside the log and the read models, erasable. Registering
 * a person writes nothing to the log; erasing one records `PersonDataErased` (see `PersonErasure`).
 *
 * Personal data never leaves through here into anything that stays: callers show it to authenticated
 * readers at query time and keep no copy.
 */

/** What is recorded of a person. Every field but the name is optional. */
export interface PersonDetails {
  displayName: string;
  email?: string | null;
  phone?: string | null;
  /** What the person is, e.g. "Conseillère citoyenne": free text, personal data like the rest. */
  title?: string | null;
  /** The party the person belongs to or represents, a party id of the log. */
  partyId?: string | null;
}

export interface PersonEntry {
  personId: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  partyId: string | null;
  createdAt: string;
}

/** What the directory says of an id: the person's entry, that it was erased (and when), or nothing. */
export type DirectoryLookup =
  | { status: 'present'; person: PersonEntry }
  | {
      status: 'erased';
      personId: string;
      erasedAt: string;
      erasureSeq: number;
      /** True when the log records the erasure but the directory's part of it has not run yet (see PersonErasure). */
      pending: boolean;
    }
  | { status: 'unknown'; personId: string };

/** The stream of a person's erasure: `person-<personId>` (as every aggregate's `<aggregate>-<id>`). */
export function personStreamId(personId: string): string {
  return `person-${personId}`;
}

const MAX = { displayName: 200, email: 254, phone: 40, title: 200 } as const;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/;
const PHONE = /^\+?[0-9][0-9 .()-]{1,38}$/;

export class PersonalDirectory {
  constructor(
    private readonly pool: Pool,
    private readonly store: Pick<EventStore, 'readStream'>,
  ) {}

  /**
   * Registers a person and answers their new id (`person-<UUID v4>`, never derived from the name). An
   * administrator registers anyone, for any party or none; a signatory representative registers people
   * of their own party only (their party when none is named); no one else registers anyone. A party
   * named must be registered in the log.
   */
  async register(actor: Actor, details: PersonDetails): Promise<PersonEntry> {
    const partyId = partyOf(actor, details.partyId ?? null);
    const clean = checkedDetails(details);
    if (partyId !== null) {
      const party = await this.store.readStream(`party-${partyId}`, { toVersion: 1 });
      ensure(party.length > 0, 'AggregateMustExist', `party ${partyId} is not registered`, 'partyId');
    }
    const personId = `person-${randomUUID()}`;
    const { rows } = await this.pool.query<PersonRow>(
      `INSERT INTO directory.people (person_id, display_name, email, phone, title, party_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${COLUMNS}`,
      [personId, clean.displayName, clean.email, clean.phone, clean.title, partyId],
    );
    return entryOf(rows[0]);
  }

  /**
   * A person's entry; or that their data was erased — also when the log records the erasure and the
   * directory's part of it has not run yet (a crash between the two: `pending`); or that the id is unknown.
   */
  async find(personId: string): Promise<DirectoryLookup> {
    if (!isPersonId(personId)) return { status: 'unknown', personId };
    const { rows } = await this.pool.query<PersonRow>(`SELECT ${COLUMNS} FROM directory.people WHERE person_id = $1`, [personId]);
    if (rows.length > 0) {
      const erasure = erasureIn(await this.store.readStream(personStreamId(personId)));
      if (erasure) return { status: 'erased', personId, erasedAt: erasure.recordedAt, erasureSeq: erasure.seq, pending: true };
      return { status: 'present', person: entryOf(rows[0]) };
    }
    const erased = await this.pool.query<{ erased_at: Date; erasure_seq: string }>('SELECT erased_at, erasure_seq FROM directory.erasures WHERE person_id = $1', [personId]);
    if (erased.rows.length > 0) {
      return { status: 'erased', personId, erasedAt: erased.rows[0].erased_at.toISOString(), erasureSeq: Number(erased.rows[0].erasure_seq), pending: false };
    }
    return { status: 'unknown', personId };
  }

  /** Whether the directory holds this person, or recorded their erasure (the `known` fact of RecordPersonErasure). */
  async knows(personId: string): Promise<boolean> {
    if (!isPersonId(personId)) return false;
    const { rows } = await this.pool.query(
      'SELECT 1 FROM directory.people WHERE person_id = $1 UNION ALL SELECT 1 FROM directory.erasures WHERE person_id = $1',
      [personId],
    );
    return rows.length > 0;
  }

  /**
   * The display names of those of `ids` that are people of the directory (ids of another kind, such as
   * `copil-cvs-mel`, and erased people have none), for authenticated readers, looked up at query time.
   */
  async displayNames(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
    const wanted = [...new Set([...ids].filter(isPersonId))];
    if (wanted.length === 0) return new Map();
    const { rows } = await this.pool.query<{ person_id: string; display_name: string }>(
      'SELECT person_id, display_name FROM directory.people WHERE person_id = ANY($1::text[])',
      [wanted],
    );
    return new Map(rows.map((row) => [row.person_id, row.display_name]));
  }

  /**
   * The directory's part of an erasure the log records: deletes the person's row and records the
   * erasure (with the seq and time of its event), in one transaction. Idempotent: `changed` is false
   * when both were done already.
   */
  async completeErasure(personId: string, erasure: Pick<EventEnvelope, 'seq' | 'recordedAt'>): Promise<{ changed: boolean; rowDeleted: boolean }> {
    return this.transaction(async (client) => {
      const deleted = await client.query('DELETE FROM directory.people WHERE person_id = $1', [personId]);
      const recorded = await client.query(
        'INSERT INTO directory.erasures (person_id, erased_at, erasure_seq) VALUES ($1, $2, $3) ON CONFLICT (person_id) DO NOTHING',
        [personId, erasure.recordedAt, erasure.seq],
      );
      const rowDeleted = (deleted.rowCount ?? 0) > 0;
      return { changed: rowDeleted || (recorded.rowCount ?? 0) > 0, rowDeleted };
    });
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The PersonDataErased event of a person's stream, if any. */
export function erasureIn(events: readonly EventEnvelope[]): EventEnvelope | undefined {
  return events.find((event) => event.type === 'PersonDataErased');
}

// ---- rows -------------------------------------------------------------------------------------

interface PersonRow {
  person_id: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  party_id: string | null;
  created_at: Date;
}

const COLUMNS = 'person_id, display_name, email, phone, title, party_id, created_at';

function entryOf(row: PersonRow): PersonEntry {
  return {
    personId: row.person_id,
    displayName: row.display_name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    partyId: row.party_id,
    createdAt: row.created_at.toISOString(),
  };
}

// ---- rules ------------------------------------------------------------------------------------

/** The party a person is registered for, as the actor may register them (see `register`). */
function partyOf(actor: Actor, partyId: string | null): string | null {
  if (partyId !== null) ensure(typeof partyId === 'string' && ID_PATTERN.test(partyId), 'ValueMustBeValid', 'partyId must be a party id', 'partyId');
  if (actor.role === 'administrator') return partyId;
  if (actor.role === 'signatory-representative' && actor.partyId) {
    ensure(
      partyId === null || partyId === actor.partyId,
      'PartyActsOnlyForItself',
      `a representative of party ${actor.partyId} registers people of that party only, not of party ${partyId}`,
      'partyId',
    );
    return actor.partyId;
  }
  throw new DomainRuleError('OnlyAnAdministratorMayDoThis', `registering a person: only an administrator, or a signatory representative for their own party, may do this (not a ${actor.role})`);
}

function checkedDetails(details: PersonDetails): Required<Omit<PersonDetails, 'partyId'>> {
  const text = (value: unknown, field: keyof typeof MAX, pattern?: RegExp): string | null => {
    if (value === undefined || value === null) return null;
    ensure(
      typeof value === 'string' && value.trim().length > 0 && value.length <= MAX[field] && (!pattern || pattern.test(value)),
      'ValueMustBeValid',
      `${field} must be a text of 1 to ${MAX[field]} characters${pattern ? ` in the form of ${field === 'email' ? 'an email address' : 'a phone number'}` : ''}`,
      field,
    );
    return value.trim();
  };
  const displayName = text(details.displayName, 'displayName');
  ensure(displayName !== null, 'ValueMustBeValid', 'displayName is required', 'displayName');
  return { displayName, email: text(details.email, 'email', EMAIL), phone: text(details.phone, 'phone', PHONE), title: text(details.title, 'title') };
}
